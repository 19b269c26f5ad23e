import { beforeAll, describe, expect, it } from 'vitest'
import * as fileRoute from '../../app/routes/files.$id.js'
import * as projectRoute from '../../app/routes/diagnoses.$id._index.js'
import * as editorRoute from '../../app/routes/diagnoses.$id.report.js'
import * as versionRoute from '../../app/routes/diagnoses.$id.versions.$version.js'
import * as newRoute from '../../app/routes/diagnoses.new.js'
import { call, type TestFile } from '../support/http.js'
import { auditRows, parse } from '../support/provider-world.js'
import { consultancy, db, person, type Person } from '../support/diagnosis-service-world.js'

/*
 * Diagnosis report versions (issue 12 item 2): the diagnoser edits the draft (rows
 * added and removed by submit intents, optimistic revision), submits it; the
 * enterprise's owner confirms (签字盖章: who and when) or returns it with a reason; a
 * confirmed version is read-only (every write refused); an amendment is version n+1
 * copied from it, and confirming that supersedes it. Attachments follow the version's
 * readers (the enterprise sees no draft).
 */

interface World {
  enterprise: Person
  enterpriseMember: Person
  provider: Person
  providerMember: Person
  recommended: Person
  otherProvider: Person
  stranger: Person
  agency: Person
}
let w: World

const PDF: TestFile = {
  name: '诊断附件.pdf',
  bytes: new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  type: 'application/pdf',
}

beforeAll(async () => {
  const enterprise = await person({ kind: 'enterprise', region: '321023' })
  const provider = await consultancy()
  w = {
    enterprise,
    enterpriseMember: await person({ orgId: enterprise.orgId, role: 'member' }),
    provider,
    providerMember: await person({ orgId: provider.orgId, role: 'member' }),
    recommended: await person({ kind: 'provider' }),
    otherProvider: await consultancy(),
    stranger: await person({ kind: 'enterprise', region: '321023' }),
    agency: await person({ kind: 'agency', region: '321000' }),
  }
})

const editor = (who: Person, id: number, query = '') =>
  call(editorRoute, { path: `/diagnoses/${id}/report${query}`, params: { id: String(id) }, cookie: who.cookie })
const post = (who: Person, id: number, form: Record<string, string>, files?: Record<string, TestFile>) =>
  call(editorRoute, {
    method: 'POST',
    path: `/diagnoses/${id}/report`,
    params: { id: String(id) },
    form,
    cookie: who.cookie,
    ...(files ? { files } : {}),
  })
const act = (who: Person, id: number, form: Record<string, string>) =>
  call(projectRoute, { method: 'POST', path: `/diagnoses/${id}`, params: { id: String(id) }, form, cookie: who.cookie })
const page = (who: Person, id: number) =>
  call(projectRoute, { path: `/diagnoses/${id}`, params: { id: String(id) }, cookie: who.cookie })
const versionPage = (who: Person, id: number, version: number) =>
  call(versionRoute, {
    path: `/diagnoses/${id}/versions/${version}`,
    params: { id: String(id), version: String(version) },
    cookie: who.cookie,
  })
