import type { Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction, type AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, translator, type Locale, type MessageKey } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { auditActor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit, type AuditDetailValue } from '../audit/audit-log.server.js'
import {
  getReferenceData,
  industryName,
  industryOptions,
  regionLabel,
  regionPickerData,
  scenarioName,
  scenarioOptions,
  type ReferenceData,
} from '../reference/reference.server.js'
import type {
  MyNeedRow,
  MyNeedsPage,
  NeedEditForm,
  NeedFormChoices,
  NeedFormValues,
  NewNeedForm,
  OwnNeed,
} from './authoring-views.js'
import { NEED_STATUSES, PUBLIC_NEED_STATUSES, type NeedStatus } from './enums.js'
import { needHistory, needSourceLink } from './history.server.js'
import { allowedNeedActions, nextNeedStatus } from './lifecycle.js'
import {
  addDays,
  chinaDate,
  deadlineProblem,
  loadNeedRecord,
  ownNeedForWrite,
  transitionNeed,
  type TransitionResult,
} from './lifecycle.server.js'
import { NEED_LIMITS, type TMyNeedsQuery, type TNeedInput, type TNeedLifecycleInput } from './need-form-schema.js'
import { enqueueNeedChange } from './search-index.server.js'

/*
 * Needs written by enterprises (issue 12, DOMAIN.md §4–§5): 我的需求, the need form
 * (blank, or prefilled from a weakness of a confirmed diagnosis report and linked to
 * it), edits (a published need's are its public history), and the owner's life-cycle
 * buttons. Every write: 'publish:need:own' on the need's enterprise (an active member
 * of a verified enterprise), in one transaction, audited (object 'need'), enqueued for
 * the search index. Status changes go through lifecycle.server.ts.
 */

/** The forms' and queries' schemas, for the routes: through this .server module, zod stays out of the browser bundle. */
export { ZMyNeedsQuery, ZNeedInput, ZNeedLifecycleInput, ZNewNeedQuery } from './need-form-schema.js'

export const MY_NEEDS_PAGE_SIZE = 20

/** Report versions whose weaknesses may become needs: confirmed (签字盖章), or confirmed and since amended. */
const CONFIRMED_REPORT_STATUSES = ['confirmed', 'superseded'] as const
/** Needs that still stand for their weakness: anything but withdrawn or expired. */
const LIVE_NEED_STATUSES = NEED_STATUSES.filter((s) => s !== 'withdrawn' && s !== 'expired')

type FieldErrors = Record<string, MessageKey>

function validation(fieldErrors: FieldErrors): AppError {
  const count = Object.keys(fieldErrors).length
  return count === 1
    ? new AppError('VALIDATION', 'errors.validationOne', { fieldErrors })
    : new AppError('VALIDATION', 'errors.validation', { fieldErrors, params: { count } })
}

interface EnterpriseRow {
  id: number
  name: string
  status: string
  kind: string
  industry_code: string | null
  region_code: string
}

async function loadEnterprise(db: Kysely<DB>, orgId: number): Promise<EnterpriseRow | undefined> {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'status', 'kind', 'industry_code', 'region_code'])
    .where('id', '=', orgId)
    .executeTakeFirst()
}

/** The acting enterprise, once the actor may write its needs (new needs, the new-need form). */
async function writingEnterprise(db: Kysely<DB>, actor: Actor, ref: ReferenceData): Promise<EnterpriseRow> {
  const orgId = actor.org?.orgId
  if (!orgId) throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'publish:need:own' } })
  authorize(actor, ref, 'publish:need:own', { orgId })
  const org = await loadEnterprise(db, orgId)
  if (!org || org.kind !== 'enterprise' || org.status !== 'verified') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'publish:need:own' } })
  }
  return org
}

/** The acting enterprise, once the actor may read its needs (any active member, verified or not yet). */
async function readingEnterprise(db: Kysely<DB>, actor: Actor, ref: ReferenceData): Promise<EnterpriseRow> {
  const orgId = actor.org?.orgId
  if (!orgId) throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'edit:enterprise-archive:own' } })
  authorize(actor, ref, 'edit:enterprise-archive:own', { orgId })
  const org = await loadEnterprise(db, orgId)
  if (!org) throw new AppError('NOT_FOUND', 'errors.notFound')
  return org
}

