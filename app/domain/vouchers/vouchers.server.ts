import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { VoucherAction, VoucherStatus } from '../../../db/enums.js'
import { uniqueViolation, withTransaction, type AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import type { MessageKey } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import type { AuditAction } from '../audit/actions.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { listFiles, type FileView } from '../files/files.server.js'
import { MILESTONE_FILE_OBJECT } from '../contracts/milestones.server.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { notify } from '../notifications/notify.server.js'
import { jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import {
  STEP_RULES,
  VOUCHER_LIMITS,
  issueRefusal,
  nextRole,
  stepsFor,
  voucherCap,
  type VoucherRole,
  type VoucherStep,
} from './rules.js'
import type { IssueInput, ReleaseInput, SchemeInput, SubmitInput } from './schema.js'
import { wanText } from '../../utils/format.js'

/*
 * 服务券 (issue 16 §5, decision 016). An agency sets up a scheme (its budget and caps) and
 * issues a voucher of it to the enterprise of a contract in its jurisdiction that has an
 * appointed 监理机构; the provider attaches stage evidence (accepted milestones and a
 * note), the supervisor signs it off (or sends it back), the enterprise confirms the
 * service was completed (or disputes it), and the issuing agency releases the subsidy (or
 * cancels the voucher). Each step: a conditional update on the status (two clicks → one
 * wins, the other a 409), a voucher_events row (the timeline), an audit entry and a
 * notice to whoever acts next. The year's budget is guarded by a conditional update of
 * voucher_budgets (committed + amount ≤ budget), so parallel issuance cannot exceed it.
 */

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : '')
const day = (v: unknown): string => iso(v).slice(0, 10)

function agencyOrg(actor: Actor): { orgId: number; regionCode: string } | null {
  const org = actor.org
  return org && org.kind === 'agency' ? { orgId: org.orgId, regionCode: org.regionCode } : null
}

/** The acting agency that may manage vouchers (its own region as the target); else FORBIDDEN. */
function managingAgency(actor: Actor, ref: ReferenceData): { orgId: number; regionCode: string } {
  const org = agencyOrg(actor)
  if (!org) throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'manage:voucher' } })
  authorize(actor, ref, 'manage:voucher:jurisdiction', { regionCode: org.regionCode })
  return org
}

// ---------------------------------------------------------------- schemes

export interface SchemeView {
  id: number
  name: string
  document: string
  validFrom: string
  validTo: string
  budgetWan: string
  committedWan: string
  leftWan: string
  maxSharePct: number
  maxPerWan: string
  current: boolean
  vouchers: number
}

/** The scheme form's guard: an agency that may manage vouchers; today (China) for the default dates. */
export async function schemeFormDefaults(db: Database, actor: Actor, now: Date = new Date()): Promise<{ today: string }> {
  managingAgency(actor, await getReferenceData(db))
  return { today: chinaDate(now) }
}

export async function createScheme(db: Database, actor: Actor, input: SchemeInput, now: Date = new Date()): Promise<number> {
  const ref = await getReferenceData(db)
  const agency = managingAgency(actor, ref)
  return withTransaction(db, async (trx) => {
    const { id } = await trx
      .insertInto('voucher_schemes')
      .values({
        agency_org_id: agency.orgId,
        name: input.name,
        document: input.document,
        valid_from: input.validFrom,
        valid_to: input.validTo,
        yearly_budget_wan_x100: input.yearlyBudget,
        max_share_pct: input.maxSharePct,
        max_per_voucher_wan_x100: input.maxPerVoucher,
        created_by: actor.userId,
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      action: 'voucher.scheme_created',
      ...auditActor(actor),
      objectType: 'voucher_scheme',
      objectId: id,
      detail: {
        name: input.name,
        document: input.document,
        validFrom: input.validFrom,
        validTo: input.validTo,
        budgetWan: wanText(input.yearlyBudget),
        maxSharePct: input.maxSharePct,
        maxPerWan: wanText(input.maxPerVoucher),
      },
    })
    return id
  })
}

