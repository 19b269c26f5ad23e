import { beforeAll, describe, expect, it } from 'vitest'
import { providerSurveySummary } from '../../app/domain/diagnosis/survey.server.js'
import * as surveyRoute from '../../app/routes/diagnoses.$id.survey.js'
import * as publicPage from '../../app/routes/providers.$id.js'
import { call } from '../support/http.js'
import { auditRows, parse } from '../support/provider-world.js'
import { consultancy, db, insertDiagnosis, insertVersion, person, type Person } from '../support/diagnosis-service-world.js'

/*
 * 服务商诊断服务满意度调查表 (seed 002): the enterprise fills it once a report version is
 * confirmed, once per project (a second or concurrent submission is a CONFLICT, never a
 * 500), read-only afterwards; an agency of the jurisdiction adds its opinion once; the
 * provider's summary gathers them.
 */

const answers = (o: Record<string, string> = {}) => ({
  intent: 'fill',
  process: 'very_good',
  analysis: 'good',
  proposal: 'good',
  competence: 'very_good',
  result: 'fair',
  overall: 'fairly_satisfied',
  comment: '诊断深入，建议可落地。',
  ...o,
})

const submit = (who: Person | null, diagnosis: number, form: Record<string, string>) =>
  call(surveyRoute, {
    method: 'POST',
    path: `/diagnoses/${diagnosis}/survey`,
    params: { id: String(diagnosis) },
    form,
    cookie: who?.cookie ?? null,
  })

const view = (who: Person, diagnosis: number) =>
  call(surveyRoute, { path: `/diagnoses/${diagnosis}/survey`, params: { id: String(diagnosis) }, cookie: who.cookie })

interface Project {
  enterprise: Person
  member: Person
  diagnosis: number
}

let provider: Person
let agency: Person
let agencyViewer: Person
let agencyOther: Person
let stranger: Person

beforeAll(async () => {
  provider = await consultancy()
  agency = await person({ kind: 'agency', region: '321000', role: 'reviewer' })
  agencyViewer = await person({ orgId: agency.orgId, role: 'viewer' })
  agencyOther = await person({ kind: 'agency', region: '620000' })
  stranger = await person({ kind: 'enterprise', region: '321023' })
})

async function project(o: { confirmed?: boolean } = {}): Promise<Project> {
  const enterprise = await person({ kind: 'enterprise', region: '321023' })
  const member = await person({ orgId: enterprise.orgId, role: 'member' })
  const diagnosis = await insertDiagnosis(enterprise.orgId, provider.orgId, { kind: 'factory' })
  if (o.confirmed !== false) await insertVersion(diagnosis, { confirmedBy: enterprise.userId })
  return { enterprise, member, diagnosis }
}

