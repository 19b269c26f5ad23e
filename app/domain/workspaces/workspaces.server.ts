import type { ExpressionBuilder, Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/connection.js'
import type { ContractStatus, MilestoneStatus } from '../../../db/enums.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData, refName, type ReferenceData } from '../reference/reference.server.js'
import type { Locale } from '../../i18n/index.js'
import {
  AGENCY_FILTERS,
  CONTRACT_TABS,
  ENTERPRISE_TABS,
  WORKSPACE_PAGE_SIZE,
  type AgencyFilter,
  type ContractTab,
  type EnterpriseTab,
  type NextAction,
} from './tabs.js'
import { wanText } from '../../utils/format.js'

/*
 * The workspaces (issue 14 §7): one page per kind of organisation listing the projects
 * it has in hand, by tab with counts, each row with its next action.
 *
 * - 我的项目 (enterprise): its needs with bids waiting for a decision (published or
 *   shortlisting, with submitted / shortlisted bids: 比较方案), then its contracts by
 *   status (确认合同 while its side has not confirmed, 验收里程碑 when a milestone waits
 *   for its decision, 评价 once completed and not rated by it).
 * - 我的合同 (provider): its contracts by status (确认合同, 提交里程碑 for a rejected or
 *   pending milestone — rejected first —, 评价).
 * - 监理项目 (a 监理机构): the contracts it was appointed to (处理纠纷 when one is open,
 *   审核里程碑 when a milestone waits for its decision, else 写监理日志).
 * - 合同监管 (agency): the contracts of its jurisdiction, filtered: 未指派监理 (draft or
 *   active without a supervisor), 有逾期里程碑 (active, a milestone flagged late and not
 *   accepted), 有未决纠纷 (an open dispute).
 *
 * Every list is narrowed in its query to the actor's organisation (or jurisdiction),
 * read through the contracts' indexes ((party, status, id), (region, status, id)),
 * 20 rows a page; the rows' details (milestones, reviews, disputes, ratings) are read
 * for the page's ≤ 20 contracts in one query each.
 */

const zPage = z.coerce.number().int().min(1).max(10_000).catch(1)
export const ZEnterpriseProjectsQuery = z.object({ tab: z.enum(ENTERPRISE_TABS).catch('deciding'), page: zPage })
export const ZContractsWorkQuery = z.object({ tab: z.enum(CONTRACT_TABS).catch('active'), page: zPage })
export const ZAgencyContractsQuery = z.object({ filter: z.enum(AGENCY_FILTERS).catch('all'), page: zPage })

export interface NextStep {
  action: NextAction
  href: string
}

export interface ContractWorkRow {
  id: number
  title: string
  status: ContractStatus
  enterpriseName: string
  providerName: string
  supervisorName: string | null
  regionName: string
  amountWan: string
  milestonesTotal: number
  milestonesAccepted: number
  lateMilestones: number
  openDisputes: number
  updatedAt: string
  next: NextStep
}

export interface NeedWorkRow {
  id: number
  title: string
  status: string
  deadline: string | null
  bidsWaiting: number
  next: NextStep
}

interface Paged {
  total: number
  page: number
  pageCount: number
}

export interface EnterpriseProjectsPage extends Paged {
  tab: EnterpriseTab
  counts: Record<EnterpriseTab, number>
  needs: NeedWorkRow[]
  contracts: ContractWorkRow[]
}

export interface ContractsWorkPage extends Paged {
  tab: ContractTab
  counts: Record<ContractTab, number>
  contracts: ContractWorkRow[]
}

export interface AgencyContractsPage extends Paged {
  filter: AgencyFilter
  counts: Record<AgencyFilter, number>
  contracts: ContractWorkRow[]
  /** Owners and reviewers appoint supervisors and resolve disputes; viewers read. */
  mayAct: boolean
}

type Perspective = 'enterprise' | 'provider' | 'supervisor' | 'agency'

function paging(total: number, page: number) {
  const pageCount = Math.max(1, Math.ceil(total / WORKSPACE_PAGE_SIZE))
  const current = Math.min(Math.max(1, page), pageCount)
  return { pageCount, current, offset: (current - 1) * WORKSPACE_PAGE_SIZE }
}

function forbidden(permission: string): AppError {
  return new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission } })
}