async function schemesOf(db: Kysely<DB>, agencyOrgId: number, today: string): Promise<SchemeView[]> {
  const year = Number(today.slice(0, 4))
  const rows = await db
    .selectFrom('voucher_schemes as s')
    .leftJoin('voucher_budgets as b', (j) => j.onRef('b.scheme_id', '=', 's.id').on('b.year', '=', year))
    .select([
      's.id',
      's.name',
      's.document',
      's.valid_from',
      's.valid_to',
      's.yearly_budget_wan_x100',
      's.max_share_pct',
      's.max_per_voucher_wan_x100',
      'b.committed_wan_x100',
      (eb) =>
        eb
          .selectFrom('vouchers as v')
          .select((e2) => e2.fn.countAll<string | number>().as('n'))
          .whereRef('v.scheme_id', '=', 's.id')
          .as('vouchers'),
    ])
    .where('s.agency_org_id', '=', agencyOrgId)
    .orderBy('s.valid_to', 'desc')
    .orderBy('s.id', 'desc')
    .limit(50)
    .execute()
  return rows.map((s) => {
    const committed = Number(s.committed_wan_x100 ?? 0)
    return {
      id: s.id,
      name: s.name,
      document: s.document,
      validFrom: day(s.valid_from),
      validTo: day(s.valid_to),
      budgetWan: wanText(s.yearly_budget_wan_x100),
      committedWan: wanText(committed),
      leftWan: wanText(Math.max(0, s.yearly_budget_wan_x100 - committed)),
      maxSharePct: s.max_share_pct,
      maxPerWan: wanText(s.max_per_voucher_wan_x100),
      current: day(s.valid_from) <= today && today <= day(s.valid_to),
      vouchers: Number(s.vouchers ?? 0),
    }
  })
}

// ---------------------------------------------------------------- issuing

export interface IssueChoice {
  id: number
  title: string
  enterpriseName: string
  amountWan: string
  status: string
}

export interface IssueForm {
  schemes: SchemeView[]
  contracts: IssueChoice[]
  /** The contract asked for (?contract=) with why it cannot get a voucher, if so. */
  chosen:
    | (IssueChoice & {
        refusal: 'noSupervisor' | 'hasVoucher' | 'notActive' | null
        caps: { schemeId: number; capWan: string }[]
      })
    | null
}

/** The issue form: the agency's current schemes and the contracts of its jurisdiction that may get a voucher. */
export async function getIssueForm(
  db: Database,
  actor: Actor,
  contractId: number | null,
  now: Date = new Date(),
): Promise<IssueForm> {
  const ref = await getReferenceData(db)
  const agency = managingAgency(actor, ref)
  const today = chinaDate(now)
  const schemes = (await schemesOf(db, agency.orgId, today)).filter((s) => s.current)
  const codes = jurisdictionCodes(ref, agency.regionCode)
  const base = db
    .selectFrom('contracts as c')
    .innerJoin('organisations as e', 'e.id', 'c.enterprise_org_id')
    .select(['c.id', 'c.title', 'e.name as enterprise_name', 'c.amount_wan_x100', 'c.status', 'c.supervisor_org_id'])
    .where('c.region_code', 'in', codes)
  const [rows, chosenRow, caps] = await Promise.all([
    base
      .where('c.status', 'in', ['active', 'completed'])
      .where('c.supervisor_org_id', 'is not', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('vouchers as v')
              .select('v.id')
              .whereRef('v.contract_id', '=', 'c.id')
              .where('v.status', '<>', 'cancelled'),
          ),
        ),
      )
      .orderBy('c.id', 'desc')
      .limit(VOUCHER_LIMITS.contractChoices)
      .execute(),
    contractId === null ? Promise.resolve(undefined) : base.where('c.id', '=', contractId).executeTakeFirst(),
    db
      .selectFrom('voucher_schemes')
      .select(['id', 'max_share_pct', 'max_per_voucher_wan_x100'])
      .where('agency_org_id', '=', agency.orgId)
      .where('id', 'in', schemes.length ? schemes.map((s) => s.id) : [0])
      .execute(),
  ])
  const choice = (r: { id: number; title: string; enterprise_name: string; amount_wan_x100: number; status: string }) => ({
    id: r.id,
    title: r.title,
    enterpriseName: r.enterprise_name,
    amountWan: wanText(r.amount_wan_x100),
    status: r.status,
  })
  let chosen: IssueForm['chosen'] = null
  if (chosenRow) {
    const live = await db
      .selectFrom('vouchers')
      .select('id')
      .where('contract_id', '=', chosenRow.id)
      .where('status', '<>', 'cancelled')
      .executeTakeFirst()
    chosen = {
      ...choice(chosenRow),
      refusal:
        chosenRow.status !== 'active' && chosenRow.status !== 'completed'
          ? 'notActive'
          : chosenRow.supervisor_org_id === null
            ? 'noSupervisor'
            : live
              ? 'hasVoucher'
              : null,
      caps: caps.map((s) => ({
        schemeId: s.id,
        capWan: wanText(
          voucherCap(
            { maxSharePct: s.max_share_pct, maxPerVoucherWanX100: s.max_per_voucher_wan_x100 },
            chosenRow.amount_wan_x100,
          ),
        ),
      })),
    }
  }
  return { schemes, contracts: rows.map(choice), chosen }
}

