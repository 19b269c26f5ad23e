import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction, type AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import type { Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { parseForm } from '../../utils/forms.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { addDays, chinaDate, transitionNeed } from '../needs/lifecycle.server.js'
import { notify } from '../notifications/notify.server.js'
import { getReferenceData, regionLabel, type ReferenceData } from '../reference/reference.server.js'
import { contractFor, partyOrgId, type ContractRole, type ContractRow } from './access.server.js'
import { milestoneAmounts } from './draft.server.js'
import { recordContractEvent } from './events.server.js'
import { nextContractStatus } from './lifecycle.js'
import { CONTRACT_LIMITS, contractMilestoneField } from './limits.js'
import { milestoneRows, parsePercent, ZContractDraftForm, type ContractDraftInput, type ContractPageQuery } from './schema.js'
import {
  CASE_LINK_STATUSES,
  contractPageOffer,
  type CaseChoice,
  type ContractEditForm,
  type ContractEventView,
  type ContractMilestoneView,
  type ContractPage,
  type ContractPartyView,
  type ContractPrint,
  type ContractTerms,
  type SupervisorCandidate,
} from './views.js'
import { wanText } from '../../utils/format.js'

/*
 * Contracts (合同, issue 14 §3): the draft an award made, edited by either party, confirmed
 * by an owner of each (电子确认) — the second confirmation puts it in force —, a 监理机构
 * appointed by the agency over its region, the provider's case linked, and the contract
 * page: parties, terms, milestones, money, the timeline, and what this reader may do.
 *
 * Every use case starts from `contractFor` (404 for whoever may not read it); a write
 * reads the contract again inside its transaction and changes it conditionally (the
 * revision read, the status), appends one timeline event and one audit record (filed
 * under the contract's region) and tells the other side through notify().
 */

export { ZAppointInput, ZConfirmInput, ZContractIntent, ZContractPageQuery, ZContractRevision, ZLinkCaseInput } from './schema.js'
export type { ContractDraftInput } from './schema.js'
export type { ContractEditForm, ContractPage, ContractPrint } from './views.js'

type Db = Kysely<DB>

const link = (contractId: number) => `/contracts/${contractId}`

/* ------------------------------------------------------------------ reading */

function termsOf(c: ContractRow): ContractTerms {
  let standards: string[] = []
  try {
    const parsed = JSON.parse(c.technical_standards) as unknown
    if (Array.isArray(parsed)) standards = parsed.filter((s): s is string => typeof s === 'string')
  } catch {
    standards = c.technical_standards ? [c.technical_standards] : []
  }
  return {
    startDate: c.start_date,
    endDate: c.start_date ? addDays(c.start_date, c.construction_days) : null,
    constructionDays: c.construction_days,
    technicalStandards: standards,
    acceptanceStandards: c.acceptance_standards,
    qualityTerms: c.quality_terms,
    warrantyMonths: c.warranty_months,
    disputeClause: c.dispute_clause,
  }
}

async function namesOf(db: Db, userIds: readonly (number | null)[]): Promise<Map<number, string>> {
  const ids = [...new Set(userIds.filter((id): id is number => id !== null))]
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

async function orgNamesOf(db: Db, orgIds: readonly (number | null)[]): Promise<Map<number, string>> {
  const ids = [...new Set(orgIds.filter((id): id is number => id !== null))]
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

async function milestonesOf(db: Db, c: ContractRow, today: string): Promise<ContractMilestoneView[]> {
  const rows = await db.selectFrom('contract_milestones').selectAll().where('contract_id', '=', c.id).orderBy('seq').execute()
  return rows.map((m) => ({
    id: m.id,
    seq: m.seq,
    name: m.name,
    percent: m.percent,
    amountWan: wanText(m.amount_wan_x100),
    amountX100: m.amount_wan_x100,
    dueDate: m.due_date,
    criteria: m.criteria,
    status: m.status,
    round: m.round,
    late: m.status !== 'accepted' && (m.late_flagged_at !== null || (c.status === 'active' && m.due_date < today)),
    acceptedAt: m.accepted_at,
  }))
}

function moneyOf(c: ContractRow, milestones: readonly ContractMilestoneView[]) {
  const accepted = milestones.filter((m) => m.status === 'accepted').reduce((s, m) => s + m.amountX100, 0)
  const late = milestones.filter((m) => m.late).reduce((s, m) => s + m.amountX100, 0)
  return {
    totalWan: wanText(c.amount_wan_x100),
    acceptedWan: wanText(accepted),
    remainingWan: wanText(Math.max(0, c.amount_wan_x100 - accepted)),
    lateWan: wanText(late),
    acceptedPercent: c.amount_wan_x100 > 0 ? Math.floor((accepted * 100) / c.amount_wan_x100) : 0,
  }
}

function parseDetail(text: string): Record<string, string | number> {
  try {
    const parsed = JSON.parse(text) as unknown
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
    const out: Record<string, string | number> = {}
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number') out[k] = v
    }
    return out
  } catch {
    return {}
  }
}

/**
 * The timeline page. The provider's rating of the enterprise is shown to providers only
 * (decision 011, ratings): for every other reader its 'rated' event is left out too, so
 * the enterprise does not even learn that it was rated.
 */
async function timelineOf(db: Db, contractId: number, page: number, role: ContractRole): Promise<ContractPage['timeline']> {
  const size = CONTRACT_LIMITS.timelinePageSize
  const hideProviderRating = role !== 'provider'
  const providerSideRatings = (eb: ExpressionBuilder<DB, 'contract_events'>) =>
    eb.selectFrom('contract_ratings').select('id').where('contract_id', '=', contractId).where('side', '=', 'provider')
  const { count } = await db
    .selectFrom('contract_events')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('contract_id', '=', contractId)
    .$if(hideProviderRating, (q) =>
      q.where((eb) => eb.not(eb.and([eb('kind', '=', 'rated'), eb('object_id', 'in', providerSideRatings(eb))]))),
    )
    .executeTakeFirstOrThrow()
  const total = Number(count)
  const pageCount = Math.max(1, Math.ceil(total / size))
  const current = Math.min(page, pageCount)
  const rows = await db
    .selectFrom('contract_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .leftJoin('organisations as o', 'o.id', 'e.actor_org_id')
    .leftJoin('contract_milestones as m', 'm.id', 'e.milestone_id')
    .select([
      'e.id',
      'e.kind',
      'e.created_at',
      'e.detail',
      'u.name as actor_name',
      'o.name as org_name',
      'm.name as milestone_name',
    ])
    .where('e.contract_id', '=', contractId)
    .$if(hideProviderRating, (q) =>
      q.where((eb) =>
        eb.not(
          eb.and([
            eb('e.kind', '=', 'rated'),
            eb(
              'e.object_id',
              'in',
              eb.selectFrom('contract_ratings').select('id').where('contract_id', '=', contractId).where('side', '=', 'provider'),
            ),
          ]),
        ),
      ),
    )
    .orderBy('e.id', 'desc')
    .limit(size)
    .offset((current - 1) * size)
    .execute()
  const items: ContractEventView[] = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    at: r.created_at,
    actorName: r.actor_name,
    actorOrgName: r.org_name,
    milestoneName: r.milestone_name,
    detail: parseDetail(r.detail),
  }))
  return { items, total, page: current, pageCount }
}

