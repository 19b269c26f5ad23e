import { beforeAll, describe, expect, it } from 'vitest'
import { withTransaction } from '../../db/transaction.js'
import {
  createTemplate,
  getTemplatePage,
  getTemplateVersion,
  markTemplateVersionInUse,
  updateTemplate,
} from '../../app/domain/providers/templates.server.js'
import { AppError } from '../../app/utils/errors.js'
import * as ownTemplates from '../../app/routes/org.templates._index.js'
import * as editTemplate from '../../app/routes/org.templates.$id.edit.js'
import * as newTemplate from '../../app/routes/org.templates.new.js'
import * as templatePage from '../../app/routes/templates.$id.js'
import * as templateList from '../../app/routes/templates._index.js'
import { call } from '../support/http.js'
import { db, org, person, templateFields, templateForm, type Person } from './templates-fixtures.js'

/*
 * Standard contract templates (issue 11 item 4): the milestone sum, versions on edit,
 * the difference of a derived template from its official base, who may write what,
 * archive and delete, the public list and page.
 */

const body = (outcome: { body: string }) => JSON.parse(outcome.body)

let agency: Person
let agencyReviewer: Person
let agencyViewer: Person
let providerA: Person
let providerAMember: Person
let providerB: Person
let enterprise: Person
let official: { templateId: number; versionId: number }

