import type { APIRequestContext, Page } from '@playwright/test'
import { checkA11y, chineseOutsideData, chooseLanguage, DEMO, DEMO_PASSWORD, expect, signIn, signOut, test } from './support.js'

/** 服务商 A（江苏，已认证）of the demo data. */
const PROVIDER_A = '13900000011'

/**
 * A need published to verified providers only (about one in seven of the demo needs):
 * one the verified provider sees in the hall that a visitor's request is refused (403).
 */
async function findRestrictedNeed(page: Page, visitor: APIRequestContext): Promise<{ id: number; title: string }> {
  for (let p = 1; p <= 5; p += 1) {
    const response = await page.request.get(`/needs?sort=newest&page=${p}&_data=routes%2Fneeds._index`)
    const { result } = (await response.json()) as { result: { items: { id: number; title: string }[] } }
    for (const item of result.items) {
      if ((await visitor.get(`/needs/${item.id}`)).status() === 403) return item
    }
  }
  throw new Error('no need for verified providers only among the newest demo needs')
}

test('a need for verified providers only: a visitor is asked to sign in and comes back to it; an enterprise is told why not', async ({
  page,
  request,
}) => {
  await signIn(page, PROVIDER_A, DEMO_PASSWORD)
  const need = await findRestrictedNeed(page, request)
  await signOut(page)

  // A visitor: 登录后查看, nothing of the need, the way in.
  const response = await page.goto(`/needs/${need.id}`)
  expect(response?.status()).toBe(403)
  const main = page.getByRole('main')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录后查看')
  await expect(page).toHaveTitle('登录后查看 · 对接')
  await expect(main).toContainText('这条需求仅向通过入驻审核的服务商公开。')
  await expect(main).not.toContainText(need.title)
  await checkA11y(page)
  await main.getByRole('link', { name: '登录', exact: true }).click()
  await expect(page).toHaveURL(new RegExp(`/login\\?redirectTo=%2Fneeds%2F${need.id}$`))
  await checkA11y(page)
  await page.getByLabel('手机号或邮箱').fill(PROVIDER_A)
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  // Signed in as a verified provider: back on the need, which it may see.
  await expect(page).toHaveURL(new RegExp(`/needs/${need.id}$`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(need.title)
  await checkA11y(page)
  await signOut(page)

  // A verified enterprise: the need is for verified providers only; its organisation's page is the next step.
  await signIn(page, DEMO.enterpriseA, DEMO_PASSWORD)
  expect((await page.goto(`/needs/${need.id}`))?.status()).toBe(403)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('仅向认证服务商公开')
  await expect(main).toContainText('您当前代表的组织不是服务商')
  await expect(main).not.toContainText(need.title)
  await expect(main.getByRole('link', { name: '登录', exact: true })).toHaveCount(0)
  await checkA11y(page)

  // In English too, with no Chinese outside data.
  await chooseLanguage(page, 'en')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('For verified providers only')
  await expect(page).toHaveTitle('For verified providers only · Duijie')
  expect(await chineseOutsideData(page)).toEqual([])
  await checkA11y(page)
  await main.getByRole('link', { name: 'My organisation' }).click()
  await expect(page).toHaveURL(/\/org$/)
  await checkA11y(page)
  await chooseLanguage(page, 'zh-CN')
  await checkA11y(page)
})