function sideOf(role: string): 'enterprise' | 'provider' | null {
  return role === 'enterprise' || role === 'provider' ? role : null
}

function confirmedAt(c: ContractRow, side: 'enterprise' | 'provider'): string | null {
  return side === 'enterprise' ? c.enterprise_confirmed_at : c.provider_confirmed_at
}

/**
 * 合同页: everything the contract page shows to this reader (parties, terms, milestones
 * with their late flag, money, supervisor, linked case, the timeline page asked for) and
 * what the reader may do (`contractPageOffer`). For an agency that may appoint, the
 * supervisor candidates its search (`sq`) found; for the provider, its unverified cases.
 */
export async function getContractPage(
  db: Database,
  actor: Actor,
  contractId: number,
  query: ContractPageQuery = { page: 1 },
  locale: Locale = 'zh-CN',
  now: Date = new Date(),
): Promise<ContractPage> {
  const ref = await getReferenceData(db)
  const { contract: c, role } = await contractFor(db, actor, contractId, ref)
  const today = chinaDate(now)
  const need = await db.selectFrom('needs').select(['id', 'title']).where('id', '=', c.need_id).executeTakeFirstOrThrow()
  const orgs = await orgNamesOf(db, [c.enterprise_org_id, c.provider_org_id, c.supervisor_org_id, c.supervisor_appointed_org_id])
  const people = await namesOf(db, [c.enterprise_confirmed_by, c.provider_confirmed_by, c.supervisor_appointed_by])
  const consortium = c.consortium_id
    ? await db.selectFrom('consortia').select('name').where('id', '=', c.consortium_id).executeTakeFirst()
    : undefined
  const linked = c.case_id
    ? await db
        .selectFrom('provider_cases')
        .select(['id', 'title', 'verified_contract_id'])
        .where('id', '=', c.case_id)
        .executeTakeFirst()
    : undefined
  const milestones = await milestonesOf(db, c, today)
  const side = sideOf(role)
  const mayConfirm = side !== null && can(actor, ref, 'confirm:contract:own', { orgId: partyOrgId(c, side) })
  const mayAppoint = role === 'agency' && can(actor, ref, 'appoint:supervisor:jurisdiction', { regionCode: c.region_code })
  const offer = contractPageOffer({
    role,
    status: c.status,
    mayConfirm,
    mayAppoint,
    ownSideConfirmed: side !== null && confirmedAt(c, side) !== null,
    hasSupervisor: c.supervisor_org_id !== null,
  })
  const party = (orgId: number, by: number | null, at: string | null): ContractPartyView => ({
    orgId,
    name: orgs.get(orgId) ?? '',
    confirmedBy: by === null ? null : (people.get(by) ?? null),
    confirmedAt: at,
  })
  const candidateQuery = query.sq ?? ''
  const candidates =
    offer.actions.includes('appoint') && query.sq !== undefined
      ? await supervisorCandidates(db, ref, c, candidateQuery, locale)
      : null
  const cases = offer.actions.includes('linkCase') ? await caseChoices(db, c) : []
  return {
    id: c.id,
    title: c.title,
    status: c.status,
    statusReason: c.status_reason,
    revision: c.revision,
    needId: need.id,
    needTitle: need.title,
    bidId: c.bid_id,
    amountWan: wanText(c.amount_wan_x100),
    terms: termsOf(c),
    enterprise: party(c.enterprise_org_id, c.enterprise_confirmed_by, c.enterprise_confirmed_at),
    provider: {
      ...party(c.provider_org_id, c.provider_confirmed_by, c.provider_confirmed_at),
      consortiumName: consortium?.name ?? null,
    },
    supervisor:
      c.supervisor_org_id !== null && c.supervisor_appointed_at !== null
        ? {
            orgId: c.supervisor_org_id,
            name: orgs.get(c.supervisor_org_id) ?? '',
            appointedAt: c.supervisor_appointed_at,
            appointedBy: c.supervisor_appointed_org_id === null ? null : (orgs.get(c.supervisor_appointed_org_id) ?? null),
          }
        : null,
    linkedCase: linked ? { id: linked.id, title: linked.title, verified: linked.verified_contract_id === c.id } : null,
    milestones,
    money: moneyOf(c, milestones),
    createdAt: c.created_at,
    activatedAt: c.activated_at,
    closedAt: c.closed_at,
    timeline: await timelineOf(db, c.id, query.page, role),
    role,
    ownerConfirms: side !== null && !mayConfirm && c.status === 'draft' && confirmedAt(c, side) === null,
    offer,
    candidates,
    candidateQuery,
    cases,
  }
}