async function countTemplates(orgId: number) {
  const row = await db()
    .selectFrom('contract_templates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

async function currentVersionId(templateId: number) {
  const t = await db().selectFrom('contract_templates').selectAll().where('id', '=', templateId).executeTakeFirstOrThrow()
  const v = await db()
    .selectFrom('contract_template_versions')
    .selectAll()
    .where('template_id', '=', templateId)
    .where('version', '=', t.current_version)
    .executeTakeFirstOrThrow()
  return v.id
}

const createVia = (who: Person, form: Record<string, string | string[]>, path = '/org/templates/new') =>
  call(newTemplate, { method: 'POST', path, form, cookie: who.cookie })

const idFrom = (location: string | null) => Number(/\/templates\/(\d+)/.exec(location ?? '')?.[1])

beforeAll(async () => {
  const agencyId = await org('agency', { name: '扬州市工业和信息化局（模板测试）' })
  agency = await person(agencyId, 'owner', '郑局长')
  agencyReviewer = await person(agencyId, 'reviewer', '审核员')
  agencyViewer = await person(agencyId, 'viewer', '查看者')
  const a = await org('provider', { name: '扬州智造系统集成有限公司' })
  providerA = await person(a, 'owner', '周明')
  providerAMember = await person(a, 'member', '周明的同事')
  providerB = await person(await org('provider', { name: '兰州数智科技有限公司', region: '620102' }), 'owner', '吴倩')
  enterprise = await person(await org('enterprise'), 'owner', '陈晓东')
  const created = await createVia(agency, templateForm())
  expect(created.status).toBe(302)
  const templateId = idFrom(created.location)
  official = { templateId, versionId: await currentVersionId(templateId) }
})

describe('publishing and creating templates', () => {
  it('an agency owner’s template is official (官方范本), recorded in the audit log', async () => {
    const t = await db()
      .selectFrom('contract_templates')
      .selectAll()
      .where('id', '=', official.templateId)
      .executeTakeFirstOrThrow()
    expect(t).toMatchObject({ is_official: 1, status: 'active', current_version: 1, org_id: agency.orgId })
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'template.created')
      .where('object_id', '=', String(official.templateId))
      .executeTakeFirstOrThrow()
    expect(audit.actor_user_id).toBe(agency.userId)
    const v = await getTemplateVersion(db(), official.versionId)
    expect(v?.version.milestones.map((m) => m.percent)).toEqual([30, 40, 30])
    expect(v?.version.technicalStandards).toEqual(['GB/T 39116-2020', 'GB/T 20720'])
  })

  it('an agency reviewer publishes too; a provider’s template is never official', async () => {
    const byReviewer = await createVia(
      agencyReviewer,
      templateForm(templateFields({ title: '扬州市设备联网改造合同（示范文本）' })),
    )
    expect(byReviewer.status).toBe(302)
    const own = await createVia(providerA, templateForm(templateFields({ title: '周明的智能产线合同' }), { isOfficial: '1' }))
    expect(own.status).toBe(302)
    const row = await db()
      .selectFrom('contract_templates')
      .selectAll()
      .where('id', '=', idFrom(own.location))
      .executeTakeFirstOrThrow()
    expect(row.is_official).toBe(0)
    expect(row.org_id).toBe(providerA.orgId)
  })

  it('is refused (403) to an agency viewer, an enterprise and a visitor is sent to sign in', async () => {
    for (const who of [agencyViewer, enterprise]) {
      expect((await createVia(who, templateForm())).status).toBe(403)
      expect((await call(newTemplate, { path: '/org/templates/new', cookie: who.cookie })).status).toBe(403)
      expect((await call(ownTemplates, { path: '/org/templates', cookie: who.cookie })).status).toBe(403)
    }
    expect((await call(newTemplate, { method: 'POST', path: '/org/templates/new', form: templateForm() })).status).toBe(302)
  })
})

describe('payment milestones sum to exactly 100', () => {
  it('refuses 90 % with the sum in the message (400), writes nothing, and gives back what was sent', async () => {
    const before = await countTemplates(providerA.orgId)
    const fields = templateFields({
      milestones: [
        { name: '预付款', percent: 30, criteria: '' },
        { name: '验收款', percent: 60, criteria: '' },
      ],
    })
    const outcome = await createVia(providerA, templateForm(fields))
    expect(outcome.status).toBe(400)
    const failure = body(outcome)
    expect(failure).toMatchObject({
      formError: 'template.v.milestoneSum',
      formParams: { sum: 90 },
      fieldErrors: { milestones: 'template.v.milestoneSumField' },
    })
    expect(failure.values).toMatchObject({ ms1Name: '预付款', ms2Percent: '60' })
    expect(await countTemplates(providerA.orgId)).toBe(before)
  })

  it('refuses 110 % too, and reports the sum beside other errors in one round', async () => {
    const fields = templateFields({
      title: '短',
      milestones: [
        { name: 'A', percent: 60, criteria: '' },
        { name: 'B', percent: 50, criteria: '' },
      ],
    })
    const failure = body(await createVia(providerA, templateForm(fields)))
    expect(failure.fieldErrors).toMatchObject({ title: 'template.v.title', milestones: 'template.v.milestoneSumField' })
  })

  it('names a row’s bad percentage and a repeated name on their fields; blank rows are ignored', async () => {
    const form = templateForm(templateFields(), { ms4Name: '预付款', ms4Percent: '0', ms5Criteria: '' })
    const failure = body(await createVia(providerA, form))
    expect(failure.fieldErrors).toMatchObject({
      ms4Name: 'template.v.milestoneDuplicate',
      ms4Percent: 'template.v.milestonePercent',
    })
  })

  it('is checked by the use case itself, whatever hands it the input', async () => {
    const bad = templateFields({ milestones: [{ name: '一次付清', percent: 99, criteria: '' }] })
    const error = await createTemplate(db(), providerA.actor, bad).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({ code: 'VALIDATION', key: 'template.v.milestoneSum', params: { sum: 99 } })
  })
})

describe('versions', () => {
  async function ownTemplate(title: string) {
    const { templateId } = await createTemplate(db(), providerA.actor, templateFields({ title }))
    return templateId
  }
  const edit = (who: Person, id: number, form: Record<string, string | string[]>) =>
    call(editTemplate, {
      method: 'POST',
      path: `/org/templates/${id}/edit`,
      params: { id: String(id) },
      form,
      cookie: who.cookie,
    })

  it('an unused current version is edited in place', async () => {
    const id = await ownTemplate('在用前可直接修改的合同')
    const versionId = await currentVersionId(id)
    const outcome = await edit(
      providerAMember,
      id,
      templateForm(templateFields({ title: '在用前可直接修改的合同', constructionDays: 120 }), { baseVersion: '1' }),
    )
    expect(outcome.status).toBe(302)
    const versions = await db().selectFrom('contract_template_versions').selectAll().where('template_id', '=', id).execute()
    expect(versions).toHaveLength(1)
    expect(versions[0]).toMatchObject({ id: versionId, version: 1, construction_days: 120 })
    const audit = await db().selectFrom('audit_log').select('action').where('object_id', '=', String(id)).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['template.created', 'template.updated'])
  })

  it('a version in use stays as it was: editing makes a new current version, the old one readable as ?version=1 and by its id', async () => {
    const id = await ownTemplate('投标引用后生成新版本的合同')
    const v1 = await currentVersionId(id)
    await withTransaction(db(), async (trx) => {
      expect(await markTemplateVersionInUse(trx, v1)).toEqual({ templateId: id, version: 1 })
    })
    const changed = templateFields({ title: '投标引用后生成新版本的合同', warrantyMonths: 36 })
    const outcome = await edit(providerA, id, templateForm(changed, { baseVersion: '1' }))
    expect(outcome.status).toBe(302)
    const t = await db().selectFrom('contract_templates').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(t.current_version).toBe(2)
    expect((await getTemplateVersion(db(), v1))?.version).toMatchObject({ version: 1, warrantyMonths: 24, inUse: true })
    const page2 = body(await call(templatePage, { path: `/templates/${id}`, params: { id: String(id) } }))
    expect(page2.template.shown).toMatchObject({ version: 2, warrantyMonths: 36, inUse: false })
    const page1 = body(await call(templatePage, { path: `/templates/${id}?version=1`, params: { id: String(id) } }))
    expect(page1.template.shown).toMatchObject({ version: 1, warrantyMonths: 24 })
    expect(page1.template.versions.map((v: { version: number }) => v.version)).toEqual([2, 1])
    expect((await call(templatePage, { path: `/templates/${id}?version=9`, params: { id: String(id) } })).status).toBe(404)
    const audit = await db().selectFrom('audit_log').select('action').where('object_id', '=', String(id)).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['template.created', 'template.versioned'])

    // Version 2 is not in use: the next edit changes it in place.
    const again = await updateTemplate(db(), providerA.actor, id, { ...changed, warrantyMonths: 48 }, 2)
    expect(again).toEqual({ version: 2, newVersion: false, changed: true })
  })

  it('saving the same again changes nothing (no new version, even when in use)', async () => {
    const id = await ownTemplate('保存相同内容的合同')
    const v1 = await currentVersionId(id)
    await withTransaction(db(), (trx) => markTemplateVersionInUse(trx, v1))
    const saved = await updateTemplate(db(), providerA.actor, id, templateFields({ title: '保存相同内容的合同' }), 1)
    expect(saved).toEqual({ version: 1, newVersion: false, changed: false })
  })

  it('refuses a save over a newer version (409) and an unknown version to mark (NOT_FOUND)', async () => {
    const id = await ownTemplate('并发编辑的合同')
    const v1 = await currentVersionId(id)
    await withTransaction(db(), (trx) => markTemplateVersionInUse(trx, v1))
    await updateTemplate(db(), providerA.actor, id, templateFields({ title: '并发编辑的合同', constructionDays: 60 }), 1)
    const stale = await edit(
      providerA,
      id,
      templateForm(templateFields({ title: '并发编辑的合同', constructionDays: 70 }), { baseVersion: '1' }),
    )
    expect(stale.status).toBe(409)
    expect(body(stale).formError).toBe('template.e.stale')
    const error = await withTransaction(db(), (trx) => markTemplateVersionInUse(trx, 2_000_000_000)).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'NOT_FOUND', key: 'template.e.versionNotFound' })
  })

  it('is refused (403) to another provider, an enterprise and an agency viewer; an unknown template is 404', async () => {
    const id = await ownTemplate('只有本单位能编辑的合同')
    for (const who of [providerB, enterprise, agencyViewer]) {
      expect((await edit(who, id, templateForm(templateFields(), { baseVersion: '1' }))).status).toBe(403)
      expect(
        (await call(editTemplate, { path: `/org/templates/${id}/edit`, params: { id: String(id) }, cookie: who.cookie })).status,
      ).toBe(403)
    }
    // The agency's own viewer cannot edit its official template either.
    const officialEdit = await edit(agencyViewer, official.templateId, templateForm(templateFields(), { baseVersion: '1' }))
    expect(officialEdit.status).toBe(403)
    expect((await edit(providerA, 2_000_000_000, templateForm(templateFields(), { baseVersion: '1' }))).status).toBe(404)
    const row = await db()
      .selectFrom('contract_template_versions')
      .selectAll()
      .where('template_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.construction_days).toBe(180)
  })
})