const versionRow = (id: number, version: number) =>
  db()
    .selectFrom('diagnosis_report_versions')
    .selectAll()
    .where('diagnosis_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirstOrThrow()

async function project(owner: Person = w.enterprise): Promise<number> {
  const outcome = await call(newRoute, {
    method: 'POST',
    path: '/diagnoses/new',
    form: { intent: 'engage', providerOrgId: String(w.provider.orgId), kind: 'workshop' },
    cookie: owner.cookie,
  })
  expect(outcome.status).toBe(302)
  return Number(/\/diagnoses\/(\d+)/.exec(outcome.location ?? '')?.[1])
}

function reportForm(revision: number, o: Record<string, string> = {}): Record<string, string> {
  return {
    revision: String(revision),
    intent: 'save',
    kind: 'workshop',
    basics: '扬州某汽车零部件企业，主营冲压件与焊接总成，年产值约 3 亿元。',
    solution: '建设 MES 与设备联网平台，打通计划、生产、质量数据。',
    benchmarkPeer: '宁波某汽车零部件智能工厂',
    benchmarkNotes: '',
    maturityLevel: '2',
    w1Scenario: 'S301',
    w1Severity: 'high',
    w1Title: '排产依赖人工经验',
    w1Description: '生产计划由计划员在 Excel 中编制，插单频繁时交期难以保证。',
    w1Indicator: '计划达成率',
    w1Current: '78%',
    w1Target: '95%',
    w2Scenario: 'S401',
    w2Severity: 'medium',
    w2Title: '设备状态无法实时监测',
    w2Description: '冲压设备未联网，停机原因靠人工记录。',
    w2Indicator: '',
    w2Current: '',
    w2Target: '',
    w3Scenario: '',
    w3Severity: 'medium',
    w3Title: '',
    w3Description: '',
    w3Indicator: '',
    w3Current: '',
    w3Target: '',
    ...o,
  }
}

const revisionOf = async (id: number) => (await versionRow(id, (await latest(id)).version)).revision
const latest = async (id: number) =>
  db()
    .selectFrom('diagnosis_report_versions')
    .select(['version', 'status', 'id'])
    .where('diagnosis_id', '=', id)
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow()

describe('the draft editor', () => {
  let id: number
  beforeAll(async () => {
    id = await project()
  })

  it('is the diagnoser’s alone (members included); the enterprise and others are refused', async () => {
    expect((await editor(w.provider, id)).status).toBe(200)
    expect((await editor(w.providerMember, id)).status).toBe(200)
    expect((await editor(w.enterprise, id)).status).toBe(403)
    expect((await editor(w.agency, id)).status).toBe(403)
    expect((await editor(w.otherProvider, id)).status).toBe(404)
    expect((await post(w.enterprise, id, reportForm(1))).status).toBe(403)
  })

  it('saves weaknesses (blank rows ignored) and recommended providers; audited with the changes', async () => {
    const saved = await post(w.provider, id, reportForm(1))
    expect(saved.status).toBe(302)
    const v = await versionRow(id, 1)
    expect(v).toMatchObject({ status: 'draft', revision: 2, maturity_level: 2, benchmark_peer: '宁波某汽车零部件智能工厂' })
    const weaknesses = await db()
      .selectFrom('diagnosis_weaknesses')
      .selectAll()
      .where('version_id', '=', v.id)
      .orderBy('seq')
      .execute()
    expect(weaknesses.map((x) => [x.seq, x.scenario_code, x.severity])).toEqual([
      [1, 'S301', 'high'],
      [2, 'S401', 'medium'],
    ])
    const audit = await auditRows('report.saved', 'diagnosis_report_version', v.id)
    expect(JSON.parse(audit.at(-1)!.detail)).toMatchObject({ weaknesses: 2, changes: { maturityLevel: [null, 2] } })
  })

  it('a stale revision is a conflict (409), nothing written', async () => {
    const outcome = await post(w.provider, id, reportForm(1, { basics: '旧表单' }))
    expect(outcome.status).toBe(409)
    expect(parse(outcome).formError).toBe('diagnosis.e.stale')
    expect((await versionRow(id, 1)).basics).not.toBe('旧表单')
  })

  it('rows by intents: add a recommendation, remove a weakness row, add blank rows', async () => {
    let rev = await revisionOf(id)
    const add = await post(w.provider, id, reportForm(rev, { intent: `addRecommendation-${w.recommended.orgId}` }))
    expect(add.status).toBe(302)
    const v = await versionRow(id, 1)
    expect(
      await db().selectFrom('diagnosis_recommendations').select('provider_org_id').where('version_id', '=', v.id).execute(),
    ).toEqual([{ provider_org_id: w.recommended.orgId }])
    rev = await revisionOf(id)
    const removed = await post(
      w.provider,
      id,
      reportForm(rev, { intent: 'removeWeakness-1', r1Org: String(w.recommended.orgId), r1Note: '擅长 MES 实施' }),
    )
    expect(removed.status).toBe(302)
    const rows = await db()
      .selectFrom('diagnosis_weaknesses')
      .select(['seq', 'scenario_code'])
      .where('version_id', '=', v.id)
      .execute()
    expect(rows).toEqual([{ seq: 1, scenario_code: 'S401' }])
    expect(await db().selectFrom('diagnosis_recommendations').select('note').where('version_id', '=', v.id).execute()).toEqual([
      { note: '擅长 MES 实施' },
    ])
    rev = await revisionOf(id)
    const more = await post(w.provider, id, { ...reportForm(rev, { intent: 'addWeakness' }), blank: '1' })
    expect(more.status).toBe(302)
    expect(more.location).toContain('blank=2')
    // A non-provider or unknown organisation cannot be recommended.
    rev = await revisionOf(id)
    const bad = await post(w.provider, id, reportForm(rev, { r1Org: String(w.enterprise.orgId) }))
    expect(bad.status).toBe(400)
    expect(parse(bad).fieldErrors).toEqual({ r1Org: 'diagnosis.v.recommendation' })
  })

  it('refuses an invalid row on its fields (400) and an unknown scenario', async () => {
    const rev = await revisionOf(id)
    const outcome = await post(w.provider, id, reportForm(rev, { w1Title: '短', w2Scenario: 'S999' }))
    expect(outcome.status).toBe(400)
    expect(parse(outcome).fieldErrors).toMatchObject({ w1Title: 'diagnosis.v.weaknessTitle' })
    const unknown = await post(w.provider, id, reportForm(rev, { w2Scenario: 'S999' }))
    expect(parse(unknown).fieldErrors).toEqual({ w2Scenario: 'diagnosis.v.scenario' })
  })

  it('submitting needs the sections and a weakness', async () => {
    const rev = await revisionOf(id)
    const blank = reportForm(rev, {
      intent: 'submit',
      basics: '',
      w1Scenario: '',
      w1Title: '',
      w1Description: '',
      w1Indicator: '',
      w1Current: '',
      w1Target: '',
      w2Scenario: '',
      w2Title: '',
      w2Description: '',
    })
    const outcome = await post(w.provider, id, blank)
    expect(outcome.status).toBe(400)
    expect(parse(outcome).fieldErrors).toMatchObject({
      basics: 'diagnosis.v.basicsRequired',
      w1Title: 'diagnosis.v.weaknessRequired',
    })
    expect((await versionRow(id, 1)).status).toBe('draft')
  })

  it('attachments: the diagnoser uploads; the enterprise cannot read a draft’s file, nor may a stranger', async () => {
    const up = await post(w.provider, id, { intent: 'attach' }, { attachment: PDF })
    expect(up.status).toBe(302)
    const v = await versionRow(id, 1)
    const file = await db()
      .selectFrom('files')
      .select(['id', 'purpose'])
      .where('object_type', '=', 'diagnosis_report_version')
      .where('object_id', '=', v.id)
      .executeTakeFirstOrThrow()
    expect(file.purpose).toBe('diagnosis_attachment')
    const get = (who: Person | null) =>
      call(fileRoute, { path: `/files/${file.id}`, params: { id: String(file.id) }, cookie: who?.cookie ?? null })
    expect((await get(w.provider)).status).toBe(200)
    expect((await get(w.enterprise)).status).toBe(404)
    expect((await get(w.stranger)).status).toBe(404)
    // The enterprise cannot attach; an empty upload is refused on the field.
    expect((await post(w.enterprise, id, { intent: 'attach' }, { attachment: PDF })).status).toBe(403)
    const empty = await post(w.provider, id, { intent: 'attach' })
    expect(parse(empty).fieldErrors).toEqual({ attachment: 'diagnosis.v.attachmentRequired' })
  })
})

/** Another enterprise of the region (one live project per pair): its owner and a member. */
async function otherEnterprise(): Promise<{ owner: Person; member: Person }> {
  const owner = await person({ kind: 'enterprise', region: '321023' })
  return { owner, member: await person({ orgId: owner.orgId, role: 'member' }) }
}

describe('submit, return, confirm, read-only, amend', () => {
  let id: number
  let ent: { owner: Person; member: Person }
  beforeAll(async () => {
    ent = await otherEnterprise()
    id = await project(ent.owner)
  })

  it('the whole life of a report', async () => {
    // Submit version 1.
    expect((await post(w.provider, id, reportForm(1, { intent: 'submit' }))).status).toBe(302)
    let v1 = await versionRow(id, 1)
    expect(v1.status).toBe('submitted')
    expect(await auditRows('report.submitted', 'diagnosis_report_version', v1.id)).toHaveLength(1)
    // Submitted: the diagnoser may not write until it is answered.
    const locked = await post(w.provider, id, reportForm(v1.revision))
    expect(locked.status).toBe(409)
    expect(parse(locked).formError).toBe('diagnosis.e.notDraft')
    // The enterprise sees it now, with the confirm action for its owner only.
    expect(parse(await page(ent.owner, id)).project.actions.confirm).toBe(true)
    expect(parse(await page(ent.member, id)).project.actions.confirm).toBe(false)

    // Returned with a reason → draft again.
    const noReason = await act(ent.owner, id, { intent: 'return', version: '1', revision: String(v1.revision), reason: '' })
    expect(noReason.status).toBe(400)
    expect(parse(noReason).fieldErrors).toEqual({ reason: 'diagnosis.v.returnReason' })
    expect(
      (await act(ent.owner, id, { intent: 'return', version: '1', revision: String(v1.revision), reason: '请补充能耗数据' }))
        .status,
    ).toBe(302)
    v1 = await versionRow(id, 1)
    expect(v1).toMatchObject({ status: 'draft', return_reason: '请补充能耗数据' })
    expect(await auditRows('report.returned', 'diagnosis_report_version', v1.id)).toHaveLength(1)

    // Resubmitted; a member may not confirm; a stale revision is a conflict; the owner confirms.
    expect((await post(w.provider, id, reportForm(v1.revision, { intent: 'submit' }))).status).toBe(302)
    v1 = await versionRow(id, 1)
    expect((await act(ent.member, id, { intent: 'confirm', version: '1', revision: String(v1.revision) })).status).toBe(403)
    expect((await act(w.provider, id, { intent: 'confirm', version: '1', revision: String(v1.revision) })).status).toBe(403)
    expect((await act(ent.owner, id, { intent: 'confirm', version: '1', revision: String(v1.revision - 1) })).status).toBe(409)
    expect((await act(ent.owner, id, { intent: 'confirm', version: '1', revision: String(v1.revision) })).status).toBe(302)
    v1 = await versionRow(id, 1)
    expect(v1).toMatchObject({ status: 'confirmed', confirmed_by: ent.owner.userId })
    expect(v1.confirmed_at).not.toBeNull()
    const d = await db().selectFrom('diagnoses').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(d.status).toBe('completed')
    expect(d.completed_at).not.toBeNull()
    expect(await auditRows('report.confirmed', 'diagnosis_report_version', v1.id)).toHaveLength(1)

    // Read-only: every write to the confirmed version is refused with the read-only message.
    for (const form of [
      reportForm(v1.revision),
      reportForm(v1.revision, { intent: 'submit' }),
      reportForm(v1.revision, { intent: 'addWeakness' }),
      reportForm(v1.revision, { intent: `addRecommendation-${w.recommended.orgId}` }),
    ]) {
      const refused = await post(w.provider, id, form)
      expect(refused.status).toBe(409)
      expect(parse(refused).formError).toBe('diagnosis.e.readOnly')
    }
    const attach = await post(w.provider, id, { intent: 'attach' }, { attachment: PDF })
    expect(attach.status).toBe(409)
    expect(parse(attach).formError).toBe('diagnosis.e.readOnly')
    expect((await editor(w.provider, id)).status).toBe(409)
    for (const intent of ['confirm', 'return']) {
      const again = await act(ent.owner, id, { intent, version: '1', revision: String(v1.revision), reason: '再次操作' })
      expect(again.status).toBe(409)
      expect(parse(again).formError).toBe('diagnosis.e.readOnly')
    }
    // Cancelling a completed project is refused too.
    expect((await act(ent.owner, id, { intent: 'cancel', reason: '' })).status).toBe(409)
    expect(await versionRow(id, 1)).toMatchObject({ status: 'confirmed', revision: v1.revision })

    // The confirmed version, printed: the signature block's confirmer and time.
    const printed = parse(await versionPage(ent.owner, id, 1)).page
    expect(printed.version).toMatchObject({ status: 'confirmed', confirmedByName: expect.any(String) })
    expect(printed.toNeed).toBe(true)
    expect(printed.version.weaknesses).toHaveLength(2)
    // The project page offers 转为需求 to the enterprise (weakness ids of the confirmed version).
    const seen = parse(await page(ent.owner, id)).project
    expect(seen.actions.toNeed).toBe(true)
    expect(seen.current.weaknesses[0].id).toEqual(expect.any(Number))
    expect(parse(await page(w.provider, id)).project.actions).toMatchObject({ amend: true, edit: false, toNeed: false })

    // Amend: only the diagnoser; version 2 is a draft copied from version 1.
    expect((await act(ent.owner, id, { intent: 'amend' })).status).toBe(403)
    const amended = await act(w.provider, id, { intent: 'amend' })
    expect(amended.status).toBe(302)
    expect(amended.location).toBe(`/diagnoses/${id}/report`)
    const v2 = await versionRow(id, 2)
    expect(v2).toMatchObject({ status: 'draft', basics: v1.basics, maturity_level: 2 })
    expect(
      await db().selectFrom('diagnosis_weaknesses').select('title').where('version_id', '=', v2.id).orderBy('seq').execute(),
    ).toEqual(
      await db().selectFrom('diagnosis_weaknesses').select('title').where('version_id', '=', v1.id).orderBy('seq').execute(),
    )
    expect(await auditRows('report.amended', 'diagnosis_report_version', v2.id)).toHaveLength(1)
    // A second amendment while one is open is refused.
    expect((await act(w.provider, id, { intent: 'amend' })).status).toBe(409)
    // The enterprise still reads version 1 (no draft); the draft's version page is 404 to it.
    expect(parse(await page(ent.owner, id)).project.current.version).toBe(1)
    expect((await versionPage(ent.owner, id, 2)).status).toBe(404)
    expect((await versionPage(w.provider, id, 2)).status).toBe(200)

    // The kind is fixed once a version was confirmed.
    const kind = await post(w.provider, id, reportForm(v2.revision, { kind: 'factory' }))
    expect(kind.status).toBe(400)
    expect(parse(kind).fieldErrors).toEqual({ kind: 'diagnosis.e.kindLocked' })

    // Version 2 submitted and confirmed: version 1 is superseded, the project stays completed.
    expect(
      (await post(w.provider, id, reportForm(v2.revision, { intent: 'submit', basics: '修订后的企业基本情况' }))).status,
    ).toBe(302)
    const v2s = await versionRow(id, 2)
    expect((await act(ent.owner, id, { intent: 'confirm', version: '2', revision: String(v2s.revision) })).status).toBe(302)
    expect((await versionRow(id, 1)).status).toBe('superseded')
    expect((await versionRow(id, 2)).status).toBe('confirmed')
    const after = parse(await page(ent.owner, id)).project
    expect(after.current.version).toBe(2)
    expect(after.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'confirmed'],
      [1, 'superseded'],
    ])
    expect((await db().selectFrom('diagnoses').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe(
      'completed',
    )
  })

  it('the kind may change while nothing is confirmed, audited on the diagnosis', async () => {
    const other = await project((await otherEnterprise()).owner)
    expect((await post(w.provider, other, reportForm(1, { kind: 'factory' }))).status).toBe(302)
    expect((await db().selectFrom('diagnoses').select('kind').where('id', '=', other).executeTakeFirstOrThrow()).kind).toBe(
      'factory',
    )
    const audit = await auditRows('diagnosis.updated', 'diagnosis', other)
    expect(JSON.parse(audit[0]!.detail)).toEqual({ changes: { kind: ['workshop', 'factory'] } })
  })
})

describe('attachments of a submitted version', () => {
  it('are readable by the enterprise and agencies of the region, not by strangers', async () => {
    const ent = await otherEnterprise()
    const id = await project(ent.owner)
    expect((await post(w.provider, id, { intent: 'attach' }, { attachment: PDF })).status).toBe(302)
    expect((await post(w.provider, id, reportForm(1, { intent: 'submit' }))).status).toBe(302)
    const v = await versionRow(id, 1)
    const file = await db()
      .selectFrom('files')
      .select('id')
      .where('object_type', '=', 'diagnosis_report_version')
      .where('object_id', '=', v.id)
      .executeTakeFirstOrThrow()
    const get = (who: Person) =>
      call(fileRoute, { path: `/files/${file.id}`, params: { id: String(file.id) }, cookie: who.cookie })
    expect((await get(ent.owner)).status).toBe(200)
    expect((await get(ent.member)).status).toBe(200)
    expect((await get(w.agency)).status).toBe(200)
    expect((await get(w.stranger)).status).toBe(404)
    expect((await get(w.otherProvider)).status).toBe(404)
  })
})