const holdsSupervisor = sql<boolean>`cast(provider_kinds as text) like '%"supervisor"%'`

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
}

async function supervisorCandidates(
  db: Db,
  ref: ReferenceData,
  c: ContractRow,
  q: string,
  locale: Locale,
): Promise<SupervisorCandidate[]> {
  let query = db
    .selectFrom('organisations')
    .select(['id', 'name', 'region_code'])
    .where('kind', '=', 'provider')
    .where('status', '=', 'verified')
    .where(holdsSupervisor)
    .where('id', 'not in', [c.enterprise_org_id, c.provider_org_id])
  if (q) query = query.where(sql<boolean>`name like ${likePattern(q)} escape '\\'`)
  const rows = await query.orderBy('name').orderBy('id').limit(CONTRACT_LIMITS.supervisorCandidates).execute()
  return rows.map((r) => ({ id: r.id, name: r.name, regionName: regionLabel(ref, r.region_code, locale) }))
}

/**
 * 监理机构 candidates for the agency that may appoint on this contract: verified
 * providers of kind supervisor, not a party, by name (at most 20).
 */
export async function searchSupervisorCandidates(
  db: Database,
  actor: Actor,
  contractId: number,
  q: string,
  locale: Locale = 'zh-CN',
): Promise<SupervisorCandidate[]> {
  const ref = await getReferenceData(db)
  const { contract } = await contractFor(db, actor, contractId, ref)
  authorize(actor, ref, 'appoint:supervisor:jurisdiction', { regionCode: contract.region_code })
  return supervisorCandidates(db, ref, contract, q.trim().slice(0, CONTRACT_LIMITS.supervisorQueryMax), locale)
}

