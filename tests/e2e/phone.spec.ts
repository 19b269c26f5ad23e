import crypto from 'node:crypto'
import {
  answerConfirmDialog,
  applyForOrg,
  checkA11y,
  chooseLanguage,
  DEMO,
  DEMO_PASSWORD,
  expect,
  freshPhone,
  gotoReady,
  pageWidth,
  register,
  signIn,
  signOut,
  test,
} from './support.js'

/* A phone (390 px wide): nothing may need horizontal scrolling, and what matters comes first. */
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })

test('on a phone the hall shows the search box and results first; the filters open as a panel', async ({ page }) => {
  await gotoReady(page, '/needs?q=%E6%95%B0%E5%AD%97%E5%8C%96')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)

  const search = page.getByRole('searchbox', { name: '关键词' })
  const panel = page.locator('details#filters')
  const summary = panel.locator('summary')
  const firstCard = page.locator('.need-card').first()
  // Folded: its controls are out of the way, and the first result is on the first screen.
  await expect(panel).not.toHaveAttribute('open')
  await expect(page.getByLabel('改造层级')).toBeHidden()
  const [searchBox, summaryBox, cardBox] = await Promise.all([
    search.boundingBox(),
    summary.boundingBox(),
    firstCard.boundingBox(),
  ])
  expect(searchBox!.y).toBeLessThan(summaryBox!.y)
  expect(summaryBox!.y).toBeLessThan(cardBox!.y)
  expect(cardBox!.y).toBeLessThan(844)

  // The panel opens from the keyboard.
  await summary.focus()
  await page.keyboard.press('Enter')
  await expect(panel).toHaveAttribute('open')
  await expect(page.getByLabel('改造层级')).toBeVisible()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)

  await page.getByLabel('改造层级').selectOption('smart_factory')
  await page.getByRole('button', { name: '应用筛选' }).click()
  await expect(page).toHaveURL(/level=smart_factory/)
  // Focus goes to the results heading, which gives the count (a live region too).
  const heading = page.locator('#results-title')
  await expect(heading).toBeFocused()
  await expect(heading).toHaveText(/共 [\d,]+ 条需求/)
  // After applying, the panel folds again and says how many filters are on.
  await expect(panel).not.toHaveAttribute('open')
  await expect(summary).toHaveText('筛选条件（已选 1 项）')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)

  // Another page of results: focus goes to the new results too.
  const next = page.getByRole('link', { name: '下一页' })
  if (await next.count()) {
    await next.click()
    await expect(page).toHaveURL(/page=2/)
    await expect(heading).toBeFocused()
  }
})

test('the home search placeholder fits a phone, in Chinese and in English', async ({ page }) => {
  const fits = () =>
    page.locator('#home-q').evaluate((input: HTMLInputElement) => {
      const style = getComputedStyle(input)
      const context = document.createElement('canvas').getContext('2d')!
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
      return { text: input.placeholder, width: Math.ceil(context.measureText(input.placeholder).width), room }
    })
  await gotoReady(page, '/')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  const zh = await fits()
  expect(zh.width, zh.text).toBeLessThanOrEqual(zh.room)
  await chooseLanguage(page, 'en')
  await checkA11y(page)
  const en = await fits()
  expect(en.width, en.text).toBeLessThanOrEqual(en.room)
})