function choicesOf(ref: ReferenceData, regionCode: string | null, locale: Locale, now: Date): NeedFormChoices {
  const today = chinaDate(now)
  return {
    industries: industryOptions(ref, locale),
    scenarios: scenarioOptions(ref, locale),
    regions: regionPickerData(ref, regionCode && ref.regionsByCode.has(regionCode) ? regionCode : null, locale),
    today,
    maxDeadline: addDays(today, NEED_LIMITS.deadlineMaxDays),
  }
}

/* ------------------------------------------------------------------ 我的需求 */

/** /enterprise/needs: the acting enterprise's needs of one status (or all), a page, and the count of every status (one grouped query). */
export async function getMyNeeds(db: Database, actor: Actor, query: TMyNeedsQuery): Promise<MyNeedsPage> {
  const ref = await getReferenceData(db)
  const org = await readingEnterprise(db, actor, ref)
  const canPublish = can(actor, ref, 'publish:need:own', { orgId: org.id }) && org.status === 'verified'
  const grouped = await db
    .selectFrom('needs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', org.id)
    .groupBy('status')
    .execute()
  const counts = Object.fromEntries(NEED_STATUSES.map((s) => [s, 0])) as Record<NeedStatus, number>
  for (const g of grouped) counts[g.status] = Number(g.n)
  const total = query.status ? counts[query.status] : Object.values(counts).reduce((a, b) => a + b, 0)
  const pageCount = Math.max(1, Math.ceil(total / MY_NEEDS_PAGE_SIZE))
  const page = Math.min(query.page, pageCount)
  const rows = await db
    .selectFrom('needs')
    .select(['id', 'title', 'status', 'deadline', 'updated_at'])
    .where('org_id', '=', org.id)
    .$if(query.status !== undefined, (q) => q.where('status', '=', query.status!))
    .orderBy('id', 'desc')
    .limit(MY_NEEDS_PAGE_SIZE)
    .offset((page - 1) * MY_NEEDS_PAGE_SIZE)
    .execute()
  const items: MyNeedRow[] = rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    deadline: r.deadline === null ? null : String(r.deadline).slice(0, 10),
    updatedAt: String(r.updated_at),
    actions: canPublish ? allowedNeedActions(r.status, 'owner') : [],
  }))
  return { orgName: org.name, canPublish, status: query.status ?? null, counts, total, items, page, pageCount }
}

/* ------------------------------------------------------------------ the form */

interface WeaknessRow {
  id: number
  title: string
  description: string
  scenario_code: string
  indicator: string
  current_value: string
  target_value: string
  version_id: number
  version: number
  version_status: string
  diagnosis_id: number
  enterprise_org_id: number
}

/**
 * A weakness the acting enterprise may turn into a need: one of a report about it
 * (else NOT_FOUND, as for an unknown id), of a confirmed version (else INVALID_STATE:
 * a report becomes valid once the enterprise confirms it).
 */
async function ownConfirmedWeakness(db: Kysely<DB>, orgId: number, weaknessId: number): Promise<WeaknessRow> {
  const row = await db
    .selectFrom('diagnosis_weaknesses as w')
    .innerJoin('diagnosis_report_versions as v', 'v.id', 'w.version_id')
    .innerJoin('diagnoses as d', 'd.id', 'v.diagnosis_id')
    .select([
      'w.id',
      'w.title',
      'w.description',
      'w.scenario_code',
      'w.indicator',
      'w.current_value',
      'w.target_value',
      'v.id as version_id',
      'v.version',
      'v.status as version_status',
      'd.id as diagnosis_id',
      'd.enterprise_org_id',
    ])
    .where('w.id', '=', weaknessId)
    .executeTakeFirst()
  if (!row || row.enterprise_org_id !== orgId) throw new AppError('NOT_FOUND', 'errors.notFound')
  if (!(CONFIRMED_REPORT_STATUSES as readonly string[]).includes(row.version_status)) {
    throw new AppError('INVALID_STATE', 'needs.e.reportNotConfirmed')
  }
  return row
}