async function caseChoices(db: Db, c: ContractRow): Promise<CaseChoice[]> {
  const rows = await db
    .selectFrom('provider_cases')
    .select(['id', 'title', 'year'])
    .where('org_id', '=', c.provider_org_id)
    .where('verified_contract_id', 'is', null)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(CONTRACT_LIMITS.caseChoices)
    .execute()
  return rows
}

/** The draft form: a party's members, while the contract is a draft. */
export async function getContractEditForm(db: Database, actor: Actor, contractId: number): Promise<ContractEditForm> {
  const { contract: c, role } = await contractFor(db, actor, contractId)
  if (sideOf(role) === null) throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'edit:contract' } })
  nextContractStatus(c.status, 'edit')
  const rows = await db
    .selectFrom('contract_milestones')
    .select(['name', 'percent', 'due_date', 'criteria'])
    .where('contract_id', '=', c.id)
    .orderBy('seq')
    .execute()
  return {
    id: c.id,
    title: c.title,
    revision: c.revision,
    amountWan: wanText(c.amount_wan_x100),
    amountX100: c.amount_wan_x100,
    terms: termsOf(c),
    milestones: rows.map((m) => ({ name: m.name, percent: m.percent, dueDate: m.due_date, criteria: m.criteria })),
    confirmed: { enterprise: c.enterprise_confirmed_at !== null, provider: c.provider_confirmed_at !== null },
  }
}

/** 打印: the contract as a document (Chinese), for every reader. */
export async function getContractPrint(
  db: Database,
  actor: Actor,
  contractId: number,
  now: Date = new Date(),
): Promise<ContractPrint> {
  const ref = await getReferenceData(db)
  const { contract: c } = await contractFor(db, actor, contractId, ref)
  const need = await db.selectFrom('needs').select('title').where('id', '=', c.need_id).executeTakeFirstOrThrow()
  const orgRows = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'region_code', 'uscc'])
    .where('id', 'in', [c.enterprise_org_id, c.provider_org_id, ...(c.supervisor_org_id ? [c.supervisor_org_id] : [])])
    .execute()
  const org = (id: number) => orgRows.find((o) => o.id === id)
  const people = await namesOf(db, [c.enterprise_confirmed_by, c.provider_confirmed_by])
  const consortium = c.consortium_id
    ? await db.selectFrom('consortia').select('name').where('id', '=', c.consortium_id).executeTakeFirst()
    : undefined
  const party = (orgId: number, by: number | null, at: string | null) => {
    const o = org(orgId)
    return {
      orgId,
      name: o?.name ?? '',
      regionName: o ? regionLabel(ref, o.region_code) : '',
      uscc: o?.uscc ?? null,
      confirmedBy: by === null ? null : (people.get(by) ?? null),
      confirmedAt: at,
    }
  }
  const supervisor = c.supervisor_org_id !== null ? org(c.supervisor_org_id) : undefined
  return {
    id: c.id,
    title: c.title,
    status: c.status,
    revision: c.revision,
    needTitle: need.title,
    amountWan: wanText(c.amount_wan_x100),
    terms: termsOf(c),
    enterprise: party(c.enterprise_org_id, c.enterprise_confirmed_by, c.enterprise_confirmed_at),
    provider: {
      ...party(c.provider_org_id, c.provider_confirmed_by, c.provider_confirmed_at),
      consortiumName: consortium?.name ?? null,
    },
    supervisor:
      supervisor && c.supervisor_appointed_at ? { name: supervisor.name, appointedAt: c.supervisor_appointed_at } : null,
    milestones: await milestonesOf(db, c, chinaDate(now)),
    createdAt: c.created_at,
    activatedAt: c.activated_at,
    printedAt: now.toISOString(),
  }
}

/* ------------------------------------------------------------------ the draft */

/**
 * The draft form, read: the schema's checks, and the milestone sum also when other
 * fields failed (a person sees every problem in one round); then checkDraft.
 */
