import { beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { qualificationVersion } from '../../app/domain/providers/qualifications.server.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertInvite, insertNeed, insertOrg, insertUser, randomUscc, signIn } from '../support/factories.js'
import { call, type RouteModule } from '../support/http.js'

const ROLES = [
  'anonymous',
  'enterpriseA',
  'enterpriseB',
  'providerA',
  'providerB',
  'agencyRegion',
  'agencyOther',
  // Of agencyRegion's agency: a confirmed viewer, and someone who joined and waits for the owner.
  'agencyViewer',
  'agencyPending',
] as const
type Role = (typeof ROLES)[number]

type OrgRole = Exclude<Role, 'anonymous' | 'agencyViewer' | 'agencyPending'>

interface World {
  cookies: Record<Role, string | null>
  orgs: Record<OrgRole, number>
  pendingOrg: number
  pendingOrgForPost: number
  publicNeed: number
  draftNeed: number
  restrictedNeed: number
  restrictedDraft: number
  memberOfB: number
  /** Joined agencyRegion's agency, waiting for its owner: the one the owner confirms. */
  newcomer: number
  inviteToken: string
}

let world: World

/*
 * The matrix is derived from what app/routes exports: every route module's loader
 * (GET) and action (POST) must have at least one row below, so adding a route or an
 * action without deciding who may use it fails this test.
 */
const ROUTES_DIR = path.resolve(import.meta.dirname, '../../app/routes')
const routeIds = fs
  .readdirSync(ROUTES_DIR)
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => f.replace(/\.tsx?$/, ''))
const modules: Record<string, RouteModule> = {}

beforeAll(async () => {
  for (const id of routeIds) {
    const file = fs.existsSync(path.join(ROUTES_DIR, `${id}.tsx`)) ? `${id}.tsx` : `${id}.ts`
    modules[id] = (await import(path.join(ROUTES_DIR, file))) as RouteModule
  }
})

beforeAll(async () => {
  const { db } = services()
  const orgs = {
    enterpriseA: await insertOrg(db, { kind: 'enterprise', region: '321023' }),
    enterpriseB: await insertOrg(db, { kind: 'enterprise', region: '321002' }),
    providerA: await insertOrg(db, { kind: 'provider', region: '321003' }),
    providerB: await insertOrg(db, { kind: 'provider', region: '620102' }),
    // 扬州市 covers every org above in Jiangsu; 甘肃省 covers none of the pending ones.
    agencyRegion: await insertOrg(db, { kind: 'agency', region: '321000', agencyLevel: 'city' }),
    agencyOther: await insertOrg(db, { kind: 'agency', region: '620000', agencyLevel: 'province' }),
  }
  const cookies = { anonymous: null } as Record<Role, string | null>
  for (const role of Object.keys(orgs) as (keyof typeof orgs)[]) {
    const user = await insertUser(db, { name: role })
    await addMember(db, user.id, orgs[role])
    cookies[role] = (await signIn(db, user.id, orgs[role])).cookie
  }
  const viewer = await insertUser(db, { name: '查看者' })
  await addMember(db, viewer.id, orgs.agencyRegion, 'viewer')
  cookies.agencyViewer = (await signIn(db, viewer.id, orgs.agencyRegion)).cookie
  const waiting = await insertUser(db, { name: '待确认' })
  await addMember(db, waiting.id, orgs.agencyRegion, 'viewer', 'pending')
  cookies.agencyPending = (await signIn(db, waiting.id, orgs.agencyRegion)).cookie
  const newcomer = await insertUser(db, { name: '新加入' })
  await addMember(db, newcomer.id, orgs.agencyRegion, 'viewer', 'pending')
  const member = await insertUser(db, { name: 'B 的成员' })
  await addMember(db, member.id, orgs.enterpriseB, 'member')
  const pendingOrg = await insertOrg(db, { kind: 'enterprise', region: '321081', status: 'pending' })
  const pendingOrgForPost = await insertOrg(db, { kind: 'provider', region: '321084', status: 'pending' })
  const publicNeed = await insertNeed(db, orgs.enterpriseA)
  const draftNeed = await insertNeed(db, orgs.enterpriseB, { status: 'draft' })
  const restrictedNeed = await insertNeed(db, orgs.enterpriseB, { visibility: 'verified_providers' })
  const restrictedDraft = await insertNeed(db, orgs.enterpriseB, { visibility: 'verified_providers', status: 'draft' })
  const { token: inviteToken } = await insertInvite(db, orgs.enterpriseB, member.id)
  world = {
    cookies,
    orgs,
    pendingOrg,
    pendingOrgForPost,
    publicNeed,
    draftNeed,
    restrictedNeed,
    restrictedDraft,
    memberOfB: member.id,
    newcomer: newcomer.id,
    inviteToken,
  }
})

/** enterpriseB's own needs (issue 12): a draft and a published one, for 我的需求's pages. */
const needThings = { draft: 0, published: 0 }
beforeAll(async () => {
  const { db } = services()
  needThings.draft = await insertNeed(db, world.orgs.enterpriseB, { status: 'draft' })
  needThings.published = await insertNeed(db, world.orgs.enterpriseB)
})