describe('deriving from an official template', () => {
  it('prefills the form, records the base and shows what differs, field by field and item by item', async () => {
    const form = await call(newTemplate, { path: `/org/templates/new?from=${official.versionId}`, cookie: providerA.cookie })
    expect(form.status).toBe(200)
    const data = body(form)
    expect(data.base).toMatchObject({ templateId: official.templateId, isOfficial: true })
    expect(data.values).toMatchObject({ constructionDays: 180, technicalStandards: ['GB/T 39116-2020', 'GB/T 20720'] })

    const derived = templateFields({
      title: '扬州智造智能化改造合同（基于市级范本）',
      constructionDays: 150,
      technicalStandards: ['GB/T 39116-2018', 'GB/T 20720', 'GB/T 37393-2019'],
      priceModel: 'fixed',
      priceMinWan: 200,
      priceMaxWan: null,
      milestones: [
        { name: '预付款', percent: 20, criteria: '合同签订后 10 个工作日内' },
        { name: '到货款', percent: 40, criteria: '设备到货验收合格' },
        { name: '质保金', percent: 40, criteria: '质保期满' },
      ],
    })
    const created = await createVia(
      providerA,
      templateForm(derived, { from: String(official.versionId) }),
      `/org/templates/new?from=${official.versionId}`,
    )
    expect(created.status).toBe(302)
    const id = idFrom(created.location)
    const version = await db()
      .selectFrom('contract_template_versions')
      .selectAll()
      .where('template_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(version.derived_from_version_id).toBe(official.versionId)

    const page = body(await call(templatePage, { path: `/templates/${id}`, params: { id: String(id) } })).template
    expect(page.base).toMatchObject({ templateId: official.templateId, version: 1, isOfficial: true })
    const fields = page.diff.filter((d: { kind: string }) => d.kind === 'field').map((d: { field: string }) => d.field)
    expect(fields).toEqual(['constructionDays', 'price'])
    expect(page.diff).toContainEqual({ kind: 'field', field: 'constructionDays', before: '180 天', after: '150 天' })
    expect(page.diff).toContainEqual({ kind: 'standard', change: 'changed', before: 'GB/T 39116-2020', after: 'GB/T 39116-2018' })
    expect(page.diff).toContainEqual({ kind: 'standard', change: 'added', before: null, after: 'GB/T 37393-2019' })
    const milestones = page.diff.filter((d: { kind: string }) => d.kind === 'milestone')
    expect(milestones.map((m: { change: string; name: string }) => `${m.change}:${m.name}`)).toEqual([
      'changed:预付款',
      'removed:验收款',
      'added:质保金',
    ])
    // The official template itself differs from nothing.
    const officialPage = await getTemplatePage(db(), null, official.templateId, undefined)
    expect(officialPage).toMatchObject({ base: null, diff: [], canDerive: false })
    // A provider may derive from it; its owner agency may not (it is its own).
    expect((await getTemplatePage(db(), providerA.actor, official.templateId, undefined)).canDerive).toBe(true)
    expect((await getTemplatePage(db(), agency.actor, official.templateId, undefined)).canManage).toBe(true)
  })

  it('only from an official template (404 otherwise) that is not archived (409)', async () => {
    const { templateId } = await createTemplate(db(), providerB.actor, templateFields({ title: '兰州的自有合同范本' }))
    const providerVersion = await currentVersionId(templateId)
    expect(
      (await call(newTemplate, { path: `/org/templates/new?from=${providerVersion}`, cookie: providerA.cookie })).status,
    ).toBe(404)
    const error = await createTemplate(db(), providerA.actor, templateFields(), { derivedFromVersionId: providerVersion }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code: 'NOT_FOUND' })

    const archivedOfficial = await createTemplate(db(), agency.actor, templateFields({ title: '即将归档的官方范本' }))
    const archivedVersion = await currentVersionId(archivedOfficial.templateId)
    await call(ownTemplates, {
      method: 'POST',
      path: '/org/templates',
      form: { intent: 'archive', templateId: String(archivedOfficial.templateId) },
      cookie: agency.cookie,
    })
    const refused = await createVia(providerA, templateForm(templateFields(), { from: String(archivedVersion) }))
    expect(refused.status).toBe(409)
    expect(body(refused).formError).toBe('template.e.baseArchived')
  })
})

