import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import * as filePreviewRoute from '../../app/routes/files.$id.preview.js'
import * as fileRoute from '../../app/routes/files.$id.js'
import * as recordRoute from '../../app/routes/diagnoses.$id.records.$recordId.js'
import * as recordsRoute from '../../app/routes/diagnoses.$id.records._index.js'
import { RECORD_DATE_MARGIN_DAYS } from '../../app/domain/diagnosis/service-records.server.js'
import { call, type TestFile } from '../support/http.js'
import { auditRows, parse } from '../support/provider-world.js'
import { chinaDate, consultancy, db, insertDiagnosis, person, type Person } from '../support/diagnosis-service-world.js'

/*
 * 考勤 (issue 12): the project's provider records site visits, trainings and briefings
 * with photos; everyone who may see the diagnosis reads them with the progress against
 * the minimums of its kind; flagged records are listed but do not count; nobody else
 * writes (403) or even sees (404).
 */

interface World {
  enterprise: Person
  enterpriseMember: Person
  provider: Person
  otherProvider: Person
  agency: Person
  agencyOther: Person
  stranger: Person
  diagnosis: number
}
let w: World

beforeAll(async () => {
  const enterprise = await person({ kind: 'enterprise', region: '321023' })
  const enterpriseMember = await person({ orgId: enterprise.orgId, role: 'member' })
  const provider = await consultancy()
  const otherProvider = await consultancy()
  const agency = await person({ kind: 'agency', region: '321000' })
  const agencyOther = await person({ kind: 'agency', region: '620000' })
  const stranger = await person({ kind: 'enterprise', region: '321023' })
  const diagnosis = await insertDiagnosis(enterprise.orgId, provider.orgId, { kind: 'workshop' })
  w = { enterprise, enterpriseMember, provider, otherProvider, agency, agencyOther, stranger, diagnosis }
})

const visitForm = (o: Record<string, string> = {}) => ({
  kind: 'site_visit',
  occurredOn: chinaDate(1),
  hours: '3.5',
  teamSize: '5',
  leader: '王建华',
  teamMembers: '李明、张伟、赵磊、孙丽',
  content: '走访冲压车间与总装线，访谈生产、设备、质量负责人，梳理设备联网与 MES 现状。',
  ...o,
})

async function png(name: string): Promise<TestFile> {
  const bytes = new Uint8Array(
    await sharp({ create: { width: 32, height: 24, channels: 3, background: '#22aa66' } })
      .png()
      .toBuffer(),
  )
  return { name, bytes, type: 'image/png' }
}

const add = (who: Person, form: Record<string, string>, photos?: TestFile[], diagnosis = w.diagnosis) =>
  call(recordsRoute, {
    method: 'POST',
    path: `/diagnoses/${diagnosis}/records`,
    params: { id: String(diagnosis) },
    form,
    cookie: who.cookie,
    ...(photos ? { files: { photos } } : {}),
  })

const list = (who: Person, diagnosis = w.diagnosis, query = '') =>
  call(recordsRoute, { path: `/diagnoses/${diagnosis}/records${query}`, params: { id: String(diagnosis) }, cookie: who.cookie })

const one = (who: Person, recordId: number, diagnosis = w.diagnosis) =>
  call(recordRoute, {
    path: `/diagnoses/${diagnosis}/records/${recordId}`,
    params: { id: String(diagnosis), recordId: String(recordId) },
    cookie: who.cookie,
  })

const post = (who: Person, recordId: number, form: Record<string, string>, photos?: TestFile[], diagnosis = w.diagnosis) =>
  call(recordRoute, {
    method: 'POST',
    path: `/diagnoses/${diagnosis}/records/${recordId}`,
    params: { id: String(diagnosis), recordId: String(recordId) },
    form,
    cookie: who.cookie,
    ...(photos ? { files: { photos } } : {}),
  })

async function latestRecordId(diagnosis = w.diagnosis): Promise<number> {
  const row = await db()
    .selectFrom('diagnosis_service_records')
    .select('id')
    .where('diagnosis_id', '=', diagnosis)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return row.id
}

