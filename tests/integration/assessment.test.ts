import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import * as indexRoute from '../../app/routes/enterprise.assessments._index.js'
import * as newRoute from '../../app/routes/enterprise.assessments.new.js'
import * as resultRoute from '../../app/routes/enterprise.assessments.$id.js'
import * as orgRoute from '../../app/routes/enterprises.$id_.assessments.js'
import { reportPrefill } from '../../app/domain/assessment/assessments.server.js'
import { enterpriseFacts } from '../../app/domain/policy/facts.server.js'
import { call } from '../support/http.js'
import { auditRows, db, parse, person } from '../support/provider-world.js'

/*
 * Self-assessments (自评估): an enterprise answers a questionnaire, the result is kept as a
 * new row (history, progress), audited; a maturity self-check writes the archive's
 * maturity level (audited as the archive's history); one submission per form; who reads
 * them (the enterprise, agencies over its region, its diagnoser; 404 for everyone else).
 */

const enterprise = (o: { orgId?: number; role?: 'owner' | 'member' } = {}) =>
  person({ kind: 'enterprise', region: '321023', ...o })

/** The form with every question answered by option `letter` (a: lowest … d: highest). */
function form(kind: 'sme_digital' | 'maturity', letter: string, overrides: Record<string, string> = {}) {
  const ids =
    kind === 'sme_digital'
      ? [
          'equipment',
          'systems',
          'security',
          'rnd',
          'production',
          'sales',
          'finance',
          'data',
          'strategy',
          'efficiency',
          'quality',
          'energy',
        ]
      : [
          'l1_plan',
          'l1_basics',
          'l2_standard',
          'l2_collect',
          'l3_integrate',
          'l3_collab',
          'l4_model',
          'l4_predict',
          'l5_innovate',
          'l5_ecosystem',
        ]
  return { kind, token: randomUUID(), ...Object.fromEntries(ids.map((id) => [`q_${id}`, letter])), ...overrides }
}

const submit = (cookie: string, body: Record<string, string>) =>
  call(newRoute, { method: 'POST', path: '/enterprise/assessments/new', form: body, cookie })
const idOf = (location: string | null) => Number(location?.split('/').pop())

