import { beforeAll, describe, expect, it } from 'vitest'
import { getNeedMatches } from '../../app/domain/matching/need-matches.server.js'
import { MATCH_FACTORS, type MatchWeights } from '../../app/domain/matching/types.js'
import { DEFAULT_WEIGHTS } from '../../app/domain/matching/weights.js'
import {
  getMatchingWeights,
  previewWeights,
  resetMatchingWeights,
  saveMatchingWeights,
} from '../../app/domain/matching/weights-admin.server.js'
import { weightsForRegion } from '../../app/domain/matching/weights.server.js'
import * as page from '../../app/routes/agency.matching.js'
import { AppError } from '../../app/utils/errors.js'
import { services } from '../../app/web/services.server.js'
import { call } from '../support/http.js'
import { agency, db, enterpriseWithNeed, fitting, indexedProviders, personOf, type Person } from './matching-world.js'

/*
 * The matching weights of an agency's region (issue 13, slice C1): the sum must be 100,
 * a stale revision is refused, the nearest region's row wins, reset, and the preview
 * shows how a need's top 10 moves.
 */

const form = (w: MatchWeights, extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(MATCH_FACTORS.map((f) => [f, String(w[f])])),
  ...extra,
})

/** Weights leaning on one factor: `factor` gets 100 − 8, every other 1. */
const leaning = (factor: keyof MatchWeights): MatchWeights =>
  Object.fromEntries(MATCH_FACTORS.map((f) => [f, f === factor ? 92 : 1])) as MatchWeights

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

const w = {} as { city: Person; province: Person; county: Person }

beforeAll(async () => {
  w.city = await agency('321000')
  w.province = await agency('320000')
  w.county = await agency('321023')
})

describe('saving the weights', () => {
  it('starts from the defaults and refuses a total other than 100 with the sum', async () => {
    const view = await getMatchingWeights(db(), w.city.actor)
    expect(view).toMatchObject({ regionCode: '321000', revision: 0, source: 'defaults', weights: DEFAULT_WEIGHTS })
    const outcome = await call(page, {
      method: 'POST',
      path: '/agency/matching',
      cookie: w.city.cookie,
      form: form({ ...DEFAULT_WEIGHTS, text: 24 }, { intent: 'save', revision: '0' }),
    })
    expect(outcome.status).toBe(400)
    const failure = JSON.parse(outcome.body)
    expect(failure.formError).toBe('matching.v.weightsSum')
    expect(failure.formParams).toEqual({ sum: 99 })
    expect(failure.fieldErrors).toEqual({ total: 'matching.v.weightsSumField' })
    const bad = await call(page, {
      method: 'POST',
      path: '/agency/matching',
      cookie: w.city.cookie,
      form: form({ ...DEFAULT_WEIGHTS }, { intent: 'save', revision: '0', text: '2.5' }),
    })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).fieldErrors).toEqual({ text: 'matching.v.weight' })
    expect(await db().selectFrom('matching_weights').selectAll().execute()).toEqual([])
  })

  it('saves on the current revision, audits before and after, and refuses a stale one (409)', async () => {
    const city = leaning('region')
    const saved = await call(page, {
      method: 'POST',
      path: '/agency/matching',
      cookie: w.city.cookie,
      form: form(city, { intent: 'save', revision: '0' }),
    })
    expect(saved.status).toBe(302)
    const view = await getMatchingWeights(db(), w.city.actor)
    expect(view).toMatchObject({ revision: 1, source: 'own', weights: city })
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'matching.weights_updated')
      .where('object_id', '=', '321000')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(audit.detail)).toEqual({ before: DEFAULT_WEIGHTS, after: city, revision: 1 })
    expect(audit.region_code).toBe('321000')

    const stale = await call(page, {
      method: 'POST',
      path: '/agency/matching',
      cookie: w.city.cookie,
      form: form(DEFAULT_WEIGHTS, { intent: 'save', revision: '0' }),
    })
    expect(stale.status).toBe(409)
    expect(JSON.parse(stale.body).formError).toBe('matching.e.weightsStale')
    // Two saves made on the same revision: one wins, the other is refused.
    const results = await Promise.allSettled([
      saveMatchingWeights(db(), w.city.actor, { weights: city, revision: 1 }),
      saveMatchingWeights(db(), w.city.actor, { weights: DEFAULT_WEIGHTS, revision: 1 }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const rejected = results.find((r) => r.status === 'rejected')!
    expect((rejected.reason as AppError).key).toBe('matching.e.weightsStale')
  })

  it('uses the nearest region’s row: county, then city, then province, else the defaults', async () => {
    const province = leaning('text')
    await saveMatchingWeights(db(), w.province.actor, { weights: province, revision: 0 })
    const city = (await getMatchingWeights(db(), w.city.actor)).weights
    expect((await weightsForRegion(db(), '321023')).regionCode).toBe('321000')
    expect((await weightsForRegion(db(), '321023')).weights).toEqual(city)
    expect((await weightsForRegion(db(), '320102')).regionCode).toBe('320000')
    expect((await weightsForRegion(db(), '620102')).regionCode).toBeNull()
    expect(await getMatchingWeights(db(), w.county.actor)).toMatchObject({ source: 'inherited', revision: 0, weights: city })

    // A need's match list is scored with its region's weights.
    const { owner, needId } = await enterpriseWithNeed({}, '321023')
    const matches = await getNeedMatches(db(), services().search, owner.actor, needId)
    expect(matches.weights).toEqual(city)
    expect(matches.weightsRegionName).toContain('扬州市')
  })

  it('resets to what applies without the row (audited), on the current revision only', async () => {
    const before = await getMatchingWeights(db(), w.city.actor)
    const stale = await refusal(resetMatchingWeights(db(), w.city.actor, { revision: before.revision - 1 }))
    expect(stale.key).toBe('matching.e.weightsStale')
    const outcome = await call(page, {
      method: 'POST',
      path: '/agency/matching',
      cookie: w.city.cookie,
      form: { intent: 'reset', revision: String(before.revision) },
    })
    expect(outcome.status).toBe(302)
    const after = await getMatchingWeights(db(), w.city.actor)
    expect(after).toMatchObject({ source: 'inherited', revision: 0, weights: leaning('text') })
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'matching.weights_reset')
      .where('object_id', '=', '321000')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(audit.detail)).toMatchObject({ before: before.weights, after: leaning('text') })
  })

  it('is for the agency’s owners and reviewers only', async () => {
    const viewer = await personOf(w.city.orgId, 'viewer')
    expect((await call(page, { path: '/agency/matching', cookie: viewer.cookie })).status).toBe(403)
    const reviewer = await personOf(w.city.orgId, 'reviewer')
    expect((await call(page, { path: '/agency/matching', cookie: reviewer.cookie })).status).toBe(200)
    const { owner } = await enterpriseWithNeed()
    expect((await call(page, { path: '/agency/matching', cookie: owner.cookie })).status).toBe(403)
  })
})