describe('recording service', () => {
  it('stores a site visit in minutes with its photos, audited, and shows it to the enterprise with the progress', async () => {
    const outcome = await add(w.provider, visitForm(), [await png('现场1.png'), await png('现场2.png')])
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe(`/diagnoses/${w.diagnosis}/records`)
    const id = await latestRecordId()
    const row = await db().selectFrom('diagnosis_service_records').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ kind: 'site_visit', minutes: 210, team_size: 5, leader: '王建华', created_by: w.provider.userId })
    const files = await db()
      .selectFrom('files')
      .selectAll()
      .where('object_type', '=', 'diagnosis_service_record')
      .where('object_id', '=', id)
      .execute()
    expect(files.map((f) => [f.purpose, f.org_id])).toEqual([
      ['service_photo', w.provider.orgId],
      ['service_photo', w.provider.orgId],
    ])
    const [entry] = await auditRows('service_record.added', 'diagnosis_service_record', id)
    expect(entry).toMatchObject({ actor_user_id: w.provider.userId, region_code: '321023' })
    expect(JSON.parse(entry!.detail)).toMatchObject({ diagnosisId: w.diagnosis, minutes: 210, teamSize: 5, flags: [] })

    const page = parse(await list(w.enterprise))
    expect(page.canWrite).toBe(false)
    expect(page.side).toBe('enterprise')
    expect(page.records[0]).toMatchObject({ id, hours: '3.5', flags: [] })
    expect(page.records[0].photos).toHaveLength(2)
    const visits = page.progress.lines.find((l: { kind: string }) => l.kind === 'site_visit')
    expect(visits).toMatchObject({ counted: 1, total: 1, required: 3 })

    // The photos: the enterprise and the agency over it see them; a stranger and a visitor do not.
    const fileId = String(files[0]!.id)
    const fetchAs = (who: Person | null, route: typeof fileRoute | typeof filePreviewRoute = fileRoute) =>
      call(route, { path: `/files/${fileId}`, params: { id: fileId }, cookie: who?.cookie ?? null })
    expect((await fetchAs(w.enterprise)).status).toBe(200)
    expect((await fetchAs(w.agency)).status).toBe(200)
    expect((await fetchAs(w.provider, filePreviewRoute)).status).toBe(200)
    expect((await fetchAs(w.stranger)).status).toBe(404)
    expect((await fetchAs(w.otherProvider)).status).toBe(404)
    expect((await fetchAs(w.agencyOther)).status).toBe(404)
    expect((await fetchAs(null)).status).toBe(404)
  })

  it('flags a visit under 3 hours and a team under 5, lists them, and does not count them', async () => {
    const enterprise = await person({ kind: 'enterprise', region: '321023' })
    const diagnosis = await insertDiagnosis(enterprise.orgId, w.provider.orgId, { kind: 'digital_app' })
    expect((await add(w.provider, visitForm({ hours: '2.5' }), undefined, diagnosis)).status).toBe(302)
    expect((await add(w.provider, visitForm({ teamSize: '4' }), undefined, diagnosis)).status).toBe(302)
    expect((await add(w.provider, visitForm({ kind: 'training', hours: '1.5', leader: '' }), undefined, diagnosis)).status).toBe(
      302,
    )
    expect(
      (await add(w.provider, visitForm({ kind: 'briefing', hours: '1', teamSize: '2', leader: '' }), undefined, diagnosis))
        .status,
    ).toBe(302)
    let page = parse(await list(w.agency, diagnosis))
    expect(page.side).toBe('agency')
    expect(page.records.map((r: { flags: string[] }) => r.flags.join(',')).sort()).toEqual([
      '',
      'short_training',
      'short_visit',
      'small_team',
    ])
    expect(page.progress.flagged).toBe(3)
    expect(
      page.progress.lines.map((l: { kind: string; counted: number; total: number; required: number }) => [
        l.kind,
        l.counted,
        l.total,
        l.required,
      ]),
    ).toEqual([
      ['site_visit', 0, 2, 1],
      ['training', 0, 1, 2],
      ['briefing', 1, 1, 2],
    ])
    // One proper visit meets the 数字化应用 minimum.
    expect((await add(w.provider, visitForm({ hours: '3', teamSize: '6' }), undefined, diagnosis)).status).toBe(302)
    page = parse(await list(enterprise, diagnosis))
    expect(page.progress.lines[0]).toMatchObject({ kind: 'site_visit', counted: 1, total: 3, met: true })
  })

  it('refuses bad input by field, a future date, and a date long before the project', async () => {
    const bad = await add(w.provider, { kind: 'visit', occurredOn: '2026-02-30', hours: '3.25', teamSize: '0', content: '' })
    expect(bad.status).toBe(400)
    const fields = parse(bad).fieldErrors
    expect(fields).toMatchObject({
      kind: 'records.v.kind',
      occurredOn: 'records.v.date',
      hours: 'records.v.hours',
      teamSize: 'records.v.teamSize',
      content: 'records.v.contentRequired',
    })
    const noLeader = await add(w.provider, visitForm({ leader: '' }))
    expect(parse(noLeader).fieldErrors).toEqual({ leader: 'records.v.leaderRequired' })
    const future = await add(w.provider, visitForm({ occurredOn: chinaDate(-2) }))
    expect(future.status).toBe(400)
    expect(parse(future).fieldErrors).toEqual({ occurredOn: 'records.v.dateFuture' })
    // The project was created 10 days ago: RECORD_DATE_MARGIN_DAYS before that is the limit.
    const early = await add(w.provider, visitForm({ occurredOn: chinaDate(10 + RECORD_DATE_MARGIN_DAYS + 2) }))
    // The field's message carries the date it names (messageRef), as the form's does.
    expect(parse(early).fieldErrors).toEqual({
      occurredOn: `records.v.dateTooEarly?date=${chinaDate(10 + RECORD_DATE_MARGIN_DAYS)}`,
    })
    expect((await add(w.provider, visitForm({ occurredOn: chinaDate(10 + RECORD_DATE_MARGIN_DAYS - 2) }))).status).toBe(302)
  })

  it('refuses more than 9 photos on a record, and a file that is not an image', async () => {
    const many = await Promise.all(Array.from({ length: 10 }, (_, i) => png(`p${i}.png`)))
    const tooMany = await add(w.provider, visitForm(), many)
    expect(tooMany.status).toBe(413)
    const pdf = await add(w.provider, visitForm(), [{ name: 'a.png', bytes: new TextEncoder().encode('%PDF-1.4 not an image') }])
    expect(pdf.status).toBe(415)
    expect(parse(pdf).fieldErrors).toEqual({ photos: 'files.e.unsupportedType?types=JPEG%2C+PNG%2C+WebP' })
  })
})

