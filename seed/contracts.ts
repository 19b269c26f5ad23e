/**
 * The demo data's bids and contracts (issue 14): written after the needs, from the
 * needs as written (read back in id order) and the plan's contract stream, so the same
 * seed gives the same rows. One transaction of multi-row inserts on both dialects, ids
 * taken first as seed/diagnoses-writer.ts does.
 *
 * What each need gets, by its status (coherent with the need's life cycle):
 * - published: about one in twelve has 1–3 bids (submitted, now and then withdrawn);
 * - shortlisting: 2–5 bids, shortlisted, rejected, submitted or withdrawn (none awarded);
 * - awarded: bids, one awarded, the rest rejected; a draft contract made from the winning
 *   bid (its template version's milestones, amounts by milestoneAmounts), one side or
 *   none confirmed (待确认);
 * - contracted: the same, confirmed by both and active; about two in three supervised
 *   (an agency over the need's region appointed a 监理机构); milestones accepted as their
 *   due dates passed, the next one submitted and waiting, or late (flagged);
 * - closed: two in three completed (every milestone accepted, ratings by the sides, the
 *   rated side replying now and then), one in six terminated after a dispute resolved
 *   with outcome terminate, the rest closed without an award (bids rejected).
 * Supervised contracts carry 监理日志 and the supervisor's reviews; every change is a
 * contract_events row, in time order per contract.
 *
 * The demo accounts take part (DEMO phones in seed/accounts.ts): 企业 A has a draft to
 * confirm and two active contracts with 服务商 A (one supervised by the demo 监理机构,
 * appointed by the demo 扬州市工信局, with a late milestone; one with a milestone waiting
 * for acceptance); 服务商 A has bids in every status and a completed, rated contract.
 * 企业 A keeps open needs 服务商 A has not bid on (the bids journey bids on one).
 */
import { sql, type Insertable, type Kysely } from 'kysely'
import { DEFAULT_MILESTONES, DEFAULT_TERMS, milestoneAmounts, milestoneDueDates } from '../app/domain/contracts/draft.server.js'
import { addDays } from '../app/domain/needs/lifecycle.server.js'
import { dialectOf } from '../db/dialect.js'
import type { DB } from '../db/types.js'
import { chunks, pgReserveIds, type IdentityTable } from './bulk.js'
import type { DemoOrganisation } from './demo.js'
import type { Rng } from './random.js'

const DAY_MS = 86_400_000
const ROWS = 500
const NO_LOGIN = '!demo-no-login'

export const DEMO_ENTERPRISE_A = '13900000001'
export const DEMO_PROVIDER_A = '13900000011'
export const DEMO_SUPERVISOR = '13900000014'
export const DEMO_AGENCY = '13900000021'

export interface ContractDataCounts {
  bids: number
  contracts: number
  milestones: number
  submissions: number
  reviews: number
  logs: number
  disputes: number
  ratings: number
  events: number
}

type Grade = 'very_good' | 'good' | 'fair' | 'poor'
type ContractPlanStatus = 'draft' | 'active' | 'completed' | 'terminated'

interface NeedRow {
  id: number
  org_id: number
  status: string
  region_code: string
  title: string
  budget_min_wan: number
  budget_max_wan: number
  duration_months: number
  published_at: string | null
  deadline: string | null
  visibility: string
}

interface Template {
  versionId: number
  constructionDays: number
  technicalStandards: string
  acceptanceStandards: string
  qualityTerms: string
  warrantyMonths: number
  disputeClause: string
  milestones: { name: string; percent: number; criteria: string }[]
}

async function nextIds(trx: Kysely<DB>, table: IdentityTable, count: number): Promise<number[]> {
  if (count <= 0) return []
  if (dialectOf(trx) === 'postgres') return pgReserveIds(trx, table, count)
  const row = await sql<{ m: number | null }>`select max(id) as m from ${sql.table(table)}`.execute(trx)
  const first = Number(row.rows[0]?.m ?? 0) + 1
  return Array.from({ length: count }, (_, i) => first + i)
}

async function insert<T extends keyof DB>(trx: Kysely<DB>, table: T, rows: readonly Insertable<DB[T]>[]): Promise<void> {
  for (const part of chunks(rows, ROWS)) await trx.insertInto(table).values(part).execute()
}

/**
 * The China date of a moment (UTC+8, no daylight saving): what needs/lifecycle's chinaDate
 * gives, without an Intl.DateTimeFormat per call (hundreds of thousands of calls at scale).
 */
function chinaDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

/** 09:00–18:00 China time on a China date. */
function atDay(rng: Rng, date: string): number {
  return Date.parse(`${date}T01:00:00.000Z`) + rng.int(0, 9 * 3600) * 1000
}