export function parseContractDraftForm(form: FormData): ContractDraftInput {
  try {
    return parseForm(ZContractDraftForm, form)
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'VALIDATION' || error.fieldErrors.milestones) throw error
    const raw = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'))
    const percents = milestoneRows(raw).map((r) => parsePercent(r.percent))
    if (percents.length === 0 || percents.some((p) => p === null)) throw error
    const sum = percents.reduce<number>((total, p) => total + (p ?? 0), 0)
    if (sum === 100) throw error
    const fieldErrors = { ...error.fieldErrors, milestones: 'contracts.v.milestoneSumField' as const }
    throw new AppError('VALIDATION', 'errors.validation', { fieldErrors, params: { count: Object.keys(fieldErrors).length } })
  }
}

/**
 * What zod cannot say with a key alone: 1–20 milestones, whole percentages summing to
 * exactly 100 (the message names the sum), due dates not going backwards and none
 * before the start date (the message names the row and the date).
 */
export function checkDraft(input: ContractDraftInput): void {
  const ms = input.milestones
  if (ms.length === 0 || ms.length > CONTRACT_LIMITS.maxMilestones) {
    throw new AppError('VALIDATION', 'contracts.v.milestonesRequired', {
      params: { max: CONTRACT_LIMITS.maxMilestones },
      fieldErrors: { milestones: 'contracts.v.milestonesRequired' },
    })
  }
  for (const [i, m] of ms.entries()) {
    const n = i + 1
    if (!m.name.trim() || m.name.length > CONTRACT_LIMITS.milestoneNameMax) {
      throw new AppError('VALIDATION', 'errors.validationOne', {
        fieldErrors: { [contractMilestoneField(n, 'Name')]: 'contracts.v.milestoneName' },
      })
    }
    if (!Number.isInteger(m.percent) || m.percent < 1 || m.percent > 100) {
      throw new AppError('VALIDATION', 'errors.validationOne', {
        fieldErrors: { [contractMilestoneField(n, 'Percent')]: 'contracts.v.milestonePercent' },
      })
    }
  }
  const sum = ms.reduce((total, m) => total + m.percent, 0)
  if (sum !== 100) {
    throw new AppError('VALIDATION', 'contracts.v.milestoneSum', {
      params: { sum },
      fieldErrors: { milestones: 'contracts.v.milestoneSumField' },
    })
  }
  for (const [i, m] of ms.entries()) {
    const n = i + 1
    if (m.dueDate < input.startDate) {
      throw new AppError('VALIDATION', 'contracts.v.dueBeforeStart', {
        params: { n, start: input.startDate },
        fieldErrors: { [contractMilestoneField(n, 'Due')]: 'contracts.v.dueBeforeStartField' },
      })
    }
    const previous = ms[i - 1]
    if (previous && m.dueDate < previous.dueDate) {
      throw new AppError('VALIDATION', 'contracts.v.dueOrder', {
        params: { n, previous: n - 1 },
        fieldErrors: { [contractMilestoneField(n, 'Due')]: 'contracts.v.dueOrderField' },
      })
    }
  }
}

/**
 * 修改合同草稿: either party's members, while draft, on the revision they read (else
 * CONFLICT contracts.e.stale). Only the whitelisted fields of `input` are written; the
 * amount and parties stay the award's. Milestone amounts are recomputed from the
 * contract amount. Saving clears both confirmations and bumps the revision; an edit that
 * changes nothing saves nothing. Returns whether anything changed.
 */