/** A need of the enterprise still standing for this weakness (not withdrawn or expired). */
async function liveNeedOfWeakness(db: Kysely<DB>, orgId: number, weaknessId: number) {
  return db
    .selectFrom('needs')
    .select(['id', 'title', 'status'])
    .where('org_id', '=', orgId)
    .where('source_weakness_id', '=', weaknessId)
    .where('status', 'in', LIVE_NEED_STATUSES)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

function blankValues(org: EnterpriseRow, now: Date): NeedFormValues {
  return {
    title: '',
    description: '',
    industry: org.industry_code ?? '',
    scenarios: [],
    level: '',
    budgetMin: '',
    budgetMax: '',
    expectedStart: '',
    durationMonths: '',
    region: org.region_code,
    acceptsMatching: true,
    expectedResults: '',
    // A month to answer, as a suggestion: the owner sets it.
    deadline: addDays(chinaDate(now), 30),
    visibility: 'public',
  }
}

/** The weakness's description and its indicator line (现状 → 目标), as the need's description. */
function prefillDescription(w: WeaknessRow, locale: Locale): string {
  const t = translator(locale)
  const parts = [w.description.trim()]
  if (w.indicator.trim() || w.current_value.trim() || w.target_value.trim()) {
    parts.push(
      t('needForm.prefill.indicator', {
        indicator: w.indicator.trim() || '—',
        current: w.current_value.trim() || '—',
        target: w.target_value.trim() || '—',
      }),
    )
  }
  return parts.join('\n\n').slice(0, NEED_LIMITS.descriptionMax)
}

/** /enterprise/needs/new: the blank form, or one prefilled from weakness `weaknessId`. */
export async function getNewNeedForm(
  db: Database,
  actor: Actor,
  weaknessId: number | undefined,
  { locale = DEFAULT_LOCALE, now = new Date() }: { locale?: Locale; now?: Date } = {},
): Promise<NewNeedForm> {
  const ref = await getReferenceData(db)
  const org = await writingEnterprise(db, actor, ref)
  const values = blankValues(org, now)
  if (weaknessId === undefined)
    return { values, choices: choicesOf(ref, values.region, locale, now), source: null, existing: null }
  const w = await ownConfirmedWeakness(db, org.id, weaknessId)
  const existing = await liveNeedOfWeakness(db, org.id, w.id)
  const prefilled: NeedFormValues = {
    ...values,
    title: w.title.trim().slice(0, NEED_LIMITS.titleMax),
    description: prefillDescription(w, locale),
    scenarios: ref.scenariosByCode.has(w.scenario_code) ? [w.scenario_code] : [],
  }
  const source = await needSourceLink(db, actor, ref, w.version_id, w.id)
  return {
    values: prefilled,
    choices: choicesOf(ref, prefilled.region, locale, now),
    source: source ? { ...source, weaknessId: w.id } : null,
    existing: existing ?? null,
  }
}

/** What zod cannot check: codes exist, dates within range. `publishing`: the deadline is required and checked against today. */
function assertInput(ref: ReferenceData, input: TNeedInput, publishing: boolean, now: Date): void {
  const fieldErrors: FieldErrors = {}
  if (!ref.industriesByCode.has(input.industry)) fieldErrors.industry = 'needs.v.industry'
  if (input.scenarios.some((c) => !ref.scenariosByCode.has(c))) fieldErrors['scenarios[]'] = 'needs.v.scenarios'
  if (!ref.regionsByCode.has(input.region)) fieldErrors.region = 'needs.v.region'
  const today = chinaDate(now)
  if (input.expectedStart && input.expectedStart > addDays(today, NEED_LIMITS.startMaxYears * 366)) {
    fieldErrors.expectedStart = 'needs.v.expectedStartFar'
  }
  if (publishing) {
    const problem = deadlineProblem(input.deadline, now)
    if (problem) fieldErrors.deadline = problem
  } else if (input.deadline) {
    // A draft's deadline may be left out; one given is checked as publishing will check it.
    const problem = deadlineProblem(input.deadline, now)
    if (problem) fieldErrors.deadline = problem
  }
  if (Object.keys(fieldErrors).length > 0) throw validation(fieldErrors)
}

/** The columns the form writes. */
function columnsOf(input: TNeedInput) {
  return {
    title: input.title,
    description: input.description,
    industry_code: input.industry,
    region_code: input.region,
    target_level: input.level,
    budget_min_wan: input.budgetMin,
    budget_max_wan: input.budgetMax,
    expected_start: input.expectedStart!,
    duration_months: input.durationMonths,
    accepts_matching: input.acceptsMatching ? 1 : 0,
    expected_results: input.expectedResults,
    deadline: input.deadline,
    visibility: input.visibility,
  }
}

function owner(actor: Actor, ref: ReferenceData) {
  return { kind: 'owner' as const, actor, ref }
}

/**
 * Creates a need of the acting enterprise: a draft, published at once when
 * `input.intent` is 'publish'. From a weakness: only a weakness of a confirmed report
 * about this enterprise, and only one live need per weakness (CONFLICT needs.e.weaknessTaken).
 */
export async function createNeed(
  db: Database,
  actor: Actor,
  input: TNeedInput,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ id: number; status: NeedStatus }> {
  const ref = await getReferenceData(db)
  try {
    return await createNeedIn(db, ref, actor, input, now)
  } catch (error) {
    // Two submissions of one weakness at once: the index needs_live_weakness_uq lets one in.
    if (input.weakness !== null && uniqueViolation(error)) throw new AppError('CONFLICT', 'needs.e.weaknessTaken')
    throw error
  }
}

function createNeedIn(
  db: Database,
  ref: ReferenceData,
  actor: Actor,
  input: TNeedInput,
  now: Date,
): Promise<{ id: number; status: NeedStatus }> {
  return withTransaction(db, async (trx, afterCommit) => {
    const org = await writingEnterprise(trx, actor, ref)
    assertInput(ref, input, input.intent === 'publish', now)
    let source: { reportId: number; weaknessId: number } | null = null
    if (input.weakness !== null) {
      const w = await ownConfirmedWeakness(trx, org.id, input.weakness)
      if (await liveNeedOfWeakness(trx, org.id, w.id)) throw new AppError('CONFLICT', 'needs.e.weaknessTaken')
      source = { reportId: w.version_id, weaknessId: w.id }
    }
    const at = now.toISOString()
    const { id } = await trx
      .insertInto('needs')
      .values({
        org_id: org.id,
        ...columnsOf(input),
        source_report_id: source?.reportId ?? null,
        source_weakness_id: source?.weaknessId ?? null,
        status: 'draft',
        published_at: null,
        created_at: at,
        updated_at: at,
        revision: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('need_scenarios')
      .values(input.scenarios.map((code) => ({ need_id: id, scenario_code: code })))
      .execute()
    await recordAudit(trx, {
      action: 'need.created',
      ...auditActor(actor),
      actorOrgId: org.id,
      objectType: 'need',
      objectId: id,
      regionCode: org.region_code,
      detail: { title: input.title, ...(source ? { reportVersion: source.reportId, weakness: source.weaknessId } : {}) },
    })
    let status: NeedStatus = 'draft'
    if (input.intent === 'publish') {
      status = (await transitionNeed(trx, afterCommit, owner(actor, ref), id, 'publish', { deadline: input.deadline, now })).to
    } else {
      await enqueueNeedChange(trx, afterCommit, id)
    }
    return { id, status }
  })
}

/** The values an edit compares, as the history records them. */
type Recorded = Record<string, string | number | boolean | null>

async function recordedOf(db: Kysely<DB>, needId: number): Promise<Recorded> {
  const row = await db.selectFrom('needs').selectAll().where('id', '=', needId).executeTakeFirstOrThrow()
  const scenarios = await db
    .selectFrom('need_scenarios')
    .select('scenario_code')
    .where('need_id', '=', needId)
    .orderBy('scenario_code')
    .execute()
  return {
    title: row.title,
    description: row.description,
    industry: row.industry_code,
    scenarios: scenarios.map((s) => s.scenario_code).join(','),
    level: row.target_level,
    budgetMin: row.budget_min_wan,
    budgetMax: row.budget_max_wan,
    expectedStart: String(row.expected_start).slice(0, 10),
    durationMonths: row.duration_months,
    region: row.region_code,
    acceptsMatching: Number(row.accepts_matching) === 1,
    expectedResults: row.expected_results,
    deadline: row.deadline === null ? null : String(row.deadline).slice(0, 10),
    visibility: row.visibility,
  }
}

function recordedFromInput(input: TNeedInput): Recorded {
  return {
    title: input.title,
    description: input.description,
    industry: input.industry,
    scenarios: [...input.scenarios].sort().join(','),
    level: input.level,
    budgetMin: input.budgetMin,
    budgetMax: input.budgetMax,
    expectedStart: input.expectedStart,
    durationMonths: input.durationMonths,
    region: input.region,
    acceptsMatching: input.acceptsMatching,
    expectedResults: input.expectedResults,
    deadline: input.deadline,
    visibility: input.visibility,
  }
}

/** Long texts in the history: enough to see what changed, bounded. */
function forHistory(value: string | number | boolean | null): AuditDetailValue {
  if (typeof value !== 'string') return value
  return value.length > 300 ? `${value.slice(0, 299)}…` : value
}

/**
 * Saves an edit of a draft or a published need (the table allows no other), made on
 * revision `input.revision` (else CONFLICT needs.e.stale). The changed fields are
 * recorded as `{ changes: { field: [before, after] } }`; those of a published need are
 * its public history. A draft saved with intent 'publish' is published too.
 */
export async function updateNeed(
  db: Database,
  actor: Actor,
  needId: number,
  input: TNeedInput,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ changed: string[]; status: NeedStatus }> {
  const ref = await getReferenceData(db)
  return withTransaction(db, async (trx, afterCommit) => {
    const need = await ownNeedForWrite(trx, actor, ref, needId)
    nextNeedStatus(need.status, 'edit')
    if (input.revision === undefined || input.revision !== need.revision) throw new AppError('CONFLICT', 'needs.e.stale')
    const publishing = need.status === 'published' || input.intent === 'publish'
    assertInput(ref, input, publishing, now)
    const before = await recordedOf(trx, need.id)
    const after = recordedFromInput(input)
    const changes: Record<string, AuditDetailValue> = {}
    for (const [field, value] of Object.entries(after)) {
      if (before[field] !== value) changes[field] = [forHistory(before[field] ?? null), forHistory(value)]
    }
    const changed = Object.keys(changes)
    if (changed.length > 0) {
      const result = await trx
        .updateTable('needs')
        .set({ ...columnsOf(input), revision: need.revision + 1, updated_at: now.toISOString() })
        .where('id', '=', need.id)
        .where('revision', '=', need.revision)
        .where('status', '=', need.status)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'needs.e.stale')
      if ('scenarios' in changes) {
        await trx.deleteFrom('need_scenarios').where('need_id', '=', need.id).execute()
        await trx
          .insertInto('need_scenarios')
          .values(input.scenarios.map((code) => ({ need_id: need.id, scenario_code: code })))
          .execute()
      }
      await recordAudit(trx, {
        action: 'need.updated',
        ...auditActor(actor),
        actorOrgId: need.org_id,
        objectType: 'need',
        objectId: need.id,
        regionCode: need.org_region,
        detail: { revision: need.revision + 1, published: need.status === 'published', changes },
      })
    }
    let status = need.status
    if (need.status === 'draft' && input.intent === 'publish') {
      status = (await transitionNeed(trx, afterCommit, owner(actor, ref), need.id, 'publish', { deadline: input.deadline, now }))
        .to
    } else if (changed.length > 0) {
      await enqueueNeedChange(trx, afterCommit, need.id)
    }
    return { changed, status }
  })
}

/** /enterprise/needs/:id/edit: the need's values on the form (a draft or a published need). */
export async function getNeedForEdit(
  db: Database,
  actor: Actor,
  needId: number,
  { locale = DEFAULT_LOCALE, now = new Date() }: { locale?: Locale; now?: Date } = {},
): Promise<NeedEditForm> {
  const ref = await getReferenceData(db)
  const need = await ownNeedForWrite(db, actor, ref, needId)
  nextNeedStatus(need.status, 'edit')
  const r = await recordedOf(db, need.id)
  const values: NeedFormValues = {
    title: String(r.title),
    description: String(r.description),
    industry: String(r.industry),
    scenarios: String(r.scenarios).split(',').filter(Boolean),
    level: r.level as NeedFormValues['level'],
    budgetMin: String(r.budgetMin),
    budgetMax: String(r.budgetMax),
    expectedStart: String(r.expectedStart),
    durationMonths: String(r.durationMonths),
    region: String(r.region),
    acceptsMatching: r.acceptsMatching === true,
    expectedResults: String(r.expectedResults),
    deadline: r.deadline === null ? '' : String(r.deadline),
    visibility: r.visibility as NeedFormValues['visibility'],
  }
  return {
    id: need.id,
    status: need.status,
    revision: need.revision,
    values,
    choices: choicesOf(ref, values.region, locale, now),
  }
}

/* ------------------------------------------------------------------ the manage page */

/**
 * /enterprise/needs/:id: the need as its enterprise sees it (any active member; a need
 * of another organisation is NOT_FOUND), the actions allowed now (for those who may
 * write), and its whole history.
 */
export async function getOwnNeed(
  db: Database,
  actor: Actor,
  needId: number,
  { locale = DEFAULT_LOCALE, now = new Date() }: { locale?: Locale; now?: Date } = {},
): Promise<OwnNeed> {
  const ref = await getReferenceData(db)
  const record = await loadNeedRecord(db, needId)
  if (!record || actor.org?.orgId !== record.org_id) throw new AppError('NOT_FOUND', 'errors.notFound')
  authorize(actor, ref, 'edit:enterprise-archive:own', { orgId: record.org_id })
  const canWrite = can(actor, ref, 'publish:need:own', { orgId: record.org_id }) && record.org_status === 'verified'
  const row = await db.selectFrom('needs').selectAll().where('id', '=', needId).executeTakeFirstOrThrow()
  const scenarios = await db
    .selectFrom('need_scenarios as ns')
    .innerJoin('scenarios as s', 's.code', 'ns.scenario_code')
    .select('s.code')
    .where('ns.need_id', '=', needId)
    .orderBy('s.sort_order')
    .execute()
  const [history, source] = await Promise.all([
    needHistory(db, ref, needId, { locale }),
    needSourceLink(db, actor, ref, row.source_report_id, row.source_weakness_id),
  ])
  const today = chinaDate(now)
  const shown = (PUBLIC_NEED_STATUSES as readonly string[]).includes(row.status) && record.org_status === 'verified'
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    expectedResults: row.expected_results,
    status: row.status,
    statusReason: row.status_reason,
    revision: row.revision,
    level: row.target_level,
    visibility: row.visibility,
    industryName: industryName(ref, row.industry_code, locale) ?? row.industry_code,
    regionName: regionLabel(ref, row.region_code, locale),
    scenarios: scenarios.map((s) => ({ code: s.code, name: scenarioName(ref, s.code, locale) ?? s.code })),
    budgetMinWan: row.budget_min_wan,
    budgetMaxWan: row.budget_max_wan,
    expectedStart: String(row.expected_start).slice(0, 10),
    durationMonths: row.duration_months,
    acceptsMatching: Number(row.accepts_matching) === 1,
    deadline: row.deadline === null ? null : String(row.deadline).slice(0, 10),
    publishedAt: row.published_at === null ? null : String(row.published_at),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    publicHref: shown ? `/needs/${row.id}` : null,
    source,
    canWrite,
    actions: canWrite ? allowedNeedActions(row.status, 'owner') : [],
    history,
    today,
    maxDeadline: addDays(today, NEED_LIMITS.deadlineMaxDays),
  }
}

/**
 * The manage page's buttons: publish, withdraw (with a reason), republish (with a new
 * deadline), close. `apply: false` checks everything and changes nothing (the confirm
 * step without scripts asks first).
 */
export async function changeNeedStatus(
  db: Database,
  actor: Actor,
  needId: number,
  input: TNeedLifecycleInput,
  { now = new Date(), apply = true }: { now?: Date; apply?: boolean } = {},
): Promise<TransitionResult> {
  const ref = await getReferenceData(db)
  return withTransaction(db, (trx, afterCommit: AfterCommit) => {
    const by = owner(actor, ref)
    const common = { now, dryRun: !apply }
    switch (input.intent) {
      case 'publish':
        return transitionNeed(trx, afterCommit, by, needId, 'publish', { ...common, deadline: input.deadline })
      case 'republish':
        return transitionNeed(trx, afterCommit, by, needId, 'republish', { ...common, deadline: input.deadline })
      case 'withdraw':
        return transitionNeed(trx, afterCommit, by, needId, 'withdraw', { ...common, reason: input.reason })
      case 'close':
        return transitionNeed(trx, afterCommit, by, needId, 'close', { ...common, reason: input.reason })
    }
  })
}