describe('who may write', () => {
  it('only the project’s provider: the enterprise and the agency 403, another provider and strangers 404, visitors to sign in', async () => {
    expect((await add(w.enterprise, visitForm())).status).toBe(403)
    expect((await add(w.enterpriseMember, visitForm())).status).toBe(403)
    expect((await add(w.agency, visitForm())).status).toBe(403)
    expect((await add(w.otherProvider, visitForm())).status).toBe(404)
    expect((await add(w.stranger, visitForm())).status).toBe(404)
    expect((await add(w.agencyOther, visitForm())).status).toBe(404)
    const visitor = await call(recordsRoute, {
      method: 'POST',
      path: `/diagnoses/${w.diagnosis}/records`,
      params: { id: String(w.diagnosis) },
      form: visitForm(),
    })
    expect(visitor.status).toBe(302)
    expect((await list(w.stranger)).status).toBe(404)
    expect((await list(w.otherProvider)).status).toBe(404)
    expect((await list(w.agencyOther)).status).toBe(404)
    expect((await list(w.provider, 2_147_483_000)).status).toBe(404)
  })

  it('a provider that is not a consultancy, or a project not under way, may not write', async () => {
    const integrator = await consultancy({ kinds: ['integrator'] })
    const d1 = await insertDiagnosis(w.enterprise.orgId, integrator.orgId)
    const refused = await add(integrator, visitForm(), undefined, d1)
    expect(refused.status).toBe(403)
    expect(refused.body).toBe('records.e.notConsultancy')
    const proposed = await insertDiagnosis((await person({ kind: 'enterprise' })).orgId, w.provider.orgId, { status: 'proposed' })
    const early = await add(w.provider, visitForm(), undefined, proposed)
    expect(early.status).toBe(409)
    expect(parse(early).formError).toBe('records.e.status')
    expect(parse(await list(w.provider, proposed)).canWrite).toBe(false)
    const completed = await insertDiagnosis(w.enterprise.orgId, w.provider.orgId, { status: 'completed' })
    expect((await add(w.provider, visitForm(), undefined, completed)).status).toBe(302)
  })
})