export async function updateDraft(
  db: Database,
  actor: Actor,
  contractId: number,
  revision: number,
  input: ContractDraftInput,
  now: Date = new Date(),
): Promise<{ changed: boolean; revision: number }> {
  checkDraft(input)
  const ref = await getReferenceData(db)
  return withTransaction(db, async (trx) => {
    const { contract: c, role } = await contractFor(trx, actor, contractId, ref)
    const side = sideOf(role)
    if (side === null) throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'edit:contract' } })
    nextContractStatus(c.status, 'edit')
    if (c.revision !== revision) throw new AppError('CONFLICT', 'contracts.e.stale')

    const before = await trx
      .selectFrom('contract_milestones')
      .select(['id', 'seq', 'name', 'percent', 'due_date', 'criteria', 'amount_wan_x100'])
      .where('contract_id', '=', c.id)
      .orderBy('seq')
      .execute()
    const amounts = milestoneAmounts(
      c.amount_wan_x100,
      input.milestones.map((m) => m.percent),
    )
    const standards = JSON.stringify(input.technicalStandards)
    const changes: Record<string, string> = {}
    const compare = (field: string, from: string | number | null, to: string | number | null, shown = true) => {
      if (from !== to) changes[field] = shown ? `${from ?? '—'} → ${to ?? '—'}` : 'changed'
    }
    compare('startDate', c.start_date, input.startDate)
    compare('constructionDays', c.construction_days, input.constructionDays)
    compare('technicalStandards', c.technical_standards, standards, false)
    compare('acceptanceStandards', c.acceptance_standards, input.acceptanceStandards, false)
    compare('qualityTerms', c.quality_terms, input.qualityTerms, false)
    compare('warrantyMonths', c.warranty_months, input.warrantyMonths)
    compare('disputeClause', c.dispute_clause, input.disputeClause, false)
    const milestonesSame =
      before.length === input.milestones.length &&
      input.milestones.every((m, i) => {
        const b = before[i]!
        return b.name === m.name && b.percent === m.percent && b.due_date === m.dueDate && b.criteria === m.criteria
      })
    if (!milestonesSame) {
      changes.milestones = `${before.map((m) => `${m.percent}%`).join('/')} → ${input.milestones.map((m) => `${m.percent}%`).join('/')}`
    }
    if (Object.keys(changes).length === 0) return { changed: false, revision: c.revision }

    const at = now.toISOString()
    const result = await trx
      .updateTable('contracts')
      .set({
        start_date: input.startDate,
        construction_days: input.constructionDays,
        technical_standards: standards,
        acceptance_standards: input.acceptanceStandards,
        quality_terms: input.qualityTerms,
        warranty_months: input.warrantyMonths,
        dispute_clause: input.disputeClause,
        revision: revision + 1,
        enterprise_confirmed_by: null,
        enterprise_confirmed_at: null,
        provider_confirmed_by: null,
        provider_confirmed_at: null,
        updated_at: at,
      })
      .where('id', '=', c.id)
      .where('revision', '=', revision)
      .where('status', '=', 'draft')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'contracts.e.stale')

    if (!milestonesSame) {
      // A draft: nothing refers to its milestones yet. Rows are kept by sequence (stable ids).
      for (const [i, m] of input.milestones.entries()) {
        const seq = i + 1
        const values = {
          name: m.name,
          percent: m.percent,
          amount_wan_x100: amounts[i]!,
          due_date: m.dueDate,
          criteria: m.criteria,
          updated_at: at,
        }
        if (before.some((b) => b.seq === seq)) {
          await trx
            .updateTable('contract_milestones')
            .set(values)
            .where('contract_id', '=', c.id)
            .where('seq', '=', seq)
            .execute()
        } else {
          await trx
            .insertInto('contract_milestones')
            .values({ ...values, contract_id: c.id, seq })
            .execute()
        }
      }
      await trx
        .deleteFrom('contract_milestones')
        .where('contract_id', '=', c.id)
        .where('seq', '>', input.milestones.length)
        .execute()
    }
    const hadConfirmation = c.enterprise_confirmed_at !== null || c.provider_confirmed_at !== null
    await recordContractEvent(trx, {
      contractId: c.id,
      kind: 'updated',
      actorUserId: actor.userId,
      actorOrgId: partyOrgId(c, side),
      detail: { revision: revision + 1, fields: Object.keys(changes).join(', ') },
      at,
    })
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: partyOrgId(c, side),
      regionCode: c.region_code,
      action: 'contract.updated',
      objectType: 'contract',
      objectId: c.id,
      detail: { revision: revision + 1, confirmationsCleared: hadConfirmation, ...changes },
    })
    return { changed: true, revision: revision + 1 }
  })
}

/* ------------------------------------------------------------------ confirmation */

async function tellParty(
  db: Database,
  trx: Transaction<DB>,
  afterCommit: AfterCommit,
  kind: 'contract_to_confirm' | 'contract_confirmed',
  orgId: number,
  params: { contract: string; org: string },
  contractId: number,
): Promise<void> {
  await notify(db, trx, afterCommit, { kind, orgId, params, link: link(contractId) })
}