/** The contracts' columns a workspace row shows, with the parties' names. */
function selectContracts(db: Kysely<DB>) {
  return db
    .selectFrom('contracts as c')
    .innerJoin('organisations as e', 'e.id', 'c.enterprise_org_id')
    .innerJoin('organisations as p', 'p.id', 'c.provider_org_id')
    .leftJoin('organisations as s', 's.id', 'c.supervisor_org_id')
    .select([
      'c.id',
      'c.title',
      'c.status',
      'c.region_code',
      'c.amount_wan_x100',
      'c.enterprise_confirmed_at',
      'c.provider_confirmed_at',
      'c.supervisor_org_id',
      'c.updated_at',
      'e.name as enterprise_name',
      'p.name as provider_name',
      's.name as supervisor_name',
    ])
}
type ContractListRow = Awaited<ReturnType<ReturnType<typeof selectContracts>['execute']>>[number]

async function countByStatus(
  db: Kysely<DB>,
  column: 'enterprise_org_id' | 'provider_org_id' | 'supervisor_org_id',
  orgId: number,
): Promise<Record<ContractTab, number>> {
  const rows = await db
    .selectFrom('contracts')
    .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where(column, '=', orgId)
    .groupBy('status')
    .execute()
  return Object.fromEntries(CONTRACT_TABS.map((tab) => [tab, Number(rows.find((r) => r.status === tab)?.n ?? 0)])) as Record<
    ContractTab,
    number
  >
}

async function contractsOf(
  db: Kysely<DB>,
  column: 'enterprise_org_id' | 'provider_org_id' | 'supervisor_org_id',
  orgId: number,
  status: ContractTab,
  offset: number,
): Promise<ContractListRow[]> {
  return selectContracts(db)
    .where(`c.${column}`, '=', orgId)
    .where('c.status', '=', status)
    .orderBy('c.id', 'desc')
    .limit(WORKSPACE_PAGE_SIZE)
    .offset(offset)
    .execute()
}

interface MilestoneFact {
  id: number
  contract_id: number
  seq: number
  status: MilestoneStatus
  round: number
  late_flagged_at: string | null
}

/** The rows with their milestones, reviews, open disputes and ratings, and each one's next step. */
async function workRows(
  db: Kysely<DB>,
  ref: ReferenceData,
  locale: Locale,
  rows: readonly ContractListRow[],
  perspective: Perspective,
  mayAct = true,
): Promise<ContractWorkRow[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [milestones, disputes, ratings] = await Promise.all([
    db
      .selectFrom('contract_milestones')
      .select(['id', 'contract_id', 'seq', 'status', 'round', 'late_flagged_at'])
      .where('contract_id', 'in', ids)
      .orderBy('contract_id')
      .orderBy('seq')
      .execute() as Promise<MilestoneFact[]>,
    db
      .selectFrom('disputes')
      .select(['id', 'contract_id'])
      .where('contract_id', 'in', ids)
      .where('status', '=', 'open')
      .orderBy('id')
      .execute(),
    db.selectFrom('contract_ratings').select(['contract_id', 'side']).where('contract_id', 'in', ids).execute(),
  ])
  const submitted = milestones.filter((m) => m.status === 'submitted')
  const reviews =
    submitted.length === 0
      ? []
      : await db
          .selectFrom('milestone_reviews')
          .select(['milestone_id', 'round', 'side'])
          .where(
            'milestone_id',
            'in',
            submitted.map((m) => m.id),
          )
          .execute()
  const decided = (m: MilestoneFact, side: 'enterprise' | 'supervisor') =>
    reviews.some((r) => r.milestone_id === m.id && r.round === m.round && r.side === side)
  const rated = (contractId: number, side: 'enterprise' | 'provider' | 'supervisor') =>
    ratings.some((r) => r.contract_id === contractId && r.side === side)

  return rows.map((c) => {
    const own = milestones.filter((m) => m.contract_id === c.id)
    const open = disputes.filter((d) => d.contract_id === c.id)
    const late = own.filter((m) => m.late_flagged_at !== null && m.status !== 'accepted')
    const view: NextStep = { action: 'view', href: `/contracts/${c.id}` }
    const milestoneHref = (m: MilestoneFact) => `/contracts/${c.id}/milestones/${m.id}`
    let next: NextStep = view
    if (perspective === 'enterprise' || perspective === 'provider') {
      const confirmed = perspective === 'enterprise' ? c.enterprise_confirmed_at : c.provider_confirmed_at
      if (c.status === 'draft') next = { action: confirmed ? 'waitConfirm' : 'confirm', href: `/contracts/${c.id}` }
      else if (c.status === 'active' && perspective === 'enterprise') {
        const waiting = own.find((m) => m.status === 'submitted' && !decided(m, 'enterprise'))
        if (waiting) next = { action: 'review', href: milestoneHref(waiting) }
      } else if (c.status === 'active') {
        const todo = own.find((m) => m.status === 'rejected') ?? own.find((m) => m.status === 'pending')
        if (todo) next = { action: 'submit', href: milestoneHref(todo) }
      } else if (c.status === 'completed' && !rated(c.id, perspective)) {
        next = { action: 'rate', href: `/contracts/${c.id}/ratings` }
      }
    } else if (perspective === 'supervisor') {
      const waiting = own.find((m) => m.status === 'submitted' && !decided(m, 'supervisor'))
      if (open[0]) next = { action: 'dispute', href: `/disputes/${open[0].id}` }
      else if (c.status === 'active' && waiting) next = { action: 'review', href: milestoneHref(waiting) }
      else if (c.status === 'active') next = { action: 'log', href: `/contracts/${c.id}/supervision` }
      else if (c.status === 'completed' && !rated(c.id, 'supervisor')) {
        next = { action: 'rate', href: `/contracts/${c.id}/ratings` }
      }
    } else if (mayAct) {
      if (open[0]) next = { action: 'dispute', href: `/disputes/${open[0].id}` }
      else if (c.supervisor_org_id === null && (c.status === 'draft' || c.status === 'active')) {
        next = { action: 'appoint', href: `/contracts/${c.id}` }
      }
    }
    const region = ref.regionsByCode.get(c.region_code)
    return {
      id: c.id,
      title: c.title,
      status: c.status,
      enterpriseName: c.enterprise_name,
      providerName: c.provider_name,
      supervisorName: c.supervisor_name,
      regionName: region ? refName(region, locale) : c.region_code,
      amountWan: wanText(c.amount_wan_x100),
      milestonesTotal: own.length,
      milestonesAccepted: own.filter((m) => m.status === 'accepted').length,
      lateMilestones: late.length,
      openDisputes: open.length,
      updatedAt: c.updated_at,
      next,
    }
  })
}