describe('filling the survey', () => {
  it('waits for a confirmed report', async () => {
    const p = await project({ confirmed: false })
    await insertVersion(p.diagnosis, { status: 'submitted' })
    const page = parse(await view(p.enterprise, p.diagnosis))
    expect(page).toMatchObject({ canFill: false, waitingFor: 'notConfirmed', survey: null })
    const refused = await submit(p.enterprise, p.diagnosis, answers())
    expect(refused.status).toBe(409)
    expect(parse(refused).formError).toBe('survey.e.notConfirmed')
  })

  it('rates the latest confirmed version, any active member may fill it, once; read-only afterwards', async () => {
    const p = await project()
    await db()
      .updateTable('diagnosis_report_versions')
      .set({ status: 'superseded' })
      .where('diagnosis_id', '=', p.diagnosis)
      .execute()
    const latest = await insertVersion(p.diagnosis, { version: 2, confirmedBy: p.enterprise.userId })
    await insertVersion(p.diagnosis, { version: 3, status: 'draft' })
    expect(parse(await view(p.member, p.diagnosis))).toMatchObject({ canFill: true, side: 'enterprise' })
    const outcome = await submit(p.member, p.diagnosis, answers())
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe(`/diagnoses/${p.diagnosis}/survey`)
    const row = await db()
      .selectFrom('diagnosis_surveys')
      .selectAll()
      .where('diagnosis_id', '=', p.diagnosis)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      version_id: latest,
      process: 'very_good',
      analysis: 'good',
      proposal: 'good',
      competence: 'very_good',
      result: 'fair',
      overall: 'fairly_satisfied',
      filled_by: p.member.userId,
      agency_at: null,
    })
    const [entry] = await auditRows('survey.filled', 'diagnosis_survey', p.diagnosis)
    expect(entry).toMatchObject({ actor_user_id: p.member.userId, region_code: '321023' })

    const again = await submit(p.enterprise, p.diagnosis, answers({ overall: 'satisfied' }))
    expect(again.status).toBe(409)
    expect(parse(again).formError).toBe('survey.e.already')
    const page = parse(await view(p.enterprise, p.diagnosis))
    expect(page.canFill).toBe(false)
    expect(page.survey).toMatchObject({
      overall: 'fairly_satisfied',
      version: 2,
      grades: { process: 'very_good', result: 'fair' },
    })
    // The provider and the agency read it too.
    expect(parse(await view(provider, p.diagnosis)).survey.overall).toBe('fairly_satisfied')
    expect(parse(await view(agency, p.diagnosis)).canReview).toBe(true)
  })

  it('two submissions at once: one is stored, the other is a CONFLICT, no 500', async () => {
    const p = await project()
    const outcomes = await Promise.all([
      submit(p.enterprise, p.diagnosis, answers({ overall: 'satisfied' })),
      submit(p.member, p.diagnosis, answers({ overall: 'dissatisfied' })),
      submit(p.enterprise, p.diagnosis, answers()),
    ])
    expect(outcomes.map((o) => o.status).sort()).toEqual([302, 409, 409])
    const rows = await db()
      .selectFrom('diagnosis_surveys')
      .select('diagnosis_id')
      .where('diagnosis_id', '=', p.diagnosis)
      .execute()
    expect(rows).toHaveLength(1)
    expect(await auditRows('survey.filled', 'diagnosis_survey', p.diagnosis)).toHaveLength(1)
  })

  it('refuses missing answers by field', async () => {
    const p = await project()
    const outcome = await submit(p.enterprise, p.diagnosis, { intent: 'fill', process: 'excellent', overall: '' })
    expect(outcome.status).toBe(400)
    expect(parse(outcome).fieldErrors).toEqual({
      process: 'survey.v.grade',
      analysis: 'survey.v.grade',
      proposal: 'survey.v.grade',
      competence: 'survey.v.grade',
      result: 'survey.v.grade',
      overall: 'survey.v.overall',
    })
  })

  it('only the enterprise fills it: the provider and the agency 403, strangers 404, visitors to sign in', async () => {
    const p = await project()
    expect((await submit(provider, p.diagnosis, answers())).status).toBe(403)
    expect((await submit(agency, p.diagnosis, answers())).status).toBe(403)
    expect((await submit(stranger, p.diagnosis, answers())).status).toBe(404)
    expect((await submit(agencyOther, p.diagnosis, answers())).status).toBe(404)
    expect((await submit(null, p.diagnosis, answers())).status).toBe(302)
    expect((await view(stranger, p.diagnosis)).status).toBe(404)
    expect((await view(agencyOther, p.diagnosis)).status).toBe(404)
    expect(parse(await view(provider, p.diagnosis))).toMatchObject({ canFill: false, survey: null })
    // An enterprise still under review (not verified) may not rate.
    await db().updateTable('organisations').set({ status: 'pending' }).where('id', '=', p.enterprise.orgId).execute()
    expect((await submit(p.enterprise, p.diagnosis, answers())).status).toBe(403)
  })
})