/**
 * 电子确认: an owner of a party (confirm:contract:own on THAT party's organisation), on
 * the revision they read (else CONFLICT contracts.e.stale). Confirming again for a side
 * that confirmed is a no-op. The second side's confirmation activates the contract in the
 * same transaction — exactly once, also when both confirm at the same moment: status
 * active, activated_at, the need moves `contract` (system), events confirmed +
 * activated. The first confirmation tells the other party's owners
 * (contract_to_confirm); the second tells the side that confirmed first
 * (contract_confirmed).
 */
export async function confirmContract(
  db: Database,
  actor: Actor,
  contractId: number,
  revision: number,
  now: Date = new Date(),
): Promise<{ status: 'draft' | 'active'; already: boolean }> {
  const ref = await getReferenceData(db)
  return withTransaction(db, async (trx, afterCommit) => {
    const { contract: c, role } = await contractFor(trx, actor, contractId, ref)
    const side = sideOf(role)
    if (side === null) throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'confirm:contract:own' } })
    const orgId = partyOrgId(c, side)
    authorize(actor, ref, 'confirm:contract:own', { orgId })
    const other = side === 'enterprise' ? 'provider' : 'enterprise'
    if (confirmedAt(c, side) !== null && c.revision === revision && (c.status === 'draft' || c.status === 'active')) {
      return { status: c.status, already: true }
    }
    nextContractStatus(c.status, 'confirm')
    if (c.revision !== revision) throw new AppError('CONFLICT', 'contracts.e.stale')

    const at = now.toISOString()
    const byColumn = side === 'enterprise' ? 'enterprise_confirmed_by' : 'provider_confirmed_by'
    const atColumn = side === 'enterprise' ? 'enterprise_confirmed_at' : 'provider_confirmed_at'
    const result = await trx
      .updateTable('contracts')
      .set({ [byColumn]: actor.userId, [atColumn]: at, updated_at: at })
      .where('id', '=', c.id)
      .where('revision', '=', revision)
      .where('status', '=', 'draft')
      .where(atColumn, 'is', null)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) {
      // Someone edited it, or this side confirmed in the meantime (the row lock let us through after them).
      const now2 = await trx
        .selectFrom('contracts')
        .select(['revision', 'status', atColumn])
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow()
      if (now2.revision === revision && now2[atColumn] !== null)
        return { status: now2.status === 'active' ? 'active' : 'draft', already: true }
      throw new AppError('CONFLICT', 'contracts.e.stale')
    }
    const orgs = await orgNamesOf(trx, [orgId])
    const orgName = orgs.get(orgId) ?? ''
    await recordContractEvent(trx, {
      contractId: c.id,
      kind: 'confirmed',
      actorUserId: actor.userId,
      actorOrgId: orgId,
      detail: { side, revision },
      at,
    })
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: orgId,
      regionCode: c.region_code,
      action: 'contract.confirmed',
      objectType: 'contract',
      objectId: c.id,
      detail: { side, revision },
    })

    // Both sides now? One conditional update decides, so it happens exactly once.
    const activated = await trx
      .updateTable('contracts')
      .set({ status: nextContractStatus('draft', 'activate'), activated_at: at, updated_at: at })
      .where('id', '=', c.id)
      .where('status', '=', 'draft')
      .where('enterprise_confirmed_at', 'is not', null)
      .where('provider_confirmed_at', 'is not', null)
      .executeTakeFirst()
    const otherOrgId = partyOrgId(c, other)
    if (Number(activated.numUpdatedRows) !== 1) {
      await tellParty(db, trx, afterCommit, 'contract_to_confirm', otherOrgId, { contract: c.title, org: orgName }, c.id)
      return { status: 'draft', already: false }
    }
    await transitionNeed(trx, afterCommit, { kind: 'system' }, c.need_id, 'contract', { now })
    await recordContractEvent(trx, { contractId: c.id, kind: 'activated', detail: { revision }, at })
    await recordAudit(trx, {
      regionCode: c.region_code,
      action: 'contract.activated',
      objectType: 'contract',
      objectId: c.id,
      detail: { revision, needId: c.need_id },
    })
    await tellParty(db, trx, afterCommit, 'contract_confirmed', otherOrgId, { contract: c.title, org: orgName }, c.id)
    return { status: 'active', already: false }
  })
}

/* ------------------------------------------------------------------ supervisor, case */

/**
 * 指派监理: an owner or reviewer of an agency over the contract's region
 * (appoint:supervisor:jurisdiction) appoints a verified provider whose kinds include
 * 'supervisor' and that is not a party, while the contract is a draft or active.
 * Appointing another replaces the earlier one; appointing the same one again is a
 * no-op. The supervisor's members are told (supervisor_appointed).
 */