function parseMilestones(json: string): Template['milestones'] {
  try {
    const list = JSON.parse(json) as { name?: unknown; percent?: unknown; criteria?: unknown }[]
    const out = list.map((m) => ({
      name: (typeof m.name === 'string' ? m.name : '').slice(0, 100),
      percent: Number(m.percent),
      criteria: (typeof m.criteria === 'string' ? m.criteria : '').slice(0, 2000),
    }))
    const ok =
      out.length > 0 &&
      out.length <= 20 &&
      out.every((m) => m.name && Number.isInteger(m.percent) && m.percent >= 1) &&
      out.reduce((s, m) => s + m.percent, 0) === 100
    return ok ? out : [...DEFAULT_MILESTONES]
  } catch {
    return [...DEFAULT_MILESTONES]
  }
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '高',
  '林',
  '何',
  '郭',
  '马',
  '罗',
]
const GIVEN = [
  '建华',
  '志强',
  '晓明',
  '丽娟',
  '海涛',
  '文静',
  '国平',
  '雪梅',
  '振东',
  '秀英',
  '立新',
  '春燕',
  '伟',
  '敏',
  '磊',
  '静',
]
const REJECT_REASONS = ['报价高于预算上限', '实施周期偏长', '同类行业案例不足', '方案与现有系统集成考虑不足', '已选定其他方案']
const PLANS = [
  '第一阶段现场调研与方案细化；第二阶段设备联网与数据采集；第三阶段平台部署、联调与培训；第四阶段试运行与验收。',
  '以数据贯通为主线：先完成关键工序数据采集，再上线 MES 核心模块，最后打通 ERP 与质量追溯。',
  '分两期实施：一期完成产线自动化改造与视觉检测，二期建设车间级数据平台和能耗管理。',
  '采用成熟产品加少量定制开发，驻场实施，关键节点由企业确认后推进。',
]
const LOG_FINDINGS = [
  '现场检查设备安装与布线，符合方案要求；施工区域安全防护到位。',
  '抽查数据采集点 12 个，数据上传正常；个别传感器标定记录缺失，已要求补齐。',
  '核对本阶段实施资料，调试记录完整；进度与计划基本一致。',
  '系统联调中发现与 ERP 接口字段不一致，已督促服务商整改并复核。',
  '操作人员培训已完成两期，培训签到与考核记录齐全。',
]
const EVIDENCE = [
  '已完成本节点约定的全部工作内容，附安装调试记录、测试报告和现场照片，请验收。',
  '本节点功能已上线试运行，试运行报告及问题整改清单见附件。',
  '按合同约定完成交付，提交验收资料一套（含用户手册与培训记录）。',
]
const COMMENTS = {
  enterprise: [
    '实施团队专业，响应及时，项目按期上线。',
    '整体满意，部分功能仍需优化。',
    '方案落地效果好，生产数据实现了实时可视。',
  ],
  provider: ['企业需求明确，配合积极，付款及时。', '验收流程规范，沟通顺畅。', '现场协调到位，期待继续合作。'],
  supervisor: ['施工质量符合标准，资料完整。', '进度控制较好，整改响应迅速。', '安全文明施工到位，个别资料需补充。'],
} as const
const REPLIES = ['感谢评价，我们会持续做好运维服务。', '感谢认可，后续优化项已纳入服务计划。', '感谢合作，期待下次再为贵方服务。']

interface Org {
  id: number
  kind: string
  status: string
  region: string
  kinds: readonly string[]
  name: string
}