/** A refusal naming the field; `fieldKey` (no params) under the field when `key` carries params. */
function refused(
  field: string,
  key: MessageKey,
  params: Record<string, string | number> = {},
  fieldKey: MessageKey = key,
): AppError {
  return new AppError('VALIDATION', key, { fieldErrors: { [field]: fieldKey }, params })
}

export async function issueVoucher(db: Database, actor: Actor, input: IssueInput, now: Date = new Date()): Promise<number> {
  const ref = await getReferenceData(db)
  const agency = managingAgency(actor, ref)
  const today = chinaDate(now)
  const year = Number(today.slice(0, 4))
  try {
    return await withTransaction(db, async (trx, afterCommit) => {
      const scheme = await trx
        .selectFrom('voucher_schemes')
        .selectAll()
        .where('id', '=', input.schemeId)
        .where('agency_org_id', '=', agency.orgId)
        .executeTakeFirst()
      if (!scheme) throw refused('schemeId', 'vouchers.v.scheme')
      const contract = await trx.selectFrom('contracts').selectAll().where('id', '=', input.contractId).executeTakeFirst()
      if (!contract || !can(actor, ref, 'manage:voucher:jurisdiction', { regionCode: contract.region_code })) {
        throw refused('contractId', 'vouchers.v.contract')
      }
      if (contract.status !== 'active' && contract.status !== 'completed') throw refused('contractId', 'vouchers.e.notActive')
      if (contract.supervisor_org_id === null) throw refused('contractId', 'vouchers.e.noSupervisor')
      await trx
        .insertInto('voucher_budgets')
        .values({ scheme_id: scheme.id, year })
        .onConflict((oc) => oc.doNothing())
        .execute()
      const budget = await trx
        .selectFrom('voucher_budgets')
        .select('committed_wan_x100')
        .where('scheme_id', '=', scheme.id)
        .where('year', '=', year)
        .executeTakeFirstOrThrow()
      const caps = {
        maxSharePct: scheme.max_share_pct,
        maxPerVoucherWanX100: scheme.max_per_voucher_wan_x100,
        validFrom: day(scheme.valid_from),
        validTo: day(scheme.valid_to),
        yearlyBudgetWanX100: scheme.yearly_budget_wan_x100,
      }
      const why = issueRefusal(
        { amountX100: input.amount, today },
        caps,
        contract.amount_wan_x100,
        Number(budget.committed_wan_x100),
      )
      if (why === 'outsideValidity') throw refused('schemeId', 'vouchers.e.outsideValidity')
      if (why === 'overCap')
        throw refused(
          'amount',
          'vouchers.e.overCap',
          { cap: wanText(voucherCap(caps, contract.amount_wan_x100)) },
          'vouchers.v.amountOver',
        )
      const left = Math.max(0, scheme.yearly_budget_wan_x100 - Number(budget.committed_wan_x100))
      if (why === 'overBudget') throw refused('amount', 'vouchers.e.overBudget', { left: wanText(left) }, 'vouchers.v.amountOver')
      // The last guard under parallel issuance: the row is locked by the update and the
      // condition is read again after a concurrent commit.
      const raised = await trx
        .updateTable('voucher_budgets')
        .set((eb) => ({ committed_wan_x100: eb('committed_wan_x100', '+', input.amount) }))
        .where('scheme_id', '=', scheme.id)
        .where('year', '=', year)
        .where((eb) => eb(eb('committed_wan_x100', '+', input.amount), '<=', scheme.yearly_budget_wan_x100))
        .executeTakeFirst()
      if (Number(raised.numUpdatedRows) === 0) throw new AppError('CONFLICT', 'vouchers.e.overBudgetNow')
      const at = now.toISOString()
      const { id } = await trx
        .insertInto('vouchers')
        .values({
          scheme_id: scheme.id,
          agency_org_id: agency.orgId,
          contract_id: contract.id,
          enterprise_org_id: contract.enterprise_org_id,
          provider_org_id: contract.provider_org_id,
          supervisor_org_id: contract.supervisor_org_id,
          region_code: contract.region_code,
          year,
          amount_wan_x100: input.amount,
          status: 'issued',
          evidence_milestones: '[]',
          issued_by: actor.userId,
          issued_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await recordEvent(trx, actor, agency.orgId, id, 'issued', null, 'issued', input.note, at)
      await recordAudit(trx, {
        action: 'voucher.issued',
        ...auditActor(actor),
        objectType: 'voucher',
        objectId: id,
        regionCode: contract.region_code,
        detail: { scheme: scheme.id, contract: contract.id, amountWan: wanText(input.amount), year },
      })
      const target = { id, title: contract.title }
      await tell(db, trx, afterCommit, contract.provider_org_id, target, 'issued')
      await tell(db, trx, afterCommit, contract.enterprise_org_id, target, 'issued')
      return id
    })
  } catch (error) {
    if (uniqueViolation(error)) throw refused('contractId', 'vouchers.e.hasVoucher')
    throw error
  }
}

async function recordEvent(
  trx: Transaction<DB>,
  actor: Actor,
  orgId: number,
  voucherId: number,
  action: VoucherAction,
  from: VoucherStatus | null,
  to: VoucherStatus,
  note: string,
  at: string,
): Promise<void> {
  await trx
    .insertInto('voucher_events')
    .values({
      voucher_id: voucherId,
      action,
      from_status: from,
      to_status: to,
      actor_user_id: actor.userId,
      actor_org_id: orgId,
      note,
      created_at: at,
    })
    .execute()
}

async function tell(
  db: Database,
  trx: Transaction<DB>,
  afterCommit: AfterCommit,
  orgId: number,
  voucher: { id: number; title: string },
  action: VoucherAction,
): Promise<void> {
  await notify(db, trx, afterCommit, {
    kind: 'voucher_step',
    orgId,
    params: { id: voucher.id, contract: voucher.title, stepKey: `vouchers.action.${action}` },
    link: `/vouchers/${voucher.id}`,
  })
}

// ---------------------------------------------------------------- reading

type VoucherRow = Awaited<ReturnType<typeof loadVoucher>>

function loadVoucher(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('vouchers as v')
    .innerJoin('voucher_schemes as s', 's.id', 'v.scheme_id')
    .innerJoin('contracts as c', 'c.id', 'v.contract_id')
    .innerJoin('organisations as a', 'a.id', 'v.agency_org_id')
    .innerJoin('organisations as e', 'e.id', 'v.enterprise_org_id')
    .innerJoin('organisations as p', 'p.id', 'v.provider_org_id')
    .innerJoin('organisations as sv', 'sv.id', 'v.supervisor_org_id')
    .select([
      'v.id',
      'v.scheme_id',
      'v.agency_org_id',
      'v.contract_id',
      'v.enterprise_org_id',
      'v.provider_org_id',
      'v.supervisor_org_id',
      'v.region_code',
      'v.year',
      'v.amount_wan_x100',
      'v.status',
      'v.evidence_milestones',
      'v.evidence_note',
      'v.released_wan_x100',
      'v.released_ref',
      'v.released_on',
      'v.issued_at',
      's.name as scheme_name',
      's.document as scheme_document',
      'c.title as contract_title',
      'c.amount_wan_x100 as contract_amount',
      'a.name as agency_name',
      'e.name as enterprise_name',
      'p.name as provider_name',
      'sv.name as supervisor_name',
    ])
    .where('v.id', '=', id)
    .executeTakeFirst()
}

/** The sides the actor reads a voucher as (empty: it does not exist for them). */
function rolesOn(
  actor: Actor,
  ref: ReferenceData,
  v: Pick<
    NonNullable<VoucherRow>,
    'agency_org_id' | 'enterprise_org_id' | 'provider_org_id' | 'supervisor_org_id' | 'region_code'
  >,
): VoucherRole[] {
  const org = actor.org
  if (!org) return []
  const roles: VoucherRole[] = []
  if (org.kind === 'agency' && can(actor, ref, 'read:voucher:jurisdiction', { regionCode: v.region_code })) roles.push('agency')
  if (org.orgId === v.enterprise_org_id) roles.push('enterprise')
  if (org.orgId === v.provider_org_id) roles.push('provider')
  if (org.orgId === v.supervisor_org_id) roles.push('supervisor')
  return roles
}

/** The sides the actor may act as (the permission of each step, on the voucher). */
function actingRoles(actor: Actor, ref: ReferenceData, v: NonNullable<VoucherRow>): VoucherRole[] {
  const roles: VoucherRole[] = []
  if (actor.org?.orgId === v.agency_org_id && can(actor, ref, 'manage:voucher:jurisdiction', { regionCode: v.region_code })) {
    roles.push('agency')
  }
  if (can(actor, ref, 'confirm:voucher:own', { orgId: v.enterprise_org_id })) roles.push('enterprise')
  if (can(actor, ref, 'claim:voucher:own', { orgId: v.provider_org_id })) roles.push('provider')
  if (can(actor, ref, 'signoff:voucher:own', { orgId: v.supervisor_org_id })) roles.push('supervisor')
  return roles
}

export interface VoucherEventView {
  id: number
  action: VoucherAction
  from: VoucherStatus | null
  to: VoucherStatus
  actorName: string
  orgName: string
  note: string
  at: string
}

export interface EvidenceMilestone {
  id: number
  seq: number
  name: string
  amountWan: string
  acceptedAt: string
  files: FileView[]
}

export interface VoucherPage {
  id: number
  status: VoucherStatus
  schemeName: string
  schemeDocument: string
  contractId: number
  contractTitle: string
  contractAmountWan: string
  agencyName: string
  enterpriseName: string
  providerName: string
  supervisorName: string
  year: number
  amountWan: string
  issuedAt: string
  evidenceNote: string
  evidence: EvidenceMilestone[]
  releasedWan: string | null
  releasedRef: string
  releasedOn: string | null
  roles: VoucherRole[]
  steps: VoucherStep[]
  next: VoucherRole | null
  /** For the provider's step: the contract's accepted milestones. */
  accepted: EvidenceMilestone[]
  events: VoucherEventView[]
  today: string
}

async function acceptedMilestones(db: Kysely<DB>, contractId: number, only: number[] | null): Promise<EvidenceMilestone[]> {
  if (only !== null && only.length === 0) return []
  let q = db
    .selectFrom('contract_milestones')
    .select(['id', 'seq', 'name', 'amount_wan_x100', 'accepted_at'])
    .where('contract_id', '=', contractId)
    .where('status', '=', 'accepted')
  if (only !== null) q = q.where('id', 'in', only)
  const rows = await q.orderBy('seq').limit(VOUCHER_LIMITS.evidenceMax).execute()
  // The evidence files of each milestone's latest submission (the accepted round).
  const subs = rows.length
    ? await db
        .selectFrom('milestone_submissions')
        .select(['id', 'milestone_id', 'round'])
        .where(
          'milestone_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
    : []
  const latest = new Map<number, { id: number; round: number }>()
  for (const s of subs) {
    const seen = latest.get(s.milestone_id)
    if (!seen || s.round > seen.round) latest.set(s.milestone_id, { id: s.id, round: s.round })
  }
  const files = await listFiles(
    db,
    MILESTONE_FILE_OBJECT,
    [...latest.values()].map((s) => s.id),
  )
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    name: r.name,
    amountWan: wanText(r.amount_wan_x100),
    acceptedAt: day(r.accepted_at),
    files: files.get(latest.get(r.id)?.id ?? 0) ?? [],
  }))
}