export async function appointSupervisor(
  db: Database,
  actor: Actor,
  contractId: number,
  supervisorOrgId: number,
  now: Date = new Date(),
): Promise<{ changed: boolean }> {
  const ref = await getReferenceData(db)
  return withTransaction(db, async (trx, afterCommit) => {
    const { contract: c } = await contractFor(trx, actor, contractId, ref)
    const agency = authorize(actor, ref, 'appoint:supervisor:jurisdiction', { regionCode: c.region_code })
    nextContractStatus(c.status, 'appoint')
    const candidate = await trx
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('id', '=', supervisorOrgId)
      .where('kind', '=', 'provider')
      .where('status', '=', 'verified')
      .where(holdsSupervisor)
      .executeTakeFirst()
    if (!candidate || candidate.id === c.enterprise_org_id || candidate.id === c.provider_org_id) {
      throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { supervisorOrgId: 'contracts.v.notSupervisor' } })
    }
    if (c.supervisor_org_id === candidate.id) return { changed: false }
    const previous =
      c.supervisor_org_id === null ? null : ((await orgNamesOf(trx, [c.supervisor_org_id])).get(c.supervisor_org_id) ?? null)
    const at = now.toISOString()
    const result = await trx
      .updateTable('contracts')
      .set({
        supervisor_org_id: candidate.id,
        supervisor_appointed_by: actor.userId,
        supervisor_appointed_org_id: agency.orgId,
        supervisor_appointed_at: at,
        updated_at: at,
      })
      .where('id', '=', c.id)
      .where('status', 'in', ['draft', 'active'])
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'contracts.e.stale')
    const detail: Record<string, string> = { supervisor: candidate.name }
    if (previous !== null) detail.previous = previous
    await recordContractEvent(trx, {
      contractId: c.id,
      kind: 'supervisor_appointed',
      actorUserId: actor.userId,
      actorOrgId: agency.orgId,
      objectId: candidate.id,
      detail,
      at,
    })
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: agency.orgId,
      regionCode: c.region_code,
      action: 'contract.supervisor_appointed',
      objectType: 'contract',
      objectId: c.id,
      detail: { supervisorOrgId: candidate.id, ...detail, previousOrgId: c.supervisor_org_id },
    })
    await notify(db, trx, afterCommit, {
      kind: 'supervisor_appointed',
      orgId: candidate.id,
      params: { contract: c.title },
      link: link(c.id),
    })
    return { changed: true }
  })
}

/**
 * 关联案例: the provider's members link one of the provider's own cases that no contract
 * has verified yet, before the contract completes (draft or active); completion verifies
 * it. Linking another replaces it.
 */
export async function linkCase(
  db: Database,
  actor: Actor,
  contractId: number,
  caseId: number,
  now: Date = new Date(),
): Promise<void> {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const { contract: c, role } = await contractFor(trx, actor, contractId, ref)
    if (role !== 'provider') throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'link:case:contract' } })
    if (!CASE_LINK_STATUSES.includes(c.status)) {
      throw new AppError('CONFLICT', 'contracts.e.transition', { params: { from: c.status, action: 'linkCase' } })
    }
    const found = await trx
      .selectFrom('provider_cases')
      .select(['id', 'title'])
      .where('id', '=', caseId)
      .where('org_id', '=', c.provider_org_id)
      .where('verified_contract_id', 'is', null)
      .executeTakeFirst()
    if (!found) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { caseId: 'contracts.v.case' } })
    if (c.case_id === found.id) return
    const at = now.toISOString()
    const result = await trx
      .updateTable('contracts')
      .set({ case_id: found.id, updated_at: at })
      .where('id', '=', c.id)
      .where('status', 'in', [...CASE_LINK_STATUSES])
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'contracts.e.stale')
    await recordContractEvent(trx, {
      contractId: c.id,
      kind: 'case_linked',
      actorUserId: actor.userId,
      actorOrgId: c.provider_org_id,
      objectId: found.id,
      detail: { case: found.title },
      at,
    })
    await recordAudit(trx, {
      ...auditActor(actor),
      actorOrgId: c.provider_org_id,
      regionCode: c.region_code,
      action: 'contract.case_linked',
      objectType: 'contract',
      objectId: c.id,
      detail: { caseId: found.id, case: found.title, previousCaseId: c.case_id },
    })
  })
}