/* ------------------------------------------------------------------ 我的项目 */

const DECIDING_NEED_STATUSES = ['published', 'shortlisting'] as const
const WAITING_BID_STATUSES = ['submitted', 'shortlisted'] as const

/** 我的项目: the enterprise's needs waiting for its decision and its contracts, by tab. */
export async function enterpriseProjects(
  db: Database,
  actor: Actor,
  query: { tab: EnterpriseTab; page: number },
  locale: Locale = 'zh-CN',
): Promise<EnterpriseProjectsPage> {
  const ref = await getReferenceData(db)
  const orgId = actor.org?.orgId ?? 0
  authorize(actor, ref, 'read:bids:own', { orgId })
  const deciding = (qb: Kysely<DB>) =>
    qb
      .selectFrom('needs as n')
      .innerJoin('bids as b', 'b.need_id', 'n.id')
      .where('n.org_id', '=', orgId)
      .where('n.status', 'in', DECIDING_NEED_STATUSES)
      .where('b.status', 'in', WAITING_BID_STATUSES)
  const [contractCounts, decidingCount] = await Promise.all([
    countByStatus(db, 'enterprise_org_id', orgId),
    deciding(db)
      .select((eb) => eb.fn.count<string | number>('n.id').distinct().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  const counts = { deciding: Number(decidingCount.n), ...contractCounts }
  const total = counts[query.tab]
  const { pageCount, current, offset } = paging(total, query.page)
  if (query.tab === 'deciding') {
    const rows = await deciding(db)
      .select(['n.id', 'n.title', 'n.status', 'n.deadline', (eb) => eb.fn.count<string | number>('b.id').as('waiting')])
      .groupBy(['n.id', 'n.title', 'n.status', 'n.deadline'])
      .orderBy('n.id', 'desc')
      .limit(WORKSPACE_PAGE_SIZE)
      .offset(offset)
      .execute()
    return {
      tab: query.tab,
      counts,
      needs: rows.map((r) => ({
        id: r.id,
        title: r.title,
        status: r.status,
        deadline: r.deadline,
        bidsWaiting: Number(r.waiting),
        next: { action: 'compare', href: `/enterprise/needs/${r.id}/compare` },
      })),
      contracts: [],
      total,
      page: current,
      pageCount,
    }
  }
  const rows = await contractsOf(db, 'enterprise_org_id', orgId, query.tab, offset)
  return {
    tab: query.tab,
    counts,
    needs: [],
    contracts: await workRows(db, ref, locale, rows, 'enterprise'),
    total,
    page: current,
    pageCount,
  }
}

/* ------------------------------------------------------------------ 我的合同 */

/** 我的合同: the provider's contracts by status. */
export function providerContracts(
  db: Database,
  actor: Actor,
  query: { tab: ContractTab; page: number },
  locale: Locale = 'zh-CN',
): Promise<ContractsWorkPage> {
  return contractsWorkPage(db, actor, query, locale, 'provider')
}

/* ------------------------------------------------------------------ 监理项目 */

/** 监理项目: the contracts the actor's organisation supervises, by status. */
export function supervisorProjects(
  db: Database,
  actor: Actor,
  query: { tab: ContractTab; page: number },
  locale: Locale = 'zh-CN',
): Promise<ContractsWorkPage> {
  return contractsWorkPage(db, actor, query, locale, 'supervisor')
}

/** 我的合同 and 监理项目: one side's contracts by status, with the tab counts (the permission and column of that side). */
async function contractsWorkPage(
  db: Database,
  actor: Actor,
  query: { tab: ContractTab; page: number },
  locale: Locale,
  side: 'provider' | 'supervisor',
): Promise<ContractsWorkPage> {
  const ref = await getReferenceData(db)
  const orgId = actor.org?.orgId ?? 0
  if (side === 'provider') authorize(actor, ref, 'manage:bid:own', { orgId })
  else authorize(actor, ref, 'supervise:contract:own', { orgId })
  const column = side === 'provider' ? 'provider_org_id' : 'supervisor_org_id'
  const counts = await countByStatus(db, column, orgId)
  const total = counts[query.tab]
  const { pageCount, current, offset } = paging(total, query.page)
  const rows = await contractsOf(db, column, orgId, query.tab, offset)
  return {
    tab: query.tab,
    counts,
    contracts: await workRows(db, ref, locale, rows, side),
    total,
    page: current,
    pageCount,
  }
}

/* ------------------------------------------------------------------ 合同监管 */

type ContractsEb = ExpressionBuilder<DB & { c: DB['contracts'] }, 'c'>

function filterOf(filter: AgencyFilter) {
  return (eb: ContractsEb) => {
    switch (filter) {
      case 'all':
        return eb.lit(true)
      case 'unsupervised':
        return eb.and([eb('c.supervisor_org_id', 'is', null), eb('c.status', 'in', ['draft', 'active'])])
      case 'late':
        return eb.and([
          eb('c.status', '=', 'active'),
          eb.exists(
            eb
              .selectFrom('contract_milestones as m')
              .select('m.id')
              .whereRef('m.contract_id', '=', 'c.id')
              .where('m.late_flagged_at', 'is not', null)
              .where('m.status', '<>', 'accepted'),
          ),
        ])
      case 'disputed':
        return eb.exists(
          eb.selectFrom('disputes as d').select('d.id').whereRef('d.contract_id', '=', 'c.id').where('d.status', '=', 'open'),
        )
    }
  }
}

/** 合同监管: the contracts of the agency's jurisdiction, filtered, with counts per filter. */
export async function agencyContracts(
  db: Database,
  actor: Actor,
  query: { filter: AgencyFilter; page: number },
  locale: Locale = 'zh-CN',
): Promise<AgencyContractsPage> {
  const ref = await getReferenceData(db)
  const agencyRegion = actor.org?.kind === 'agency' ? actor.org.regionCode : null
  if (!agencyRegion) throw forbidden('read:contract:jurisdiction')
  authorize(actor, ref, 'read:contract:jurisdiction', { regionCode: agencyRegion })
  const codes = jurisdictionCodes(ref, agencyRegion)
  const inJurisdiction = (qb: Kysely<DB>) => qb.selectFrom('contracts as c').where('c.region_code', 'in', codes)
  const countRows = await Promise.all(
    AGENCY_FILTERS.map((f) =>
      inJurisdiction(db)
        .where(filterOf(f))
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
  )
  const counts = Object.fromEntries(AGENCY_FILTERS.map((f, i) => [f, Number(countRows[i]!.n)])) as Record<AgencyFilter, number>
  const total = counts[query.filter]
  const { pageCount, current, offset } = paging(total, query.page)
  const rows = await selectContracts(db)
    .where('c.region_code', 'in', codes)
    .where(filterOf(query.filter))
    .orderBy('c.id', 'desc')
    .limit(WORKSPACE_PAGE_SIZE)
    .offset(offset)
    .execute()
  const mayAct = can(actor, ref, 'resolve:dispute:jurisdiction', { regionCode: agencyRegion })
  return {
    filter: query.filter,
    counts,
    contracts: await workRows(db, ref, locale, rows, 'agency', mayAct),
    total,
    page: current,
    pageCount,
    mayAct,
  }
}

export { AGENCY_FILTERS, CONTRACT_TABS, ENTERPRISE_TABS }