function evidenceIds(json: string): number[] {
  try {
    const parsed: unknown = JSON.parse(json)
    return Array.isArray(parsed) ? parsed.filter((n): n is number => Number.isInteger(n)) : []
  } catch {
    return []
  }
}

export async function getVoucherPage(db: Database, actor: Actor, id: number, now: Date = new Date()): Promise<VoucherPage> {
  const ref = await getReferenceData(db)
  const v = await loadVoucher(db, id)
  const roles = v ? rolesOn(actor, ref, v) : []
  if (!v || roles.length === 0) throw new AppError('NOT_FOUND', 'vouchers.e.notFound')
  const steps = stepsFor(v.status, actingRoles(actor, ref, v))
  const [events, evidence, accepted] = await Promise.all([
    db
      .selectFrom('voucher_events as ev')
      .innerJoin('users as u', 'u.id', 'ev.actor_user_id')
      .innerJoin('organisations as o', 'o.id', 'ev.actor_org_id')
      .select([
        'ev.id',
        'ev.action',
        'ev.from_status',
        'ev.to_status',
        'ev.note',
        'ev.created_at',
        'u.name as user_name',
        'o.name as org_name',
      ])
      .where('ev.voucher_id', '=', v.id)
      .orderBy('ev.id')
      .limit(200)
      .execute(),
    acceptedMilestones(db, v.contract_id, evidenceIds(v.evidence_milestones)),
    steps.includes('submit') ? acceptedMilestones(db, v.contract_id, null) : Promise.resolve([]),
  ])
  return {
    id: v.id,
    status: v.status,
    schemeName: v.scheme_name,
    schemeDocument: v.scheme_document,
    contractId: v.contract_id,
    contractTitle: v.contract_title,
    contractAmountWan: wanText(v.contract_amount),
    agencyName: v.agency_name,
    enterpriseName: v.enterprise_name,
    providerName: v.provider_name,
    supervisorName: v.supervisor_name,
    year: v.year,
    amountWan: wanText(v.amount_wan_x100),
    issuedAt: iso(v.issued_at),
    evidenceNote: v.evidence_note,
    evidence,
    releasedWan: v.released_wan_x100 === null ? null : wanText(v.released_wan_x100),
    releasedRef: v.released_ref,
    releasedOn: v.released_on === null ? null : day(v.released_on),
    roles,
    steps,
    next: nextRole(v.status),
    accepted,
    events: events.map((e) => ({
      id: e.id,
      action: e.action,
      from: e.from_status,
      to: e.to_status,
      actorName: e.user_name,
      orgName: e.org_name,
      note: e.note,
      at: iso(e.created_at),
    })),
    today: chinaDate(now),
  }
}