describe('the agency’s opinion', () => {
  it('an owner or reviewer of the jurisdiction adds it once; a viewer 403; another jurisdiction 404', async () => {
    const p = await project()
    const early = await submit(agency, p.diagnosis, { intent: 'review', opinion: '同意。' })
    expect(early.status).toBe(409)
    expect(parse(early).formError).toBe('survey.e.notFilled')
    expect((await submit(p.enterprise, p.diagnosis, answers())).status).toBe(302)

    expect((await submit(agencyViewer, p.diagnosis, { intent: 'review', opinion: '同意。' })).status).toBe(403)
    expect((await submit(agencyOther, p.diagnosis, { intent: 'review', opinion: '同意。' })).status).toBe(404)
    expect((await submit(p.enterprise, p.diagnosis, { intent: 'review', opinion: '同意。' })).status).toBe(403)
    expect((await submit(provider, p.diagnosis, { intent: 'review', opinion: '同意。' })).status).toBe(403)
    const empty = await submit(agency, p.diagnosis, { intent: 'review', opinion: '  ' })
    expect(parse(empty).fieldErrors).toEqual({ opinion: 'survey.v.opinionRequired' })

    const ok = await submit(agency, p.diagnosis, { intent: 'review', opinion: '诊断服务符合要求，同意验收。' })
    expect(ok.status).toBe(302)
    const row = await db()
      .selectFrom('diagnosis_surveys')
      .selectAll()
      .where('diagnosis_id', '=', p.diagnosis)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      agency_opinion: '诊断服务符合要求，同意验收。',
      agency_org_id: agency.orgId,
      agency_by: agency.userId,
    })
    expect(await auditRows('survey.reviewed', 'diagnosis_survey', p.diagnosis)).toHaveLength(1)
    const again = await submit(agency, p.diagnosis, { intent: 'review', opinion: '再次' })
    expect(again.status).toBe(409)
    expect(parse(again).formError).toBe('survey.e.reviewed')
    const page = parse(await view(p.enterprise, p.diagnosis))
    expect(page.survey).toMatchObject({ agencyOpinion: '诊断服务符合要求，同意验收。', agencyByName: '测试人员' })
    expect(parse(await view(agency, p.diagnosis)).canReview).toBe(false)
  })
})

describe('the provider’s summary', () => {
  it('counts the surveys, the overall verdicts and each item’s share of 很好/较好', async () => {
    const own = await consultancy()
    expect(await providerSurveySummary(db(), own.orgId)).toEqual({
      count: 0,
      overall: { satisfied: 0, fairly_satisfied: 0, dissatisfied: 0 },
      goodShare: { process: 0, analysis: 0, proposal: 0, competence: 0, result: 0 },
    })
    const fill = async (form: Record<string, string>) => {
      const enterprise = await person({ kind: 'enterprise', region: '321023' })
      const diagnosis = await insertDiagnosis(enterprise.orgId, own.orgId)
      await insertVersion(diagnosis, { confirmedBy: enterprise.userId })
      expect((await submit(enterprise, diagnosis, answers(form))).status).toBe(302)
    }
    await fill({ overall: 'satisfied', result: 'very_good' })
    await fill({ overall: 'satisfied', process: 'poor' })
    await fill({ overall: 'dissatisfied', process: 'fair', analysis: 'poor' })
    await fill({ overall: 'fairly_satisfied' })
    expect(await providerSurveySummary(db(), own.orgId)).toEqual({
      count: 4,
      overall: { satisfied: 2, fairly_satisfied: 1, dissatisfied: 1 },
      goodShare: { process: 50, analysis: 75, proposal: 100, competence: 100, result: 25 },
    })
    // On the provider's public page, for everyone.
    const page = parse(await call(publicPage, { path: `/providers/${own.orgId}`, params: { id: String(own.orgId) } }))
    expect(page.surveys).toMatchObject({ count: 4, overall: { satisfied: 2 } })
  })
})
