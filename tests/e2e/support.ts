import crypto from 'node:crypto'
import AxeBuilder from '@axe-core/playwright'
import { test as base, expect, type Page } from '@playwright/test'
import { generateUscc } from '../../app/domain/orgs/uscc.js'

export { expect }

export const DEMO_PASSWORD = 'Duijie@demo2026'
export const DEMO = {
  enterpriseA: '13900000001',
  agencyYangzhou: '13900000021',
} as const

/** A mobile number no other run of the suite will pick. */
export function freshPhone(prefix = '135'): string {
  return `${prefix}${String(crypto.randomInt(1e8)).padStart(8, '0')}`
}

/*
 * Accessibility: every page a journey visits is checked with axe-core, and serious or
 * critical violations fail the test. `checkA11y(page)` checks the page as it is now
 * (call it once the page shows what the step expects); the navigation helpers below
 * call it themselves. The `test` exported here tracks every document and client-side
 * navigation of `page` and fails a test that visited a path it never checked, so a new
 * step cannot skip the check by accident.
 */
const IMPACTS_THAT_FAIL = new Set(['serious', 'critical'])
const checkedPaths = new WeakMap<Page, Set<string>>()

function pathOf(url: string): string | null {
  if (!/^https?:/.test(url)) return null
  return new URL(url).pathname
}