describe('archive and delete', () => {
  const act = (who: Person, intent: string, id: number, extra: Record<string, string> = {}) =>
    call(ownTemplates, {
      method: 'POST',
      path: '/org/templates',
      form: { intent, templateId: String(id), ...extra },
      cookie: who.cookie,
    })

  it('deletes an unused template (asking first without scripts), never another organisation’s', async () => {
    const { templateId } = await createTemplate(db(), providerA.actor, templateFields({ title: '将被删除的合同范本' }))
    expect((await act(providerB, 'delete', templateId)).status).toBe(403)
    const asked = await act(providerA, 'delete', templateId, { _confirm: 'ask' })
    expect(asked.status).toBe(200)
    expect(body(asked).confirm.fields).toMatchObject({ intent: 'delete', templateId: String(templateId) })
    expect(await db().selectFrom('contract_templates').select('id').where('id', '=', templateId).executeTakeFirst()).toBeDefined()
    expect((await act(providerA, 'delete', templateId)).status).toBe(302)
    expect(
      await db().selectFrom('contract_templates').select('id').where('id', '=', templateId).executeTakeFirst(),
    ).toBeUndefined()
    expect(
      await db().selectFrom('contract_template_versions').select('id').where('template_id', '=', templateId).executeTakeFirst(),
    ).toBeUndefined()
  })

  it('refuses to delete one in use or derived from (409); archived, it leaves the list but its page stays, marked', async () => {
    const { templateId } = await createTemplate(db(), providerA.actor, templateFields({ title: '被合同引用的合同范本' }))
    const v1 = await currentVersionId(templateId)
    await withTransaction(db(), (trx) => markTemplateVersionInUse(trx, v1))
    const refused = await act(providerA, 'delete', templateId)
    expect(refused.status).toBe(409)
    expect(body(refused).formError).toBe('template.e.inUseNoDelete')
    const referenced = await act(agency, 'delete', official.templateId)
    expect(referenced.status).toBe(409)
    expect(body(referenced).formError).toBe('template.e.referencedNoDelete')

    expect((await act(providerA, 'archive', templateId)).status).toBe(302)
    const list = body(await call(templateList, { path: '/templates?page=1' }))
    expect(list.items.map((i: { id: number }) => i.id)).not.toContain(templateId)
    const page = await call(templatePage, { path: `/templates/${templateId}`, params: { id: String(templateId) } })
    expect(page.status).toBe(200)
    expect(body(page).template).toMatchObject({ status: 'archived', canManage: false })
    // Archived templates are not edited; restored, they are listed again.
    const edit = await call(editTemplate, {
      method: 'POST',
      path: `/org/templates/${templateId}/edit`,
      params: { id: String(templateId) },
      form: templateForm(templateFields({ title: '被合同引用的合同范本' }), { baseVersion: '1' }),
      cookie: providerA.cookie,
    })
    expect(edit.status).toBe(409)
    expect((await act(providerA, 'restore', templateId)).status).toBe(302)
    const actions = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', String(templateId))
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action)).toEqual(['template.created', 'template.archived', 'template.restored'])
  })
})