/** Writes the bids and contracts of the needs already in the database; returns the counts. */
export async function writeContractData(
  db: Kysely<DB>,
  rng: Rng,
  organisations: readonly DemoOrganisation[],
  orgIds: readonly number[],
  nowDate: Date,
): Promise<ContractDataCounts> {
  const nowMs = nowDate.getTime()
  const today = chinaDate(nowDate)
  const orgs: Org[] = organisations.map((o, i) => ({
    id: orgIds[i] ?? 0,
    kind: o.kind,
    status: o.status,
    region: o.regionCode,
    kinds: o.providerKinds,
    name: o.name,
  }))
  const orgName = new Map(orgs.map((o) => [o.id, o.name]))
  return db.transaction().execute(async (trx) => {
    const counts: ContractDataCounts = {
      bids: 0,
      contracts: 0,
      milestones: 0,
      submissions: 0,
      reviews: 0,
      logs: 0,
      disputes: 0,
      ratings: 0,
      events: 0,
    }
    const needs = (
      await trx
        .selectFrom('needs')
        .select([
          'id',
          'org_id',
          'status',
          'region_code',
          'title',
          'budget_min_wan',
          'budget_max_wan',
          'duration_months',
          'published_at',
          'deadline',
          'visibility',
        ])
        .where('status', 'in', ['published', 'shortlisting', 'awarded', 'contracted', 'closed'])
        .orderBy('id')
        .execute()
    ).map((n): NeedRow => ({
      ...n,
      budget_min_wan: Number(n.budget_min_wan),
      budget_max_wan: Number(n.budget_max_wan),
      duration_months: Number(n.duration_months),
      published_at: n.published_at === null ? null : new Date(n.published_at).toISOString(),
      deadline: n.deadline === null ? null : String(n.deadline).slice(0, 10),
    }))
    if (needs.length === 0) return counts

    // The demo accounts' organisations.
    const phoneOrg = new Map<string, number>()
    for (const r of await trx
      .selectFrom('users as u')
      .innerJoin('memberships as m', 'm.user_id', 'u.id')
      .select(['u.phone', 'm.org_id'])
      .where('u.phone', 'in', [DEMO_ENTERPRISE_A, DEMO_PROVIDER_A, DEMO_SUPERVISOR, DEMO_AGENCY])
      .execute())
      if (r.phone) phoneOrg.set(r.phone, r.org_id)
    const enterpriseA = phoneOrg.get(DEMO_ENTERPRISE_A)
    const providerA = phoneOrg.get(DEMO_PROVIDER_A)
    const supervisorA = phoneOrg.get(DEMO_SUPERVISOR)
    const agencyA = phoneOrg.get(DEMO_AGENCY)

    const verified = orgs.filter((o) => o.kind === 'provider' && o.status === 'verified')
    const bidders = verified.filter((o) => !o.kinds.includes('supervisor'))
    const supervisors = verified.filter((o) => o.kinds.includes('supervisor'))
    const biddersByProvince = new Map<string, Org[]>()
    for (const b of bidders) {
      const key = b.region.slice(0, 2)
      const list = biddersByProvince.get(key)
      if (list) list.push(b)
      else biddersByProvince.set(key, [b])
    }
    const agencies = orgs.filter((o) => o.kind === 'agency' && o.status === 'verified')
    const agencyByRegion = new Map(agencies.map((a) => [a.region, a.id]))
    const parents = new Map(
      (await trx.selectFrom('regions').select(['code', 'parent_code']).execute()).map((r) => [r.code, r.parent_code]),
    )
    const demoAgencyRegion = agencyA === undefined ? undefined : orgs.find((o) => o.id === agencyA)?.region
    const agencyCache = new Map<string, number | undefined>()
    const agencyOver = (region: string): number | undefined => {
      if (agencyCache.has(region)) return agencyCache.get(region)
      const chain: string[] = []
      for (let c: string | null | undefined = region; c; c = parents.get(c)) chain.push(c)
      let found: number | undefined
      if (demoAgencyRegion && chain.includes(demoAgencyRegion)) found = agencyA
      for (const c of chain) {
        if (found !== undefined) break
        found = agencyByRegion.get(c)
      }
      agencyCache.set(region, found)
      return found
    }

    // Providers' current template versions (their own, active).
    const templates = new Map<number, Template>()
    const bidderIds = bidders.map((b) => b.id)
    for (const part of chunks(bidderIds, 500)) {
      for (const r of await trx
        .selectFrom('contract_templates as t')
        .innerJoin('contract_template_versions as v', (j) =>
          j.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'),
        )
        .select([
          't.org_id',
          'v.id',
          'v.construction_days',
          'v.technical_standards',
          'v.acceptance_standards',
          'v.quality_terms',
          'v.warranty_months',
          'v.dispute_clause',
          'v.milestones',
        ])
        .where('t.org_id', 'in', part)
        .where('t.status', '=', 'active')
        .orderBy('t.org_id')
        .orderBy('t.id')
        .execute()) {
        if (templates.has(r.org_id)) continue
        templates.set(r.org_id, {
          versionId: r.id,
          constructionDays: Number(r.construction_days),
          technicalStandards: r.technical_standards,
          acceptanceStandards: r.acceptance_standards,
          qualityTerms: r.quality_terms,
          warrantyMonths: Number(r.warranty_months),
          disputeClause: r.dispute_clause,
          milestones: parseMilestones(r.milestones),
        })
      }
    }

    // ---------------------------------------------------------------- what each need gets
    type BidPlan = { providerId: number; status: 'submitted' | 'shortlisted' | 'rejected' | 'withdrawn' | 'awarded' }
    interface NeedPlan {
      need: NeedRow
      bids: BidPlan[]
      contract: null | {
        status: ContractPlanStatus
        supervised: boolean
        /** For demo contracts: which supervisor, and the shape of the milestones. */
        supervisorId?: number
        shape?: 'late' | 'waiting'
        confirmed?: 'none' | 'provider' | 'enterprise'
      }
      /** A need whose status this plan changes (the demo accounts' needs). */
      newStatus?: string
    }
    const plans: NeedPlan[] = []
    const pickBidders = (need: NeedRow, n: number, exclude: readonly number[] = []): number[] => {
      const local = biddersByProvince.get(need.region_code.slice(0, 2)) ?? []
      const pool = local.length >= n + exclude.length + 2 ? local : bidders
      // n distinct draws without copying the pool (thousands of providers at scale).
      const out: number[] = []
      for (let tries = 0; out.length < Math.min(n, pool.length - exclude.length) && tries < 50; tries++) {
        const id = pool[rng.int(0, pool.length - 1)]!.id
        if (!out.includes(id) && !exclude.includes(id)) out.push(id)
      }
      return out
    }
    const open = (n: NeedRow) => n.status === 'published' && (n.deadline === null || n.deadline >= today)

    // The demo accounts' share first (the needs are taken out of the random draw below).
    const forced = new Map<number, NeedPlan>()
    if (enterpriseA !== undefined && providerA !== undefined) {
      const mine = needs.filter((n) => n.org_id === enterpriseA)
      const take = (statuses: readonly string[], used: Set<number>) =>
        mine.find((n) => statuses.includes(n.status) && !used.has(n.id) && n.published_at !== null)
      const used = new Set<number>()
      const force = (need: NeedRow | undefined, plan: Omit<NeedPlan, 'need' | 'bids'>, status: BidPlan['status']) => {
        if (!need) return
        used.add(need.id)
        const others = pickBidders(need, 2, [providerA])
        forced.set(need.id, {
          need,
          ...plan,
          bids: [
            { providerId: providerA, status },
            ...others.map((id): BidPlan => ({
              providerId: id,
              status: status === 'awarded' ? 'rejected' : 'submitted',
            })),
          ],
        })
      }
      // Active, supervised by the demo 监理机构, a milestone late (the oldest need: its work is under way).
      const lateNeed = take(['contracted'], used) ?? take(['awarded', 'shortlisting', 'published', 'closed'], used)
      force(
        lateNeed,
        {
          contract: { status: 'active', supervised: supervisorA !== undefined, supervisorId: supervisorA, shape: 'late' },
          newStatus: 'contracted',
        },
        'awarded',
      )
      const firstOther = (pred: (n: NeedRow) => boolean) =>
        needs.find((n) => n.org_id !== enterpriseA && pred(n) && !forced.has(n.id))
      // The completed, rated contract: on a need of 企业 A closed already, or old enough (four months) to
      // have been carried out; else on another enterprise's closed need.
      const longAgo = iso(nowMs - 120 * DAY_MS)
      const completedNeed =
        take(['closed'], used) ??
        mine.find(
          (n) =>
            ['awarded', 'contracted'].includes(n.status) &&
            !used.has(n.id) &&
            n.published_at !== null &&
            n.published_at < longAgo,
        ) ??
        // An old published need, while 企业 A keeps three open ones (the journeys bid on them).
        (mine.filter(open).length > 3
          ? mine.find((n) => open(n) && !used.has(n.id) && n.published_at !== null && n.published_at < longAgo)
          : undefined) ??
        firstOther((n) => n.status === 'closed' && n.region_code.startsWith('32')) ??
        firstOther((n) => n.status === 'closed')
      force(
        completedNeed,
        {
          contract: { status: 'completed', supervised: supervisorA !== undefined, supervisorId: supervisorA },
          newStatus: 'closed',
        },
        'awarded',
      )
      // Active, a milestone submitted and waiting for 企业 A's acceptance (and the supervisor's).
      const waitingNeed = take(['contracted'], used) ?? take(['awarded', 'shortlisting', 'published', 'closed'], used)
      force(
        waitingNeed,
        {
          contract: { status: 'active', supervised: supervisorA !== undefined, supervisorId: supervisorA, shape: 'waiting' },
          newStatus: 'contracted',
        },
        'awarded',
      )
      // Draft to confirm: 服务商 A confirmed, 企业 A has not.
      const draftNeed = take(['awarded'], used) ?? take(['shortlisting', 'published'], used)
      force(
        draftNeed,
        { contract: { status: 'draft', supervised: false, confirmed: 'provider' }, newStatus: 'awarded' },
        'awarded',
      )
      // A shortlisted bid of 服务商 A on a need of 企业 A still comparing.
      force(take(['shortlisting'], used), { contract: null }, 'shortlisted')
      // Elsewhere: rejected, withdrawn, submitted, and a completed, rated contract.
      const others = needs.filter((n) => n.org_id !== enterpriseA && !forced.has(n.id))
      const firstOf = (pred: (n: NeedRow) => boolean) => others.find((n) => pred(n) && !forced.has(n.id))
      force(
        firstOf((n) => n.status === 'shortlisting'),
        { contract: null },
        'rejected',
      )
      force(firstOf(open), { contract: null }, 'withdrawn')
      force(firstOf(open), { contract: null }, 'submitted')
    }

    for (const need of needs) {
      const f = forced.get(need.id)
      if (f) {
        plans.push(f)
        continue
      }
      // Needs of 企业 A still open for bids: never bid on by 服务商 A.
      const exclude = need.org_id === enterpriseA && providerA !== undefined ? [providerA] : []
      switch (need.status) {
        case 'published': {
          if (!rng.chance(0.08)) break
          const ids = pickBidders(need, rng.int(1, 3), exclude)
          plans.push({
            need,
            contract: null,
            bids: ids.map((id) => ({ providerId: id, status: rng.chance(0.1) ? 'withdrawn' : 'submitted' })),
          })
          break
        }
        case 'shortlisting': {
          const ids = pickBidders(need, rng.int(2, 5), exclude)
          plans.push({
            need,
            contract: null,
            bids: ids.map((id) => ({
              providerId: id,
              status: rng.weighted<BidPlan['status']>([
                ['shortlisted', 4],
                ['rejected', 2],
                ['submitted', 2],
                ['withdrawn', 1],
              ]),
            })),
          })
          break
        }
        case 'awarded':
        case 'contracted':
        case 'closed': {
          const ids = pickBidders(need, rng.int(2, 5), exclude)
          const roll = rng.next()
          const status: ContractPlanStatus | null =
            need.status === 'awarded'
              ? 'draft'
              : need.status === 'contracted'
                ? 'active'
                : roll < 0.66
                  ? 'completed'
                  : roll < 0.83
                    ? 'terminated'
                    : null
          plans.push({
            need,
            contract: status
              ? {
                  status,
                  supervised: supervisors.length > 0 && rng.chance(0.65),
                  confirmed: rng.pick(['none', 'provider', 'enterprise']),
                }
              : null,
            bids: ids.map((id, i) => ({
              providerId: id,
              status: status && i === 0 ? 'awarded' : rng.chance(0.15) ? 'withdrawn' : 'rejected',
            })),
          })
          break
        }
      }
    }

    // ---------------------------------------------------------------- people
    const parties = new Set<number>()
    for (const p of plans) {
      parties.add(p.need.org_id)
      for (const b of p.bids) parties.add(b.providerId)
    }
    for (const s of supervisors) parties.add(s.id)
    for (const a of agencies) parties.add(a.id)
    const owners = new Map<number, number>()
    for (const part of chunks([...parties], 500)) {
      for (const r of await trx
        .selectFrom('memberships')
        .select(['org_id', 'user_id'])
        .where('role', '=', 'owner')
        .where('status', '=', 'active')
        .where('org_id', 'in', part)
        .orderBy('user_id')
        .execute())
        if (!owners.has(r.org_id)) owners.set(r.org_id, r.user_id)
    }
    const missing = [...parties].filter((id) => !owners.has(id)).sort((a, b) => a - b)
    const userIds = await nextIds(trx, 'users', missing.length)
    const created = new Map(orgs.map((o, i) => [o.id, organisations[i]?.createdAt ?? new Date(0).toISOString()]))
    await insert(
      trx,
      'users',
      missing.map((orgId, i) => ({
        id: userIds[i],
        name: `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}`,
        email: `owner-${orgId}@demo.invalid`,
        password_hash: NO_LOGIN,
        created_at: created.get(orgId) ?? new Date(0).toISOString(),
        is_demo: 1 as const,
      })),
    )
    await insert(
      trx,
      'memberships',
      missing.map((orgId, i) => ({
        user_id: userIds[i]!,
        org_id: orgId,
        role: 'owner' as const,
        status: 'active' as const,
        created_at: created.get(orgId) ?? new Date(0).toISOString(),
      })),
    )
    missing.forEach((orgId, i) => owners.set(orgId, userIds[i]!))
    const owner = (orgId: number): number => {
      const id = owners.get(orgId)
      if (id === undefined) throw new Error(`demo contracts: no owner for organisation ${orgId}`)
      return id
    }

    // ---------------------------------------------------------------- rows
    const bidCount = plans.reduce((n, p) => n + p.bids.length, 0)
    const contractPlans = plans.filter((p) => p.contract !== null)
    const bidIds = await nextIds(trx, 'bids', bidCount)
    const contractIds = await nextIds(trx, 'contracts', contractPlans.length)
    const bids: Insertable<DB['bids']>[] = []
    const contracts: Insertable<DB['contracts']>[] = []
    const milestones: Insertable<DB['contract_milestones']>[] = []
    const submissions: (Insertable<DB['milestone_submissions']> & { key: number })[] = []
    const reviews: (Omit<Insertable<DB['milestone_reviews']>, 'milestone_id'> & { key: number })[] = []
    const logs: (Omit<Insertable<DB['supervision_logs']>, 'milestone_id'> & { key: number | null })[] = []
    const disputes: (Omit<Insertable<DB['disputes']>, 'milestone_id'> & { key: number | null })[] = []
    const ratings: Insertable<DB['contract_ratings']>[] = []
    type Ev = {
      contract_id: number
      kind: string
      key: number | null
      org: number | null
      user: number | null
      object: number | null
      detail: Record<string, string | number>
      at: number
    }
    const events: Ev[] = []
    const needUpdates: { id: number; status: string; reason: string }[] = []
    const messages: Insertable<DB['bid_messages']>[] = []
    // Milestones are keyed before they have ids (one counter for the whole data set).
    let milestoneKey = 0
    let b = 0
    let c = 0

    for (const plan of plans) {
      const { need } = plan
      const publishedMs = Date.parse(need.published_at ?? iso(nowMs - 30 * DAY_MS))
      const enterpriseUser = owner(need.org_id)
      // Bids come in within three weeks of publishing (and before now).
      const bidAt = () => Math.min(nowMs - DAY_MS, publishedMs + rng.int(1, 21) * DAY_MS + rng.int(0, 36_000) * 1000)
      let awarded: {
        id: number
        providerId: number
        price: number
        days: number
        template: Template | undefined
        at: number
      } | null = null
      for (const bp of plan.bids) {
        const id = bidIds[b++]!
        const at = bidAt()
        const lo = Math.max(1, need.budget_min_wan)
        const hi = Math.max(lo, need.budget_max_wan)
        const price = rng.int(lo * 100, hi * 100 + Math.round(hi * 10))
        const template = templates.get(bp.providerId)
        const days = Math.min(3650, Math.max(30, (template?.constructionDays ?? need.duration_months * 30) + rng.int(-20, 30)))
        const decidedAt = Math.min(nowMs - 3600_000, at + rng.int(3, 20) * DAY_MS)
        bids.push({
          id,
          need_id: need.id,
          provider_org_id: bp.providerId,
          consortium_id: null,
          price_wan_x100: Math.min(100_000_000, price),
          duration_days: days,
          plan: rng.pick(PLANS),
          template_version_id: template?.versionId ?? null,
          status: bp.status,
          status_reason: bp.status === 'rejected' ? rng.pick(REJECT_REASONS) : '',
          revision: rng.chance(0.2) ? 2 : 1,
          created_by: owner(bp.providerId),
          created_at: iso(at),
          updated_at: iso(bp.status === 'submitted' ? at : decidedAt),
          withdrawn_at: bp.status === 'withdrawn' ? iso(decidedAt) : null,
        })
        if (bp.status === 'awarded') awarded = { id, providerId: bp.providerId, price, days, template, at: decidedAt }
        if (bp.status === 'shortlisted' && bp.providerId === providerA) {
          messages.push(
            {
              bid_id: id,
              side: 'owner',
              org_id: need.org_id,
              author_id: enterpriseUser,
              body: '请说明设备联网部分是否包含老旧设备的改造费用？',
              created_at: iso(at + DAY_MS),
            },
            {
              bid_id: id,
              side: 'bidder',
              org_id: bp.providerId,
              author_id: owner(bp.providerId),
              body: '包含。报价已计入 20 台老旧设备的加装采集模块和调试费用。',
              created_at: iso(at + DAY_MS + 5 * 3600_000),
            },
          )
        }
      }
      if (plan.newStatus && plan.newStatus !== need.status) needUpdates.push({ id: need.id, status: plan.newStatus, reason: '' })
      const cp = plan.contract
      if (!cp || !awarded) {
        if (need.status === 'closed' && !cp) continue
        continue
      }
      const contractId = contractIds[c++]!
      const providerId = awarded.providerId
      const providerUser = owner(providerId)
      const t = awarded.template
      const ms = t?.milestones ?? [...DEFAULT_MILESTONES]
      const percents = ms.map((m) => m.percent)
      const amounts = milestoneAmounts(awarded.price, percents)
      const ev = (
        kind: string,
        at: number,
        org: number | null,
        user: number | null,
        extra: Partial<Pick<Ev, 'key' | 'object' | 'detail'>> = {},
      ) =>
        events.push({
          contract_id: contractId,
          kind,
          key: extra.key ?? null,
          org,
          user,
          object: extra.object ?? null,
          detail: extra.detail ?? {},
          at,
        })

      // Time line: award → both confirmations → activation; the work runs from the start date.
      let awardMs = awarded.at
      const span = cp.status === 'draft' ? 0 : cp.status === 'active' ? Math.round(awarded.days * 0.6) : awarded.days + 30
      // Completed and terminated contracts end before now; active ones are under way.
      const latestAward = nowMs - (span + 25) * DAY_MS
      if (cp.status !== 'draft' && awardMs > latestAward) awardMs = Math.max(publishedMs + DAY_MS, latestAward)
      if (cp.status === 'draft')
        awardMs = Math.max(publishedMs + DAY_MS, nowMs - rng.int(2, 20) * DAY_MS + rng.int(0, 36_000) * 1000)
      const bidRow = bids[bids.length - plan.bids.length + plan.bids.findIndex((x) => x.status === 'awarded')]!
      bidRow.updated_at = iso(awardMs)
      // A finished contract's work fits between its award and now (the winner offered a shorter period).
      if (cp.status === 'completed' || cp.status === 'terminated') {
        const room = Math.floor((nowMs - awardMs) / DAY_MS) - 45
        if (awarded.days > room) {
          awarded.days = Math.max(30, room)
          bidRow.duration_days = awarded.days
        }
      }
      // Other bids were decided at the award.
      for (let k = bids.length - plan.bids.length; k < bids.length; k++) {
        const row = bids[k]!
        if (row.status === 'rejected') row.updated_at = iso(awardMs)
        if (Date.parse(String(row.created_at)) > awardMs) row.created_at = iso(awardMs - rng.int(1, 10) * DAY_MS)
      }
      const confirmE = Math.min(awardMs + rng.int(1, 5) * DAY_MS, nowMs - 3 * 3600_000)
      const confirmP = Math.min(awardMs + rng.int(1, 5) * DAY_MS + 3600_000, nowMs - 3 * 3600_000)
      const activatedMs = Math.max(confirmE, confirmP)
      const startDate = addDays(chinaDate(new Date(cp.status === 'draft' ? awardMs : activatedMs)), 14)
      const dues = milestoneDueDates(startDate, awarded.days, percents)
      const supervisorId = cp.supervised ? (cp.supervisorId ?? rng.pick(supervisors).id) : null
      const appointer = supervisorId !== null ? agencyOver(need.region_code) : undefined
      const supervised = supervisorId !== null && appointer !== undefined
      const supervisorUser = supervised ? owner(supervisorId) : null
      const appointedMs =
        cp.status === 'draft'
          ? awardMs + Math.round((nowMs - awardMs) / 2)
          : Math.min(activatedMs + rng.int(1, 6) * DAY_MS, nowMs - 4 * 3600_000)

      ev('drafted', awardMs, need.org_id, enterpriseUser, { object: awarded.id })
      const draftConfirm = cp.status === 'draft' ? (cp.confirmed ?? 'none') : 'both'
      if (draftConfirm === 'both' || draftConfirm === 'enterprise')
        ev('confirmed', confirmE, need.org_id, enterpriseUser, { detail: { side: 'enterprise', revision: 1 } })
      if (draftConfirm === 'both' || draftConfirm === 'provider')
        ev('confirmed', confirmP, providerId, providerUser, { detail: { side: 'provider', revision: 1 } })
      if (cp.status !== 'draft') ev('activated', activatedMs, null, null)
      if (supervised)
        ev('supervisor_appointed', appointedMs, appointer, owner(appointer), {
          object: supervisorId,
          detail: { supervisor: orgName.get(supervisorId) ?? '' },
        })

      // Milestones: those whose due date passed are accepted, in order; on an active contract
      // the first not yet due is under way (submitted and waiting, or pending), and a late one
      // (due passed, not accepted) is flagged by the late job.
      let lastAccepted = activatedMs
      const keys: number[] = []
      const cap = (ms: number) => Math.min(ms, nowMs - 2 * 3600_000)
      const firstOpen = dues.findIndex((d) => d >= today)
      const cur = firstOpen === -1 ? ms.length - 1 : firstOpen
      const shape = cp.shape ?? (cp.status === 'active' ? rng.pick(['late', 'waiting', 'pending'] as const) : undefined)
      const cutoff =
        cp.status === 'completed' ? ms.length : cp.status === 'terminated' ? (ms.length >= 3 ? ms.length - 2 : ms.length - 1) : 0
      ms.forEach((m, i) => {
        const key = ++milestoneKey
        keys.push(key)
        const due = dues[i]!
        const dueMs = atDay(rng, due)
        const passed = due < today
        // The params the timeline's texts name (contracts.event.<kind>), as the use cases record them.
        const detail = { milestone: m.name }
        let accept = false
        let waiting = false
        if (cp.status === 'active') {
          accept = i < cur && !(shape === 'late' && i === cur - 1)
          waiting = shape === 'waiting' && i === cur
        } else if (cp.status !== 'draft') {
          accept = i < cutoff
        }
        let status: 'pending' | 'submitted' | 'accepted' | 'rejected' = 'pending'
        let round = 0
        let submittedAt: number | null = null
        let acceptedAt: number | null = null
        let lateAt: number | null = null
        if (accept || waiting) {
          const lateDone = accept && cp.status !== 'active' && rng.chance(0.2)
          const rejectedFirst = rng.chance(0.15)
          round = rejectedFirst ? 2 : 1
          let at = Math.max(lastAccepted + DAY_MS, dueMs - rng.int(3, 15) * DAY_MS + (lateDone ? 20 * DAY_MS : 0))
          if (waiting) at = Math.max(lastAccepted + DAY_MS, nowMs - rng.int(3, 6) * DAY_MS - (rejectedFirst ? 8 * DAY_MS : 0))
          at = cap(at)
          for (let r = 1; r <= round; r++) {
            const subAt = cap(r === 1 ? at : at + rng.int(3, 8) * DAY_MS)
            submittedAt = subAt
            submissions.push({
              key,
              milestone_id: 0,
              round: r,
              evidence: rng.pick(EVIDENCE),
              submitted_by: providerUser,
              submitted_at: iso(subAt),
            })
            ev('milestone_submitted', subAt, providerId, providerUser, { key, detail: { ...detail, round: r } })
            const decideAt = cap(subAt + rng.int(1, 4) * DAY_MS)
            if (r < round) {
              reviews.push({
                key,
                round: r,
                side: 'enterprise',
                decision: 'rejected',
                reason: '资料不完整，请补充测试报告。',
                org_id: need.org_id,
                decided_by: enterpriseUser,
                decided_at: iso(decideAt),
              })
              ev('milestone_review', decideAt, need.org_id, enterpriseUser, {
                key,
                detail: { ...detail, round: r, side: 'enterprise', decision: 'rejected' },
              })
              ev('milestone_rejected', decideAt, null, null, { key, detail: { ...detail, round: r } })
              continue
            }
            if (waiting) {
              // The supervisor may have accepted already; the enterprise has not.
              if (supervised && rng.chance(0.5)) {
                reviews.push({
                  key,
                  round: r,
                  side: 'supervisor',
                  decision: 'accepted',
                  reason: '',
                  org_id: supervisorId,
                  decided_by: supervisorUser!,
                  decided_at: iso(decideAt),
                })
                ev('milestone_review', decideAt, supervisorId, supervisorUser, {
                  key,
                  detail: { ...detail, round: r, side: 'supervisor', decision: 'accepted' },
                })
              }
              continue
            }
            if (supervised) {
              reviews.push({
                key,
                round: r,
                side: 'supervisor',
                decision: 'accepted',
                reason: '',
                org_id: supervisorId,
                decided_by: supervisorUser!,
                decided_at: iso(decideAt - 3600_000),
              })
              ev('milestone_review', decideAt - 3600_000, supervisorId, supervisorUser, {
                key,
                detail: { ...detail, round: r, side: 'supervisor', decision: 'accepted' },
              })
            }
            reviews.push({
              key,
              round: r,
              side: 'enterprise',
              decision: 'accepted',
              reason: '',
              org_id: need.org_id,
              decided_by: enterpriseUser,
              decided_at: iso(decideAt),
            })
            ev('milestone_review', decideAt, need.org_id, enterpriseUser, {
              key,
              detail: { ...detail, round: r, side: 'enterprise', decision: 'accepted' },
            })
            acceptedAt = decideAt
            ev('milestone_accepted', decideAt, null, null, { key, detail: { ...detail, round: r } })
          }
          status = accept ? 'accepted' : 'submitted'
          if (acceptedAt !== null) lastAccepted = acceptedAt
          if (acceptedAt !== null && chinaDate(new Date(acceptedAt)) > due) lateAt = dueMs + DAY_MS
        }
        if (!accept && cp.status === 'active' && passed) lateAt = dueMs + DAY_MS
        if (lateAt !== null) {
          lateAt = cap(lateAt)
          ev('milestone_late', lateAt, null, null, { key, detail: { ...detail, due } })
        }
        milestones.push({
          id: key,
          contract_id: contractId,
          seq: i + 1,
          name: m.name,
          percent: m.percent,
          amount_wan_x100: amounts[i]!,
          due_date: due,
          criteria: m.criteria,
          status,
          round,
          submitted_at: submittedAt === null ? null : iso(submittedAt),
          accepted_at: acceptedAt === null ? null : iso(acceptedAt),
          late_flagged_at: lateAt === null ? null : iso(lateAt),
          updated_at: iso(Math.max(acceptedAt ?? 0, submittedAt ?? 0, activatedMs)),
        })
      })

      // 监理日志: every few weeks of the work.
      if (supervised && cp.status !== 'draft') {
        const until = cp.status === 'active' ? nowMs - DAY_MS : lastAccepted
        const n = rng.int(1, 4)
        for (let k = 0; k < n; k++) {
          const at = appointedMs + Math.round(((until - appointedMs) * (k + 1)) / (n + 1))
          if (at <= appointedMs || at >= nowMs) continue
          const quality = rng.weighted<'good' | 'acceptable' | 'poor'>([
            ['good', 6],
            ['acceptable', 3],
            ['poor', 1],
          ])
          const schedule =
            shape === 'late' && k === n - 1
              ? 'behind'
              : rng.weighted<'ahead' | 'on_track' | 'behind'>([
                  ['ahead', 1],
                  ['on_track', 6],
                  ['behind', 2],
                ])
          const milestoneIndex = Math.min(ms.length - 1, Math.floor((ms.length * (k + 1)) / (n + 1)))
          logs.push({
            key: keys[milestoneIndex] ?? null,
            contract_id: contractId,
            org_id: supervisorId,
            author_id: supervisorUser!,
            log_date: chinaDate(new Date(at)),
            findings: rng.pick(LOG_FINDINGS),
            quality,
            schedule,
            created_at: iso(at),
          })
          ev('supervision_logged', at, supervisorId, supervisorUser, {
            key: keys[milestoneIndex] ?? null,
            detail: { date: chinaDate(new Date(at)) },
          })
        }
      }

      let closedMs: number | null = null
      let reason = ''
      if (cp.status === 'completed') {
        closedMs = lastAccepted + 60_000
        ev('completed', closedMs, null, null)
        needUpdates.push({ id: need.id, status: 'closed', reason: '合同已完成' })
        // Ratings: the enterprise always, the provider and the supervisor most of the time.
        const grade = (good: boolean): Grade =>
          rng.weighted<Grade>(
            good
              ? [
                  ['very_good', 5],
                  ['good', 4],
                  ['fair', 1],
                ]
              : [
                  ['good', 2],
                  ['fair', 4],
                  ['poor', 2],
                ],
          )
        const good = rng.chance(0.8)
        const sides: ('enterprise' | 'provider' | 'supervisor')[] = ['enterprise']
        if (cp.supervisorId !== undefined || rng.chance(0.7)) sides.push('provider')
        if (supervised && (cp.supervisorId !== undefined || rng.chance(0.7))) sides.push('supervisor')
        for (const side of sides) {
          const at = Math.min(nowMs - 3600_000, closedMs + rng.int(1, 15) * DAY_MS)
          const rater = side === 'enterprise' ? need.org_id : side === 'provider' ? providerId : supervisorId!
          const rated = side === 'provider' ? need.org_id : providerId
          const replied = cp.supervisorId !== undefined ? side === 'enterprise' : rng.chance(0.4)
          const g = side === 'provider' ? true : good
          ratings.push({
            contract_id: contractId,
            side,
            rater_org_id: rater,
            rated_org_id: rated,
            rated_by: owner(rater),
            item_1: grade(g),
            item_2: grade(g),
            item_3: grade(g),
            item_4: grade(g),
            item_5: grade(g),
            overall: g
              ? rng.weighted([
                  ['satisfied', 3],
                  ['fairly_satisfied', 1],
                ] as const)
              : rng.weighted([
                  ['fairly_satisfied', 2],
                  ['dissatisfied', 1],
                ] as const),
            comment: rng.pick(COMMENTS[side]),
            reply: replied ? rng.pick(REPLIES) : '',
            replied_by: replied ? owner(rated) : null,
            replied_at: replied ? iso(Math.min(nowMs - 60_000, at + rng.int(1, 3) * DAY_MS)) : null,
            created_at: iso(at),
          })
          ev('rated', at, rater, owner(rater), { detail: { side } })
          if (replied)
            ev('rating_replied', Math.min(nowMs - 60_000, at + rng.int(1, 3) * DAY_MS), rated, owner(rated), { detail: { side } })
        }
      } else if (cp.status === 'terminated') {
        const openedMs = cap(lastAccepted + rng.int(10, 30) * DAY_MS)
        const resolvedMs = cap(openedMs + rng.int(7, 20) * DAY_MS)
        const byAgency = !supervised
        const resolver = supervised ? supervisorId : (agencyOver(need.region_code) ?? null)
        const stuck = keys[Math.max(1, ms.length - 2)] ?? keys[keys.length - 1] ?? null
        reason = '纠纷处理结论：服务商未按约定完成实施，合同终止。'
        disputes.push({
          key: stuck,
          contract_id: contractId,
          opened_side: 'enterprise',
          opened_org_id: need.org_id,
          opened_by: enterpriseUser,
          subject: '实施进度严重滞后',
          description: '服务商多次延误节点交付，经催告仍未恢复现场实施，影响企业正常生产安排。',
          status: 'resolved',
          resolution: byAgency
            ? '经主管部门调解，双方同意终止合同，已完成节点按约结算。'
            : '经监理核查，服务商未按约定完成实施，双方同意终止合同，已完成节点按约结算。',
          outcome: 'terminate',
          fault: 'provider',
          resolved_org_id: resolver,
          resolved_by: resolver === null ? null : owner(resolver),
          resolved_at: iso(resolvedMs),
          created_at: iso(openedMs),
          updated_at: iso(resolvedMs),
        })
        ev('dispute_opened', openedMs, need.org_id, enterpriseUser, {
          key: stuck,
          detail: { subject: '实施进度严重滞后', side: 'enterprise' },
        })
        ev('dispute_resolved', resolvedMs, resolver, resolver === null ? null : owner(resolver), {
          key: stuck,
          detail: { subject: '实施进度严重滞后', outcome: 'terminate', fault: 'provider' },
        })
        closedMs = Math.max(resolvedMs, cap(resolvedMs + 60_000))
        ev('terminated', closedMs, null, null, { detail: { subject: '实施进度严重滞后' } })
        needUpdates.push({ id: need.id, status: 'closed', reason: '合同终止' })
      }

      const enterpriseConfirmed = draftConfirm === 'both' || draftConfirm === 'enterprise'
      const providerConfirmed = draftConfirm === 'both' || draftConfirm === 'provider'
      contracts.push({
        id: contractId,
        need_id: need.id,
        bid_id: awarded.id,
        enterprise_org_id: need.org_id,
        provider_org_id: providerId,
        consortium_id: null,
        template_version_id: t?.versionId ?? null,
        region_code: need.region_code,
        title: `${need.title}项目合同`.slice(0, 200),
        amount_wan_x100: awarded.price,
        start_date: startDate,
        construction_days: awarded.days,
        technical_standards: t?.technicalStandards ?? JSON.stringify(DEFAULT_TERMS.technicalStandards),
        acceptance_standards: (t?.acceptanceStandards || DEFAULT_TERMS.acceptanceStandards).slice(0, 4000),
        quality_terms: (t?.qualityTerms || DEFAULT_TERMS.qualityTerms).slice(0, 4000),
        warranty_months: t?.warrantyMonths ?? DEFAULT_TERMS.warrantyMonths,
        dispute_clause: (t?.disputeClause || DEFAULT_TERMS.disputeClause).slice(0, 2000),
        status: cp.status,
        status_reason: reason,
        revision: 1,
        enterprise_confirmed_by: enterpriseConfirmed ? enterpriseUser : null,
        enterprise_confirmed_at: enterpriseConfirmed ? iso(confirmE) : null,
        provider_confirmed_by: providerConfirmed ? providerUser : null,
        provider_confirmed_at: providerConfirmed ? iso(confirmP) : null,
        supervisor_org_id: supervised ? supervisorId : null,
        supervisor_appointed_by: supervised ? owner(appointer) : null,
        supervisor_appointed_org_id: supervised ? appointer : null,
        supervisor_appointed_at: supervised ? iso(appointedMs) : null,
        case_id: null,
        created_by: enterpriseUser,
        created_at: iso(awardMs),
        updated_at: iso(closedMs ?? Math.max(awardMs, confirmE, confirmP)),
        activated_at: cp.status === 'draft' ? null : iso(activatedMs),
        closed_at: closedMs === null ? null : iso(closedMs),
      })
    }

    // Milestone keys → ids.
    const milestoneIds = await nextIds(trx, 'contract_milestones', milestones.length)
    const idOf = (key: number | null): number | null => (key === null ? null : (milestoneIds[key - 1] ?? null))
    for (const m of milestones) m.id = idOf(Number(m.id))!

    await insert(trx, 'bids', bids)
    await insert(trx, 'bid_messages', messages)
    await insert(trx, 'contracts', contracts)
    await insert(trx, 'contract_milestones', milestones)
    const subIds = await nextIds(trx, 'milestone_submissions', submissions.length)
    await insert(
      trx,
      'milestone_submissions',
      submissions.map(({ key, ...s }, i) => ({ ...s, id: subIds[i], milestone_id: idOf(key)! })),
    )
    await insert(
      trx,
      'milestone_reviews',
      reviews.map(({ key, ...r }) => ({ ...r, milestone_id: idOf(key)! })),
    )
    await insert(
      trx,
      'supervision_logs',
      logs.map(({ key, ...l }) => ({ ...l, milestone_id: idOf(key) })),
    )
    await insert(
      trx,
      'disputes',
      disputes.map(({ key, ...d }) => ({ ...d, milestone_id: idOf(key) })),
    )
    await insert(trx, 'contract_ratings', ratings)
    // The timeline, oldest first per contract.
    events.sort((x, y) => x.contract_id - y.contract_id || x.at - y.at)
    await insert(
      trx,
      'contract_events',
      events.map((e) => ({
        contract_id: e.contract_id,
        kind: e.kind,
        milestone_id: idOf(e.key),
        actor_org_id: e.org,
        actor_user_id: e.user,
        object_id: e.object,
        detail: JSON.stringify(e.detail),
        created_at: iso(e.at),
      })),
    )
    // The needs whose status the contracts settle, a statement per (status, reason).
    const groups = new Map<string, number[]>()
    for (const u of needUpdates) {
      const key = JSON.stringify([u.status, u.reason])
      const list = groups.get(key)
      if (list) list.push(u.id)
      else groups.set(key, [u.id])
    }
    for (const [key, needIds] of groups) {
      const [status, reason] = JSON.parse(key) as [string, string]
      for (const part of chunks(needIds, ROWS)) {
        await trx
          .updateTable('needs')
          .set({ status: status as 'closed', ...(reason ? { status_reason: reason } : {}) })
          .where('id', 'in', part)
          .execute()
      }
    }
    counts.bids = bids.length
    counts.contracts = contracts.length
    counts.milestones = milestones.length
    counts.submissions = submissions.length
    counts.reviews = reviews.length
    counts.logs = logs.length
    counts.disputes = disputes.length
    counts.ratings = ratings.length
    counts.events = events.length
    return counts
  })
}