export interface VoucherListRow {
  id: number
  status: VoucherStatus
  contractId: number
  contractTitle: string
  enterpriseName: string
  providerName: string
  schemeName: string
  amountWan: string
  releasedWan: string | null
  issuedAt: string
}

export interface VouchersPage {
  /** agency: the jurisdiction's vouchers and the agency's schemes; party: the org's own. */
  view: 'agency' | 'party'
  mayManage: boolean
  schemes: SchemeView[]
  vouchers: VoucherListRow[]
  /** Vouchers waiting for the viewer's organisation. */
  waiting: number
  page: number
  pageCount: number
  total: number
  status: VoucherStatus | null
}

export async function getVouchersPage(
  db: Database,
  actor: Actor,
  query: { page: number; status: VoucherStatus | null },
  now: Date = new Date(),
): Promise<VouchersPage> {
  const ref = await getReferenceData(db)
  const org = actor.org
  if (!org) throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:voucher' } })
  const today = chinaDate(now)
  let view: VouchersPage['view']
  let base = db
    .selectFrom('vouchers as v')
    .innerJoin('contracts as c', 'c.id', 'v.contract_id')
    .innerJoin('voucher_schemes as s', 's.id', 'v.scheme_id')
    .innerJoin('organisations as e', 'e.id', 'v.enterprise_org_id')
    .innerJoin('organisations as p', 'p.id', 'v.provider_org_id')
  let waitingStatuses: VoucherStatus[] = []
  if (org.kind === 'agency') {
    authorize(actor, ref, 'read:voucher:jurisdiction', { regionCode: org.regionCode })
    view = 'agency'
    base = base.where('v.region_code', 'in', jurisdictionCodes(ref, org.regionCode))
    waitingStatuses = ['confirmed']
  } else if (org.kind === 'enterprise' || org.kind === 'provider') {
    view = 'party'
    base = base.where((eb) =>
      eb.or([
        eb('v.enterprise_org_id', '=', org.orgId),
        eb('v.provider_org_id', '=', org.orgId),
        eb('v.supervisor_org_id', '=', org.orgId),
      ]),
    )
  } else {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:voucher' } })
  }
  const filtered = query.status === null ? base : base.where('v.status', '=', query.status)
  const size = VOUCHER_LIMITS.pageSize
  const waitingQuery =
    view === 'agency'
      ? base.where('v.status', 'in', waitingStatuses).where('v.agency_org_id', '=', org.orgId)
      : base.where((eb) =>
          eb.or([
            eb.and([eb('v.provider_org_id', '=', org.orgId), eb('v.status', '=', 'issued')]),
            eb.and([eb('v.supervisor_org_id', '=', org.orgId), eb('v.status', '=', 'submitted')]),
            eb.and([eb('v.enterprise_org_id', '=', org.orgId), eb('v.status', '=', 'signed_off')]),
          ]),
        )
  const [count, waiting] = await Promise.all([
    filtered.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
    waitingQuery.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ])
  const total = Number(count.n)
  const pageCount = Math.max(1, Math.ceil(total / size))
  const current = Math.min(query.page, pageCount)
  const rows = await filtered
    .select([
      'v.id',
      'v.status',
      'v.contract_id',
      'c.title',
      'e.name as enterprise_name',
      'p.name as provider_name',
      's.name as scheme_name',
      'v.amount_wan_x100',
      'v.released_wan_x100',
      'v.issued_at',
    ])
    .orderBy('v.id', 'desc')
    .limit(size)
    .offset((current - 1) * size)
    .execute()
  const mayManage = view === 'agency' && can(actor, ref, 'manage:voucher:jurisdiction', { regionCode: org.regionCode })
  return {
    view,
    mayManage,
    schemes: view === 'agency' ? await schemesOf(db, org.orgId, today) : [],
    vouchers: rows.map((r) => ({
      id: r.id,
      status: r.status,
      contractId: r.contract_id,
      contractTitle: r.title,
      enterpriseName: r.enterprise_name,
      providerName: r.provider_name,
      schemeName: r.scheme_name,
      amountWan: wanText(r.amount_wan_x100),
      releasedWan: r.released_wan_x100 === null ? null : wanText(r.released_wan_x100),
      issuedAt: iso(r.issued_at),
    })),
    waiting: Number(waiting.n),
    page: current,
    pageCount,
    total,
    status: query.status,
  }
}

