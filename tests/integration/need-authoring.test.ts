import { beforeAll, describe, expect, it } from 'vitest'
import { addDays, chinaDate } from '../../app/domain/needs/lifecycle.server.js'
import { ensureNeedsIndex } from '../../app/domain/needs/search-index.server.js'
import * as manageRoute from '../../app/routes/enterprise.needs.$id._index.js'
import * as editRoute from '../../app/routes/enterprise.needs.$id.edit.js'
import * as listRoute from '../../app/routes/enterprise.needs._index.js'
import * as newRoute from '../../app/routes/enterprise.needs.new.js'
import * as publicRoute from '../../app/routes/needs.$id.js'
import * as hallRoute from '../../app/routes/needs._index.js'
import { services } from '../../app/web/services.server.js'
import { call } from '../support/http.js'
import { auditRows, db, parse, person, type Person } from '../support/provider-world.js'

/*
 * Needs written by enterprises (issue 12): the form (every field, validated by field),
 * drafts and publishing, edits with their history (a stale form refused), the owner's
 * life-cycle buttons, who may do any of it, a need made from a weakness of a confirmed
 * diagnosis report, and the hall finding a need the moment it is published and losing it
 * the moment it is withdrawn.
 */

const today = chinaDate()
const deadline = addDays(today, 30)

const needForm = (overrides: Record<string, string | string[]> = {}) => ({
  intent: 'draft',
  title: '焊装车间机器人离线编程与仿真',
  description: '焊装线换型频繁，机器人示教耗时长，希望引入离线编程与虚拟调试，缩短换型时间。',
  industry: 'C36',
  'scenarios[]': ['S201', 'S305'],
  level: 'digital_workshop',
  budgetMin: '120',
  budgetMax: '260',
  expectedStart: addDays(today, 60),
  durationMonths: '8',
  region: '321003',
  acceptsMatching: '1',
  expectedResults: '换型时间缩短 40%',
  deadline,
  visibility: 'public',
  ...overrides,
})

const createNeed = (who: Person, form: Record<string, string | string[]>, query = '') =>
  call(newRoute, { method: 'POST', path: `/enterprise/needs/new${query}`, form, cookie: who.cookie })

async function created(who: Person, form = needForm()): Promise<number> {
  const outcome = await createNeed(who, form)
  expect(outcome.status, outcome.body).toBe(302)
  return Number(/\/enterprise\/needs\/(\d+)$/.exec(outcome.location ?? '')![1])
}

const manage = (who: Person, id: number, form?: Record<string, string>) =>
  call(manageRoute, {
    method: form ? 'POST' : 'GET',
    path: `/enterprise/needs/${id}`,
    params: { id: String(id) },
    form,
    cookie: who.cookie,
  })

const edit = (who: Person, id: number, form?: Record<string, string | string[]>) =>
  call(editRoute, {
    method: form ? 'POST' : 'GET',
    path: `/enterprise/needs/${id}/edit`,
    params: { id: String(id) },
    form,
    cookie: who.cookie,
  })