export async function checkA11y(page: Page, { scripts = true }: { scripts?: boolean } = {}) {
  if (!scripts) {
    // A context with JavaScript off runs no script, axe's included: the journey checks what it
    // can see, and the same markup is checked with axe where scripts run (the dialog's journeys).
    const path = pathOf(page.url())
    if (path) checkedPaths.set(page, (checkedPaths.get(page) ?? new Set<string>()).add(path))
    return
  }
  await page.locator('html[data-hydrated]').waitFor()
  // Legacy mode runs axe in the page itself: no blank page opened and closed per check (our pages
  // have no cross-origin frames, which is all the default mode adds). It halves the time a check takes.
  const results = await new AxeBuilder({ page }).setLegacyMode(true).analyze()
  const failing = results.violations
    .filter((v) => IMPACTS_THAT_FAIL.has(v.impact ?? ''))
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`),
    }))
  const path = pathOf(page.url())
  if (path) {
    const set = checkedPaths.get(page) ?? new Set<string>()
    set.add(path)
    checkedPaths.set(page, set)
  }
  // Soft: the journey goes on, and the report lists every page's violations.
  expect.soft(failing, `axe-core: serious or critical violations on ${page.url().slice(0, 160)}`).toEqual([])
}

export const test = base.extend<{ a11yCoverage: void; noNulBytes: void }>({
  /*
   * Every HTML document and data response the journeys receive is scanned for 0x00
   * bytes (React 18's streaming renderer padded chunk ends with them, react#31134; the
   * server strips them, app/entry.server.tsx): a page with one fails the test.
   */
  noNulBytes: [
    async ({ page }, use) => {
      const scans: Promise<string | null>[] = []
      page.on('response', (response) => {
        const type = response.headers()['content-type'] ?? ''
        if (!/text\/html|application\/json|text\/x-script/.test(type)) return
        scans.push(
          response.body().then(
            (body) => (body.includes(0) ? `${response.url()} has a NUL byte at ${body.indexOf(0)}` : null),
            () => null, // a body that went away with a navigation cannot be read; nothing to scan
          ),
        )
      })
      await use()
      const found = (await Promise.all(scans)).filter((r): r is string => r !== null)
      expect(found, 'responses carrying 0x00 bytes').toEqual([])
    },
    { auto: true },
  ],
  a11yCoverage: [
    async ({ page }, use) => {
      const visited = new Set<string>()
      page.on('framenavigated', (frame) => {
        if (frame !== page.mainFrame()) return
        const path = pathOf(frame.url())
        if (path) visited.add(path)
      })
      await use()
      const checked = checkedPaths.get(page) ?? new Set<string>()
      const unchecked = [...visited].filter((p) => !checked.has(p))
      expect(unchecked, 'pages this test visited but never checked with checkA11y').toEqual([])
    },
    { auto: true },
  ],
})

/**
 * The page's width as the browser lays it out, to compare with the phone's 390 px: nothing
 * may stick out past it (scrollWidth, as a mobile viewport widens to what overflows).
 */
export async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth)
}

/** Waits until React has hydrated, so controlled inputs react to what we do; then checks the page with axe. */
export async function gotoReady(page: Page, url: string) {
  await page.goto(url)
  await checkA11y(page)
}

export async function signIn(page: Page, login: string, password: string) {
  await gotoReady(page, '/login')
  await page.getByLabel('手机号或邮箱').fill(login)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
  await checkA11y(page)
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page.getByText('您已安全退出。')).toBeVisible()
  await checkA11y(page)
}

export async function register(page: Page, name: string, phone: string, password: string) {
  await gotoReady(page, '/register')
  await page.getByLabel('姓名').fill(name)
  await page.getByLabel('手机号或邮箱').fill(phone)
  await page.getByRole('textbox', { name: '密码', exact: true }).fill(password)
  await page.getByLabel('确认密码').fill(password)
  await page.getByRole('button', { name: '注册' }).click()
  await expect(page).toHaveURL(/\/orgs\/new$/)
  await checkA11y(page)
}

/** An application for an organisation in 江苏省 › 扬州市 › `district`: an enterprise of an industry, or a provider of a kind. */
export type Application = { name: string; district: string; districtCode: string; contactName?: string } & (
  { industry: string } | { providerKind: string }
)

/**
 * Fills in and sends the application form (/orgs/new, after `register`), with a valid
 * USCC of `districtCode`: an enterprise's industry by code, a provider's kind by its label.
 */
export async function applyForOrg(page: Page, org: Application) {
  if ('providerKind' in org) await page.getByLabel('组织类型').selectOption('provider')
  await page.getByLabel('组织名称').fill(org.name)
  await page.getByLabel('统一社会信用代码').fill(generateUscc(() => crypto.randomInt(1e6) / 1e6, org.districtCode))
  await page.getByLabel('省份').selectOption({ label: '江苏省' })
  await page.getByLabel('城市').selectOption({ label: '扬州市' })
  await page.getByLabel('区县').selectOption({ label: org.district })
  if ('providerKind' in org) await page.getByLabel(org.providerKind).check()
  else await page.getByLabel('所属行业').selectOption(org.industry)
  if (org.contactName) await page.getByLabel('联系人').fill(org.contactName)
  await page.getByRole('button', { name: '提交入驻申请' }).click()
}

/** The 扬州 agency approves the pending application of `orgName` (signs in, and out again). */
export async function approveAsYangzhouAgency(page: Page, orgName: string) {
  await signIn(page, DEMO.agencyYangzhou, DEMO_PASSWORD)
  await gotoReady(page, `/agency/audits?q=${encodeURIComponent(orgName)}`)
  await page
    .getByRole('row', { name: new RegExp(orgName) })
    .getByRole('link')
    .click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(orgName)
  await checkA11y(page)
  await page.getByRole('button', { name: '通过审核' }).click()
  await answerConfirmDialog(page, `通过 ${orgName} 的入驻申请？`, '通过审核')
  await expect(page.getByText(`已通过 ${orgName} 的入驻申请。`)).toBeVisible()
  await checkA11y(page)
  await signOut(page)
}

/**
 * A new organisation made through the pages, as its people would: a person registers and
 * applies for it, the 扬州 agency approves it. Everyone is signed out at the end.
 */
export async function verifiedOrgThroughPages(
  page: Page,
  who: { person: string; phone: string; password: string },
  application: Application,
) {
  await register(page, who.person, who.phone, who.password)
  await applyForOrg(page, application)
  await expect(page.locator('.badge', { hasText: '待审核' })).toBeVisible()
  await checkA11y(page)
  await signOut(page)
  await approveAsYangzhouAgency(page, application.name)
}

/** Switches the interface language with the footer's form, as a reader would. */
export async function chooseLanguage(page: Page, lang: 'en' | 'zh-CN') {
  await page.locator('#lang-select').selectOption(lang)
  await page.locator('.lang-form button[type="submit"]').click()
  await expect(page.locator('html')).toHaveAttribute('lang', lang)
}

/**
 * Interface text in Chinese (Han characters, CJK or full-width punctuation) on the page
 * as it is now, outside what is marked as data: `data-i18n-data` (database text such as
 * names, titles, reference data, which stays as entered) and elements whose `lang` says
 * they are Chinese on purpose (the language menu's 简体中文). Text nodes, the attributes
 * people hear or see (placeholder, aria-label, title, alt, label) and the document title are read.
 */
export async function chineseOutsideData(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const chinese = /[\u3001-\u303f\u3400-\u9fff\uf900-\ufaff\uff01-\uff5e]/
    const exempt = (el: Element | null) =>
      !el || Boolean(el.closest('[data-i18n-data], [lang^="zh"], script, style, noscript, template'))
    const where = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`
    const found: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue ?? ''
      if (chinese.test(text) && !exempt(node.parentElement))
        found.push(`${where(node.parentElement!)}: ${text.trim().slice(0, 80)}`)
    }
    for (const el of document.body.querySelectorAll('*')) {
      if (exempt(el)) continue
      for (const attr of ['placeholder', 'aria-label', 'title', 'alt', 'label', 'aria-roledescription']) {
        const value = el.getAttribute(attr)
        if (value && chinese.test(value)) found.push(`${where(el)}[${attr}]: ${value.slice(0, 80)}`)
      }
    }
    // A title may carry the page's subject when its h1 is data (a need's title): the rest must be English.
    const subject = document.querySelector('h1[data-i18n-data]')?.textContent?.trim()
    const title = subject ? document.title.replace(subject, '') : document.title
    if (chinese.test(title)) found.push(`<title>: ${document.title}`)
    return found
  })
}

/**
 * An irreversible action's confirmation dialog (app/components/confirm.tsx): it is
 * open and modal, names what it acts on, starts on Cancel, passes axe; then `answer`
 * is clicked (the confirming button, named like the action, or Cancel).
 */
export async function answerConfirmDialog(page: Page, question: RegExp | string, answer: string) {
  const dialog = page.getByRole('dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('heading')).toHaveText(question)
  await expect(dialog.getByRole('button', { name: /取消|Cancel/ })).toBeFocused()
  await checkA11y(page)
  await dialog.getByRole('button', { name: answer, exact: true }).click()
  await expect(dialog).toBeHidden()
}