/**
 * For the contract page: its live (else latest) voucher, when the actor reads it, and
 * whether the actor's agency may issue one for it now (supervised, active or completed,
 * no live voucher, in its jurisdiction).
 */
export async function contractVoucher(
  db: Database,
  actor: Actor,
  contractId: number,
): Promise<{ voucher: { id: number; status: VoucherStatus; amountWan: string } | null; mayIssue: boolean }> {
  const ref = await getReferenceData(db)
  const [v, contract] = await Promise.all([
    db
      .selectFrom('vouchers')
      .select([
        'id',
        'status',
        'amount_wan_x100',
        'agency_org_id',
        'enterprise_org_id',
        'provider_org_id',
        'supervisor_org_id',
        'region_code',
      ])
      .where('contract_id', '=', contractId)
      .orderBy((eb) => eb.case().when('status', '=', 'cancelled').then(1).else(0).end())
      .orderBy('id', 'desc')
      .executeTakeFirst(),
    db
      .selectFrom('contracts')
      .select(['status', 'supervisor_org_id', 'region_code'])
      .where('id', '=', contractId)
      .executeTakeFirst(),
  ])
  const live = v !== undefined && v.status !== 'cancelled'
  const mayIssue =
    !live &&
    contract !== undefined &&
    actor.org?.kind === 'agency' &&
    (contract.status === 'active' || contract.status === 'completed') &&
    contract.supervisor_org_id !== null &&
    can(actor, ref, 'manage:voucher:jurisdiction', { regionCode: contract.region_code })
  const voucher =
    v && rolesOn(actor, ref, v).length > 0 ? { id: v.id, status: v.status, amountWan: wanText(v.amount_wan_x100) } : null
  return { voucher, mayIssue }
}

