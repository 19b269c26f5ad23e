import { describe, expect, it } from 'vitest'
import * as pageRoute from '../../app/routes/agency.titles._index.js'
import * as titleRoute from '../../app/routes/agency.titles.$id.js'
import { removeTitle, titlesOf, titleVersion, todayInChina, updateTitle } from '../../app/domain/enterprises/archive.server.js'
import { ZTitleInput } from '../../app/domain/enterprises/schema.js'
import { addMonths } from '../../app/domain/policy/gradient.js'
import { ZReviewInput, ZTitlesQuery } from '../../app/domain/titles/schema.js'
import { getTitleDetail, getTitlesPage, reviewTitle } from '../../app/domain/titles/titles.server.js'
import {
  addDays,
  DEFAULT_VALIDITY,
  downgradeTargets,
  lastDayBefore,
  standing,
  stateBounds,
} from '../../app/domain/titles/validity.js'
import type { GradientTitle, TitleStatus } from '../../db/enums.js'
import { insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'
import { agency, db, personOf } from './matching-world.js'

/*
 * 称号管理 (issue 16 §7): the agency's view of the titles in its jurisdiction (counts, the
 * states under the region's rule set or the default, reviews due first, the filter) and
 * the review: passed extends by the validity's years from the old expiry, downgraded
 * leaves the title downgraded and gives the lower level, revoked; a second decision on
 * the same title is a 409; audited; the enterprise's owners notified; who may do what.
 */

const today = todayInChina()

async function title(
  orgId: number,
  t: GradientTitle,
  awardedOn: string,
  expiresOn: string | null,
  status: TitleStatus = 'held',
): Promise<number> {
  const row = await db()
    .insertInto('enterprise_titles')
    .values({
      org_id: orgId,
      title: t,
      awarded_on: awardedOn,
      expires_on: expiresOn,
      status,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

const expiringIn = (days: number) => addDays(today, days)
const query = (q: Record<string, string> = {}) => ZTitlesQuery.parse(q)

async function versionOf(id: number): Promise<string> {
  const r = await db()
    .selectFrom('enterprise_titles')
    .select(['id', 'title', 'scene', 'issuer', 'awarded_on', 'expires_on', 'status'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return titleVersion({
    ...r,
    awarded_on: String(r.awarded_on).slice(0, 10),
    expires_on: r.expires_on === null ? null : String(r.expires_on).slice(0, 10),
  })
}

const review = (id: number, input: Record<string, string>) => ZReviewInput.parse({ decidedOn: today, reason: '', ...input })

describe('validity bounds (pure)', () => {
  it('the SQL bounds classify every expiry as standing() does, across month ends', () => {
    for (const day of ['2026-11-30', '2027-02-28', '2028-02-29', '2027-05-31', '2027-01-01', '2027-03-31']) {
      const b = stateBounds(DEFAULT_VALIDITY, day)
      for (let d = -5; d <= 120; d += 1) {
        const expiresOn = addDays(day, d)
        const st = standing({ awardedOn: '2020-01-01', expiresOn, status: 'held' }, DEFAULT_VALIDITY, day).state
        const bySql = expiresOn <= b.expiredThrough ? 'expired' : expiresOn <= b.dueThrough ? 'review_due' : 'valid'
        expect(bySql, `${day} / ${expiresOn}`).toBe(st)
        const awardedOn = addMonths(expiresOn, -36)
        const derived = standing({ awardedOn, expiresOn: null, status: 'held' }, DEFAULT_VALIDITY, day).state
        const byAward =
          awardedOn <= b.expiredThroughAwarded ? 'expired' : awardedOn <= b.dueThroughAwarded ? 'review_due' : 'valid'
        expect(byAward, `${day} / awarded ${awardedOn}`).toBe(derived)
      }
    }
  })

  it('lastDayBefore is the latest day whose shifted date stays within the bound', () => {
    expect(lastDayBefore('2027-02-28', -3)).toBe('2027-05-31')
    expect(lastDayBefore('2027-05-31', 3)).toBe('2027-02-28')
    expect(lastDayBefore('2027-03-01', -3)).toBe('2027-06-01')
  })

  it('a title is downgraded only to a level of the ladder below it', () => {
    expect(downgradeTargets('advanced')).toEqual(['basic'])
    expect(downgradeTargets('leading')).toEqual(['basic', 'advanced', 'excellence'])
    expect(downgradeTargets('basic')).toEqual([])
    expect(downgradeTargets('excellent_scenario')).toEqual([])
  })
})

describe('the agency titles view', () => {
  it('counts, states under the Gansu rule set, reviews due first, filters, and only the jurisdiction', async () => {
    const gansu = await agency('620100', 'viewer')
    const a = await insertOrg(db(), { kind: 'enterprise', region: '620100', name: '兰州甲企业' })
    const b = await insertOrg(db(), { kind: 'enterprise', region: '620100', name: '兰州乙企业' })
    const outside = await insertOrg(db(), { kind: 'enterprise', region: '321023', name: '扬州丙企业' })
    const valid = await title(a, 'advanced', addDays(today, -400), expiringIn(400))
    const due = await title(a, 'basic', addDays(today, -1000), expiringIn(30))
    const expired = await title(b, 'excellent_scenario', addDays(today, -1200), expiringIn(-3))
    const derivedDue = await title(b, 'basic', addMonths(expiringIn(10), -36), null)
    const downgraded = await title(b, 'advanced', addDays(today, -900), expiringIn(100), 'downgraded')
    await title(outside, 'basic', addDays(today, -1000), expiringIn(20))

    const page = await getTitlesPage(db(), gansu.actor, query())
    expect(page.rules).toEqual([{ ruleSetId: 'gansu-2025-smart-factory-gradient', years: 3, reviewMonths: 3 }])
    expect(page.total).toBe(5)
    expect(page.rows.map((r) => r.id)).toEqual([derivedDue, due, expired, valid, downgraded])
    expect(page.rows.map((r) => r.state)).toEqual(['review_due', 'review_due', 'expired', 'valid', 'downgraded'])
    expect(page.rows[0]!.expiryDerived).toBe(true)
    expect(page.rows[0]!.expiresOn).toBe(expiringIn(10))
    const basic = page.counts.find((c) => c.title === 'basic')!
    expect(basic).toMatchObject({ valid: 0, reviewDue: 2, expired: 0 })
    const advanced = page.counts.find((c) => c.title === 'advanced')!
    expect(advanced).toMatchObject({ valid: 1, reviewDue: 0, downgraded: 1 })
    expect(page.mayReview).toBe(false)

    const dueOnly = await getTitlesPage(db(), gansu.actor, query({ state: 'review_due' }))
    expect(dueOnly.rows.map((r) => r.id)).toEqual([derivedDue, due])
    const advancedOnly = await getTitlesPage(db(), gansu.actor, query({ title: 'advanced', state: 'valid' }))
    expect(advancedOnly.rows.map((r) => r.id)).toEqual([valid])
    // An unknown filter value reads as "all".
    expect((await getTitlesPage(db(), gansu.actor, query({ state: 'bogus' }))).total).toBe(5)
  })

  it('a region without gradient rules uses 3 years / 3 months and says so', async () => {
    const yz = await agency('321084')
    const e = await insertOrg(db(), { kind: 'enterprise', region: '321084' })
    await title(e, 'basic', '2024-01-01', null)
    const page = await getTitlesPage(db(), yz.actor, query())
    expect(page.rules).toEqual([{ ruleSetId: null, years: 3, reviewMonths: 3 }])
    expect(page.rows[0]!.expiresOn).toBe('2027-01-01')
    expect(page.rows[0]!.reviewFrom).toBe('2026-10-01')
  })

  it('the page and the workbook answer over HTTP; an enterprise gets 403, a title outside 404', async () => {
    const gansu = await agency('620100')
    const e = await insertOrg(db(), { kind: 'enterprise', region: '321023' })
    const outsideTitle = await title(e, 'basic', '2024-01-01', '2027-01-01')
    const owner = await personOf(e)
    expect((await call(pageRoute, { path: '/agency/titles?state=review_due&page=x', cookie: gansu.cookie })).status).toBe(200)
    expect((await call(pageRoute, { path: '/agency/titles', cookie: owner.cookie })).status).toBe(403)
    const outside = await call(titleRoute, {
      path: `/agency/titles/${outsideTitle}`,
      params: { id: String(outsideTitle) },
      cookie: gansu.cookie,
    })
    expect(outside.status).toBe(404)
    const junk = await call(titleRoute, {
      method: 'POST',
      path: `/agency/titles/${outsideTitle}`,
      params: { id: String(outsideTitle) },
      cookie: gansu.cookie,
      form: { outcome: 'maybe', decidedOn: 'yesterday' },
    })
    expect(junk.status).toBe(400)
    const foreign = await call(titleRoute, {
      method: 'POST',
      path: `/agency/titles/${outsideTitle}`,
      params: { id: String(outsideTitle) },
      cookie: gansu.cookie,
      form: { outcome: 'revoked', decidedOn: today, reason: '越权撤销', version: await versionOf(outsideTitle) },
    })
    expect(foreign.status).toBe(404)
    expect(
      await db().selectFrom('enterprise_titles').select('status').where('id', '=', outsideTitle).executeTakeFirstOrThrow(),
    ).toEqual({
      status: 'held',
    })
  })
})

describe('the review', () => {
  it('passed: the expiry moves 3 years on from the old one; a second decision on the same form is a 409; audited and notified', async () => {
    const gansu = await agency('620100', 'reviewer')
    const e = await insertOrg(db(), { kind: 'enterprise', region: '620100' })
    const owner = await personOf(e)
    const old = expiringIn(40)
    const id = await title(e, 'basic', addMonths(old, -36), old)
    const version = await versionOf(id)
    const result = await reviewTitle(db(), gansu.actor, id, review(id, { outcome: 'passed', version }))
    expect(result.expiresOn).toBe(addMonths(old, 36))
    const row = await db()
      .selectFrom('enterprise_titles')
      .select(['expires_on', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect({ expires: String(row.expires_on).slice(0, 10), status: row.status }).toEqual({
      expires: addMonths(old, 36),
      status: 'held',
    })
    await expect(reviewTitle(db(), gansu.actor, id, review(id, { outcome: 'passed', version }))).rejects.toMatchObject({
      code: 'CONFLICT',
      key: 'titles.e.stale',
    })
    const reviews = await db().selectFrom('title_reviews').selectAll().where('title_id', '=', id).execute()
    expect(reviews).toHaveLength(1)
    expect(reviews[0]).toMatchObject({ outcome: 'passed', agency_org_id: gansu.orgId, decided_by: gansu.userId })
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'object_type', 'object_id'])
      .where('action', '=', 'title.reviewed')
      .where('object_id', '=', String(e))
      .execute()
    expect(audit).toEqual([{ action: 'title.reviewed', object_type: 'enterprise_title', object_id: String(e) }])
    const notices = await db()
      .selectFrom('notifications')
      .select(['kind', 'link', 'params'])
      .where('user_id', '=', owner.userId)
      .execute()
    expect(notices.map(({ kind, link }) => ({ kind, link }))).toEqual([{ kind: 'title_reviewed', link: '/enterprise/archive' }])
    // Keys, not words: the notice reads in whichever language its reader uses.
    expect(JSON.parse(notices[0]!.params)).toMatchObject({
      titleKey: 'policy.level.basic',
      outcomeKey: 'titles.notice.passed',
      date: addMonths(old, 36),
    })
  })

  it('downgraded: the title is downgraded and the enterprise holds the lower level from the decision day', async () => {
    const gansu = await agency('620100')
    const e = await insertOrg(db(), { kind: 'enterprise', region: '620100' })
    const id = await title(e, 'advanced', addDays(today, -1000), expiringIn(60))
    const version = await versionOf(id)
    await expect(
      reviewTitle(
        db(),
        gansu.actor,
        id,
        review(id, { outcome: 'downgraded', downgradedTo: 'excellence', reason: '未达标', version }),
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION' })
    const decidedOn = addDays(today, -2)
    const result = await reviewTitle(
      db(),
      gansu.actor,
      id,
      review(id, { outcome: 'downgraded', downgradedTo: 'basic', reason: '关键工序数控化率未达标', version, decidedOn }),
    )
    const rows = await db()
      .selectFrom('enterprise_titles')
      .select(['id', 'title', 'status', 'awarded_on', 'expires_on'])
      .where('org_id', '=', e)
      .orderBy('id')
      .execute()
    expect(
      rows.map((r) => [r.id, r.title, r.status, String(r.awarded_on).slice(0, 10), String(r.expires_on).slice(0, 10)]),
    ).toEqual([
      [id, 'advanced', 'downgraded', String(rows[0]!.awarded_on).slice(0, 10), expiringIn(60)],
      [result.newTitleId, 'basic', 'held', decidedOn, addMonths(decidedOn, 36)],
    ])
    await expect(
      reviewTitle(db(), gansu.actor, id, review(id, { outcome: 'revoked', reason: '再次', version })),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      key: 'titles.e.notHeld',
    })
    const detail = await getTitleDetail(db(), gansu.actor, id)
    expect(detail.state).toBe('downgraded')
    expect(detail.reviews.map((r) => [r.outcome, r.downgradedTo, r.reason])).toEqual([
      ['downgraded', 'basic', '关键工序数控化率未达标'],
    ])
    const page = await getTitlesPage(db(), gansu.actor, query())
    expect(page.reviews.map((r) => r.titleId)).toContain(id)
  })

  it('revoked needs a reason; a pass before the window is refused; a viewer may not decide; two at once: one wins', async () => {
    const gansu = await agency('620100')
    const viewer = await personOf(gansu.orgId, 'viewer')
    const e = await insertOrg(db(), { kind: 'enterprise', region: '620100' })
    const id = await title(e, 'basic', addDays(today, -30), expiringIn(1000))
    const version = await versionOf(id)
    expect(ZReviewInput.safeParse({ outcome: 'revoked', decidedOn: today, reason: '', version }).success).toBe(false)
    expect(ZReviewInput.safeParse({ outcome: 'downgraded', decidedOn: today, reason: '原因', version }).success).toBe(false)
    await expect(reviewTitle(db(), gansu.actor, id, review(id, { outcome: 'passed', version }))).rejects.toMatchObject({
      code: 'CONFLICT',
      key: 'titles.e.notDue',
    })
    await expect(
      reviewTitle(
        db(),
        gansu.actor,
        id,
        review(id, { outcome: 'revoked', reason: '弄虚作假', version, decidedOn: addDays(today, 1) }),
      ),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    await expect(
      reviewTitle(db(), viewer.actor, id, review(id, { outcome: 'revoked', reason: '弄虚作假', version })),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    const outcomes = await Promise.allSettled([
      reviewTitle(db(), gansu.actor, id, review(id, { outcome: 'revoked', reason: '弄虚作假', version })),
      reviewTitle(db(), gansu.actor, id, review(id, { outcome: 'revoked', reason: '弄虚作假', version })),
    ])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { code: 'CONFLICT' } })
    expect(await db().selectFrom('title_reviews').select('outcome').where('title_id', '=', id).execute()).toEqual([
      { outcome: 'revoked' },
    ])
  })

  it('a decided title is the agency record: the enterprise keeps only its scene and reward, cannot remove it, nor the lower title a downgrade gave', async () => {
    const gansu = await agency('620100')
    const e = await insertOrg(db(), { kind: 'enterprise', region: '620100' })
    const owner = await personOf(e)
    const old = expiringIn(30)
    const passed = await title(e, 'basic', addMonths(old, -36), old)
    await reviewTitle(db(), gansu.actor, passed, review(passed, { outcome: 'passed', version: await versionOf(passed) }))
    const downgraded = await title(e, 'advanced', addDays(today, -900), expiringIn(50))
    const { newTitleId } = await reviewTitle(
      db(),
      gansu.actor,
      downgraded,
      review(downgraded, {
        outcome: 'downgraded',
        downgradedTo: 'basic',
        reason: '未达标',
        version: await versionOf(downgraded),
      }),
    )
    const own = await title(e, 'excellent_scenario', addDays(today, -10), null)
    expect(
      await db().selectFrom('title_reviews').select('new_title_id').where('title_id', '=', downgraded).executeTakeFirstOrThrow(),
    ).toEqual({ new_title_id: newTitleId })

    const items = new Map((await titlesOf(db(), e)).map((x) => [x.id, x]))
    expect(items.get(passed)!.decision).toMatchObject({ outcome: 'passed', decidedOn: today })
    expect(items.get(downgraded)!.decision).toMatchObject({ outcome: 'downgraded' })
    expect(items.get(newTitleId!)!.decision).toMatchObject({ outcome: 'gave' })
    expect(items.get(own)!.decision).toBeNull()

    const form = (x: { title: string; awardedOn: string; expiresOn: string | null; status: string }, extra = {}) =>
      ZTitleInput.parse({ title: x.title, awardedOn: x.awardedOn, expiresOn: x.expiresOn ?? '', status: x.status, ...extra })
    const p = items.get(passed)!
    // What the decision fixed stays: each field named, nothing written.
    await expect(
      updateTitle(db(), owner.actor, passed, p.version, form(p, { expiresOn: addDays(p.expiresOn!, 1), status: 'revoked' })),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      key: 'enterprises.e.titleDecided',
      fieldErrors: { expiresOn: 'enterprises.v.titleDecidedField', status: 'enterprises.v.titleDecidedField' },
    })
    // Its reward (and a scenario's name) are still the enterprise's.
    expect(await updateTitle(db(), owner.actor, passed, p.version, form(p, { rewardWan: '30' }))).toEqual({
      changed: ['rewardWan'],
    })
    for (const id of [passed, downgraded, newTitleId!]) {
      const item = (await titlesOf(db(), e)).find((x) => x.id === id)!
      await expect(removeTitle(db(), owner.actor, id, item.version)).rejects.toMatchObject({
        code: 'CONFLICT',
        key: 'enterprises.e.titleDecidedRemove',
      })
    }
    const g = items.get(newTitleId!)!
    await expect(updateTitle(db(), owner.actor, g.id, g.version, form(g, { title: 'advanced' }))).rejects.toMatchObject({
      key: 'enterprises.e.titleDecided',
    })
    expect(
      await db().selectFrom('title_reviews').select('id').where('title_id', 'in', [passed, downgraded]).execute(),
    ).toHaveLength(2)
    // A title nobody decided on is the enterprise's own to change and remove.
    await removeTitle(db(), owner.actor, own, items.get(own)!.version)
    expect((await titlesOf(db(), e)).map((x) => x.id)).not.toContain(own)
  })

  it('an enterprise edit racing a review: one of them lands, the other is a 409, and the review stands', async () => {
    const gansu = await agency('620100')
    const e = await insertOrg(db(), { kind: 'enterprise', region: '620100' })
    const owner = await personOf(e)
    const old = expiringIn(20)
    const id = await title(e, 'basic', addMonths(old, -36), old)
    const version = await versionOf(id)
    const outcomes = await Promise.allSettled([
      reviewTitle(db(), gansu.actor, id, review(id, { outcome: 'passed', version })),
      updateTitle(
        db(),
        owner.actor,
        id,
        version,
        ZTitleInput.parse({ title: 'basic', awardedOn: addMonths(old, -36), expiresOn: addDays(old, 400) }),
      ),
    ])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { code: 'CONFLICT' } })
    const row = await db().selectFrom('enterprise_titles').select('expires_on').where('id', '=', id).executeTakeFirstOrThrow()
    const reviewed = (await db().selectFrom('title_reviews').select('id').where('title_id', '=', id).execute()).length
    // Whichever landed, the row is what it wrote: the review's new expiry, or the enterprise's.
    expect(String(row.expires_on).slice(0, 10)).toBe(reviewed ? addMonths(old, 36) : addDays(old, 400))
  })
})