const needRow = (id: number) => db().selectFrom('needs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

/** Ids the hall finds for a query, as a visitor. */
async function hall(q: string): Promise<number[]> {
  const outcome = await call(hallRoute, {
    path: `/needs?q=${encodeURIComponent(q)}`,
    ip: `198.51.100.${Math.floor(Math.random() * 200)}`,
  })
  expect(outcome.status).toBe(200)
  return parse(outcome).result.items.map((i: { id: number }) => i.id)
}

/** A diagnosis of `enterprise` with one report version in `status` and one weakness; returns the ids. */
async function weaknessOf(enterprise: Person, status: 'draft' | 'submitted' | 'confirmed' | 'superseded') {
  const provider = await person({ kind: 'provider' })
  const now = new Date().toISOString()
  const diagnosis = await db()
    .insertInto('diagnoses')
    .values({
      enterprise_org_id: enterprise.orgId,
      provider_org_id: provider.orgId,
      kind: 'workshop',
      status: 'completed',
      origin: 'enterprise',
      created_at: now,
      updated_at: now,
      completed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const confirmed = status === 'confirmed' || status === 'superseded'
  const version = await db()
    .insertInto('diagnosis_report_versions')
    .values({
      diagnosis_id: diagnosis.id,
      version: 1,
      status,
      basics: '企业基本情况',
      confirmed_by: confirmed ? enterprise.userId : null,
      confirmed_at: confirmed ? now : null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const weakness = await db()
    .insertInto('diagnosis_weaknesses')
    .values({
      version_id: version.id,
      seq: 1,
      scenario_code: 'S402',
      severity: 'high',
      title: '关键设备数据无法自动采集',
      description: '冲压与注塑设备以人工抄表为主，停机原因无法追溯。',
      indicator: '设备联网率',
      current_value: '20%',
      target_value: '85%',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { diagnosisId: diagnosis.id, versionId: version.id, weaknessId: weakness.id }
}

let owner: Person
let colleague: Person

beforeAll(async () => {
  await ensureNeedsIndex(services().search)
  owner = await person({ kind: 'enterprise', region: '321003' })
  colleague = await person({ kind: 'enterprise', orgId: owner.orgId, role: 'member' })
})

describe('the need form', () => {
  it('names every missing field by its key', async () => {
    const outcome = await createNeed(owner, { intent: 'draft', visibility: '' })
    expect(outcome.status).toBe(400)
    const { fieldErrors, code } = parse(outcome)
    expect(code).toBe('VALIDATION')
    expect(fieldErrors).toMatchObject({
      title: 'needs.v.title',
      description: 'needs.v.description',
      industry: 'needs.v.industry',
      'scenarios[]': 'needs.v.scenarios',
      level: 'needs.v.level',
      budgetMin: 'needs.v.budgetMin',
      budgetMax: 'needs.v.budgetMax',
      expectedStart: 'needs.v.expectedStart',
      durationMonths: 'needs.v.duration',
      region: 'needs.v.region',
      visibility: 'needs.v.visibility',
    })
  })

  it('checks ranges, order, codes and dates', async () => {
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ title: '短' }, 'title', 'needs.v.title'],
      [{ title: '长'.repeat(81) }, 'title', 'needs.v.titleTooLong'],
      [{ description: '述'.repeat(5001) }, 'description', 'needs.v.descriptionTooLong'],
      [{ budgetMin: '500', budgetMax: '100' }, 'budgetMax', 'needs.v.budgetOrder'],
      [{ budgetMax: '99999999' }, 'budgetMax', 'needs.v.budgetRange'],
      [{ durationMonths: '61' }, 'durationMonths', 'needs.v.duration'],
      [{ 'scenarios[]': ['S201', 'S202', 'S203', 'S204', 'S205', 'S206'] }, 'scenarios[]', 'needs.v.scenariosTooMany'],
      [{ 'scenarios[]': ['S999'] }, 'scenarios[]', 'needs.v.scenarios'],
      [{ industry: 'C99' }, 'industry', 'needs.v.industry'],
      [{ region: '999999' }, 'region', 'needs.v.region'],
      [{ level: 'moon_base' }, 'level', 'needs.v.level'],
      [{ expectedStart: '2027-02-30' }, 'expectedStart', 'needs.v.date'],
      [{ expectedStart: addDays(today, 6 * 366) }, 'expectedStart', 'needs.v.expectedStartFar'],
      [{ deadline: addDays(today, -1) }, 'deadline', 'needs.v.deadlinePast'],
      [{ deadline: addDays(today, 400) }, 'deadline', 'needs.v.deadlineFar'],
      [{ intent: 'publish', deadline: '' }, 'deadline', 'needs.v.deadlineRequired'],
    ]
    for (const [overrides, field, key] of cases) {
      const outcome = await createNeed(owner, needForm(overrides))
      expect(outcome.status, JSON.stringify(overrides)).toBe(400)
      expect(parse(outcome).fieldErrors[field], JSON.stringify(overrides)).toBe(key)
    }
  })

  it('answers a failure with the fields as sent, so a page without scripts shows them again', async () => {
    const outcome = await createNeed(owner, needForm({ title: '短', 'scenarios[]': ['S201'] }))
    expect(outcome.status).toBe(400)
    expect(parse(outcome).values).toMatchObject({ title: '短', budgetMin: '120', 'scenarios[]': ['S201'], visibility: 'public' })
  })

  it('offers the enterprise industry and region by default', async () => {
    const outcome = await call(newRoute, { path: '/enterprise/needs/new', cookie: owner.cookie })
    expect(outcome.status).toBe(200)
    const { form } = parse(outcome)
    expect(form.values).toMatchObject({ industry: 'C34', region: '321003', visibility: 'public', acceptsMatching: true })
    expect(form.source).toBeNull()
    expect(form.choices.regions.initial.codes).toEqual(['320000', '321000', '321003'])
  })
})

describe('drafts, publishing and the hall', () => {
  it('keeps a draft out of the hall, publishes it into the hall at once, and withdraws it out at once', async () => {
    const id = await created(
      owner,
      needForm({ title: '涂装车间能源精细化计量', description: '涂装烘干炉能耗高，缺少分项计量手段，计划建设能源管控平台。' }),
    )
    expect(await needRow(id)).toMatchObject({ status: 'draft', published_at: null, revision: 1, org_id: owner.orgId })
    expect(await auditRows('need.created', 'need', id)).toHaveLength(1)
    expect(await hall('烘干炉')).not.toContain(id)

    const published = await manage(owner, id, { intent: 'publish', deadline })
    expect(published.status, published.body).toBe(302)
    expect((await needRow(id)).status).toBe('published')
    expect(await auditRows('need.published', 'need', id)).toHaveLength(1)
    expect(await hall('烘干炉')).toContain(id)
    expect((await call(publicRoute, { path: `/needs/${id}`, params: { id: String(id) } })).status).toBe(200)

    const noReason = await manage(owner, id, { intent: 'withdraw', reason: '' })
    expect(noReason.status).toBe(400)
    expect(parse(noReason).fieldErrors.reason).toBe('needs.v.reason')

    const withdrawn = await manage(owner, id, { intent: 'withdraw', reason: '项目暂缓' })
    expect(withdrawn.status).toBe(302)
    expect(await needRow(id)).toMatchObject({ status: 'withdrawn', status_reason: '项目暂缓' })
    const [audit] = await auditRows('need.withdrawn', 'need', id)
    expect(JSON.parse(audit!.detail)).toMatchObject({ from: 'published', to: 'withdrawn', reason: '项目暂缓', by: 'owner' })
    expect(await hall('烘干炉')).not.toContain(id)
    expect((await call(publicRoute, { path: `/needs/${id}`, params: { id: String(id) } })).status).toBe(404)

    // Published again with a new deadline: back in the hall.
    const noDeadline = await manage(owner, id, { intent: 'republish', deadline: '' })
    expect(parse(noDeadline).fieldErrors.deadline).toBe('needs.v.deadlineRequired')
    const again = await manage(owner, id, { intent: 'republish', deadline: addDays(today, 20) })
    expect(again.status).toBe(302)
    expect(await needRow(id)).toMatchObject({ status: 'published', deadline: addDays(today, 20) })
    expect(await hall('烘干炉')).toContain(id)
  })

  it('publishes straight from the form', async () => {
    const outcome = await createNeed(owner, needForm({ intent: 'publish', title: '仓储物流AGV调度系统建设' }))
    expect(outcome.status).toBe(302)
    const id = Number(/(\d+)$/.exec(outcome.location!)![1])
    expect((await needRow(id)).status).toBe('published')
  })

  it('refuses an illegal transition with the status and the action named', async () => {
    const id = await created(owner, needForm({ intent: 'publish' }))
    const outcome = await manage(owner, id, { intent: 'close' })
    expect(outcome.status).toBe(409)
    expect(parse(outcome)).toMatchObject({
      code: 'CONFLICT',
      formError: 'needs.e.transition',
      formParams: { from: 'published', action: 'close' },
    })
    const draft = await created(owner)
    const withdraw = await manage(owner, draft, { intent: 'withdraw', reason: '不需要了' })
    expect(parse(withdraw).formParams).toEqual({ from: 'draft', action: 'withdraw' })
  })

  it('asks first without scripts: _confirm=ask checks and changes nothing', async () => {
    const id = await created(owner)
    const asked = await manage(owner, id, { intent: 'publish', deadline, _confirm: 'ask' })
    expect(asked.status).toBe(200)
    expect(parse(asked).confirm.fields).toMatchObject({ intent: 'publish', deadline })
    expect((await needRow(id)).status).toBe('draft')
  })
})

describe('edits and history', () => {
  it('records a published need’s edits field by field, shows them on its page, and refuses a stale form', async () => {
    const id = await created(owner, needForm({ intent: 'publish', title: '注塑车间MES系统建设' }))
    const form = await edit(owner, id)
    expect(form.status).toBe(200)
    const { revision, values } = parse(form).form
    expect(values).toMatchObject({ title: '注塑车间MES系统建设', budgetMin: '120', scenarios: ['S201', 'S305'] })

    const saved = await edit(
      owner,
      id,
      needForm({ intent: 'save', title: '注塑车间MES与质量追溯系统', budgetMax: '300', revision: String(revision) }),
    )
    expect(saved.status, saved.body).toBe(302)
    expect(await needRow(id)).toMatchObject({ title: '注塑车间MES与质量追溯系统', budget_max_wan: 300, revision: revision + 1 })
    const [audit] = await auditRows('need.updated', 'need', id)
    expect(JSON.parse(audit!.detail)).toMatchObject({
      published: true,
      changes: { title: ['注塑车间MES系统建设', '注塑车间MES与质量追溯系统'], budgetMax: [260, 300] },
    })
    expect(await hall('质量追溯')).toContain(id)

    // A colleague's form filled in before the save: refused, nothing written.
    const stale = await edit(colleague, id, needForm({ intent: 'save', title: '旧表单的标题', revision: String(revision) }))
    expect(stale.status).toBe(409)
    expect(parse(stale).formError).toBe('needs.e.stale')
    expect((await needRow(id)).title).toBe('注塑车间MES与质量追溯系统')

    const page = parse(await call(publicRoute, { path: `/needs/${id}`, params: { id: String(id) } })).need
    expect(page.history).toHaveLength(1)
    expect(page.history[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'title', before: '注塑车间MES系统建设', after: '注塑车间MES与质量追溯系统' },
        { field: 'budgetMax', before: '260', after: '300' },
      ]),
    )
    expect(page.history[0].actorName).toBeNull()
    // The owner's page holds every event.
    const own = parse(await manage(owner, id)).need
    expect(own.history.map((h: { action: string }) => h.action)).toEqual(['need.updated', 'need.published', 'need.created'])
  })

  it('keeps a draft’s edits off the public history, and refuses edits once past published', async () => {
    const id = await created(owner)
    const { revision } = parse(await edit(owner, id)).form
    const saved = await edit(owner, id, needForm({ intent: 'publish', title: '草稿里改过的标题', revision: String(revision) }))
    expect(saved.status).toBe(302)
    expect((await needRow(id)).status).toBe('published')
    expect(parse(await call(publicRoute, { path: `/needs/${id}`, params: { id: String(id) } })).need.history).toEqual([])

    await db().updateTable('needs').set({ status: 'shortlisting' }).where('id', '=', id).execute()
    const refused = await edit(owner, id)
    expect(refused.status).toBe(409)
  })

  it('saves nothing when nothing changed', async () => {
    const id = await created(owner)
    const { revision } = parse(await edit(owner, id)).form
    const same = await edit(owner, id, needForm({ revision: String(revision) }))
    expect(same.status).toBe(302)
    expect((await needRow(id)).revision).toBe(revision)
    expect(await auditRows('need.updated', 'need', id)).toHaveLength(0)
  })
})

describe('who may write needs', () => {
  it('refuses other enterprises (404), providers and enterprises not yet verified (403)', async () => {
    const id = await created(owner)
    const other = await person({ kind: 'enterprise' })
    const provider = await person({ kind: 'provider' })
    const pending = await person({ kind: 'enterprise', status: 'pending' })

    expect((await edit(other, id)).status).toBe(404)
    expect((await manage(other, id)).status).toBe(404)
    expect((await manage(other, id, { intent: 'publish', deadline })).status).toBe(404)
    expect((await edit(provider, id)).status).toBe(404)

    for (const who of [provider, pending]) {
      expect((await call(newRoute, { path: '/enterprise/needs/new', cookie: who.cookie })).status).toBe(403)
      expect((await createNeed(who, needForm())).status).toBe(403)
    }
    // A pending enterprise sees its (empty) list, told to wait for its review; a provider has none.
    const list = await call(listRoute, { path: '/enterprise/needs', cookie: pending.cookie })
    expect(list.status).toBe(200)
    expect(parse(list).needs).toMatchObject({ canPublish: false, total: 0 })
    expect((await call(listRoute, { path: '/enterprise/needs', cookie: provider.cookie })).status).toBe(403)
    expect((await call(listRoute, { path: '/enterprise/needs' })).status).toBe(302)
    expect((await needRow(id)).status).toBe('draft')
  })
})

describe('我的需求', () => {
  it('counts every status in one list, filters by status and pages', async () => {
    const me = await person({ kind: 'enterprise' })
    for (let i = 0; i < 3; i++) await created(me, needForm({ title: `草稿需求第${i + 1}条` }))
    const live = await created(me, needForm({ intent: 'publish' }))
    const outcome = await call(listRoute, { path: '/enterprise/needs', cookie: me.cookie })
    const { needs } = parse(outcome)
    expect(needs.counts).toMatchObject({ draft: 3, published: 1, withdrawn: 0 })
    expect(needs.total).toBe(4)
    expect(needs.canPublish).toBe(true)
    expect(needs.items[0]).toMatchObject({ id: live, status: 'published', deadline })
    expect(needs.items[0].actions).toEqual(['edit', 'withdraw', 'shortlist', 'award'])
    const drafts = parse(await call(listRoute, { path: '/enterprise/needs?status=draft', cookie: me.cookie })).needs
    expect(drafts.items).toHaveLength(3)
    expect(drafts.items.every((n: { status: string }) => n.status === 'draft')).toBe(true)
    const far = parse(await call(listRoute, { path: '/enterprise/needs?page=99', cookie: me.cookie })).needs
    expect(far.page).toBe(1)
  })
})

describe('a need from a diagnosis weakness', () => {
  it('prefills title, description with the indicator, scenario, industry and region; links the need; one live need per weakness', async () => {
    const { weaknessId, versionId, diagnosisId } = await weaknessOf(owner, 'confirmed')
    const page = await call(newRoute, { path: `/enterprise/needs/new?weakness=${weaknessId}`, cookie: owner.cookie })
    expect(page.status).toBe(200)
    const { form } = parse(page)
    expect(form.values).toMatchObject({
      title: '关键设备数据无法自动采集',
      scenarios: ['S402'],
      industry: 'C34',
      region: '321003',
    })
    expect(form.values.description).toContain('人工抄表')
    expect(form.values.description).toContain('设备联网率')
    expect(form.values.description).toContain('20% → ')
    expect(form.source).toMatchObject({ weaknessId, diagnosisId, version: 1, href: `/diagnoses/${diagnosisId}/versions/1` })
    expect(form.existing).toBeNull()

    const outcome = await createNeed(
      owner,
      needForm({
        intent: 'publish',
        title: form.values.title,
        'scenarios[]': form.values.scenarios,
        weakness: String(weaknessId),
      }),
    )
    expect(outcome.status, outcome.body).toBe(302)
    const id = Number(/(\d+)$/.exec(outcome.location!)![1])
    expect(await needRow(id)).toMatchObject({ source_report_id: versionId, source_weakness_id: weaknessId })
    const publicPage = parse(await call(publicRoute, { path: `/needs/${id}`, params: { id: String(id) } })).need
    expect(publicPage.source).toMatchObject({ diagnosisId, version: 1, href: null })
    expect(
      parse(await call(publicRoute, { path: `/needs/${id}`, params: { id: String(id) }, cookie: owner.cookie })).need.source.href,
    ).toBe(`/diagnoses/${diagnosisId}/versions/1`)

    // The weakness already has a live need: the page says so and links to it; a second is refused.
    const again = parse(await call(newRoute, { path: `/enterprise/needs/new?weakness=${weaknessId}`, cookie: owner.cookie })).form
    expect(again.existing).toMatchObject({ id, status: 'published' })
    const twice = await createNeed(owner, needForm({ weakness: String(weaknessId) }))
    expect(twice.status).toBe(409)
    expect(parse(twice).formError).toBe('needs.e.weaknessTaken')

    // Once withdrawn, the weakness may become a need again.
    await manage(owner, id, { intent: 'withdraw', reason: '重新梳理需求' })
    expect(
      parse(await call(newRoute, { path: `/enterprise/needs/new?weakness=${weaknessId}`, cookie: owner.cookie })).form.existing,
    ).toBeNull()
  })

  it('lets one of two simultaneous submissions of a weakness in; the other gets the same 409, never a 500', async () => {
    const { weaknessId } = await weaknessOf(owner, 'confirmed')
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => createNeed(owner, needForm({ title: '设备数据自动采集改造', weakness: String(weaknessId) }))),
    )
    expect(outcomes.map((o) => o.status).sort()).toEqual([302, 409, 409])
    for (const o of outcomes.filter((o) => o.status === 409)) expect(parse(o).formError).toBe('needs.e.weaknessTaken')
    const rows = await db().selectFrom('needs').select('id').where('source_weakness_id', '=', weaknessId).execute()
    expect(rows).toHaveLength(1)
  })

  it('takes a weakness of an amended (superseded) confirmed version too', async () => {
    const { weaknessId } = await weaknessOf(owner, 'superseded')
    expect((await call(newRoute, { path: `/enterprise/needs/new?weakness=${weaknessId}`, cookie: owner.cookie })).status).toBe(
      200,
    )
  })

  it('refuses a report not confirmed yet (409) and another enterprise’s weakness (404)', async () => {
    const submitted = await weaknessOf(owner, 'submitted')
    const page = await call(newRoute, { path: `/enterprise/needs/new?weakness=${submitted.weaknessId}`, cookie: owner.cookie })
    expect(page.status).toBe(409)
    expect(page.body).toBe('needs.e.reportNotConfirmed')
    const post = await createNeed(owner, needForm({ weakness: String(submitted.weaknessId) }))
    expect(post.status).toBe(409)
    expect(parse(post).formError).toBe('needs.e.reportNotConfirmed')

    const stranger = await person({ kind: 'enterprise' })
    const theirs = await weaknessOf(stranger, 'confirmed')
    expect(
      (await call(newRoute, { path: `/enterprise/needs/new?weakness=${theirs.weaknessId}`, cookie: owner.cookie })).status,
    ).toBe(404)
    expect((await createNeed(owner, needForm({ weakness: String(theirs.weaknessId) }))).status).toBe(404)
    expect((await call(newRoute, { path: '/enterprise/needs/new?weakness=99999999', cookie: owner.cookie })).status).toBe(404)
  })
})