// ---------------------------------------------------------------- steps

export type StepInput =
  | { step: 'submit'; input: SubmitInput }
  | { step: 'signoff' | 'confirm'; note: string }
  | { step: 'reject' | 'dispute' | 'cancel'; note: string }
  | { step: 'release'; input: ReleaseInput }

const STEP_AUDIT: Record<VoucherStep, AuditAction> = {
  submit: 'voucher.submitted',
  signoff: 'voucher.signed_off',
  reject: 'voucher.signoff_rejected',
  confirm: 'voucher.confirmed',
  dispute: 'voucher.disputed',
  release: 'voucher.released',
  cancel: 'voucher.cancelled',
}

/** Takes one step of a voucher's flow (STEP_RULES) for the side the actor acts as. */
export async function takeStep(
  db: Database,
  actor: Actor,
  voucherId: number,
  step: StepInput,
  now: Date = new Date(),
): Promise<void> {
  const ref = await getReferenceData(db)
  const rule = STEP_RULES[step.step]
  const today = chinaDate(now)
  await withTransaction(db, async (trx, afterCommit) => {
    const v = await loadVoucher(trx, voucherId)
    if (!v || rolesOn(actor, ref, v).length === 0) throw new AppError('NOT_FOUND', 'vouchers.e.notFound')
    if (!actingRoles(actor, ref, v).includes(rule.role)) {
      throw new AppError('FORBIDDEN', `vouchers.e.notYour.${rule.role}`)
    }
    if (!rule.from.includes(v.status)) throw new AppError('CONFLICT', 'vouchers.e.stale')
    const at = now.toISOString()
    const set: {
      status: VoucherStatus
      updated_at: string
      evidence_milestones?: string
      evidence_note?: string
      released_wan_x100?: number
      released_ref?: string
      released_on?: string
    } = { status: rule.to, updated_at: at }
    let note = ''
    const detail: Record<string, string | number> = { from: v.status, to: rule.to }
    if (step.step === 'submit') {
      const accepted = await trx
        .selectFrom('contract_milestones')
        .select('id')
        .where('contract_id', '=', v.contract_id)
        .where('status', '=', 'accepted')
        .where('id', 'in', step.input.milestone)
        .execute()
      if (accepted.length !== step.input.milestone.length) throw refused('milestone', 'vouchers.v.evidenceAccepted')
      const ids = accepted.map((m) => m.id).sort((a, b) => a - b)
      set.evidence_milestones = JSON.stringify(ids)
      set.evidence_note = step.input.note
      note = step.input.note
      detail.milestones = ids.join(',')
    } else if (step.step === 'release') {
      if (step.input.amount > v.amount_wan_x100) {
        throw refused('amount', 'vouchers.e.releaseOver', { amount: wanText(v.amount_wan_x100) }, 'vouchers.v.releaseAmount')
      }
      if (step.input.releasedOn > today) throw refused('releasedOn', 'vouchers.v.releasedOnFuture')
      set.released_wan_x100 = step.input.amount
      set.released_ref = step.input.reference
      set.released_on = step.input.releasedOn
      note = step.input.note
      detail.releasedWan = wanText(step.input.amount)
      detail.reference = step.input.reference
      detail.releasedOn = step.input.releasedOn
    } else {
      note = step.note
    }
    const updated = await trx
      .updateTable('vouchers')
      .set(set)
      .where('id', '=', v.id)
      .where('status', '=', v.status)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) throw new AppError('CONFLICT', 'vouchers.e.stale')
    // What the year's budget no longer needs: all of a cancelled voucher, the unpaid rest of a released one.
    const giveBack =
      step.step === 'cancel' ? v.amount_wan_x100 : step.step === 'release' ? v.amount_wan_x100 - step.input.amount : 0
    if (giveBack > 0) {
      await trx
        .updateTable('voucher_budgets')
        .set((eb) => ({ committed_wan_x100: eb('committed_wan_x100', '-', giveBack) }))
        .where('scheme_id', '=', v.scheme_id)
        .where('year', '=', v.year)
        .where('committed_wan_x100', '>=', giveBack)
        .execute()
    }
    const orgId =
      rule.role === 'agency'
        ? v.agency_org_id
        : rule.role === 'enterprise'
          ? v.enterprise_org_id
          : rule.role === 'provider'
            ? v.provider_org_id
            : v.supervisor_org_id
    await recordEvent(trx, actor, orgId, v.id, rule.action, v.status, rule.to, note, at)
    await recordAudit(trx, {
      action: STEP_AUDIT[step.step],
      ...auditActor(actor),
      actorOrgId: orgId,
      objectType: 'voucher',
      objectId: v.id,
      regionCode: v.region_code,
      detail: note ? { ...detail, note } : detail,
    })
    const target = { id: v.id, title: v.contract_title }
    const next = nextRole(rule.to)
    const recipients =
      next === 'agency'
        ? [v.agency_org_id]
        : next === 'provider'
          ? [v.provider_org_id]
          : next === 'supervisor'
            ? [v.supervisor_org_id]
            : next === 'enterprise'
              ? [v.enterprise_org_id]
              : [v.enterprise_org_id, v.provider_org_id]
    for (const to of new Set(recipients)) await tell(db, trx, afterCommit, to, target, rule.action)
  })
}
