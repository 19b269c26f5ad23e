import crypto from 'node:crypto'
import { expect, type Page } from '@playwright/test'

export const DEMO_PASSWORD = 'Duijie@demo2026'
export const DEMO = {
  enterpriseA: '13900000001',
  agencyYangzhou: '13900000021',
} as const

/** A mobile number no other run of the suite will pick. */
export function freshPhone(prefix = '135'): string {
  return `${prefix}${String(crypto.randomInt(1e8)).padStart(8, '0')}`
}

/** Waits until React has hydrated, so controlled inputs react to what we do. */
export async function gotoReady(page: Page, url: string) {
  await page.goto(url)
  await page.locator('html[data-hydrated]').waitFor()
}

export async function signIn(page: Page, login: string, password: string) {
  await gotoReady(page, '/login')
  await page.getByLabel('手机号或邮箱').fill(login)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page.getByText('您已安全退出。')).toBeVisible()
}

export async function register(page: Page, name: string, phone: string, password: string) {
  await gotoReady(page, '/register')
  await page.getByLabel('姓名').fill(name)
  await page.getByLabel('手机号或邮箱').fill(phone)
  await page.getByRole('textbox', { name: '密码', exact: true }).fill(password)
  await page.getByLabel('确认密码').fill(password)
  await page.getByRole('button', { name: '注册' }).click()
  await expect(page).toHaveURL(/\/orgs\/new$/)
}