describe('the public list and page', () => {
  it('lists active templates of verified organisations, official ones first, by industry and scenario', async () => {
    const pendingOrg = await org('provider', { status: 'pending', name: '待审核服务商（模板）' })
    const pendingPerson = await person(pendingOrg)
    const hidden = await db()
      .insertInto('contract_templates')
      .values({
        org_id: pendingOrg,
        title: '待审核单位的合同范本',
        status: 'active',
        current_version: 1,
        created_at: '2026-12-01T00:00:00.000Z',
        updated_at: '2026-12-01T00:00:00.000Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db()
      .insertInto('contract_template_versions')
      .values({
        template_id: hidden.id,
        version: 1,
        construction_days: 30,
        acceptance_standards: '验收',
        warranty_months: 12,
        price_model: 'quote',
        milestones: JSON.stringify([{ name: '一次付清', percent: 100, criteria: '' }]),
        technical_standards: '["GB/T 1"]',
        dispute_clause: '仲裁',
        created_at: '2026-12-01T00:00:00.000Z',
      })
      .execute()
    await createTemplate(
      db(),
      providerB.actor,
      templateFields({ title: '兰州化工行业合同', industryCode: 'C26', scenarioCodes: ['S404'] }),
    )

    const all = body(await call(templateList, { path: '/templates' }))
    expect(all.total).toBeGreaterThanOrEqual(3)
    const officialFlags = all.items.map((i: { isOfficial: boolean }) => i.isOfficial)
    expect(officialFlags.indexOf(false)).toBeGreaterThan(officialFlags.lastIndexOf(true))
    expect(all.items.map((i: { id: number }) => i.id)).not.toContain(hidden.id)

    const chemistry = body(await call(templateList, { path: '/templates?industry=C26' }))
    expect(chemistry.items.map((i: { title: string }) => i.title)).toEqual(['兰州化工行业合同'])
    const byScenario = body(await call(templateList, { path: '/templates?scenario=S404' }))
    expect(byScenario.items.map((i: { title: string }) => i.title)).toEqual(['兰州化工行业合同'])
    const nothing = body(await call(templateList, { path: '/templates?scenario=S999&industry=C13&page=x' }))
    expect(nothing).toMatchObject({ page: 1 })

    // An unverified organisation's template: not found for others, readable by its own members.
    expect((await call(templatePage, { path: `/templates/${hidden.id}`, params: { id: String(hidden.id) } })).status).toBe(404)
    expect(
      (
        await call(templatePage, {
          path: `/templates/${hidden.id}`,
          params: { id: String(hidden.id) },
          cookie: pendingPerson.cookie,
        })
      ).status,
    ).toBe(200)
    expect((await call(templatePage, { path: '/templates/0x1', params: { id: '0x1' } })).status).toBe(404)
  })
})