describe('editing and deleting', () => {
  it('edits with the version, refuses a stale one, audits the changes; deletes with its photos', async () => {
    expect((await add(w.provider, visitForm({ hours: '4' }), [await png('a.png')])).status).toBe(302)
    const id = await latestRecordId()
    const page = parse(await one(w.provider, id))
    expect(page.canWrite).toBe(true)
    const version = page.record.updatedAt as string
    const changed = await post(w.provider, id, { intent: 'save', version, ...visitForm({ hours: '2', teamSize: '7' }) }, [
      await png('b.png'),
    ])
    expect(changed.status).toBe(302)
    const row = await db().selectFrom('diagnosis_service_records').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ minutes: 120, team_size: 7 })
    const [entry] = await auditRows('service_record.updated', 'diagnosis_service_record', id)
    expect(JSON.parse(entry!.detail)).toMatchObject({
      changes: { minutes: [240, 120], team_size: [5, 7] },
      photosAdded: ['b.png'],
    })
    expect(parse(await one(w.enterprise, id)).record.flags).toEqual(['short_visit'])

    const stale = await post(w.provider, id, { intent: 'save', version, ...visitForm() })
    expect(stale.status).toBe(409)
    expect(parse(stale).formError).toBe('records.e.stale')

    // Others read the record but cannot change it.
    expect(parse(await one(w.agency, id)).canWrite).toBe(false)
    expect((await post(w.enterprise, id, { intent: 'delete' })).status).toBe(403)
    expect((await post(w.otherProvider, id, { intent: 'delete' })).status).toBe(404)
    expect((await one(w.stranger, id)).status).toBe(404)
    // A record of another diagnosis is not found under this one.
    const other = await insertDiagnosis((await person({ kind: 'enterprise' })).orgId, w.provider.orgId)
    expect((await one(w.provider, id, other)).status).toBe(404)

    // Asked first: nothing deleted.
    expect((await post(w.provider, id, { intent: 'delete', _confirm: 'ask' })).status).toBe(200)
    expect(await db().selectFrom('diagnosis_service_records').select('id').where('id', '=', id).executeTakeFirst()).toBeDefined()
    const gone = await post(w.provider, id, { intent: 'delete' })
    expect(gone.status).toBe(302)
    expect(gone.location).toBe(`/diagnoses/${w.diagnosis}/records`)
    expect(
      await db().selectFrom('diagnosis_service_records').select('id').where('id', '=', id).executeTakeFirst(),
    ).toBeUndefined()
    const files = await db()
      .selectFrom('files')
      .select('id')
      .where('object_type', '=', 'diagnosis_service_record')
      .where('object_id', '=', id)
      .execute()
    expect(files).toEqual([])
    expect(await auditRows('service_record.removed', 'diagnosis_service_record', id)).toHaveLength(1)
  })

  it('removes one photo', async () => {
    expect((await add(w.provider, visitForm(), [await png('x.png'), await png('y.png')])).status).toBe(302)
    const id = await latestRecordId()
    const photos = parse(await one(w.provider, id)).record.photos as { id: number }[]
    expect((await post(w.provider, id, { intent: 'removePhoto', fileId: String(photos[0]!.id) })).status).toBe(302)
    expect(parse(await one(w.provider, id)).record.photos).toHaveLength(1)
  })
})

describe('a long list', () => {
  it('pages by 50, newest first', async () => {
    const enterprise = await person({ kind: 'enterprise' })
    const diagnosis = await insertDiagnosis(enterprise.orgId, w.provider.orgId, { kind: 'factory' })
    const now = new Date().toISOString()
    await db()
      .insertInto('diagnosis_service_records')
      .values(
        Array.from({ length: 55 }, (_, i) => ({
          diagnosis_id: diagnosis,
          kind: 'briefing' as const,
          occurred_on: chinaDate(i % 20),
          minutes: 60,
          team_size: 2,
          content: `汇报 ${i}`,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute()
    const first = parse(await list(enterprise, diagnosis))
    expect(first).toMatchObject({ total: 55, page: 1, pageCount: 2 })
    expect(first.records).toHaveLength(50)
    expect(first.records[0].occurredOn >= first.records[49].occurredOn).toBe(true)
    const second = parse(await list(enterprise, diagnosis, '?page=2'))
    expect(second.records).toHaveLength(5)
  })
})