test('on a phone the audit log reads as sentences, with the raw record behind a toggle', async ({ page }) => {
  await signIn(page, DEMO.agencyYangzhou, DEMO_PASSWORD)

  await gotoReady(page, '/agency/audit-log')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  const rows = page.locator('table.data tbody tr')
  const first = rows.first()
  // Who did what, in words: no `user:6`, no `::ffff:` address, no JSON until asked for.
  await expect(first).toContainText('郑国华（扬州市工业和信息化局） 登录')
  await expect(first).not.toContainText('::ffff:')
  const visible = await first.innerText()
  expect(visible).not.toMatch(/user:\d|organisation:\d|\{"/)
  const raw = first.locator('details.audit-raw')
  await raw.locator('summary').click()
  await expect(raw.locator('pre')).toBeVisible()
  await expect(raw.locator('pre')).toContainText('"action": "auth.signed_in"')
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)

  // The agency approves the demo's pending enterprise (once per run), so the log has a decision to show.
  await gotoReady(page, '/agency/audits')
  const pending = page.locator('table.data tbody tr', { hasText: '扬州昌博化学' })
  if (await pending.count()) {
    await pending.getByRole('link').first().click()
    await expect(page.getByRole('heading', { level: 1 })).toContainText('扬州昌博化学')
    await checkA11y(page)
    await page.getByRole('button', { name: '通过审核' }).click()
    await answerConfirmDialog(page, /^通过 .*扬州昌博化学.* 的入驻申请？$/, '通过审核')
    await expect(page.getByText(/已通过 .*扬州昌博化学.* 的入驻申请/)).toBeVisible()
    await checkA11y(page)
  }

  // A decision names the applicant and links to its review page.
  await gotoReady(page, '/agency/audit-log?action=org.approved')
  const decision = rows.first()
  await expect(decision).toContainText(/郑国华（扬州市工业和信息化局） 通过了 .+ 的入驻申请/)
  const applicant = decision.locator('.audit-sentence a[href^="/agency/audits/"]')
  const name = (await applicant.innerText()).trim()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  await applicant.click()
  // A client navigation: the new page's h1 takes focus, and the title follows.
  const h1 = page.getByRole('heading', { level: 1 })
  await expect(h1).toHaveText(name)
  await expect(h1).toBeFocused()
  await expect(page).toHaveTitle(/ · 对接$/)
  await checkA11y(page)
})

test('on a phone a failed application shows the error summary in view, with focus on it', async ({ page }) => {
  await register(page, '冯工', freshPhone('137'), 'Phone-applicant-2026')
  await expect(page).toHaveURL(/\/orgs\/new$/)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await page.getByLabel('组织名称').fill(`扬州掌上智造有限公司${crypto.randomInt(1000)}`)
  await page.getByLabel('统一社会信用代码').fill('91321000MA1234567X')
  // The button is far below the first screen: the summary must come back into view.
  await page.getByRole('button', { name: '提交入驻申请' }).click()
  const summary = page.locator('.error-summary')
  await expect(summary).toBeFocused()
  await expect(summary).toBeInViewport()
  await expect(summary.locator('a[href="#uscc"]')).toBeVisible()
  await expect(summary.locator('a[href="#region-province"]')).toBeVisible()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
  // Its links lead to the fields.
  await summary.locator('a[href="#uscc"]').click()
  await expect(page.getByLabel('统一社会信用代码')).toBeInViewport()
})

test('an agency reviewer approves an application on a 390 px phone, nothing scrolling sideways', async ({ page }) => {
  // Three people sign in (scrypt at its production cost) and every page is checked with axe.
  test.setTimeout(120_000)
  const orgName = `扬州高邮掌上审核测试有限公司${crypto.randomInt(1000)}`
  await register(page, '褚工', freshPhone('139'), 'Phone-applicant-2026')
  await applyForOrg(page, { name: orgName, district: '高邮市', districtCode: '321084', industry: 'C35' })
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(orgName)
  await checkA11y(page)
  await signOut(page)

  await signIn(page, DEMO.agencyYangzhou, DEMO_PASSWORD)
  await gotoReady(page, `/agency/audits?q=${encodeURIComponent(orgName)}`)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  // The row is a card: its review link is on screen.
  const card = page.locator('table.data tbody tr', { hasText: orgName })
  const review = card.getByRole('link', { name: new RegExp(`审核 ${orgName}`) })
  await review.scrollIntoViewIfNeeded()
  const link = (await review.boundingBox())!
  expect(link.x).toBeGreaterThanOrEqual(0)
  expect(link.x + link.width).toBeLessThanOrEqual(390)
  await review.click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(orgName)
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)

  await page.getByRole('button', { name: '通过审核' }).click()
  // The dialog fits the phone too.
  const dialog = page.getByRole('dialog')
  await expect(dialog).toBeVisible()
  const box = (await dialog.boundingBox())!
  expect(box.x).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width).toBeLessThanOrEqual(390)
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await answerConfirmDialog(page, `通过 ${orgName} 的入驻申请？`, '通过审核')
  await expect(page.getByText(`已通过 ${orgName} 的入驻申请。`)).toBeVisible()
  expect(await pageWidth(page)).toBeLessThanOrEqual(390)
  await checkA11y(page)
})