describe('previewWeights', () => {
  it('shows the top 10 under the proposed weights with each rank change', async () => {
    // Far away but a strong text and industry match, against a weak one next door.
    const [far, near] = await indexedProviders([
      fitting('南京冲压设备联网数据采集系统集成公司', {
        region: '320102',
        regions: ['320102'],
        description: '冲压车间设备联网与数据采集，设备联网平台，冲压设备数据自动采集。',
        cases: [
          {
            title: '冲压车间设备联网与数据采集',
            industry: 'C34',
            scenarios: ['S401'],
            summary: '冲压设备联网。',
            verified: true,
          },
          { title: '冲压设备数据采集平台', industry: 'C34', scenarios: ['S401'], summary: '数据采集。', verified: true },
        ],
      }),
      fitting('宝应本地自动化工作室', { region: '321023', regions: ['321023'], industries: [], description: '数据采集。' }),
    ])
    const { needId } = await enterpriseWithNeed({}, '321023')
    const defaults = await previewWeights(db(), services().search, w.city.actor, needId, { ...DEFAULT_WEIGHTS })
    const order = (rows: { orgId: number }[]) => rows.map((r) => r.orgId).filter((id) => id === far || id === near)
    expect(order(defaults.saved)).toEqual([far, near])
    expect(defaults.proposed.every((r) => r.change === 0)).toBe(true)

    const outcome = await call(page, {
      method: 'POST',
      path: '/agency/matching',
      cookie: w.city.cookie,
      form: form(leaning('region'), { intent: 'preview', revision: '0', need: String(needId) }),
    })
    expect(outcome.status).toBe(200)
    const { preview } = JSON.parse(outcome.body) as { preview: Awaited<ReturnType<typeof previewWeights>> }
    expect(preview.needId).toBe(needId)
    expect(preview.proposed.length).toBeLessThanOrEqual(10)
    expect(order(preview.proposed)).toEqual([near, far])
    const moved = preview.proposed.find((r) => r.orgId === near)!
    expect(moved.change).toBeGreaterThan(0)
    expect(moved.savedRank! - moved.rank).toBe(moved.change)
  })

  it('refuses a need outside the jurisdiction, and weights off 100', async () => {
    const { needId } = await enterpriseWithNeed({}, '620102')
    const outside = await refusal(previewWeights(db(), services().search, w.city.actor, needId, { ...DEFAULT_WEIGHTS }))
    expect(outside.fieldErrors).toEqual({ need: 'matching.v.previewNeed' })
    const { needId: inside } = await enterpriseWithNeed({}, '321023')
    const off = await refusal(previewWeights(db(), services().search, w.city.actor, inside, { ...DEFAULT_WEIGHTS, tier: 5 }))
    expect(off.key).toBe('matching.v.weightsSum')
    expect(off.params).toEqual({ sum: 101 })
  })
})