/** A published event of agencyRegion (issue 15, slice D): its outcome page's readers are the agencies over 321000. */
const dashboardThings = { eventId: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const organiser = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', world.orgs.agencyRegion)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow()
  const row = await db
    .insertInto('events')
    .values({
      organiser_org_id: world.orgs.agencyRegion,
      region_code: '321000',
      title: '矩阵测试对接会',
      mode: 'onsite',
      starts_on: '2026-03-01',
      ends_on: '2026-03-02',
      stage: 'intents',
      created_by: organiser.user_id,
      created_at: now,
      updated_at: now,
      stage_changed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  dashboardThings.eventId = row.id
})

/**
 * Issue 15 slice V: agencyRegion's (扬州) evaluation of 2031 with published results (providerA's,
 * and another provider's with a pending appeal), and its 2030 scheme being judged.
 */
const evaluationThings = { publishedId: 0, judgingId: 0, resultA: 0, appealId: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const owner = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', world.orgs.agencyRegion)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow()
  const scheme = (year: number, published: boolean) =>
    db
      .insertInto('evaluation_schemes')
      .values({
        agency_org_id: world.orgs.agencyRegion,
        year,
        title: `${year} 年度服务商评价（矩阵）`,
        status: 'published',
        published_at: now,
        computed_at: now,
        results_published_at: published ? now : null,
        appeal_until: published ? '2099-12-31' : null,
        created_by: owner.user_id,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  evaluationThings.publishedId = (await scheme(2031, true)).id
  evaluationThings.judgingId = (await scheme(2030, false)).id
  for (const id of [evaluationThings.publishedId, evaluationThings.judgingId]) {
    await db
      .insertInto('evaluation_dimensions')
      .values({ scheme_id: id, position: 1, name: '服务力', weight: 100, metric: 'ratings', judgement_percent: 50 })
      .execute()
  }
  const result = (providerOrgId: number) =>
    db
      .insertInto('evaluation_results')
      .values({
        scheme_id: evaluationThings.publishedId,
        provider_org_id: providerOrgId,
        total_x100: 7000,
        computed_tier: 'normal',
        tier: 'normal',
        computed_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  evaluationThings.resultA = (await result(world.orgs.providerA)).id
  const other = await insertOrg(db, { kind: 'provider', region: '321003' })
  const otherResult = await result(other)
  const appealer = await insertUser(db, { name: '申诉人' })
  await addMember(db, appealer.id, other)
  evaluationThings.appealId = (
    await db
      .insertInto('evaluation_appeals')
      .values({
        result_id: otherResult.id,
        scheme_id: evaluationThings.publishedId,
        provider_org_id: other,
        reason: '矩阵测试的申诉理由。',
        created_by: appealer.id,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
})

/** Issue 15 slice T: agencyRegion's (扬州) district targets of 2029, every district at 10. */
const targetThings = { year: 2029 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const owner = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', world.orgs.agencyRegion)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow()
  const plan = await db
    .insertInto('target_plans')
    .values({
      agency_org_id: world.orgs.agencyRegion,
      region_code: '321000',
      year: targetThings.year,
      created_by: owner.user_id,
      created_at: now,
      updated_by: owner.user_id,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const districts = ['321002', '321003', '321012', '321023', '321071', '321081', '321084', '3210Z1']
  const metrics = ['smart_retrofit', 'cloud', 'diagnosis', 'benchmark', 'coverage'] as const
  await db
    .insertInto('district_targets')
    .values(districts.flatMap((region_code) => metrics.map((metric) => ({ plan_id: plan.id, region_code, metric, target: 10 }))))
    .execute()
})

/**
 * Issue 15 slice E: an event of agencyRegion in 需求发榜 with enterpriseA's public need listed and
 * providerA registered (applied), and a draft nobody but agencies over 321000 finds.
 */
const eventThings = { eventId: 0, draftId: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const organiser = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', world.orgs.agencyRegion)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow()
  const event = (stage: 'needs_call' | 'draft') =>
    db
      .insertInto('events')
      .values({
        organiser_org_id: world.orgs.agencyRegion,
        region_code: '321000',
        title: stage === 'draft' ? '矩阵草稿对接会' : '矩阵发榜对接会',
        mode: 'online',
        starts_on: '2026-12-20',
        ends_on: '2026-12-31',
        stage,
        enterprise_applications: 1,
        created_by: organiser.user_id,
        created_at: now,
        updated_at: now,
        stage_changed_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  eventThings.eventId = (await event('needs_call')).id
  eventThings.draftId = (await event('draft')).id
  await db
    .insertInto('event_needs')
    .values({
      event_id: eventThings.eventId,
      need_id: world.publicNeed,
      source: 'agency',
      status: 'listed',
      created_by: organiser.user_id,
      created_at: now,
    })
    .execute()
  const provider = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', world.orgs.providerA)
    .executeTakeFirstOrThrow()
  await db
    .insertInto('event_providers')
    .values({
      event_id: eventThings.eventId,
      provider_org_id: world.orgs.providerA,
      status: 'applied',
      created_by: provider.user_id,
      created_at: now,
    })
    .execute()
})

/**
 * agencyRegion's provider pool (issue 15, slice P): a round whose application of providerA
 * is under 公示 (objections), one of providerB under review by an expert who is
 * enterpriseA's user, and an open round providers apply to.
 */
const poolThings = { roundId: 0, openRoundId: 0, noticeApplication: 0, reviewId: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const ownerOf = async (orgId: number) =>
    (
      await db
        .selectFrom('memberships')
        .select('user_id')
        .where('org_id', '=', orgId)
        .where('role', '=', 'owner')
        .executeTakeFirstOrThrow()
    ).user_id
  const agencyOwner = await ownerOf(world.orgs.agencyRegion)
  const round = (title: string) =>
    db
      .insertInto('pool_rounds')
      .values({
        agency_org_id: world.orgs.agencyRegion,
        category: 'integrator',
        title,
        apply_until: '2099-12-31',
        created_by: agencyOwner,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  poolThings.roundId = (await round('矩阵测试资源池')).id
  poolThings.openRoundId = (await round('矩阵测试资源池（申请）')).id
  const application = (providerOrgId: number, status: 'notice' | 'reviewing') =>
    db
      .insertInto('pool_applications')
      .values({
        round_id: poolThings.roundId,
        provider_org_id: providerOrgId,
        industry_code: 'C34',
        statement: '矩阵测试申请',
        status,
        notice_from: status === 'notice' ? '2026-01-01' : null,
        notice_until: status === 'notice' ? '2099-12-31' : null,
        created_by: agencyOwner,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  poolThings.noticeApplication = (await application(world.orgs.providerA, 'notice')).id
  const reviewing = await application(world.orgs.providerB, 'reviewing')
  const expert = await db
    .insertInto('experts')
    .values({
      agency_org_id: world.orgs.agencyRegion,
      user_id: await ownerOf(world.orgs.enterpriseA),
      name: '矩阵专家',
      created_by: agencyOwner,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const review = await db
    .insertInto('pool_reviews')
    .values({ application_id: reviewing.id, expert_id: expert.id, assigned_by: agencyOwner, assigned_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  poolThings.reviewId = review.id
})

/** Pages of an enterprise's own need: its members; anyone else is told nothing exists (404). */
const needOwners = (status: number) => ({ anonymous: 302, enterpriseB: status, default: 404 })

/** providerA's own case and qualification (issue 11): objects the other roles must not touch. */
const providerThings = { caseId: 0, qualificationId: 0, qualificationVersion: '' }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const kase = await db
    .insertInto('provider_cases')
    .values({
      org_id: world.orgs.providerA,
      title: '冲压车间设备联网',
      client_name: '某汽车零部件企业',
      client_anonymised: 1,
      industry_code: 'C36',
      year: 2024,
      summary: '设备联网与数据采集。',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('case_scenarios').values({ case_id: kase.id, scenario_code: 'S401' }).execute()
  const qualification = await db
    .insertInto('provider_qualifications')
    .values({ org_id: world.orgs.providerA, name: 'ISO 9001 质量管理体系', created_at: now })
    .returning(['id', 'name', 'issuer', 'certificate_no', 'valid_from', 'valid_until'])
    .executeTakeFirstOrThrow()
  providerThings.caseId = kase.id
  providerThings.qualificationId = qualification.id
  providerThings.qualificationVersion = qualificationVersion(qualification)
})

/** providerA's saved search of the hall (issue 13): only providerA's members change it. */
const savedSearchThings = { id: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const owner = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', world.orgs.providerA)
    .executeTakeFirstOrThrow()
  const row = await db
    .insertInto('saved_searches')
    .values({
      org_id: world.orgs.providerA,
      user_id: owner.user_id,
      name: '矩阵保存的搜索',
      query: JSON.stringify({ q: '设备联网' }),
      checked_until: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  savedSearchThings.id = row.id
})

/**
 * Contract templates and a consortium (issue 11): agencyRegion's official template, providerA's
 * own one, and a consortium providerA leads with providerB invited.
 */
const templateThings = { official: 0, officialVersion: 0, own: 0, consortium: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const template = async (orgId: number, isOfficial: 0 | 1, title: string) => {
    const t = await db
      .insertInto('contract_templates')
      .values({ org_id: orgId, is_official: isOfficial, title, industry_code: 'C34', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('contract_template_scenarios').values({ template_id: t.id, scenario_code: 'S401' }).execute()
    const v = await db
      .insertInto('contract_template_versions')
      .values({ template_id: t.id, version: 1, ...templateVersion, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { templateId: t.id, versionId: v.id }
  }
  const official = await template(world.orgs.agencyRegion, 1, '矩阵官方合同范本')
  templateThings.official = official.templateId
  templateThings.officialVersion = official.versionId
  templateThings.own = (await template(world.orgs.providerA, 0, '矩阵服务商合同范本')).templateId
  const c = await db
    .insertInto('consortia')
    .values({ lead_org_id: world.orgs.providerA, name: '矩阵联合体', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('consortium_members')
    .values([
      { consortium_id: c.id, org_id: world.orgs.providerA, role: 'lead', share_percent: 60, status: 'confirmed' },
      { consortium_id: c.id, org_id: world.orgs.providerB, role: 'member', share_percent: 40, status: 'invited' },
    ])
    .execute()
  templateThings.consortium = c.id
})

/** A template version's columns, and the same template as its form posts it. */
const templateVersion = {
  construction_days: 90,
  technical_standards: '["GB/T 39116-2020"]',
  acceptance_standards: '按技术附件验收',
  quality_terms: '',
  warranty_months: 12,
  price_model: 'quote' as const,
  milestones: JSON.stringify([{ name: '一次付清', percent: 100, criteria: '验收合格' }]),
  dispute_clause: '协商不成的提交仲裁',
}
const templateForm = (title: string, extra: Record<string, string> = {}) => ({
  title,
  industry: 'C34',
  'scenarios[]': 'S401',
  constructionDays: '90',
  technicalStandards: 'GB/T 39116-2020',
  acceptanceStandards: '按技术附件验收',
  qualityTerms: '',
  warrantyMonths: '12',
  priceModel: 'quote',
  ms1Name: '一次付清',
  ms1Percent: '100',
  ms1Criteria: '验收合格',
  disputeClause: '协商不成的提交仲裁',
  ...extra,
})

/** Who keeps templates: verified providers (any member), verified agencies' owners and reviewers. */
const templateKeepers = (status: number) => ({
  anonymous: 302,
  providerA: status,
  providerB: status,
  agencyRegion: status,
  agencyOther: status,
  default: 403,
})

/** A case form that passes validation (the version decides the rest). */
const caseForm = (version?: string) => ({
  title: '注塑车间能耗在线监测',
  clientName: '扬州某塑业有限公司',
  industry: 'C29',
  'scenarios[]': 'S403',
  year: '2023',
  summary: '部署能耗采集终端与能效看板。',
  'metrics[0].name': '单位能耗',
  'metrics[0].before': '1.8',
  'metrics[0].after': '1.5',
  'metrics[0].unit': 'kWh/kg',
  ...(version ? { version } : {}),
})

/** The provider's own pages: verified providers only (any member); others 403, visitors to sign in. */
const providersOnly = (status: number, extra: Partial<Record<Role, number>> = {}) => ({
  anonymous: 302,
  providerA: status,
  providerB: status,
  default: 403,
  ...extra,
})

/**
 * Uploads (issue 11): an image of a case of providerA (verified: anyone sees it) and the scan
 * of one of its qualifications (its members and the agencies over its region only).
 */
const fileThings = { caseImage: 0, scan: 0 }
beforeAll(async () => {
  const { db, storage } = services()
  const now = new Date().toISOString()
  const orgId = world.orgs.providerA
  const kase = await db
    .insertInto('provider_cases')
    .values({
      org_id: orgId,
      title: '矩阵案例图片',
      client_name: '某企业',
      industry_code: 'C36',
      year: 2024,
      summary: '图片',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const qualification = await db
    .insertInto('provider_qualifications')
    .values({ org_id: orgId, name: '两化融合管理体系', created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  const file = async (purpose: string, objectType: string, objectId: number, mime: string, withPreview: boolean) => {
    const bytes = new TextEncoder().encode(`matrix ${purpose}`)
    const stored = await storage.put(bytes)
    const row = await db
      .insertInto('files')
      .values({
        storage_key: stored.key,
        preview_key: withPreview ? (await storage.put(bytes)).key : null,
        org_id: orgId,
        purpose,
        object_type: objectType,
        object_id: objectId,
        name: `${purpose}.bin`,
        mime,
        size: stored.bytes,
        sha256: '0'.repeat(64),
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }
  fileThings.caseImage = await file('case_image', 'provider_case', kase.id, 'image/png', true)
  fileThings.scan = await file('qualification_scan', 'provider_qualification', qualification.id, 'application/pdf', false)
})

/**
 * A diagnosis of enterpriseA by providerA (a 诊断咨询机构 for it), completed, with a
 * confirmed report and a service record (issue 12, service records and survey): its
 * parties and the agencies over enterpriseA read them; only providerA writes records,
 * only enterpriseA fills the survey, only agencyRegion's owner reviews it.
 */
const serviceThings = { diagnosis: 0, record: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  await db
    .updateTable('organisations')
    .set({ provider_kinds: '["integrator","consultancy"]' })
    .where('id', '=', world.orgs.providerA)
    .execute()
  const diagnosis = await db
    .insertInto('diagnoses')
    .values({
      enterprise_org_id: world.orgs.enterpriseA,
      provider_org_id: world.orgs.providerA,
      kind: 'workshop',
      status: 'completed',
      origin: 'enterprise',
      completed_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  // 签字盖章 by enterpriseA's owner.
  const owner = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', world.orgs.enterpriseA)
    .executeTakeFirstOrThrow()
  await db
    .insertInto('diagnosis_report_versions')
    .values({
      diagnosis_id: diagnosis.id,
      version: 1,
      status: 'confirmed',
      confirmed_by: owner.user_id,
      confirmed_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute()
  const record = await db
    .insertInto('diagnosis_service_records')
    .values({
      diagnosis_id: diagnosis.id,
      kind: 'site_visit',
      occurred_on: now.slice(0, 10),
      minutes: 200,
      team_size: 5,
      leader: '王工',
      content: '现场诊断',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  serviceThings.diagnosis = diagnosis.id
  serviceThings.record = record.id
})

/** Yesterday in China: a date every record form accepts. */
const serviceDay = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() - 86_400_000),
  )
const recordForm = (extra: Record<string, string> = {}) => ({
  kind: 'training',
  occurredOn: serviceDay(),
  hours: '2',
  teamSize: '3',
  content: '智改数转主题培训',
  ...extra,
})
/** Who sees enterpriseA's diagnosis: its parties and the confirmed members of the agency over it. */
const diagnosisReaders = (status: number, extra: Partial<Record<Role, number>> = {}) => ({
  anonymous: 302,
  enterpriseA: status,
  providerA: status,
  agencyRegion: status,
  agencyViewer: status,
  default: 404,
  ...extra,
})

/**
 * Bids (issue 14): providerA's bid on a need of enterpriseA (its bidder, the need's owner and the
 * agencies over the need's region read it; a rival bidder is told nothing exists).
 */
const bidThings = { need: 0, bid: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  bidThings.need = await insertNeed(db, world.orgs.enterpriseA, { title: '矩阵投标需求' })
  const bidder = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', world.orgs.providerA)
    .executeTakeFirstOrThrow()
  const bid = await db
    .insertInto('bids')
    .values({
      need_id: bidThings.need,
      provider_org_id: world.orgs.providerA,
      price_wan_x100: 12_000,
      duration_days: 90,
      plan: '矩阵方案',
      created_by: bidder.user_id,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  bidThings.bid = bid.id
})
/**
 * Compare and award (issue 14 §2): a second bid of providerA on another need of enterpriseA, for
 * the comparison page's decisions and the bid's question thread.
 */
const compareThings = { need: 0, bid: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  compareThings.need = await insertNeed(db, world.orgs.enterpriseA, { title: '矩阵比较需求' })
  const bidder = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', world.orgs.providerA)
    .executeTakeFirstOrThrow()
  const bid = await db
    .insertInto('bids')
    .values({
      need_id: compareThings.need,
      provider_org_id: world.orgs.providerA,
      price_wan_x100: 9_900,
      duration_days: 60,
      plan: '矩阵比较方案',
      created_by: bidder.user_id,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  compareThings.bid = bid.id
})
/**
 * Ratings (issue 14 §6): a completed contract of enterpriseA with providerA (its parties rate,
 * the agencies over its region read, anyone else is told nothing exists).
 */
const ratingThings = { contract: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const need = await insertNeed(db, world.orgs.enterpriseA, { title: '矩阵评价需求', status: 'closed' })
  const userOf = async (orgId: number) =>
    (await db.selectFrom('memberships').select('user_id').where('org_id', '=', orgId).executeTakeFirstOrThrow()).user_id
  const bidder = await userOf(world.orgs.providerA)
  const owner = await userOf(world.orgs.enterpriseA)
  const bid = await db
    .insertInto('bids')
    .values({
      need_id: need,
      provider_org_id: world.orgs.providerA,
      price_wan_x100: 10_000,
      duration_days: 60,
      plan: '矩阵评价方案',
      status: 'awarded',
      created_by: bidder,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const contract = await db
    .insertInto('contracts')
    .values({
      need_id: need,
      bid_id: bid.id,
      enterprise_org_id: world.orgs.enterpriseA,
      provider_org_id: world.orgs.providerA,
      region_code: '321023',
      title: '矩阵评价合同',
      amount_wan_x100: 10_000,
      construction_days: 60,
      warranty_months: 12,
      status: 'completed',
      enterprise_confirmed_by: owner,
      enterprise_confirmed_at: now,
      provider_confirmed_by: bidder,
      provider_confirmed_at: now,
      created_by: owner,
      created_at: now,
      updated_at: now,
      activated_at: now,
      closed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  ratingThings.contract = contract.id
})
/**
 * Milestones and supervision (issue 14 §4): an active contract of enterpriseA with providerA
 * (no supervisor) with a pending milestone (providerA submits it) and a submitted one
 * (enterpriseA accepts it; the contract stays active: the first is not accepted).
 */
const milestoneThings = { contract: 0, pending: 0, submitted: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const need = await insertNeed(db, world.orgs.enterpriseA, { title: '矩阵里程碑需求', status: 'contracted' })
  const userOf = async (orgId: number) =>
    (await db.selectFrom('memberships').select('user_id').where('org_id', '=', orgId).executeTakeFirstOrThrow()).user_id
  const bidder = await userOf(world.orgs.providerA)
  const owner = await userOf(world.orgs.enterpriseA)
  const bid = await db
    .insertInto('bids')
    .values({
      need_id: need,
      provider_org_id: world.orgs.providerA,
      price_wan_x100: 10_000,
      duration_days: 60,
      plan: '矩阵里程碑方案',
      status: 'awarded',
      created_by: bidder,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const contract = await db
    .insertInto('contracts')
    .values({
      need_id: need,
      bid_id: bid.id,
      enterprise_org_id: world.orgs.enterpriseA,
      provider_org_id: world.orgs.providerA,
      region_code: '321023',
      title: '矩阵里程碑合同',
      amount_wan_x100: 10_000,
      start_date: now.slice(0, 10),
      construction_days: 60,
      warranty_months: 12,
      status: 'active',
      enterprise_confirmed_by: owner,
      enterprise_confirmed_at: now,
      provider_confirmed_by: bidder,
      provider_confirmed_at: now,
      created_by: owner,
      created_at: now,
      updated_at: now,
      activated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  milestoneThings.contract = contract.id
  const milestone = (seq: number, status: 'pending' | 'submitted') =>
    db
      .insertInto('contract_milestones')
      .values({
        contract_id: contract.id,
        seq,
        name: `矩阵里程碑${seq}`,
        percent: 50,
        amount_wan_x100: 5_000,
        due_date: '2099-12-31',
        status,
        round: status === 'submitted' ? 1 : 0,
        submitted_at: status === 'submitted' ? now : null,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  milestoneThings.pending = (await milestone(1, 'pending')).id
  milestoneThings.submitted = (await milestone(2, 'submitted')).id
  await db
    .insertInto('milestone_submissions')
    .values({
      milestone_id: milestoneThings.submitted,
      round: 1,
      evidence: '矩阵交付说明',
      submitted_by: bidder,
      submitted_at: now,
    })
    .execute()
})
/**
 * Disputes (issue 14 §5): two active contracts of enterpriseA with providerA (no supervisor)
 * — one for opening disputes, one with two disputes providerA opened: one to withdraw, one
 * to resolve (agencyRegion's owner resolves it; its viewer may not).
 */
const disputeThings = { openOn: 0, contract: 0, withdraw: 0, resolve: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const userOf = async (orgId: number) =>
    (await db.selectFrom('memberships').select('user_id').where('org_id', '=', orgId).executeTakeFirstOrThrow()).user_id
  const bidder = await userOf(world.orgs.providerA)
  const owner = await userOf(world.orgs.enterpriseA)
  const activeContract = async (title: string) => {
    const need = await insertNeed(db, world.orgs.enterpriseA, { title, status: 'contracted' })
    const bid = await db
      .insertInto('bids')
      .values({
        need_id: need,
        provider_org_id: world.orgs.providerA,
        price_wan_x100: 10_000,
        duration_days: 60,
        plan: '矩阵纠纷方案',
        status: 'awarded',
        created_by: bidder,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const contract = await db
      .insertInto('contracts')
      .values({
        need_id: need,
        bid_id: bid.id,
        enterprise_org_id: world.orgs.enterpriseA,
        provider_org_id: world.orgs.providerA,
        region_code: '321023',
        title,
        amount_wan_x100: 10_000,
        construction_days: 60,
        warranty_months: 12,
        status: 'active',
        enterprise_confirmed_by: owner,
        enterprise_confirmed_at: now,
        provider_confirmed_by: bidder,
        provider_confirmed_at: now,
        created_by: owner,
        created_at: now,
        updated_at: now,
        activated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return contract.id
  }
  disputeThings.openOn = await activeContract('矩阵纠纷合同（提出）')
  disputeThings.contract = await activeContract('矩阵纠纷合同')
  const dispute = async (subject: string) =>
    (
      await db
        .insertInto('disputes')
        .values({
          contract_id: disputeThings.contract,
          opened_side: 'provider',
          opened_org_id: world.orgs.providerA,
          opened_by: bidder,
          subject,
          description: '矩阵纠纷说明',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  disputeThings.withdraw = await dispute('矩阵撤回纠纷')
  disputeThings.resolve = await dispute('矩阵处理纠纷')
})
/** Who reads the dispute contracts: the parties' members and the agency over the region (viewers too). */
const disputeReaders = (status: number) => ({
  anonymous: 302,
  enterpriseA: status,
  providerA: status,
  agencyRegion: status,
  agencyViewer: status,
  default: 404,
})
/**
 * Contracts (issue 14 §3): draft contracts of enterpriseA with providerA — one read and
 * edited (the form posts what it holds: saving changes nothing, so every party may post it),
 * one confirmed by both parties in turn, one a supervisor is appointed to — and a 监理机构.
 */
const contractThings = { read: 0, confirm: 0, appoint: 0, supervisor: 0 }
const CONTRACT_DRAFT = {
  startDate: '2099-01-01',
  constructionDays: '60',
  technicalStandards: 'GB/T 39116-2020',
  acceptanceStandards: '矩阵验收标准',
  qualityTerms: '矩阵质量条款',
  warrantyMonths: '12',
  disputeClause: '矩阵争议条款',
  ms1Name: '矩阵一次付清',
  ms1Percent: '100',
  ms1Due: '2099-02-01',
  ms1Criteria: '矩阵验收',
}
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const userOf = async (orgId: number) =>
    (await db.selectFrom('memberships').select('user_id').where('org_id', '=', orgId).executeTakeFirstOrThrow()).user_id
  const bidder = await userOf(world.orgs.providerA)
  const owner = await userOf(world.orgs.enterpriseA)
  const draft = async (title: string) => {
    const need = await insertNeed(db, world.orgs.enterpriseA, { title, status: 'awarded' })
    const bid = await db
      .insertInto('bids')
      .values({
        need_id: need,
        provider_org_id: world.orgs.providerA,
        price_wan_x100: 10_000,
        duration_days: 60,
        plan: '矩阵合同方案',
        status: 'awarded',
        created_by: bidder,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const contract = await db
      .insertInto('contracts')
      .values({
        need_id: need,
        bid_id: bid.id,
        enterprise_org_id: world.orgs.enterpriseA,
        provider_org_id: world.orgs.providerA,
        region_code: '321023',
        title,
        amount_wan_x100: 10_000,
        start_date: CONTRACT_DRAFT.startDate,
        construction_days: 60,
        technical_standards: JSON.stringify([CONTRACT_DRAFT.technicalStandards]),
        acceptance_standards: CONTRACT_DRAFT.acceptanceStandards,
        quality_terms: CONTRACT_DRAFT.qualityTerms,
        warranty_months: 12,
        dispute_clause: CONTRACT_DRAFT.disputeClause,
        status: 'draft',
        created_by: owner,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('contract_milestones')
      .values({
        contract_id: contract.id,
        seq: 1,
        name: CONTRACT_DRAFT.ms1Name,
        percent: 100,
        amount_wan_x100: 10_000,
        due_date: CONTRACT_DRAFT.ms1Due,
        criteria: CONTRACT_DRAFT.ms1Criteria,
        updated_at: now,
      })
      .execute()
    return contract.id
  }
  contractThings.read = await draft('矩阵合同草稿')
  contractThings.confirm = await draft('矩阵确认合同')
  contractThings.appoint = await draft('矩阵监理合同')
  contractThings.supervisor = await insertOrg(db, { kind: 'provider', region: '321000', name: '矩阵监理机构' })
  await db
    .updateTable('organisations')
    .set({ provider_kinds: '["supervisor"]' })
    .where('id', '=', contractThings.supervisor)
    .execute()
})
/** Who reads providerA's bid: its members, enterpriseA's, the agency over the need (viewers too). */
const bidReaders = (status: number) => ({
  anonymous: 302,
  providerA: status,
  enterpriseA: status,
  agencyRegion: status,
  agencyViewer: status,
  default: 404,
})

type Expected = number | (Partial<Record<Role, number>> & { default?: number })

interface Row {
  name: string
  /** The route module's id: its file name in app/routes without the extension. */
  route: string
  method: 'GET' | 'POST'
  path: (w: World) => string
  params?: (w: World) => Record<string, string>
  form?: (w: World, role: Role) => Record<string, string>
  expect: Expected
}

/**
 * Excel tasks (issue 15 §7): an export of agencyRegion's owner, done with its file, and an
 * import of theirs checked and ready. A task is its member's alone: anyone else is told it
 * does not exist; only agencies reach the pages at all.
 */
const spreadsheetThings = { done: 0, ready: 0 }
beforeAll(async () => {
  const { db } = services()
  const now = new Date().toISOString()
  const owner = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('org_id', '=', world.orgs.agencyRegion)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow()
  const task = (direction: 'export' | 'import', list: 'needs' | 'enterprises', status: 'done' | 'ready') =>
    db
      .insertInto('spreadsheet_tasks')
      .values({
        org_id: world.orgs.agencyRegion,
        user_id: owner.user_id,
        direction,
        list,
        locale: 'zh-CN',
        status,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  spreadsheetThings.done = (await task('export', 'needs', 'done')).id
  spreadsheetThings.ready = (await task('import', 'enterprises', 'ready')).id
  await db
    .insertInto('spreadsheet_task_files')
    .values({ task_id: spreadsheetThings.done, role: 'result', bytes: Buffer.from('PK matrix'), size: 9 })
    .execute()
})

let seq = 0
/** A fresh mobile number per call, for sign-up rows. */
const freshPhone = () => `1360000${String(++seq).padStart(4, '0')}`

const signedIn = (status: number, extra: Partial<Record<Role, number>> = {}) => ({ anonymous: 302, default: status, ...extra })
const agencyOnly = (status: number) => ({ anonymous: 302, agencyRegion: status, agencyOther: status, default: 403 })

const TABLE: Row[] = [
  // Issue 16: policy tools. Ids that exist nowhere probe the detail routes (their owners'
  // suites test real ones): nobody may learn anything from them, and nothing crashes.
  { name: 'policies', route: 'policies._index', method: 'GET', path: () => '/policies', expect: 200 },
  {
    name: 'a policy',
    route: 'policies.$id',
    method: 'GET',
    path: () => '/policies/gansu-2025-smart-factory-gradient',
    params: () => ({ id: 'gansu-2025-smart-factory-gradient' }),
    expect: 200,
  },
  {
    name: 'self-assessments',
    route: 'enterprise.assessments._index',
    method: 'GET',
    path: () => '/enterprise/assessments',
    expect: { anonymous: 302, enterpriseA: 200, enterpriseB: 200, default: 403 },
  },
  {
    name: 'a self-assessment form',
    route: 'enterprise.assessments.new',
    method: 'GET',
    path: () => '/enterprise/assessments/new?kind=maturity',
    expect: { anonymous: 302, enterpriseA: 200, enterpriseB: 200, default: 403 },
  },
  {
    name: 'submit a self-assessment (empty)',
    route: 'enterprise.assessments.new',
    method: 'POST',
    path: () => '/enterprise/assessments/new',
    form: () => ({ kind: 'maturity' }),
    expect: { anonymous: 302, default: 400 },
  },
  {
    name: 'a self-assessment that does not exist',
    route: 'enterprise.assessments.$id',
    method: 'GET',
    path: () => '/enterprise/assessments/999999',
    params: () => ({ id: '999999' }),
    expect: { anonymous: 302, default: 404 },
  },
  {
    name: "an enterprise's self-assessments",
    route: 'enterprises.$id_.assessments',
    method: 'GET',
    path: (w) => `/enterprises/${w.orgs.enterpriseA}/assessments`,
    params: (w) => ({ id: String(w.orgs.enterpriseA) }),
    expect: { anonymous: 302, enterpriseB: 404, providerB: 404, agencyOther: 404, agencyPending: 404, default: 200 },
  },
  {
    name: 'gradient self-check',
    route: 'enterprise.gradient._index',
    method: 'GET',
    path: () => '/enterprise/gradient',
    expect: { anonymous: 302, enterpriseA: 200, enterpriseB: 200, default: 403 },
  },
  {
    name: 'gradient questionnaire',
    route: 'enterprise.gradient.answers',
    method: 'GET',
    path: () => '/enterprise/gradient/answers',
    expect: { anonymous: 302, enterpriseA: 200, enterpriseB: 200, default: 403 },
  },
  {
    name: 'save the gradient questionnaire (stale)',
    route: 'enterprise.gradient.answers',
    method: 'POST',
    path: () => '/enterprise/gradient/answers',
    form: () => ({ revision: '99', archiveRevision: '99', lineInvestmentWan: '-1' }),
    expect: { anonymous: 302, default: 400 },
  },
  {
    name: 'project pool',
    route: 'agency.project-pool',
    method: 'GET',
    path: () => '/agency/project-pool',
    expect: { anonymous: 302, agencyRegion: 200, agencyOther: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'project pool workbook',
    route: 'agency.project-pool[.]xlsx',
    method: 'GET',
    path: () => '/agency/project-pool.xlsx',
    expect: { anonymous: 302, agencyRegion: 200, agencyOther: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'titles',
    route: 'agency.titles._index',
    method: 'GET',
    path: () => '/agency/titles',
    expect: { anonymous: 302, agencyRegion: 200, agencyOther: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'titles workbook',
    route: 'agency.titles[.]xlsx',
    method: 'GET',
    path: () => '/agency/titles.xlsx',
    expect: { anonymous: 302, agencyRegion: 200, agencyOther: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'a title that does not exist',
    route: 'agency.titles.$id',
    method: 'GET',
    path: () => '/agency/titles/999999',
    params: () => ({ id: '999999' }),
    expect: { anonymous: 302, agencyRegion: 404, agencyOther: 404, agencyViewer: 404, default: 403 },
  },
  {
    name: 'review a title that does not exist',
    route: 'agency.titles.$id',
    method: 'POST',
    path: () => '/agency/titles/999999',
    params: () => ({ id: '999999' }),
    form: () => ({ outcome: 'passed', decidedOn: '2026-01-01', version: 'x' }),
    expect: { anonymous: 302, agencyRegion: 404, agencyOther: 404, agencyViewer: 404, default: 403 },
  },
  {
    name: 'vouchers',
    route: 'vouchers._index',
    method: 'GET',
    path: () => '/vouchers',
    expect: { anonymous: 302, agencyPending: 403, default: 200 },
  },
  {
    name: 'a voucher that does not exist',
    route: 'vouchers.$id',
    method: 'GET',
    path: () => '/vouchers/999999',
    params: () => ({ id: '999999' }),
    expect: { anonymous: 302, default: 404 },
  },
  {
    name: 'act on a voucher that does not exist',
    route: 'vouchers.$id',
    method: 'POST',
    path: () => '/vouchers/999999',
    params: () => ({ id: '999999' }),
    form: () => ({ intent: 'confirm' }),
    expect: { anonymous: 302, default: 400 },
  },
  {
    name: 'issue a voucher (form)',
    route: 'vouchers.new',
    method: 'GET',
    path: () => '/vouchers/new',
    expect: { anonymous: 302, agencyRegion: 200, agencyOther: 200, default: 403 },
  },
  {
    name: 'issue a voucher (empty)',
    route: 'vouchers.new',
    method: 'POST',
    path: () => '/vouchers/new',
    form: () => ({}),
    expect: { anonymous: 302, default: 400 },
  },
  {
    name: 'voucher scheme form',
    route: 'vouchers.schemes.new',
    method: 'GET',
    path: () => '/vouchers/schemes/new',
    expect: { anonymous: 302, agencyRegion: 200, agencyOther: 200, default: 403 },
  },
  {
    name: 'set up a voucher scheme (empty)',
    route: 'vouchers.schemes.new',
    method: 'POST',
    path: () => '/vouchers/schemes/new',
    form: () => ({}),
    expect: { anonymous: 302, default: 400 },
  },
  { name: 'home', route: '_index', method: 'GET', path: () => '/', expect: 200 },
  { name: 'needs list', route: 'needs._index', method: 'GET', path: () => '/needs?q=设备', expect: 200 },
  // The provider directory is public: everyone searches verified providers.
  {
    name: 'provider directory',
    route: 'providers._index',
    method: 'GET',
    path: () => '/providers?q=智能&region=320000',
    expect: 200,
  },
  // The capability map and its export are public too (counts of public directory entries); the export is rate-limited.
  { name: 'capability map', route: 'providers.map', method: 'GET', path: () => '/providers/map?region=321000', expect: 200 },
  {
    name: 'capability map export',
    route: 'providers.map[.]xlsx',
    method: 'GET',
    path: () => '/providers/map.xlsx?region=all&link=production',
    expect: 200,
  },
  // Contract templates (issue 11): public list and pages; each organisation keeps its own.
  { name: 'templates list', route: 'templates._index', method: 'GET', path: () => '/templates?industry=C34&page=2', expect: 200 },
  {
    name: 'official template',
    route: 'templates.$id',
    method: 'GET',
    path: () => `/templates/${templateThings.official}`,
    params: () => ({ id: String(templateThings.official) }),
    expect: 200,
  },
  {
    name: "a provider's template, an older version that does not exist",
    route: 'templates.$id',
    method: 'GET',
    path: () => `/templates/${templateThings.own}?version=7`,
    params: () => ({ id: String(templateThings.own) }),
    expect: 404,
  },
  {
    name: 'own templates',
    route: 'org.templates._index',
    method: 'GET',
    path: () => '/org/templates',
    expect: templateKeepers(200),
  },
  // Object level: restoring providerA's (active) template is providerA's business alone.
  {
    name: "restore providerA's template",
    route: 'org.templates._index',
    method: 'POST',
    path: () => '/org/templates',
    form: () => ({ intent: 'restore', templateId: String(templateThings.own) }),
    expect: { anonymous: 302, providerA: 302, default: 403 },
  },
  {
    name: 'new template',
    route: 'org.templates.new',
    method: 'GET',
    path: () => '/org/templates/new',
    expect: templateKeepers(200),
  },
  {
    name: 'derive from the official template',
    route: 'org.templates.new',
    method: 'GET',
    path: () => `/org/templates/new?from=${templateThings.officialVersion}`,
    expect: templateKeepers(200),
  },
  {
    name: 'new template POST',
    route: 'org.templates.new',
    method: 'POST',
    path: () => '/org/templates/new',
    form: (_w, role) => templateForm(`矩阵新范本 ${role}`),
    expect: templateKeepers(302),
  },
  {
    name: "edit providerA's template",
    route: 'org.templates.$id.edit',
    method: 'GET',
    path: () => `/org/templates/${templateThings.own}/edit`,
    params: () => ({ id: String(templateThings.own) }),
    expect: { anonymous: 302, providerA: 200, default: 403 },
  },
  {
    name: "edit agencyRegion's official template",
    route: 'org.templates.$id.edit',
    method: 'GET',
    path: () => `/org/templates/${templateThings.official}/edit`,
    params: () => ({ id: String(templateThings.official) }),
    expect: { anonymous: 302, agencyRegion: 200, default: 403 },
  },
  {
    name: "edit providerA's template POST",
    route: 'org.templates.$id.edit',
    method: 'POST',
    path: () => `/org/templates/${templateThings.own}/edit`,
    params: () => ({ id: String(templateThings.own) }),
    form: () => templateForm('矩阵服务商合同范本', { baseVersion: '1' }),
    expect: { anonymous: 302, providerA: 302, default: 403 },
  },
  // Consortia (issue 11): a provider's; forming one is for a verified provider's owner; members only see one.
  {
    name: 'my consortia',
    route: 'provider.consortia._index',
    method: 'GET',
    path: () => '/provider/consortia',
    expect: providersOnly(200),
  },
  {
    name: 'new consortium',
    route: 'provider.consortia.new',
    method: 'GET',
    path: () => '/provider/consortia/new?q=测试',
    expect: providersOnly(200),
  },
  // providerB may not invite itself (a form error); everyone but providers' owners is refused.
  {
    name: 'new consortium POST',
    route: 'provider.consortia.new',
    method: 'POST',
    path: () => '/provider/consortia/new',
    form: (w) => ({ name: '矩阵新联合体', leadShare: '50', m1Org: String(w.orgs.providerB), m1Share: '50' }),
    expect: providersOnly(302, { providerB: 400 }),
  },
  {
    name: 'consortium page',
    route: 'provider.consortia.$id',
    method: 'GET',
    path: () => `/provider/consortia/${templateThings.consortium}`,
    params: () => ({ id: String(templateThings.consortium) }),
    expect: { anonymous: 302, providerA: 200, providerB: 200, default: 404 },
  },
  // The invited member's owner confirms; the lead has nothing to confirm; to anyone else it does not exist.
  {
    name: 'confirm a consortium',
    route: 'provider.consortia.$id',
    method: 'POST',
    path: () => `/provider/consortia/${templateThings.consortium}`,
    params: () => ({ id: String(templateThings.consortium) }),
    form: () => ({ intent: 'confirm' }),
    expect: { anonymous: 302, providerA: 409, providerB: 302, default: 404 },
  },
  {
    name: 'public need',
    route: 'needs.$id',
    method: 'GET',
    path: (w) => `/needs/${w.publicNeed}`,
    params: (w) => ({ id: String(w.publicNeed) }),
    expect: 200,
  },
  // 我的需求 (issue 12): enterprises list their own needs; writing them takes a verified enterprise.
  {
    name: 'my needs',
    route: 'enterprise.needs._index',
    method: 'GET',
    path: () => '/enterprise/needs?status=draft',
    expect: { anonymous: 302, enterpriseA: 200, enterpriseB: 200, default: 403 },
  },
  {
    name: 'new need form',
    route: 'enterprise.needs.new',
    method: 'GET',
    path: () => '/enterprise/needs/new',
    expect: { anonymous: 302, enterpriseA: 200, enterpriseB: 200, default: 403 },
  },
  {
    name: 'create a need (draft)',
    route: 'enterprise.needs.new',
    method: 'POST',
    path: () => '/enterprise/needs/new',
    form: () => ({
      intent: 'draft',
      title: '矩阵测试需求草稿',
      description: '设备联网与数据采集。',
      industry: 'C34',
      'scenarios[]': 'S401',
      level: 'digital_workshop',
      budgetMin: '10',
      budgetMax: '20',
      expectedStart: '2027-06-01',
      durationMonths: '6',
      region: '321023',
      acceptsMatching: '1',
      visibility: 'public',
    }),
    expect: { anonymous: 302, enterpriseA: 302, enterpriseB: 302, default: 403 },
  },
  {
    name: "manage enterpriseB's need",
    route: 'enterprise.needs.$id._index',
    method: 'GET',
    path: () => `/enterprise/needs/${needThings.draft}`,
    params: () => ({ id: String(needThings.draft) }),
    expect: needOwners(200),
  },
  {
    name: "withdraw enterpriseB's need",
    route: 'enterprise.needs.$id._index',
    method: 'POST',
    path: () => `/enterprise/needs/${needThings.published}`,
    params: () => ({ id: String(needThings.published) }),
    form: () => ({ intent: 'withdraw', reason: '矩阵测试撤回' }),
    expect: needOwners(302),
  },
  {
    name: "edit enterpriseB's draft",
    route: 'enterprise.needs.$id.edit',
    method: 'GET',
    path: () => `/enterprise/needs/${needThings.draft}/edit`,
    params: () => ({ id: String(needThings.draft) }),
    expect: needOwners(200),
  },
  {
    name: "save enterpriseB's draft on a stale revision",
    route: 'enterprise.needs.$id.edit',
    method: 'POST',
    path: () => `/enterprise/needs/${needThings.draft}/edit`,
    params: () => ({ id: String(needThings.draft) }),
    form: () => ({
      intent: 'draft',
      revision: '999',
      title: '矩阵测试需求草稿',
      description: '设备联网与数据采集。',
      industry: 'C34',
      'scenarios[]': 'S401',
      level: 'digital_workshop',
      budgetMin: '10',
      budgetMax: '20',
      expectedStart: '2027-06-01',
      durationMonths: '6',
      region: '321023',
      acceptsMatching: '1',
      visibility: 'public',
    }),
    expect: needOwners(409),
  },
  // Issue 13: a need's match list — its enterprise and the agencies over its region (viewers
  // too); anyone else is told nothing exists. Drafts too (the owner looks before publishing).
  {
    name: "enterpriseA's need matches",
    route: 'needs.$id_.matches',
    method: 'GET',
    path: (w) => `/needs/${w.publicNeed}/matches?page=2`,
    params: (w) => ({ id: String(w.publicNeed) }),
    expect: { anonymous: 302, enterpriseA: 200, agencyRegion: 200, agencyViewer: 200, default: 404 },
  },
  {
    name: "enterpriseB's draft matches",
    route: 'needs.$id_.matches',
    method: 'GET',
    path: (w) => `/needs/${w.draftNeed}/matches`,
    params: (w) => ({ id: String(w.draftNeed) }),
    expect: { anonymous: 302, enterpriseB: 200, agencyRegion: 200, agencyViewer: 200, default: 404 },
  },
  // 邀请投标: only the owner; the agencies that read the list are refused (403).
  {
    name: 'invite providerA to enterpriseA’s need',
    route: 'needs.$id_.matches',
    method: 'POST',
    path: (w) => `/needs/${w.publicNeed}/matches`,
    params: (w) => ({ id: String(w.publicNeed) }),
    form: (w) => ({ intent: 'invite', 'providers[]': String(w.orgs.providerA) }),
    expect: { anonymous: 302, enterpriseA: 302, agencyRegion: 403, agencyViewer: 403, default: 404 },
  },
  // 推荐对接: owners and reviewers of the agency over the need's region.
  {
    name: 'recommend providerA to enterpriseA’s need',
    route: 'needs.$id_.matches',
    method: 'POST',
    path: (w) => `/needs/${w.publicNeed}/matches`,
    params: (w) => ({ id: String(w.publicNeed) }),
    form: (w) => ({ intent: 'recommend', provider: String(w.orgs.providerA), note: '矩阵推荐' }),
    expect: { anonymous: 302, enterpriseA: 403, agencyRegion: 302, agencyViewer: 403, default: 404 },
  },
  // Drafts are nobody's business but their owner's, and never public.
  {
    name: 'draft need',
    route: 'needs.$id',
    method: 'GET',
    path: (w) => `/needs/${w.draftNeed}`,
    params: (w) => ({ id: String(w.draftNeed) }),
    expect: 404,
  },
  // Published to verified providers only: they and agencies see it; everyone else is told
  // it exists and is restricted (403 with the reason), nothing of it.
  {
    name: 'restricted need',
    route: 'needs.$id',
    method: 'GET',
    path: (w) => `/needs/${w.restrictedNeed}`,
    params: (w) => ({ id: String(w.restrictedNeed) }),
    // An agency member the owner has not confirmed yet has no agency rights at all.
    expect: { providerA: 200, providerB: 200, agencyRegion: 200, agencyOther: 200, agencyViewer: 200, default: 403 },
  },
  // A draft stays nobody's business, whoever it will be published to.
  {
    name: 'restricted draft need',
    route: 'needs.$id',
    method: 'GET',
    path: (w) => `/needs/${w.restrictedDraft}`,
    params: (w) => ({ id: String(w.restrictedDraft) }),
    expect: 404,
  },
  { name: 'favicon', route: 'favicon[.]ico', method: 'GET', path: () => '/favicon.ico', expect: 204 },
  { name: 'switch GET does nothing', route: 'org.switch', method: 'GET', path: () => '/org/switch', expect: 302 },
  // A wrong password is a form error for anyone, never a crash or a hint.
  {
    name: 'login POST',
    route: 'login',
    method: 'POST',
    path: () => '/login',
    // A fresh login per role: one account would be locked after its allowance of failures.
    form: () => ({ login: freshPhone(), password: 'not-the-password' }),
    expect: 400,
  },
  {
    name: 'end other sessions',
    route: 'account',
    method: 'POST',
    path: () => '/account',
    form: () => ({ intent: 'endOthers' }),
    expect: signedIn(200),
  },
  // Only the person's own sessions: another handle ends nothing and says so (a form error).
  {
    name: 'end a session not yours',
    route: 'account',
    method: 'POST',
    path: () => '/account',
    form: () => ({ intent: 'endSession', handle: 'AAAAAAAAAAAAAAAA' }),
    expect: signedIn(409),
  },
  // An empty application is refused as a form error, once signed in.
  {
    name: 'create org POST',
    route: 'orgs.new',
    method: 'POST',
    path: () => '/orgs/new',
    form: () => ({}),
    expect: signedIn(400),
  },
  { name: 'edit org POST', route: 'org.edit', method: 'POST', path: () => '/org/edit', form: () => ({}), expect: signedIn(400) },
  // A verified enterprise's or provider's owner saves its contact; an agency has none to edit here.
  {
    name: 'edit org contact POST',
    route: 'org.edit',
    method: 'POST',
    path: () => '/org/edit',
    form: () => ({ intent: 'contact', contactName: '矩阵联系人', contactPhone: '0514-1234567', description: '' }),
    expect: signedIn(302, { agencyRegion: 409, agencyOther: 409, agencyViewer: 403, agencyPending: 403 }),
  },
  // Its registration asks first (`_confirm=ask`): checked on the owner's own organisation,
  // nothing written; an agency has none to change here.
  {
    name: 'edit org registration POST, asked first',
    route: 'org.edit',
    method: 'POST',
    path: () => '/org/edit',
    form: (_w, role) => ({
      intent: 'registration',
      _confirm: 'ask',
      kind: role.startsWith('provider') ? 'provider' : 'enterprise',
      name: `矩阵改名${role}`,
      uscc: randomUscc('321023'),
      region: '321023',
      ...(role.startsWith('provider') ? { 'providerKinds[]': 'integrator' } : { industry: 'C34' }),
    }),
    expect: signedIn(200, { agencyRegion: 409, agencyOther: 409, agencyViewer: 403, agencyPending: 403 }),
  },
  {
    name: 'join by code POST',
    route: 'join._index',
    method: 'POST',
    path: () => '/join',
    form: () => ({ code: 'ZZZZZZZZ' }),
    expect: signedIn(400),
  },
  // Uploaded files: a verified provider's case images are public; a qualification scan is for its
  // own members and the agencies over its region (any confirmed role); everyone else gets 404.
  {
    name: 'case image',
    route: 'files.$id',
    method: 'GET',
    path: () => `/files/${fileThings.caseImage}`,
    params: () => ({ id: String(fileThings.caseImage) }),
    expect: 200,
  },
  {
    name: 'case image preview',
    route: 'files.$id.preview',
    method: 'GET',
    path: () => `/files/${fileThings.caseImage}/preview`,
    params: () => ({ id: String(fileThings.caseImage) }),
    expect: 200,
  },
  {
    name: 'qualification scan',
    route: 'files.$id',
    method: 'GET',
    path: () => `/files/${fileThings.scan}`,
    params: () => ({ id: String(fileThings.scan) }),
    expect: { providerA: 200, agencyRegion: 200, agencyViewer: 200, default: 404 },
  },
  {
    name: 'qualification scan preview (a document has none)',
    route: 'files.$id.preview',
    method: 'GET',
    path: () => `/files/${fileThings.scan}/preview`,
    params: () => ({ id: String(fileThings.scan) }),
    expect: 404,
  },
  { name: 'healthz', route: 'healthz', method: 'GET', path: () => '/healthz', expect: 200 },
  { name: 'regions api', route: 'api.regions', method: 'GET', path: () => '/api/regions?parent=321000', expect: 200 },
  { name: 'lang GET', route: 'lang', method: 'GET', path: () => '/lang', expect: 404 },
  // Unknown URLs go through the catch-all route (so the 404 page knows the language and the viewer).
  {
    name: 'unknown page',
    route: '$',
    method: 'GET',
    path: () => '/no-such-page',
    params: () => ({ '*': 'no-such-page' }),
    expect: 404,
  },
  {
    name: 'unknown page POST',
    route: '$',
    method: 'POST',
    path: () => '/no-such-page',
    params: () => ({ '*': 'no-such-page' }),
    form: () => ({}),
    expect: 404,
  },
  {
    name: 'lang POST',
    route: 'lang',
    method: 'POST',
    path: () => '/lang',
    form: () => ({ lang: 'en', redirectTo: '/' }),
    expect: 302,
  },
  { name: 'login page', route: 'login', method: 'GET', path: () => '/login', expect: { anonymous: 200, default: 302 } },
  { name: 'register page', route: 'register', method: 'GET', path: () => '/register', expect: { anonymous: 200, default: 302 } },
  { name: 'logout GET does nothing', route: 'logout', method: 'GET', path: () => '/logout', expect: 302 },
  { name: 'account', route: 'account', method: 'GET', path: () => '/account', expect: signedIn(200) },
  { name: 'my org', route: 'org._index', method: 'GET', path: () => '/org', expect: signedIn(200) },
  // Account recovery is for everyone; its answers never depend on who asks.
  { name: 'forgot page', route: 'forgot', method: 'GET', path: () => '/forgot', expect: 200 },
  {
    name: 'forgot: send a code',
    route: 'forgot',
    method: 'POST',
    path: () => '/forgot',
    form: () => ({ intent: 'send', login: freshPhone() }),
    expect: 200,
  },
  { name: 'reset link page', route: 'reset', method: 'GET', path: () => '/reset?token=nope', expect: 200 },
  {
    name: 'reset by link POST',
    route: 'reset',
    method: 'POST',
    path: () => '/reset',
    form: () => ({ token: 'nope', password: 'Matrix-pass-2026', passwordConfirm: 'Matrix-pass-2027' }),
    expect: 400,
  },
  {
    name: 'change password page',
    route: 'account_.password',
    method: 'GET',
    path: () => '/account/password',
    expect: signedIn(200),
  },
  {
    name: 'change password POST',
    route: 'account_.password',
    method: 'POST',
    path: () => '/account/password',
    form: () => ({}),
    expect: signedIn(400),
  },
  { name: 'verify contacts page', route: 'account_.verify', method: 'GET', path: () => '/account/verify', expect: signedIn(200) },
  {
    name: 'verify: a code never sent',
    route: 'account_.verify',
    method: 'POST',
    path: () => '/account/verify',
    form: () => ({ intent: 'confirm', contact: 'phone', code: '000000' }),
    expect: signedIn(400),
  },
  // Exists outside production (tests run with NODE_ENV=test) or with DEV_MAILBOX=1.
  { name: 'development mailbox', route: 'dev.mailbox', method: 'GET', path: () => '/dev/mailbox', expect: 200 },
  { name: 'create org page', route: 'orgs.new', method: 'GET', path: () => '/orgs/new', expect: signedIn(200) },
  // Verified enterprises and providers edit their profile; an agency has nothing to edit
  // here (back to /org). Only owners edit.
  {
    name: 'edit org',
    route: 'org.edit',
    method: 'GET',
    path: () => '/org/edit',
    expect: signedIn(200, { agencyRegion: 302, agencyOther: 302, agencyViewer: 403, agencyPending: 403 }),
  },
  // Providers' capability profiles and cases (issue 11). The public page shows verified providers only.
  {
    name: 'provider public page',
    route: 'providers.$id',
    method: 'GET',
    path: (w) => `/providers/${w.orgs.providerA}`,
    params: (w) => ({ id: String(w.orgs.providerA) }),
    expect: 200,
  },
  {
    name: 'provider public page of an enterprise',
    route: 'providers.$id',
    method: 'GET',
    path: (w) => `/providers/${w.orgs.enterpriseA}`,
    params: (w) => ({ id: String(w.orgs.enterpriseA) }),
    expect: 404,
  },
  {
    name: 'provider profile',
    route: 'provider.profile',
    method: 'GET',
    path: () => '/provider/profile',
    expect: providersOnly(200),
  },
  {
    name: 'provider profile POST',
    route: 'provider.profile',
    method: 'POST',
    path: () => '/provider/profile',
    form: () => ({ revision: '0', teamSize: '12' }),
    expect: providersOnly(302),
  },
  // 推荐需求 and saved searches (issue 13): verified providers, any member; another's saved search is not found.
  {
    name: 'recommended needs',
    route: 'provider.recommended',
    method: 'GET',
    path: () => '/provider/recommended?page=2',
    expect: providersOnly(200),
  },
  {
    name: 'saved searches',
    route: 'provider.saved-searches',
    method: 'GET',
    path: () => '/provider/saved-searches?q=MES&region=321000',
    expect: providersOnly(200),
  },
  {
    name: 'save a search',
    route: 'provider.saved-searches',
    method: 'POST',
    path: () => '/provider/saved-searches',
    form: () => ({ intent: 'create', name: '矩阵搜索', q: 'MES', scenario: 'S401' }),
    expect: providersOnly(302),
  },
  {
    name: "rename providerA's saved search",
    route: 'provider.saved-searches',
    method: 'POST',
    path: () => '/provider/saved-searches',
    form: () => ({ intent: 'rename', id: String(savedSearchThings.id), name: '矩阵改名' }),
    expect: providersOnly(404, { providerA: 302 }),
  },
  {
    name: 'provider qualifications',
    route: 'provider.qualifications',
    method: 'GET',
    path: () => '/provider/qualifications',
    expect: providersOnly(200),
  },
  {
    name: 'add a qualification',
    route: 'provider.qualifications',
    method: 'POST',
    path: () => '/provider/qualifications',
    form: () => ({ intent: 'add', name: '两化融合管理体系贯标' }),
    expect: providersOnly(302),
  },
  // Object level: providerA's qualification is providerA's alone.
  {
    name: "change providerA's qualification",
    route: 'provider.qualifications',
    method: 'POST',
    path: () => '/provider/qualifications',
    form: () => ({
      intent: 'update',
      id: String(providerThings.qualificationId),
      version: providerThings.qualificationVersion,
      name: 'ISO 9001 质量管理体系认证',
    }),
    expect: providersOnly(403, { providerA: 302 }),
  },
  {
    name: 'provider cases',
    route: 'provider.cases._index',
    method: 'GET',
    path: () => '/provider/cases',
    expect: providersOnly(200),
  },
  {
    name: 'new case page',
    route: 'provider.cases.new',
    method: 'GET',
    path: () => '/provider/cases/new',
    expect: providersOnly(200),
  },
  {
    name: 'new case POST',
    route: 'provider.cases.new',
    method: 'POST',
    path: () => '/provider/cases/new',
    form: () => caseForm(),
    expect: providersOnly(302),
  },
  {
    name: "providerA's case",
    route: 'provider.cases.$id',
    method: 'GET',
    path: () => `/provider/cases/${providerThings.caseId}`,
    params: () => ({ id: String(providerThings.caseId) }),
    expect: providersOnly(403, { providerA: 200 }),
  },
  // A stale version: providerA is told so (409), nobody else gets that far.
  {
    name: "edit providerA's case",
    route: 'provider.cases.$id',
    method: 'POST',
    path: () => `/provider/cases/${providerThings.caseId}`,
    params: () => ({ id: String(providerThings.caseId) }),
    form: () => caseForm('2000-01-01T00:00:00.000Z'),
    expect: providersOnly(403, { providerA: 409 }),
  },
  // Deleting asks first (`_confirm=ask`): checked on the case, nothing written.
  {
    name: "delete providerA's case, asked first",
    route: 'provider.cases.$id',
    method: 'POST',
    path: () => `/provider/cases/${providerThings.caseId}`,
    params: () => ({ id: String(providerThings.caseId) }),
    form: () => ({ intent: 'delete', _confirm: 'ask' }),
    expect: providersOnly(403, { providerA: 200 }),
  },
  {
    name: 'diagnosis service records',
    route: 'diagnoses.$id.records._index',
    method: 'GET',
    path: () => `/diagnoses/${serviceThings.diagnosis}/records`,
    params: () => ({ id: String(serviceThings.diagnosis) }),
    expect: diagnosisReaders(200),
  },
  {
    name: 'add a service record',
    route: 'diagnoses.$id.records._index',
    method: 'POST',
    path: () => `/diagnoses/${serviceThings.diagnosis}/records`,
    params: () => ({ id: String(serviceThings.diagnosis) }),
    form: () => recordForm(),
    expect: diagnosisReaders(403, { providerA: 302 }),
  },
  {
    name: 'a service record',
    route: 'diagnoses.$id.records.$recordId',
    method: 'GET',
    path: () => `/diagnoses/${serviceThings.diagnosis}/records/${serviceThings.record}`,
    params: () => ({ id: String(serviceThings.diagnosis), recordId: String(serviceThings.record) }),
    expect: diagnosisReaders(200),
  },
  // A stale version: providerA is told so (409); the other readers may not write.
  {
    name: 'edit a service record',
    route: 'diagnoses.$id.records.$recordId',
    method: 'POST',
    path: () => `/diagnoses/${serviceThings.diagnosis}/records/${serviceThings.record}`,
    params: () => ({ id: String(serviceThings.diagnosis), recordId: String(serviceThings.record) }),
    form: () => ({ intent: 'save', version: '2000-01-01T00:00:00.000Z', ...recordForm() }),
    expect: diagnosisReaders(403, { providerA: 409 }),
  },
  {
    name: 'satisfaction survey',
    route: 'diagnoses.$id.survey',
    method: 'GET',
    path: () => `/diagnoses/${serviceThings.diagnosis}/survey`,
    params: () => ({ id: String(serviceThings.diagnosis) }),
    expect: diagnosisReaders(200),
  },
  // enterpriseA comes first (ROLES order): it fills the survey the row below reviews.
  {
    name: 'fill the satisfaction survey',
    route: 'diagnoses.$id.survey',
    method: 'POST',
    path: () => `/diagnoses/${serviceThings.diagnosis}/survey`,
    params: () => ({ id: String(serviceThings.diagnosis) }),
    form: () => ({
      intent: 'fill',
      process: 'good',
      analysis: 'good',
      proposal: 'very_good',
      competence: 'good',
      result: 'fair',
      overall: 'satisfied',
    }),
    expect: diagnosisReaders(403, { enterpriseA: 302 }),
  },
  {
    name: 'review the satisfaction survey',
    route: 'diagnoses.$id.survey',
    method: 'POST',
    path: () => `/diagnoses/${serviceThings.diagnosis}/survey`,
    params: () => ({ id: String(serviceThings.diagnosis) }),
    form: () => ({ intent: 'review', opinion: '同意验收。' }),
    expect: diagnosisReaders(403, { agencyRegion: 302 }),
  },
  // Diagnosis projects and reports (issue 12, slice B1). The list and the new-project form: every
  // active member (the form only for owners of enterprises, consultancy providers, agency owners and
  // reviewers); engaging providerB (no consultancy kind) is refused on the field to enterprise owners.
  {
    name: 'diagnosis projects',
    route: 'diagnoses._index',
    method: 'GET',
    path: () => '/diagnoses?status=completed',
    expect: signedIn(200, { agencyPending: 403 }),
  },
  {
    name: 'new diagnosis project',
    route: 'diagnoses.new',
    method: 'GET',
    path: () => '/diagnoses/new',
    expect: signedIn(200, { providerB: 403, agencyViewer: 403, agencyPending: 403 }),
  },
  {
    name: 'engage a diagnoser without the consultancy kind',
    route: 'diagnoses.new',
    method: 'POST',
    path: () => '/diagnoses/new',
    form: (w) => ({ intent: 'engage', providerOrgId: String(w.orgs.providerB), kind: 'workshop' }),
    expect: signedIn(403, { enterpriseA: 400, enterpriseB: 400 }),
  },
  {
    name: 'diagnosis project page',
    route: 'diagnoses.$id._index',
    method: 'GET',
    path: () => `/diagnoses/${serviceThings.diagnosis}`,
    params: () => ({ id: String(serviceThings.diagnosis) }),
    expect: diagnosisReaders(200),
  },
  // Completed: its parties may no longer cancel (409); the agency did not assign it (403).
  {
    name: 'cancel a completed diagnosis',
    route: 'diagnoses.$id._index',
    method: 'POST',
    path: () => `/diagnoses/${serviceThings.diagnosis}`,
    params: () => ({ id: String(serviceThings.diagnosis) }),
    form: () => ({ intent: 'cancel', reason: '' }),
    expect: diagnosisReaders(403, { enterpriseA: 409, providerA: 409 }),
  },
  // Only enterpriseA's owner confirms; version 1 is confirmed already: read-only (409).
  {
    name: 'confirm a confirmed report',
    route: 'diagnoses.$id._index',
    method: 'POST',
    path: () => `/diagnoses/${serviceThings.diagnosis}`,
    params: () => ({ id: String(serviceThings.diagnosis) }),
    form: () => ({ intent: 'confirm', version: '1', revision: '1' }),
    expect: diagnosisReaders(403, { enterpriseA: 409 }),
  },
  // The editor is providerA's; its latest version is confirmed: read-only (409).
  {
    name: 'diagnosis report editor',
    route: 'diagnoses.$id.report',
    method: 'GET',
    path: () => `/diagnoses/${serviceThings.diagnosis}/report`,
    params: () => ({ id: String(serviceThings.diagnosis) }),
    expect: diagnosisReaders(403, { providerA: 409 }),
  },
  {
    name: 'save a confirmed report',
    route: 'diagnoses.$id.report',
    method: 'POST',
    path: () => `/diagnoses/${serviceThings.diagnosis}/report`,
    params: () => ({ id: String(serviceThings.diagnosis) }),
    form: () => ({ intent: 'save', revision: '1', kind: 'workshop', basics: '企业基本情况' }),
    expect: diagnosisReaders(403, { providerA: 409 }),
  },
  {
    name: 'a diagnosis report version',
    route: 'diagnoses.$id.versions.$version',
    method: 'GET',
    path: () => `/diagnoses/${serviceThings.diagnosis}/versions/1`,
    params: () => ({ id: String(serviceThings.diagnosis), version: '1' }),
    expect: diagnosisReaders(200),
  },
  {
    name: 'create invite',
    route: 'org._index',
    method: 'POST',
    path: () => '/org',
    form: () => ({ intent: 'createInvite' }),
    expect: signedIn(200, { agencyViewer: 403, agencyPending: 403 }),
  },
  // The agency's owner confirms a newcomer with a role; elsewhere there is no such member.
  {
    name: 'confirm agency member',
    route: 'org._index',
    method: 'POST',
    path: () => '/org',
    form: (w) => ({ intent: 'setMemberRole', userId: String(w.newcomer), role: 'reviewer' }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 403, agencyPending: 403, default: 404 },
  },
  // Object level: removing B's member while acting for another org finds no such member.
  {
    name: "remove B's member",
    route: 'org._index',
    method: 'POST',
    path: () => '/org',
    form: (w) => ({ intent: 'removeMember', userId: String(w.memberOfB) }),
    expect: signedIn(404, { enterpriseB: 200 }),
  },
  // Object level: an invitation of no organisation of the actor's is not found.
  {
    name: 'revoke an unknown invitation',
    route: 'org._index',
    method: 'POST',
    path: () => '/org',
    form: () => ({ intent: 'revokeInvite', inviteId: '2147483000' }),
    expect: signedIn(404),
  },
  {
    name: "switch to B's org",
    route: 'org.switch',
    method: 'POST',
    path: () => '/org/switch',
    form: (w) => ({ orgId: String(w.orgs.enterpriseB) }),
    expect: signedIn(403, { enterpriseB: 302 }),
  },
  { name: 'join page', route: 'join._index', method: 'GET', path: () => '/join', expect: signedIn(200) },
  {
    name: 'join link',
    route: 'join.$code',
    method: 'GET',
    path: (w) => `/join/${w.inviteToken}`,
    params: (w) => ({ code: w.inviteToken }),
    expect: signedIn(200),
  },
  { name: 'audit queue', route: 'agency.audits._index', method: 'GET', path: () => '/agency/audits', expect: agencyOnly(200) },
  // Enterprise archive (issue 12): the enterprise edits its own; members, agencies of its
  // jurisdiction (viewers too) and an engaged diagnoser read it; anyone else gets 404.
  {
    name: 'own enterprise archive',
    route: 'enterprise.archive',
    method: 'GET',
    path: () => '/enterprise/archive',
    expect: { anonymous: 302, enterpriseA: 200, enterpriseB: 200, default: 403 },
  },
  {
    name: 'save own enterprise archive',
    route: 'enterprise.archive',
    method: 'POST',
    path: () => '/enterprise/archive',
    form: () => ({ intent: 'archive', revision: '0', sizeBand: 'medium', aboveScale: '1' }),
    expect: { anonymous: 302, enterpriseA: 302, enterpriseB: 302, default: 403 },
  },
  {
    // providerA diagnosed enterpriseA (serviceThings: a completed project): it reads A's archive, not B's.
    name: "enterpriseA's archive page",
    route: 'enterprises.$id',
    method: 'GET',
    path: (w) => `/enterprises/${w.orgs.enterpriseA}`,
    params: (w) => ({ id: String(w.orgs.enterpriseA) }),
    expect: { anonymous: 302, enterpriseA: 200, providerA: 200, agencyRegion: 200, agencyViewer: 200, default: 404 },
  },
  {
    name: "enterpriseB's archive page",
    route: 'enterprises.$id',
    method: 'GET',
    path: (w) => `/enterprises/${w.orgs.enterpriseB}`,
    params: (w) => ({ id: String(w.orgs.enterpriseB) }),
    expect: { anonymous: 302, enterpriseB: 200, agencyRegion: 200, agencyViewer: 200, default: 404 },
  },
  {
    name: 'archive page of a provider',
    route: 'enterprises.$id',
    method: 'GET',
    path: (w) => `/enterprises/${w.orgs.providerA}`,
    params: (w) => ({ id: String(w.orgs.providerA) }),
    expect: { anonymous: 302, default: 404 },
  },
  {
    name: 'jurisdiction enterprises',
    route: 'agency.enterprises',
    method: 'GET',
    path: () => '/agency/enterprises?aboveScale=1&diagnosed=no&page=2',
    expect: { ...agencyOnly(200), agencyViewer: 200 },
  },
  // Issue 13: the matching weights of the agency's own region — owners and reviewers.
  { name: 'matching weights', route: 'agency.matching', method: 'GET', path: () => '/agency/matching', expect: agencyOnly(200) },
  {
    name: 'save matching weights (defaults, first revision)',
    route: 'agency.matching',
    method: 'POST',
    path: () => '/agency/matching',
    form: () => ({
      intent: 'save',
      revision: '0',
      text: '25',
      scenario: '20',
      industry: '15',
      rating: '10',
      delivery: '8',
      region: '8',
      capacity: '5',
      price: '5',
      tier: '4',
    }),
    expect: agencyOnly(302),
  },
  // Bids (issue 14): verified providers bid on a published need; one live bid each.
  {
    name: 'bid form on enterpriseA’s need',
    route: 'needs.$id_.bid',
    method: 'GET',
    path: (w) => `/needs/${w.publicNeed}/bid`,
    params: (w) => ({ id: String(w.publicNeed) }),
    expect: providersOnly(200),
  },
  {
    name: 'submit a bid on enterpriseA’s need',
    route: 'needs.$id_.bid',
    method: 'POST',
    path: (w) => `/needs/${w.publicNeed}/bid`,
    params: (w) => ({ id: String(w.publicNeed) }),
    form: () => ({ intent: 'save', price: '88.8', durationDays: '60', plan: '矩阵提交的方案', status: 'awarded' }),
    expect: providersOnly(302),
  },
  {
    name: 'providerA’s bid',
    route: 'bids.$id',
    method: 'GET',
    path: () => `/bids/${bidThings.bid}`,
    params: () => ({ id: String(bidThings.bid) }),
    expect: bidReaders(200),
  },
  {
    name: 'withdraw providerA’s bid',
    route: 'bids.$id',
    method: 'POST',
    path: () => `/bids/${bidThings.bid}`,
    params: () => ({ id: String(bidThings.bid) }),
    form: () => ({ reason: '矩阵撤回' }),
    expect: { anonymous: 302, providerA: 302, default: 404 },
  },
  // The question thread: the bidder's and the need's enterprise's members write; agencies read the bid only.
  {
    name: 'a question on providerA’s bid',
    route: 'bids.$id',
    method: 'POST',
    path: () => `/bids/${compareThings.bid}`,
    params: () => ({ id: String(compareThings.bid) }),
    form: () => ({ intent: 'message', body: '矩阵提问' }),
    expect: { anonymous: 302, providerA: 302, enterpriseA: 302, agencyRegion: 403, agencyViewer: 403, default: 404 },
  },
  // 比较方案: enterpriseA's members and the agencies over the need read; enterpriseA decides.
  {
    name: 'compare the bids on enterpriseA’s need',
    route: 'enterprise.needs.$id.compare',
    method: 'GET',
    path: () => `/enterprise/needs/${compareThings.need}/compare`,
    params: () => ({ id: String(compareThings.need) }),
    expect: { ...bidReaders(200), providerA: 404 },
  },
  {
    name: 'shortlist a bid on enterpriseA’s need',
    route: 'enterprise.needs.$id.compare',
    method: 'POST',
    path: () => `/enterprise/needs/${compareThings.need}/compare`,
    params: () => ({ id: String(compareThings.need) }),
    form: () => ({ intent: 'shortlist', bidId: String(compareThings.bid), status: 'awarded' }),
    expect: { anonymous: 302, enterpriseA: 302, agencyRegion: 403, agencyViewer: 403, default: 404 },
  },
  {
    name: 'my bids',
    route: 'provider.bids',
    method: 'GET',
    path: () => '/provider/bids?tab=withdrawn&page=2',
    expect: providersOnly(200),
  },
  {
    name: 'bids received on enterpriseA’s need',
    route: 'enterprise.needs.$id.bids',
    method: 'GET',
    path: () => `/enterprise/needs/${bidThings.need}/bids`,
    params: () => ({ id: String(bidThings.need) }),
    expect: { ...bidReaders(200), providerA: 404 },
  },
  // 合同 (issue 14 §3): its parties and the agencies over its region read it; the parties edit the
  // draft, their owners confirm it, an agency owner / reviewer appoints the supervisor.
  {
    name: 'enterpriseA’s draft contract with providerA',
    route: 'contracts.$id',
    method: 'GET',
    path: () => `/contracts/${contractThings.read}?page=2&sq=监理`,
    params: () => ({ id: String(contractThings.read) }),
    expect: bidReaders(200),
  },
  {
    name: 'confirm enterpriseA’s contract with providerA (both owners in turn: it comes into force)',
    route: 'contracts.$id',
    method: 'POST',
    path: () => `/contracts/${contractThings.confirm}`,
    params: () => ({ id: String(contractThings.confirm) }),
    form: () => ({ intent: 'confirm', revision: '1', agree: 'on', status: 'completed' }),
    expect: { anonymous: 302, enterpriseA: 302, providerA: 302, agencyRegion: 403, agencyViewer: 403, default: 404 },
  },
  {
    name: 'appoint a supervisor to enterpriseA’s contract',
    route: 'contracts.$id',
    method: 'POST',
    path: () => `/contracts/${contractThings.appoint}`,
    params: () => ({ id: String(contractThings.appoint) }),
    form: () => ({ intent: 'appoint', supervisorOrgId: String(contractThings.supervisor) }),
    expect: { anonymous: 302, agencyRegion: 302, enterpriseA: 403, providerA: 403, agencyViewer: 403, default: 404 },
  },
  {
    name: 'link a case that is not providerA’s to its contract',
    route: 'contracts.$id',
    method: 'POST',
    path: () => `/contracts/${contractThings.read}`,
    params: () => ({ id: String(contractThings.read) }),
    form: () => ({ intent: 'linkCase', caseId: '999999' }),
    expect: { anonymous: 302, providerA: 400, enterpriseA: 403, agencyRegion: 403, agencyViewer: 403, default: 404 },
  },
  {
    name: 'the draft form of enterpriseA’s contract',
    route: 'contracts.$id_.edit',
    method: 'GET',
    path: () => `/contracts/${contractThings.read}/edit`,
    params: () => ({ id: String(contractThings.read) }),
    expect: { anonymous: 302, enterpriseA: 200, providerA: 200, agencyRegion: 403, agencyViewer: 403, default: 404 },
  },
  {
    name: 'save the draft of enterpriseA’s contract (as it is)',
    route: 'contracts.$id_.edit',
    method: 'POST',
    path: () => `/contracts/${contractThings.read}/edit`,
    params: () => ({ id: String(contractThings.read) }),
    form: () => ({ ...CONTRACT_DRAFT, revision: '1', amount: '1', status: 'active' }),
    expect: { anonymous: 302, enterpriseA: 302, providerA: 302, agencyRegion: 403, agencyViewer: 403, default: 404 },
  },
  {
    name: 'print enterpriseA’s contract',
    route: 'contracts.$id_.print',
    method: 'GET',
    path: () => `/contracts/${contractThings.read}/print`,
    params: () => ({ id: String(contractThings.read) }),
    expect: bidReaders(200),
  },
  // 合同评价: the parties and the agencies over the region read; each party rates once, agencies do not rate.
  {
    name: 'the ratings of enterpriseA’s contract with providerA',
    route: 'contracts.$id_.ratings',
    method: 'GET',
    path: () => `/contracts/${ratingThings.contract}/ratings`,
    params: () => ({ id: String(ratingThings.contract) }),
    expect: bidReaders(200),
  },
  {
    name: 'rate enterpriseA’s contract with providerA',
    route: 'contracts.$id_.ratings',
    method: 'POST',
    path: () => `/contracts/${ratingThings.contract}/ratings`,
    params: () => ({ id: String(ratingThings.contract) }),
    form: () => ({
      intent: 'rate',
      item1: 'good',
      item2: 'good',
      item3: 'good',
      item4: 'good',
      item5: 'good',
      overall: 'satisfied',
      side: 'supervisor',
      rated_org_id: '1',
    }),
    expect: { anonymous: 302, enterpriseA: 302, providerA: 302, agencyRegion: 403, agencyViewer: 403, default: 404 },
  },
  // 里程碑: every reader of the contract reads it; providerA's members submit, enterpriseA's accept
  // (no supervisor appointed here); agencies read only.
  {
    name: 'a milestone of enterpriseA’s contract with providerA',
    route: 'contracts.$id_.milestones.$mid',
    method: 'GET',
    path: () => `/contracts/${milestoneThings.contract}/milestones/${milestoneThings.pending}`,
    params: () => ({ id: String(milestoneThings.contract), mid: String(milestoneThings.pending) }),
    expect: bidReaders(200),
  },
  {
    name: 'submit a milestone of enterpriseA’s contract with providerA',
    route: 'contracts.$id_.milestones.$mid',
    method: 'POST',
    path: () => `/contracts/${milestoneThings.contract}/milestones/${milestoneThings.pending}`,
    params: () => ({ id: String(milestoneThings.contract), mid: String(milestoneThings.pending) }),
    form: () => ({ intent: 'submit', evidence: '矩阵提交', status: 'accepted', round: '5' }),
    expect: { anonymous: 302, providerA: 302, enterpriseA: 403, agencyRegion: 403, agencyViewer: 403, default: 404 },
  },
  {
    name: 'accept a milestone of enterpriseA’s contract with providerA',
    route: 'contracts.$id_.milestones.$mid',
    method: 'POST',
    path: () => `/contracts/${milestoneThings.contract}/milestones/${milestoneThings.submitted}`,
    params: () => ({ id: String(milestoneThings.contract), mid: String(milestoneThings.submitted) }),
    form: () => ({ intent: 'review', round: '1', decision: 'accepted', side: 'supervisor' }),
    expect: { anonymous: 302, enterpriseA: 302, providerA: 403, agencyRegion: 403, agencyViewer: 403, default: 404 },
  },
  // 监理日志: every reader reads; only an appointed supervisor's members write (none here: 403).
  {
    name: 'the supervision log of enterpriseA’s contract with providerA',
    route: 'contracts.$id_.supervision',
    method: 'GET',
    path: () => `/contracts/${milestoneThings.contract}/supervision?page=2`,
    params: () => ({ id: String(milestoneThings.contract) }),
    expect: bidReaders(200),
  },
  {
    name: 'log an inspection of enterpriseA’s contract with providerA',
    route: 'contracts.$id_.supervision',
    method: 'POST',
    path: () => `/contracts/${milestoneThings.contract}/supervision`,
    params: () => ({ id: String(milestoneThings.contract) }),
    form: () => ({ logDate: new Date().toISOString().slice(0, 10), findings: '矩阵检查', quality: 'good', schedule: 'on_track' }),
    expect: { anonymous: 302, enterpriseA: 403, providerA: 403, agencyRegion: 403, agencyViewer: 403, default: 404 },
  },
  // 邀请与推荐 received: verified providers only.
  {
    name: 'provider invitations',
    route: 'provider.invitations',
    method: 'GET',
    path: () => '/provider/invitations?page=3',
    expect: providersOnly(200),
  },
  // 通知: everyone signed in reads and marks their own notices, and sets their own channels.
  {
    name: 'notifications',
    route: 'notifications',
    method: 'GET',
    path: () => '/notifications?unread=1&page=2',
    expect: signedIn(200),
  },
  {
    name: 'notifications: mark all read',
    route: 'notifications',
    method: 'POST',
    path: () => '/notifications',
    form: () => ({ intent: 'readAll' }),
    expect: signedIn(302),
  },
  // A notice that is not the person's (here: none) is not found, for everyone.
  {
    name: 'notifications: mark read not yours',
    route: 'notifications',
    method: 'POST',
    path: () => '/notifications',
    form: () => ({ intent: 'read', id: '2147483000' }),
    expect: signedIn(404),
  },
  {
    name: 'notification settings',
    route: 'account_.notifications',
    method: 'GET',
    path: () => '/account/notifications',
    expect: signedIn(200),
  },
  {
    name: 'notification settings: save',
    route: 'account_.notifications',
    method: 'POST',
    path: () => '/account/notifications',
    form: () => ({ 'email.invitation_received': 'on', role: 'owner' }),
    expect: signedIn(302),
  },
  // Any confirmed member of an agency reads its log; reviewing needs an owner or reviewer.
  {
    name: 'audit log',
    route: 'agency.audit-log',
    method: 'GET',
    path: () => '/agency/audit-log',
    expect: { ...agencyOnly(200), agencyViewer: 200 },
  },
  {
    name: 'review pending org',
    route: 'agency.audits.$orgId',
    method: 'GET',
    path: (w) => `/agency/audits/${w.pendingOrg}`,
    params: (w) => ({ orgId: String(w.pendingOrg) }),
    expect: { anonymous: 302, agencyRegion: 200, default: 403 },
  },
  {
    name: 'approve pending org',
    route: 'agency.audits.$orgId',
    method: 'POST',
    path: (w) => `/agency/audits/${w.pendingOrgForPost}`,
    params: (w) => ({ orgId: String(w.pendingOrgForPost) }),
    form: () => ({ intent: 'approve', revision: '1' }),
    // agencyRegion runs after agencyOther (ROLES order), so the others meet a pending org.
    expect: { anonymous: 302, agencyRegion: 302, default: 403 },
  },
  // Disputes (issue 14 §5): the contract's readers read; its parties open; the opener's side
  // withdraws; an agency owner/reviewer over the region resolves (readers who may not: 403).
  {
    name: 'disputes of enterpriseA’s contract with providerA',
    route: 'contracts.$id_.disputes',
    method: 'GET',
    path: () => `/contracts/${disputeThings.contract}/disputes?page=2`,
    params: () => ({ id: String(disputeThings.contract) }),
    expect: disputeReaders(200),
  },
  {
    name: 'open a dispute on enterpriseA’s contract with providerA',
    route: 'contracts.$id_.disputes',
    method: 'POST',
    path: () => `/contracts/${disputeThings.openOn}/disputes`,
    params: () => ({ id: String(disputeThings.openOn) }),
    form: () => ({ subject: '矩阵纠纷', description: '矩阵纠纷说明', status: 'resolved', outcome: 'terminate' }),
    expect: { ...disputeReaders(302), agencyRegion: 403, agencyViewer: 403 },
  },
  {
    name: 'a dispute providerA opened',
    route: 'disputes.$id',
    method: 'GET',
    path: () => `/disputes/${disputeThings.resolve}`,
    params: () => ({ id: String(disputeThings.resolve) }),
    expect: disputeReaders(200),
  },
  {
    name: 'withdraw a dispute providerA opened',
    route: 'disputes.$id',
    method: 'POST',
    path: () => `/disputes/${disputeThings.withdraw}`,
    params: () => ({ id: String(disputeThings.withdraw) }),
    form: () => ({ intent: 'withdraw' }),
    expect: { ...disputeReaders(403), providerA: 302 },
  },
  {
    name: 'resolve a dispute on a contract in agencyRegion',
    route: 'disputes.$id',
    method: 'POST',
    path: () => `/disputes/${disputeThings.resolve}`,
    params: () => ({ id: String(disputeThings.resolve) }),
    form: () => ({ intent: 'resolve', resolution: '矩阵处理意见', outcome: 'continue', fault: 'none', status: 'withdrawn' }),
    expect: { ...disputeReaders(403), agencyRegion: 302 },
  },
  // Workspaces (issue 14 §7): each kind of organisation its own; the list narrows to it.
  {
    name: 'my projects (enterprise)',
    route: 'enterprise.projects',
    method: 'GET',
    path: () => '/enterprise/projects?tab=active&page=2',
    expect: { anonymous: 302, enterpriseA: 200, enterpriseB: 200, default: 403 },
  },
  {
    name: 'my contracts (provider)',
    route: 'provider.contracts',
    method: 'GET',
    path: () => '/provider/contracts?tab=draft',
    expect: providersOnly(200),
  },
  {
    name: 'supervised projects',
    route: 'supervisor.projects',
    method: 'GET',
    path: () => '/supervisor/projects?tab=completed',
    expect: providersOnly(200),
  },
  {
    name: 'contract oversight (agency)',
    route: 'agency.contracts',
    method: 'GET',
    path: () => '/agency/contracts?filter=disputed',
    expect: { ...agencyOnly(200), agencyViewer: 200 },
  },
  // Issue 15 slice D: the dashboard and event outcomes — verified agency members (viewers too),
  // narrowed to the jurisdiction; a region outside it, or another agency's event, is 403.
  {
    name: 'agency dashboard',
    route: 'agency.dashboard',
    method: 'GET',
    path: () => '/agency/dashboard?year=2026&region=321000',
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'agency dashboard (own region, whichever agency)',
    route: 'agency.dashboard',
    method: 'GET',
    path: () => '/agency/dashboard',
    expect: { ...agencyOnly(200), agencyViewer: 200 },
  },
  {
    name: 'agency dashboard workbook',
    route: 'agency.dashboard[.]xlsx',
    method: 'GET',
    path: () => '/agency/dashboard.xlsx?region=321000',
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'event outcomes over time',
    route: 'agency.outcomes',
    method: 'GET',
    path: () => '/agency/outcomes?year=2026',
    expect: { ...agencyOnly(200), agencyViewer: 200 },
  },
  {
    name: "an event's outcome",
    route: 'agency.events.$id_.outcomes',
    method: 'GET',
    path: () => `/agency/events/${dashboardThings.eventId}/outcomes`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  // Issue 15 slice T: district targets. Reading: verified agency members over a district of the
  // plan (viewers too; an agency elsewhere finds no plan: 404); the plan form: a verified agency's
  // owners and reviewers (a province sets targets for its cities too); entering actuals: owners and
  // reviewers of an agency over the district.
  {
    name: 'district targets',
    route: 'agency.targets._index',
    method: 'GET',
    path: () => '/agency/targets?year=2030',
    expect: { ...agencyOnly(200), agencyViewer: 200 },
  },
  {
    name: 'save district targets',
    route: 'agency.targets._index',
    method: 'POST',
    path: () => '/agency/targets',
    form: () => ({ year: '2030', note: '矩阵', t_321003_cloud: '5', agency_org_id: '1' }),
    expect: { ...agencyOnly(302), agencyRegion: 302, agencyOther: 302 },
  },
  {
    name: "a year's district scores",
    route: 'agency.targets.$year',
    method: 'GET',
    path: () => `/agency/targets/${targetThings.year}`,
    params: () => ({ year: String(targetThings.year) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, agencyOther: 404, default: 403 },
  },
  {
    name: 'enter district actuals',
    route: 'agency.targets.$year',
    method: 'POST',
    path: () => `/agency/targets/${targetThings.year}`,
    params: () => ({ year: String(targetThings.year) }),
    form: () => ({ intent: 'entry', region: '321003', metric: 'cloud', quantity: '2', evidence: '星级上云认定文件' }),
    expect: { anonymous: 302, agencyRegion: 302, agencyOther: 404, default: 403 },
  },
  {
    name: "a year's district scores workbook",
    route: 'agency.targets.$year[.]xlsx',
    method: 'GET',
    path: () => `/agency/targets/${targetThings.year}.xlsx`,
    params: () => ({ year: String(targetThings.year) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, agencyOther: 404, default: 403 },
  },
  {
    name: "a district's counted records",
    route: 'agency.targets.$year_.$region.$metric',
    method: 'GET',
    path: () => `/agency/targets/${targetThings.year}/321003/coverage`,
    params: () => ({ year: String(targetThings.year), region: '321003', metric: 'coverage' }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, agencyOther: 404, default: 403 },
  },
  // Issue 15 slice E: events. The agency list: verified agency members (their own and their
  // jurisdiction's events); creating, the progress view's actions and every stage screen's action:
  // the organiser's owners and reviewers (its viewer reads the screens, others 403); the public
  // pages: everyone (a draft: agencies over it only, 404 for the rest); taking part: verified
  // enterprises and providers.
  {
    name: 'agency events list',
    route: 'agency.events._index',
    method: 'GET',
    path: () => '/agency/events?page=2',
    expect: { ...agencyOnly(200), agencyViewer: 200 },
  },
  {
    name: 'new event form',
    route: 'agency.events.new',
    method: 'GET',
    path: () => '/agency/events/new',
    expect: agencyOnly(200),
  },
  {
    name: 'create an event of 扬州市 (outside agencyOther’s jurisdiction: 400)',
    route: 'agency.events.new',
    method: 'POST',
    path: () => '/agency/events/new',
    form: () => ({
      title: '矩阵新建对接会',
      regionCode: '321000',
      mode: 'online',
      startsOn: '2026-12-20',
      endsOn: '2026-12-21',
      stage: 'closed',
      organiser_org_id: '1',
    }),
    expect: { anonymous: 302, agencyRegion: 302, agencyOther: 400, default: 403 },
  },
  {
    name: 'event progress view',
    route: 'agency.events.$id._index',
    method: 'GET',
    path: () => `/agency/events/${eventThings.eventId}`,
    params: () => ({ id: String(eventThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'a draft event’s progress view',
    route: 'agency.events.$id._index',
    method: 'GET',
    path: () => `/agency/events/${eventThings.draftId}`,
    params: () => ({ id: String(eventThings.draftId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 404 },
  },
  {
    name: 'event: next stage, asked first (nothing changes)',
    route: 'agency.events.$id._index',
    method: 'POST',
    path: () => `/agency/events/${eventThings.eventId}`,
    params: () => ({ id: String(eventThings.eventId) }),
    form: () => ({ intent: 'advance', revision: '1', _confirm: 'ask' }),
    expect: { anonymous: 302, agencyRegion: 200, default: 403 },
  },
  {
    name: 'edit event form',
    route: 'agency.events.$id_.edit',
    method: 'GET',
    path: () => `/agency/events/${eventThings.eventId}/edit`,
    params: () => ({ id: String(eventThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, default: 403 },
  },
  {
    name: 'edit event on a stale revision',
    route: 'agency.events.$id_.edit',
    method: 'POST',
    path: () => `/agency/events/${eventThings.eventId}/edit`,
    params: () => ({ id: String(eventThings.eventId) }),
    form: () => ({
      title: '矩阵改名',
      regionCode: '321000',
      mode: 'online',
      startsOn: '2026-12-20',
      endsOn: '2026-12-21',
      revision: '99',
    }),
    expect: { anonymous: 302, agencyRegion: 409, default: 403 },
  },
  {
    name: 'event batch of needs',
    route: 'agency.events.$id_.needs',
    method: 'GET',
    path: () => `/agency/events/${eventThings.eventId}/needs?q=设备&industry=C34&scenario=S401&region=321023&page=2`,
    params: () => ({ id: String(eventThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'event batch: list a need already listed',
    route: 'agency.events.$id_.needs',
    method: 'POST',
    path: () => `/agency/events/${eventThings.eventId}/needs`,
    params: () => ({ id: String(eventThings.eventId) }),
    form: (w) => ({ intent: 'add', needId: String(w.publicNeed), status: 'listed' }),
    expect: { anonymous: 302, agencyRegion: 409, default: 403 },
  },
  {
    name: 'event provider registrations',
    route: 'agency.events.$id_.providers',
    method: 'GET',
    path: () => `/agency/events/${eventThings.eventId}/providers?page=2`,
    params: () => ({ id: String(eventThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'event: decide an unknown registration',
    route: 'agency.events.$id_.providers',
    method: 'POST',
    path: () => `/agency/events/${eventThings.eventId}/providers`,
    params: () => ({ id: String(eventThings.eventId) }),
    form: () => ({ intent: 'approve', registrationId: '2147483647' }),
    expect: { anonymous: 302, agencyRegion: 404, default: 403 },
  },
  {
    name: 'event letters of intent',
    route: 'agency.events.$id_.intents',
    method: 'GET',
    path: () => `/agency/events/${eventThings.eventId}/intents`,
    params: () => ({ id: String(eventThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'event: strike an intent while intents are closed',
    route: 'agency.events.$id_.intents',
    method: 'POST',
    path: () => `/agency/events/${eventThings.eventId}/intents`,
    params: () => ({ id: String(eventThings.eventId) }),
    form: () => ({ intent: 'strike', intentId: '1', reason: '矩阵' }),
    expect: { anonymous: 302, agencyRegion: 409, default: 403 },
  },
  {
    name: 'event workbook',
    route: 'agency.events.$id[.]xlsx',
    method: 'GET',
    path: () => `/agency/events/${eventThings.eventId}.xlsx`,
    params: () => ({ id: String(eventThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  { name: 'public events', route: 'events._index', method: 'GET', path: () => '/events?stage=open&page=2', expect: 200 },
  {
    name: 'public event page',
    route: 'events.$id',
    method: 'GET',
    path: () => `/events/${eventThings.eventId}?page=2`,
    params: () => ({ id: String(eventThings.eventId) }),
    expect: 200,
  },
  {
    name: 'a draft’s public page',
    route: 'events.$id',
    method: 'GET',
    path: () => `/events/${eventThings.draftId}`,
    params: () => ({ id: String(eventThings.draftId) }),
    expect: { agencyRegion: 200, agencyViewer: 200, default: 404 },
  },
  {
    name: 'event: withdraw a registration (providerA’s)',
    route: 'events.$id',
    method: 'POST',
    path: () => `/events/${eventThings.eventId}`,
    params: () => ({ id: String(eventThings.eventId) }),
    form: () => ({ intent: 'withdrawRegistration' }),
    expect: { anonymous: 302, providerA: 302, providerB: 409, default: 403 },
  },
  // Issue 15 slice R: the expert library (owners and reviewers of an agency, its own library), site
  // visits and proposal review of D's event of agencyRegion (stage intents: slots and the sheet are
  // closed, 409 for the organiser; its viewer reads; nobody else takes part: 403), the expert's pages
  // (nobody here is appointed: 404), a bidder's results (no provider registered: 403).
  {
    name: 'expert library',
    route: 'agency.experts',
    method: 'GET',
    path: () => '/agency/experts',
    expect: agencyOnly(200),
  },
  {
    name: 'expert library: add an unknown account',
    route: 'agency.experts',
    method: 'POST',
    path: () => '/agency/experts',
    form: () => ({ intent: 'add', login: '13000000999', name: '矩阵专家', role: 'owner', agency_org_id: '1' }),
    expect: agencyOnly(400),
  },
  {
    name: 'site visits (organiser)',
    route: 'agency.events.$id_.visits',
    method: 'GET',
    path: () => `/agency/events/${dashboardThings.eventId}/visits`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'site visits: offer a slot after the stage',
    route: 'agency.events.$id_.visits',
    method: 'POST',
    path: () => `/agency/events/${dashboardThings.eventId}/visits`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    form: (w) => ({
      intent: 'add',
      needId: String(w.publicNeed),
      visitOn: '2026-03-01',
      startsAt: '09:00',
      endsAt: '10:00',
      place: '矩阵现场',
    }),
    expect: { anonymous: 302, agencyRegion: 409, default: 403 },
  },
  {
    name: 'site visits (participants)',
    route: 'events.$id_.visits',
    method: 'GET',
    path: () => `/events/${dashboardThings.eventId}/visits`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'site visits: book a slot',
    route: 'events.$id_.visits',
    method: 'POST',
    path: () => `/events/${dashboardThings.eventId}/visits`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    form: () => ({ intent: 'book', slotId: '999999' }),
    expect: signedIn(403),
  },
  {
    name: 'proposal review (organiser)',
    route: 'agency.events.$id_.review',
    method: 'GET',
    path: () => `/agency/events/${dashboardThings.eventId}/review`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'proposal review: publish without a sheet',
    route: 'agency.events.$id_.review',
    method: 'POST',
    path: () => `/agency/events/${dashboardThings.eventId}/review`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    form: () => ({ intent: 'publish' }),
    expect: { anonymous: 302, agencyRegion: 409, default: 403 },
  },
  {
    name: 'proposal review results (bidders)',
    route: 'events.$id_.results',
    method: 'GET',
    path: () => `/events/${dashboardThings.eventId}/results`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    expect: signedIn(403),
  },
  {
    name: "an expert's tasks",
    route: 'expert._index',
    method: 'GET',
    path: () => '/expert',
    expect: signedIn(200),
  },
  {
    name: 'declare a tie (not appointed)',
    route: 'expert._index',
    method: 'POST',
    path: () => '/expert',
    form: (w) => ({
      eventId: String(dashboardThings.eventId),
      needId: String(w.publicNeed),
      providerOrgId: String(w.orgs.providerA),
      reason: '矩阵关联',
    }),
    expect: signedIn(404),
  },
  {
    name: "an expert's scoring page (not appointed)",
    route: 'expert.events.$id.needs.$needId',
    method: 'GET',
    path: (w) => `/expert/events/${dashboardThings.eventId}/needs/${w.publicNeed}`,
    params: (w) => ({ id: String(dashboardThings.eventId), needId: String(w.publicNeed) }),
    expect: signedIn(404),
  },
  {
    name: 'score a proposal (not appointed)',
    route: 'expert.events.$id.needs.$needId',
    method: 'POST',
    path: (w) => `/expert/events/${dashboardThings.eventId}/needs/${w.publicNeed}`,
    params: (w) => ({ id: String(dashboardThings.eventId), needId: String(w.publicNeed) }),
    form: () => ({ bidId: '1', s1: '5', comment: '' }),
    expect: signedIn(404),
  },
  // Issue 15 slice M: meetings of D's event of agencyRegion (stage intents, no meeting settings yet):
  // the organiser's screen (its viewer reads; 排期 without settings: 409), participants' pages (nobody
  // here takes part: 403), the agenda and its .ics (the organiser and its viewer: the whole event).
  {
    name: 'meetings (organiser)',
    route: 'agency.events.$id_.meetings',
    method: 'GET',
    path: () => `/agency/events/${dashboardThings.eventId}/meetings`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'meetings: schedule without settings',
    route: 'agency.events.$id_.meetings',
    method: 'POST',
    path: () => `/agency/events/${dashboardThings.eventId}/meetings`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    form: () => ({ intent: 'schedule' }),
    expect: { anonymous: 302, agencyRegion: 409, default: 403 },
  },
  {
    name: 'meetings (participants)',
    route: 'events.$id_.meetings',
    method: 'GET',
    path: () => `/events/${dashboardThings.eventId}/meetings`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    expect: signedIn(403),
  },
  {
    name: 'meetings: ask for a meeting',
    route: 'events.$id_.meetings',
    method: 'POST',
    path: () => `/events/${dashboardThings.eventId}/meetings`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    form: (w) => ({ intent: 'request', needId: String(w.publicNeed), message: '矩阵洽谈' }),
    expect: signedIn(403),
  },
  {
    name: 'meeting agenda',
    route: 'events.$id_.agenda',
    method: 'GET',
    path: () => `/events/${dashboardThings.eventId}/agenda`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  {
    name: 'meeting agenda (.ics)',
    route: 'events.$id_.agenda[.]ics',
    method: 'GET',
    path: () => `/events/${dashboardThings.eventId}/agenda.ics`,
    params: () => ({ id: String(dashboardThings.eventId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 403 },
  },
  // Issue 15 slice V: provider evaluation. Agency pages: verified agency members read their own
  // agency's (viewers too; another agency's scheme is 404); owners and reviewers write. A provider's
  // own results: any member reads; the owner appeals its own result (anyone else's: 404).
  {
    name: 'evaluation schemes',
    route: 'agency.evaluations._index',
    method: 'GET',
    path: () => '/agency/evaluations',
    expect: { ...agencyOnly(200), agencyViewer: 200 },
  },
  {
    name: 'create an evaluation scheme',
    route: 'agency.evaluations._index',
    method: 'POST',
    path: () => '/agency/evaluations',
    form: () => ({ year: '2032', title: '2032 年度服务商评价', preferredMin: '85', excludedBelow: '60', status: 'published' }),
    expect: agencyOnly(302),
  },
  {
    name: 'an evaluation scheme',
    route: 'agency.evaluations.$id',
    method: 'GET',
    path: () => `/agency/evaluations/${evaluationThings.publishedId}`,
    params: () => ({ id: String(evaluationThings.publishedId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, agencyOther: 404, default: 403 },
  },
  {
    name: 'compute evaluation results',
    route: 'agency.evaluations.$id',
    method: 'POST',
    path: () => `/agency/evaluations/${evaluationThings.judgingId}`,
    params: () => ({ id: String(evaluationThings.judgingId) }),
    form: () => ({ intent: 'compute' }),
    expect: { anonymous: 302, agencyRegion: 302, agencyOther: 404, default: 403 },
  },
  {
    name: 'evaluation results workbook',
    route: 'agency.evaluations.$id_.results[.]xlsx',
    method: 'GET',
    path: () => `/agency/evaluations/${evaluationThings.publishedId}/results.xlsx`,
    params: () => ({ id: String(evaluationThings.publishedId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, agencyOther: 404, default: 403 },
  },
  {
    name: 'evaluation appeals',
    route: 'agency.evaluations.$id_.appeals',
    method: 'GET',
    path: () => `/agency/evaluations/${evaluationThings.publishedId}/appeals`,
    params: () => ({ id: String(evaluationThings.publishedId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, agencyOther: 404, default: 403 },
  },
  {
    name: 'decide an evaluation appeal',
    route: 'agency.evaluations.$id_.appeals',
    method: 'POST',
    path: () => `/agency/evaluations/${evaluationThings.publishedId}/appeals`,
    params: () => ({ id: String(evaluationThings.publishedId) }),
    form: () => ({ appealId: String(evaluationThings.appealId), decision: 'dismissed', note: '矩阵驳回' }),
    expect: { anonymous: 302, agencyRegion: 302, agencyOther: 404, default: 403 },
  },
  {
    name: 'sanctions and rechecks',
    route: 'agency.sanctions',
    method: 'GET',
    path: () => '/agency/sanctions',
    expect: { ...agencyOnly(200), agencyViewer: 200 },
  },
  {
    name: 'sanction a provider',
    route: 'agency.sanctions',
    method: 'POST',
    path: () => '/agency/sanctions',
    form: (w) => ({ intent: 'impose', providerOrgId: String(w.orgs.providerA), level: 'warning', reason: '矩阵测试的警告。' }),
    // providerA is outside 甘肃's jurisdiction: a field error.
    expect: { anonymous: 302, agencyRegion: 302, agencyOther: 400, default: 403 },
  },
  {
    name: "a provider's evaluation",
    route: 'provider.evaluation',
    method: 'GET',
    path: () => '/provider/evaluation',
    expect: { anonymous: 302, providerA: 200, providerB: 200, default: 403 },
  },
  {
    name: 'appeal an evaluation',
    route: 'provider.evaluation',
    method: 'POST',
    path: () => '/provider/evaluation',
    form: () => ({ resultId: String(evaluationThings.resultA), reason: '矩阵测试的申诉理由。' }),
    expect: { anonymous: 302, providerA: 302, default: 404 },
  },
  // Issue 15 §7: Excel exports and imports as background tasks — any agency member exports,
  // owners and reviewers import; a task is its member's alone.
  {
    name: 'exports page',
    route: 'agency.exports',
    method: 'GET',
    path: () => '/agency/exports?page=2',
    expect: { ...agencyOnly(200), agencyViewer: 200 },
  },
  {
    name: 'start an export',
    route: 'agency.exports',
    method: 'POST',
    path: () => '/agency/exports',
    form: () => ({ intent: 'export', list: 'needs', params: 'status=published', role: 'owner' }),
    expect: { ...agencyOnly(302), agencyViewer: 302 },
  },
  {
    name: 'an export task',
    route: 'agency.exports_.$id',
    method: 'GET',
    path: () => `/agency/exports/${spreadsheetThings.done}`,
    params: () => ({ id: String(spreadsheetThings.done) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyOther: 404, agencyViewer: 404, default: 403 },
  },
  {
    name: 'discard an import',
    route: 'agency.exports_.$id',
    method: 'POST',
    path: () => `/agency/exports/${spreadsheetThings.ready}`,
    params: () => ({ id: String(spreadsheetThings.ready) }),
    form: () => ({ intent: 'cancel' }),
    expect: { anonymous: 302, agencyRegion: 302, agencyOther: 404, default: 403 },
  },
  {
    name: 'download an export',
    route: 'agency.exports_.$id.download',
    method: 'GET',
    path: () => `/agency/exports/${spreadsheetThings.done}/download`,
    params: () => ({ id: String(spreadsheetThings.done) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyOther: 404, agencyViewer: 404, default: 403 },
  },
  {
    name: 'an import template',
    route: 'agency.exports_.templates.$list',
    method: 'GET',
    path: () => '/agency/exports/templates/enterprises',
    params: () => ({ list: 'enterprises' }),
    expect: agencyOnly(200),
  },
  // Issue 15 slice P: the provider pool — the agency's own members read (viewers too, not a
  // member waiting for confirmation), its owners and reviewers decide; another agency's round
  // does not exist for anyone else (404). Providers' owners apply; anyone signed in objects
  // to a 公示; the expert writes their own review.
  {
    name: 'provider pool (agency)',
    route: 'agency.pool._index',
    method: 'GET',
    path: () => '/agency/pool?status=notice',
    expect: { ...agencyOnly(200), agencyViewer: 200 },
  },
  {
    name: 'open a pool round POST',
    route: 'agency.pool._index',
    method: 'POST',
    path: () => '/agency/pool',
    form: () => ({
      category: 'integrator',
      title: '矩阵新批次',
      applyUntil: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      'industry[]': 'C34',
      'quota[]': '2',
    }),
    expect: { ...agencyOnly(302), agencyViewer: 403 },
  },
  {
    name: 'a pool round',
    route: 'agency.pool.$id',
    method: 'GET',
    path: () => `/agency/pool/${poolThings.roundId}?app=${poolThings.noticeApplication}`,
    params: () => ({ id: String(poolThings.roundId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 404 },
  },
  {
    name: 'a pool round: set a quota POST',
    route: 'agency.pool.$id',
    method: 'POST',
    path: () => `/agency/pool/${poolThings.roundId}`,
    params: () => ({ id: String(poolThings.roundId) }),
    form: () => ({ intent: 'quota', industryCode: 'C34', quota: '5' }),
    expect: { anonymous: 302, agencyRegion: 302, agencyViewer: 403, default: 404 },
  },
  {
    name: 'a pool round workbook',
    route: 'agency.pool.$id[.]xlsx',
    method: 'GET',
    path: () => `/agency/pool/${poolThings.roundId}.xlsx`,
    params: () => ({ id: String(poolThings.roundId) }),
    expect: { anonymous: 302, agencyRegion: 200, agencyViewer: 200, default: 404 },
  },
  {
    name: 'provider pool (provider)',
    route: 'provider.pool',
    method: 'GET',
    path: () => '/provider/pool',
    expect: providersOnly(200),
  },
  {
    name: 'apply to a pool round POST',
    route: 'provider.pool',
    method: 'POST',
    path: () => '/provider/pool',
    form: () => ({ intent: 'apply', roundId: String(poolThings.openRoundId), industryCode: 'C34', statement: '矩阵申请' }),
    expect: providersOnly(302),
  },
  { name: 'pool notices', route: 'pool.notices', method: 'GET', path: () => '/pool/notices', expect: 200 },
  {
    name: 'object to a pool notice POST',
    route: 'pool.notices',
    method: 'POST',
    path: () => '/pool/notices',
    form: () => ({ intent: 'object', applicationId: String(poolThings.noticeApplication), reason: '矩阵测试异议理由' }),
    expect: signedIn(302),
  },
  { name: 'pool reviews (expert)', route: 'expert.pool', method: 'GET', path: () => '/expert/pool', expect: signedIn(200) },
  {
    name: 'write a pool review POST',
    route: 'expert.pool',
    method: 'POST',
    path: () => '/expert/pool',
    form: () => ({ intent: 'review', reviewId: String(poolThings.reviewId), score: '80', opinion: '矩阵评审', recommend: 'yes' }),
    expect: { anonymous: 302, enterpriseA: 302, default: 404 },
  },
  // Last: accepting the invitation makes every signed-in role a member of B.
  {
    name: 'join link POST',
    route: 'join.$code',
    method: 'POST',
    path: (w) => `/join/${w.inviteToken}`,
    params: (w) => ({ code: w.inviteToken }),
    expect: signedIn(302),
  },
  // Near the end: signing up (open to everyone) replaces the session the request carried.
  {
    name: 'register POST',
    route: 'register',
    method: 'POST',
    path: () => '/register',
    form: () => ({ name: '新用户', login: freshPhone(), password: 'Matrix-pass-2026', passwordConfirm: 'Matrix-pass-2026' }),
    expect: 302,
  },
  // Very last: signing out ends each role's session.
  { name: 'logout POST', route: 'logout', method: 'POST', path: () => '/logout', expect: 302 },
]

function expectedFor(row: Row, role: Role): number {
  if (typeof row.expect === 'number') return row.expect
  return row.expect[role] ?? row.expect.default ?? 200
}

describe('authorization matrix: every route × method × role', () => {
  it('classifies every loader and action that app/routes exports', () => {
    expect(routeIds.length).toBeGreaterThan(15)
    const unclassified: string[] = []
    for (const id of routeIds) {
      const mod = modules[id]!
      if (mod.loader && !TABLE.some((r) => r.route === id && r.method === 'GET')) unclassified.push(`GET ${id}`)
      if (mod.action && !TABLE.some((r) => r.route === id && r.method === 'POST')) unclassified.push(`POST ${id}`)
    }
    const unknown = TABLE.filter((r) => !routeIds.includes(r.route)).map((r) => r.route)
    expect(unclassified).toEqual([])
    expect(unknown).toEqual([])
  })

  it('answers exactly as the table says, with no 5xx', async () => {
    const mismatches: string[] = []
    let crashes = 0
    for (const row of TABLE) {
      for (const role of ROLES) {
        const outcome = await call(modules[row.route]!, {
          method: row.method,
          path: row.path(world),
          params: row.params?.(world),
          form: row.form?.(world, role),
          cookie: world.cookies[role],
        })
        if (outcome.status >= 500) {
          crashes += 1
          console.error(row.name, role, outcome.error)
        }
        const want = expectedFor(row, role)
        if (outcome.status !== want) mismatches.push(`${row.method} ${row.name} as ${role}: got ${outcome.status}, want ${want}`)
      }
    }
    expect(crashes).toBe(0)
    expect(mismatches).toEqual([])
    // Every role signs in and up once (scrypt at its production cost), then about 450 rows × every
    // role: tens of seconds on SQLite, a few minutes on PostgreSQL on a busy 2-core machine.
  }, 600_000)

  it('sends anonymous visitors of private pages to sign in, and records denials', async () => {
    const outcome = await call(modules['agency.audits._index']!, { path: '/agency/audits' })
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/login?redirectTo=%2Fagency%2Faudits')

    // The matrix ended every role's session (its last row signs out): sign in afresh.
    const { db } = services()
    // The matrix's denials filled this window's distinct keys (AUDIT_KEYS_PER_WINDOW): start a fresh count.
    await db.deleteFrom('audit_counters').execute()
    const colleague = await insertUser(db, { name: 'A 的同事' })
    await addMember(db, colleague.id, world.orgs.enterpriseA, 'member')
    const { cookie } = await signIn(db, colleague.id, world.orgs.enterpriseA)
    const denied = await call(modules['agency.audits._index']!, { path: '/agency/audits', cookie })
    expect(denied.status).toBe(403)
    expect(denied.body).toBe('errors.forbidden')
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'access.denied')
      .where('object_id', '=', '/agency/audits')
      .where('actor_org_id', '=', world.orgs.enterpriseA)
      .execute()
    expect(rows.length).toBeGreaterThan(0)
    expect(rows[0]!.ip).toBe('203.0.113.7')
  })
})