describe('/enterprise/assessments', () => {
  it('shows the form of each kind; an unknown kind is a 400, a provider is refused', async () => {
    const owner = await enterprise()
    const page = await call(newRoute, { path: '/enterprise/assessments/new?kind=sme_digital', cookie: owner.cookie })
    expect(page.status).toBe(200)
    const data = parse(page)
    expect(data.questionnaire.questions).toHaveLength(12)
    expect(data.token).toMatch(/^[0-9a-f-]{36}$/)
    expect((await call(newRoute, { path: '/enterprise/assessments/new?kind=nope', cookie: owner.cookie })).status).toBe(400)
    const provider = await person({ kind: 'provider' })
    expect((await call(newRoute, { path: '/enterprise/assessments/new?kind=maturity', cookie: provider.cookie })).status).toBe(
      403,
    )
    expect((await submit(provider.cookie, form('sme_digital', 'c'))).status).toBe(403)
  })

  it('scores an SME assessment, keeps it, audits it and feeds the policy facts', async () => {
    const owner = await enterprise()
    const done = await submit(owner.cookie, form('sme_digital', 'c'))
    expect(done.status).toBe(302)
    const id = idOf(done.location)
    const row = await db().selectFrom('self_assessments').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ org_id: owner.orgId, kind: 'sme_digital', questionnaire: 'sme-digital-2024@1', level: 3 })
    expect(Number(row.score)).toBe(70)
    expect(JSON.parse(row.dimensions)).toEqual({ basics: 70, operations: 70, management: 70, results: 70 })
    const audits = await auditRows('assessment.completed', 'self_assessment', id)
    expect(audits).toHaveLength(1)
    expect(JSON.parse(audits[0]!.detail)).toMatchObject({ kind: 'sme_digital', score: 70, level: 3 })
    expect((await enterpriseFacts(db(), owner.orgId)).facts.sme_digital_level).toBe(3)

    const result = parse(
      await call(resultRoute, { path: `/enterprise/assessments/${id}`, params: { id: String(id) }, cookie: owner.cookie }),
    )
    expect(result.own).toBe(true)
    expect(result.row).toMatchObject({ score: 70, level: 3 })
    expect(result.improvements).toHaveLength(5)
    expect(result.previous).toBeNull()

    // A second one a little better: the history and progress show both, the result the change.
    const better = await submit(owner.cookie, form('sme_digital', 'd', { q_equipment: 'c' }))
    const second = parse(
      await call(resultRoute, {
        path: `/enterprise/assessments/x`,
        params: { id: String(idOf(better.location)) },
        cookie: owner.cookie,
      }),
    )
    expect(second.previous.id).toBe(id)
    expect(second.row.dimensions.basics).toBe(90)
    const index = parse(await call(indexRoute, { path: '/enterprise/assessments', cookie: owner.cookie }))
    expect(index.rows.map((r: { id: number }) => r.id)).toEqual([idOf(better.location), id])
    expect(index.progress.sme_digital.map((r: { id: number }) => r.id)).toEqual([id, idOf(better.location)])
    expect(index.progress.maturity).toEqual([])
  })

  it('names every unanswered question, refuses an unknown option, and writes nothing', async () => {
    const owner = await enterprise()
    const bad = await submit(owner.cookie, form('sme_digital', 'b', { q_equipment: '', q_systems: 'z' }))
    expect(bad.status).toBe(400)
    expect(parse(bad).fieldErrors).toEqual({ q_equipment: 'assessment.v.answer', q_systems: 'assessment.v.option' })
    const noToken = await submit(owner.cookie, form('sme_digital', 'b', { token: 'x' }))
    expect(parse(noToken).fieldErrors.token).toBe('assessment.v.token')
    const rows = await db().selectFrom('self_assessments').select('id').where('org_id', '=', owner.orgId).execute()
    expect(rows).toHaveLength(0)
  })

  it('one submission per form: the same token twice (a double click) makes one row, the second is a 409', async () => {
    const owner = await enterprise()
    const body = form('maturity', 'c')
    const [a, b] = await Promise.all([submit(owner.cookie, body), submit(owner.cookie, body)])
    expect([a.status, b.status].sort()).toEqual([302, 409])
    expect(parse(a.status === 409 ? a : b)).toMatchObject({ code: 'CONFLICT', formError: 'assessment.e.duplicate' })
    const rows = await db().selectFrom('self_assessments').select('id').where('org_id', '=', owner.orgId).execute()
    expect(rows).toHaveLength(1)
  })

  it('a maturity self-check writes the archive maturity level (audited as the archive history) unless level 1 is not met', async () => {
    const owner = await enterprise()
    // c = 80 everywhere: every level met → 5.
    const done = await submit(owner.cookie, form('maturity', 'c'))
    expect(done.status).toBe(302)
    const profile = await db()
      .selectFrom('enterprise_profiles')
      .selectAll()
      .where('org_id', '=', owner.orgId)
      .executeTakeFirstOrThrow()
    expect(profile.maturity_level).toBe(5)
    expect(profile.revision).toBe(1)
    const history = await auditRows('enterprise.profile_updated', 'enterprise_profile', owner.orgId)
    expect(JSON.parse(history[0]!.detail)).toMatchObject({ revision: 1, changes: { maturityLevel: [null, 5] } })

    // Levels 1–2 at 100, level 3 at 50 → 二级.
    const two = form('maturity', 'd', { q_l3_integrate: 'b', q_l3_collab: 'b' })
    expect((await submit(owner.cookie, two)).status).toBe(302)
    const after = await db()
      .selectFrom('enterprise_profiles')
      .selectAll()
      .where('org_id', '=', owner.orgId)
      .executeTakeFirstOrThrow()
    expect(after.maturity_level).toBe(2)
    expect(after.revision).toBe(2)

    // Level 1 not met: the row keeps level 1 (reached 0) and the archive is left alone.
    const none = await submit(owner.cookie, form('maturity', 'b'))
    const noneId = idOf(none.location)
    const r = parse(await call(resultRoute, { path: '/x', params: { id: String(noneId) }, cookie: owner.cookie }))
    expect(r.row).toMatchObject({ level: 1, reached: 0 })
    const still = await db()
      .selectFrom('enterprise_profiles')
      .select('maturity_level')
      .where('org_id', '=', owner.orgId)
      .executeTakeFirstOrThrow()
    expect(still.maturity_level).toBe(2)
    expect(await auditRows('enterprise.profile_updated', 'enterprise_profile', owner.orgId)).toHaveLength(2)
  })

  it('is read by the agencies over the enterprise and its engaged diagnoser; 404 for everyone else', async () => {
    const owner = await enterprise()
    const done = await submit(owner.cookie, form('sme_digital', 'b'))
    const id = idOf(done.location)
    const result = (cookie: string) => call(resultRoute, { path: '/x', params: { id: String(id) }, cookie })
    const history = (cookie: string) => call(orgRoute, { path: '/x', params: { id: String(owner.orgId) }, cookie })

    const city = await person({ kind: 'agency', region: '321000' })
    expect((await result(city.cookie)).status).toBe(200)
    expect(parse(await result(city.cookie)).own).toBe(false)
    const h = parse(await history(city.cookie))
    expect(h.rows).toHaveLength(1)
    expect(h.own).toBe(false)

    const elsewhere = await person({ kind: 'agency', region: '620000' })
    expect((await result(elsewhere.cookie)).status).toBe(404)
    expect((await history(elsewhere.cookie)).status).toBe(404)

    const other = await enterprise()
    expect((await result(other.cookie)).status).toBe(404)

    const provider = await person({ kind: 'provider' })
    expect((await result(provider.cookie)).status).toBe(404)
    const now = new Date().toISOString()
    await db()
      .insertInto('diagnoses')
      .values({
        enterprise_org_id: owner.orgId,
        provider_org_id: provider.orgId,
        kind: 'factory',
        status: 'active',
        origin: 'enterprise',
        created_at: now,
        updated_at: now,
      })
      .execute()
    expect((await result(provider.cookie)).status).toBe(200)
    expect((await history(provider.cookie)).status).toBe(200)
  })

  it('prefills the first diagnosis report draft from the latest assessments (nothing when there are none)', async () => {
    const owner = await enterprise()
    expect(await reportPrefill(db(), owner.orgId, 'zh-CN')).toBeNull()
    await submit(owner.cookie, form('sme_digital', 'c'))
    await submit(owner.cookie, form('maturity', 'd', { q_l3_integrate: 'a' }))
    const prefill = await reportPrefill(db(), owner.orgId, 'zh-CN')
    expect(prefill?.maturityLevel).toBe(2)
    expect(prefill?.basics).toContain('中小企业数字化水平')
    expect(prefill?.basics).toContain('70 分，三级')
    expect(prefill?.basics).toContain('二级（规范级）')
  })
})
