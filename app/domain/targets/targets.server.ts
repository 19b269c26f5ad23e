import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { TargetMetric } from '../../../db/enums.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { translator, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { reserve, type RateLimitRule } from '../../utils/rate-limit.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { listWorkbook, xlsxDownload } from '../spreadsheets/workbook.server.js'
import { jurisdictionCodes, overseeingRegions } from '../reference/jurisdiction.js'
import { getReferenceData, refName, type ReferenceData } from '../reference/reference.server.js'
import { countActuals, metricInput, type DistrictActuals } from './actuals.server.js'
import { targetField, zTarget, type AdjustmentInput, type EntryInput, type PlanForm, type WorkInput } from './schema.js'
import { scoreDistricts, TARGET_METRICS, WORK_ITEMS, type DistrictScore, type WorkItem } from './scoring.js'

/*
 * District targets and the 评分细则 (issue 15 §5, seed 001 附件2; decision 013). A city agency's
 * owners and reviewers set each year's targets for the districts below it (manage:targets:own);
 * owners and reviewers of an agency over a district enter what the platform cannot count, the
 * 五个一 and the bonus and deduction items with evidence (report:target-actuals:jurisdiction);
 * any verified member of an agency over a district reads its row (read:targets:jurisdiction).
 * Places are computed over all the plan's districts; a reader sees the rows of its districts.
 */

type Db = Database | Transaction<DB>

export interface PlanRow {
  id: number
  agency_org_id: number
  region_code: string
  year: number
  note: string
  revision: number
}

function requireAgency(actor: Actor, ref: ReferenceData) {
  if (!actor.org) throw new AppError('FORBIDDEN', 'errors.forbidden')
  // Its own region is always in a verified agency's jurisdiction: this is the role check.
  return authorize(actor, ref, 'read:targets:jurisdiction', { regionCode: actor.org.regionCode })
}

/** The 评分对象 of an agency's plans: the regions right below its own (8 for 扬州). */
export function planDistricts(ref: ReferenceData, agencyRegion: string): string[] {
  return (ref.childrenByCode.get(agencyRegion) ?? []).map((r) => r.code).sort()
}

export const regionName = (ref: ReferenceData, code: string, locale: Locale) => {
  const r = ref.regionsByCode.get(code)
  return r ? refName(r, locale) : code
}

// ---------------------------------------------------------------- plans (index)

export interface PlanListItem {
  id: number
  year: number
  agencyName: string
  regionName: string
  own: boolean
  districts: number
}

export interface TargetsIndexPage {
  agencyName: string
  mayManage: boolean
  plans: PlanListItem[]
  /** The plan form (owners and reviewers of an agency with districts below it). */
  form: {
    year: number
    revision: number | null
    note: string
    districts: { code: string; name: string }[]
    targets: Record<string, number>
  } | null
}

export async function targetsIndex(
  db: Database,
  actor: Actor,
  formYear: number | null,
  locale: Locale,
): Promise<TargetsIndexPage> {
  const ref = await getReferenceData(db)
  const org = requireAgency(actor, ref)
  const visibleRegions = [...new Set([...overseeingRegions(ref, org.regionCode), ...jurisdictionCodes(ref, org.regionCode)])]
  const rows = await db
    .selectFrom('target_plans as p')
    .innerJoin('organisations as o', 'o.id', 'p.agency_org_id')
    .select(['p.id', 'p.year', 'p.region_code', 'p.agency_org_id', 'o.name as agency_name'])
    .select((eb) =>
      eb
        .selectFrom('district_targets as t')
        .select((sb) => sb.fn.count<number>('t.region_code').distinct().as('n'))
        .whereRef('t.plan_id', '=', 'p.id')
        .as('districts'),
    )
    .where((eb) => eb.or([eb('p.agency_org_id', '=', org.orgId), eb('p.region_code', 'in', visibleRegions)]))
    .orderBy('p.year', 'desc')
    .orderBy('p.region_code')
    .limit(200)
    .execute()
  const mayManage = can(actor, ref, 'manage:targets:own', { orgId: org.orgId })
  const districts = planDistricts(ref, org.regionCode)
  let form: TargetsIndexPage['form'] = null
  if (mayManage && districts.length > 0) {
    const year = formYear ?? new Date().getUTCFullYear()
    const plan = await db
      .selectFrom('target_plans')
      .select(['id', 'revision', 'note'])
      .where('agency_org_id', '=', org.orgId)
      .where('year', '=', year)
      .executeTakeFirst()
    const targets: Record<string, number> = {}
    if (plan) {
      const saved = await db
        .selectFrom('district_targets')
        .select(['region_code', 'metric', 'target'])
        .where('plan_id', '=', plan.id)
        .execute()
      for (const t of saved) targets[targetField(t.region_code, t.metric)] = t.target
    }
    form = {
      year,
      revision: plan?.revision ?? null,
      note: plan?.note ?? '',
      districts: districts.map((code) => ({ code, name: regionName(ref, code, locale) })),
      targets,
    }
  }
  return {
    agencyName: org.orgName,
    mayManage,
    plans: rows.map((r) => ({
      id: r.id,
      year: r.year,
      agencyName: r.agency_name,
      regionName: regionName(ref, r.region_code, locale),
      own: r.agency_org_id === org.orgId,
      districts: Number(r.districts ?? 0),
    })),
    form,
  }
}

/** Creates or replaces the agency's plan of a year (its targets per district and metric). */
export async function saveTargetPlan(db: Database, actor: Actor, input: PlanForm): Promise<{ year: number }> {
  const ref = await getReferenceData(db)
  if (!actor.org) throw new AppError('FORBIDDEN', 'errors.forbidden')
  const org = authorize(actor, ref, 'manage:targets:own', { orgId: actor.org.orgId })
  const districts = planDistricts(ref, org.regionCode)
  if (districts.length === 0) throw new AppError('CONFLICT', 'targets.e.noDistricts')
  // Whitelisted fields only: the districts below the agency × the five metrics.
  const targets: { region_code: string; metric: TargetMetric; target: number }[] = []
  const fieldErrors: Record<string, 'targets.v.target' | 'targets.v.coverage'> = {}
  const raw = input as Record<string, unknown>
  for (const code of districts) {
    for (const metric of TARGET_METRICS) {
      const field = targetField(code, metric)
      const value = raw[field]
      const parsed = zTarget(metric).safeParse(typeof value === 'string' ? value : '')
      if (parsed.success) targets.push({ region_code: code, metric, target: parsed.data })
      else fieldErrors[field] = metric === 'coverage' ? 'targets.v.coverage' : 'targets.v.target'
    }
  }
  const errorCount = Object.keys(fieldErrors).length
  if (errorCount > 0) {
    throw errorCount === 1
      ? new AppError('VALIDATION', 'errors.validationOne', { fieldErrors })
      : new AppError('VALIDATION', 'errors.validation', { fieldErrors, params: { count: errorCount } })
  }
  try {
    return await withTransaction(db, async (trx) => {
      const now = new Date().toISOString()
      const existing = await trx
        .selectFrom('target_plans')
        .select(['id', 'revision'])
        .where('agency_org_id', '=', org.orgId)
        .where('year', '=', input.year)
        .executeTakeFirst()
      let planId: number
      if (existing) {
        if (input.revision !== existing.revision) throw new AppError('CONFLICT', 'targets.e.stale')
        const updated = await trx
          .updateTable('target_plans')
          .set({ note: input.note, revision: existing.revision + 1, updated_by: actor.userId, updated_at: now })
          .where('id', '=', existing.id)
          .where('revision', '=', existing.revision)
          .executeTakeFirst()
        if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'targets.e.stale')
        planId = existing.id
        await trx.deleteFrom('district_targets').where('plan_id', '=', planId).execute()
      } else {
        if (input.revision !== null) throw new AppError('CONFLICT', 'targets.e.stale')
        const created = await trx
          .insertInto('target_plans')
          .values({
            agency_org_id: org.orgId,
            region_code: org.regionCode,
            year: input.year,
            note: input.note,
            created_by: actor.userId,
            created_at: now,
            updated_by: actor.userId,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        planId = created.id
      }
      await trx
        .insertInto('district_targets')
        .values(targets.map((t) => ({ plan_id: planId, ...t })))
        .execute()
      await recordAudit(trx, {
        ...auditActor(actor),
        action: 'targets.plan_saved',
        objectType: 'target_plan',
        objectId: planId,
        regionCode: org.regionCode,
        detail: { year: input.year, created: !existing },
      })
      return { year: input.year }
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'targets.e.stale')
    throw error
  }
}

// ---------------------------------------------------------------- a plan's year page

/** The plan a reader means by a year: the one asked for, its own agency's, else the nearest above it. */
export async function resolvePlan(
  db: Db,
  actor: Actor,
  ref: ReferenceData,
  year: number,
  planId: number | null,
): Promise<{ plan: PlanRow; agencyName: string; districts: string[]; visible: string[] }> {
  const org = requireAgency(actor, ref)
  const base = db
    .selectFrom('target_plans as p')
    .innerJoin('organisations as o', 'o.id', 'p.agency_org_id')
    .select(['p.id', 'p.agency_org_id', 'p.region_code', 'p.year', 'p.note', 'p.revision', 'o.name as agency_name'])
    .where('p.year', '=', year)
  let row
  if (planId !== null) {
    row = await base.where('p.id', '=', planId).executeTakeFirst()
  } else {
    const candidates = await base
      .where((eb) =>
        eb.or([eb('p.agency_org_id', '=', org.orgId), eb('p.region_code', 'in', overseeingRegions(ref, org.regionCode))]),
      )
      .execute()
    row =
      candidates.find((c) => c.agency_org_id === org.orgId) ??
      overseeingRegions(ref, org.regionCode)
        .map((code) => candidates.find((c) => c.region_code === code))
        .find(Boolean)
  }
  if (!row) throw new AppError('NOT_FOUND', 'targets.e.noPlan')
  const districtRows = await db
    .selectFrom('district_targets')
    .select('region_code')
    .distinct()
    .where('plan_id', '=', row.id)
    .execute()
  const districts = districtRows.map((d) => d.region_code).sort()
  const visible = districts.filter((code) => can(actor, ref, 'read:targets:jurisdiction', { regionCode: code }))
  if (visible.length === 0) throw new AppError('NOT_FOUND', 'targets.e.noPlan')
  const { agency_name, ...plan } = row
  return { plan, agencyName: agency_name, districts, visible }
}

export interface DistrictRow extends DistrictScore {
  name: string
  counted: Record<TargetMetric, number>
  entered: Record<TargetMetric, number>
  aboveScale: number
  mayReport: boolean
}

export interface EntryView {
  id: number
  regionCode: string
  regionName: string
  metric: TargetMetric
  quantity: number
  evidence: string
  enteredBy: string
  createdAt: string
  withdrawn: boolean
}

export interface AdjustmentView {
  id: number
  regionCode: string
  regionName: string
  kind: string
  subject: string
  title: string
  evidence: string
  occurredOn: string
  points: number
  excluded: string | null
  withdrawn: boolean
}

export interface WorkItemView {
  regionCode: string
  item: WorkItem
  done: boolean
  evidence: string
}

export interface YearPage {
  plan: { id: number; year: number; agencyName: string; regionName: string; note: string; own: boolean }
  rows: DistrictRow[]
  /** Districts of the plan the reader does not see (their rows are left out; places count them). */
  hidden: number
  mayManage: boolean
  /** Districts the reader may enter actuals, 五个一 and adjustments for. */
  reportDistricts: { code: string; name: string }[]
  entries: EntryView[]
  adjustments: AdjustmentView[]
  workItems: WorkItemView[]
}

async function scorePlan(db: Db, ref: ReferenceData, plan: PlanRow, districts: string[]) {
  const [targets, actuals, work, adjustments] = await Promise.all([
    db.selectFrom('district_targets').select(['region_code', 'metric', 'target']).where('plan_id', '=', plan.id).execute(),
    countActuals(db as Database, ref, plan.id, plan.year, districts),
    db
      .selectFrom('target_work_items')
      .select(['region_code', 'item', 'done', 'evidence'])
      .where('plan_id', '=', plan.id)
      .execute(),
    db
      .selectFrom('target_adjustments')
      .selectAll()
      .where('plan_id', '=', plan.id)
      .orderBy('occurred_on', 'desc')
      .orderBy('id', 'desc')
      .execute(),
  ])
  const targetOf = (code: string, metric: TargetMetric) =>
    targets.find((t) => t.region_code === code && t.metric === metric)?.target ?? 0
  const scores = scoreDistricts(
    districts.map((code) => {
      const a = actuals.get(code)!
      return {
        regionCode: code,
        metrics: Object.fromEntries(TARGET_METRICS.map((m) => [m, metricInput(m, targetOf(code, m), a)])) as Record<
          TargetMetric,
          ReturnType<typeof metricInput>
        >,
        workDone: work.filter((w) => w.region_code === code && Number(w.done) === 1).map((w) => w.item),
        adjustments: adjustments
          .filter((x) => x.region_code === code && x.withdrawn_at === null)
          .map((x) => ({ id: x.id, kind: x.kind, subject: x.subject })),
      }
    }),
  )
  return { scores, actuals, work, adjustments }
}

export async function targetsYearPage(
  db: Database,
  actor: Actor,
  year: number,
  planId: number | null,
  locale: Locale,
): Promise<YearPage> {
  const ref = await getReferenceData(db)
  const { plan, agencyName, districts, visible } = await resolvePlan(db, actor, ref, year, planId)
  const { scores, actuals, work, adjustments } = await scorePlan(db, ref, plan, districts)
  const mayReport = (code: string) => can(actor, ref, 'report:target-actuals:jurisdiction', { regionCode: code })
  const rows: DistrictRow[] = scores
    .filter((s) => visible.includes(s.regionCode))
    .map((s) => {
      const a: DistrictActuals = actuals.get(s.regionCode)!
      return {
        ...s,
        name: regionName(ref, s.regionCode, locale),
        counted: a.counted,
        entered: a.entered,
        aboveScale: a.aboveScale,
        mayReport: mayReport(s.regionCode),
      }
    })
  const entries = await db
    .selectFrom('target_actual_entries as e')
    .innerJoin('users as u', 'u.id', 'e.entered_by')
    .select(['e.id', 'e.region_code', 'e.metric', 'e.quantity', 'e.evidence', 'e.created_at', 'e.withdrawn_at', 'u.name'])
    .where('e.plan_id', '=', plan.id)
    .where('e.region_code', 'in', visible)
    .orderBy('e.id', 'desc')
    .limit(200)
    .execute()
  const scoredAdjustments = new Map(scores.flatMap((s) => s.adjustments.map((x) => [x.id, x] as const)))
  return {
    plan: {
      id: plan.id,
      year: plan.year,
      agencyName,
      regionName: regionName(ref, plan.region_code, locale),
      note: plan.note,
      own: actor.org?.orgId === plan.agency_org_id,
    },
    rows,
    hidden: districts.length - visible.length,
    mayManage: actor.org?.orgId === plan.agency_org_id && can(actor, ref, 'manage:targets:own', { orgId: plan.agency_org_id }),
    reportDistricts: visible.filter(mayReport).map((code) => ({ code, name: regionName(ref, code, locale) })),
    entries: entries.map((e) => ({
      id: e.id,
      regionCode: e.region_code,
      regionName: regionName(ref, e.region_code, locale),
      metric: e.metric,
      quantity: e.quantity,
      evidence: e.evidence,
      enteredBy: e.name,
      createdAt: String(e.created_at),
      withdrawn: e.withdrawn_at !== null,
    })),
    adjustments: adjustments
      .filter((x) => visible.includes(x.region_code))
      .map((x) => {
        const scored = scoredAdjustments.get(x.id)
        return {
          id: x.id,
          regionCode: x.region_code,
          regionName: regionName(ref, x.region_code, locale),
          kind: x.kind,
          subject: x.subject,
          title: x.title,
          evidence: x.evidence,
          occurredOn: String(x.occurred_on).slice(0, 10),
          points: scored?.points ?? 0,
          excluded: scored?.excluded ?? null,
          withdrawn: x.withdrawn_at !== null,
        }
      }),
    workItems: work
      .filter((w) => visible.includes(w.region_code))
      .map((w) => ({ regionCode: w.region_code, item: w.item, done: Number(w.done) === 1, evidence: w.evidence })),
  }
}

/** The plan (read inside the transaction) and the district an agency reports for. */
async function planToReport(trx: Db, actor: Actor, ref: ReferenceData, year: number, planId: number | null, region: string) {
  const resolved = await resolvePlan(trx, actor, ref, year, planId)
  if (!resolved.districts.includes(region)) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { region: 'targets.v.region' } })
  }
  authorize(actor, ref, 'report:target-actuals:jurisdiction', { regionCode: region })
  return resolved.plan
}

export async function addActualEntry(db: Database, actor: Actor, year: number, planId: number | null, input: EntryInput) {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const plan = await planToReport(trx, actor, ref, year, planId, input.region)
    const row = await trx
      .insertInto('target_actual_entries')
      .values({
        plan_id: plan.id,
        region_code: input.region,
        metric: input.metric,
        quantity: input.quantity,
        evidence: input.evidence,
        entered_by: actor.userId,
        entered_org_id: actor.org!.orgId,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      ...auditActor(actor),
      action: 'targets.actual_entered',
      objectType: 'target_actual_entry',
      objectId: row.id,
      regionCode: input.region,
      detail: { year: plan.year, metric: input.metric, quantity: input.quantity },
    })
  })
}

export async function withdrawActualEntry(db: Database, actor: Actor, year: number, planId: number | null, entryId: number) {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const resolved = await resolvePlan(trx, actor, ref, year, planId)
    const entry = await trx
      .selectFrom('target_actual_entries')
      .select(['id', 'region_code', 'withdrawn_at'])
      .where('id', '=', entryId)
      .where('plan_id', '=', resolved.plan.id)
      .executeTakeFirst()
    if (!entry || !resolved.visible.includes(entry.region_code)) throw new AppError('NOT_FOUND', 'errors.notFound')
    authorize(actor, ref, 'report:target-actuals:jurisdiction', { regionCode: entry.region_code })
    if (entry.withdrawn_at !== null) return
    await trx
      .updateTable('target_actual_entries')
      .set({ withdrawn_at: new Date().toISOString(), withdrawn_by: actor.userId })
      .where('id', '=', entry.id)
      .where('withdrawn_at', 'is', null)
      .execute()
    await recordAudit(trx, {
      ...auditActor(actor),
      action: 'targets.actual_withdrawn',
      objectType: 'target_actual_entry',
      objectId: entry.id,
      regionCode: entry.region_code,
    })
  })
}

export async function setWorkItem(db: Database, actor: Actor, year: number, planId: number | null, input: WorkInput) {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const plan = await planToReport(trx, actor, ref, year, planId, input.region)
    if (input.done && input.evidence.length < 2) {
      throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { evidence: 'targets.v.evidence' } })
    }
    const values = {
      done: input.done ? (1 as const) : (0 as const),
      evidence: input.evidence,
      updated_by: actor.userId,
      updated_org_id: actor.org!.orgId,
      updated_at: new Date().toISOString(),
    }
    await trx
      .insertInto('target_work_items')
      .values({ plan_id: plan.id, region_code: input.region, item: input.item, ...values })
      .onConflict((oc) => oc.columns(['plan_id', 'region_code', 'item']).doUpdateSet(values))
      .execute()
    await recordAudit(trx, {
      ...auditActor(actor),
      action: 'targets.work_item_set',
      objectType: 'target_plan',
      objectId: plan.id,
      regionCode: input.region,
      detail: { item: input.item, done: input.done },
    })
  })
}

export async function addAdjustment(db: Database, actor: Actor, year: number, planId: number | null, input: AdjustmentInput) {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const plan = await planToReport(trx, actor, ref, year, planId, input.region)
    const row = await trx
      .insertInto('target_adjustments')
      .values({
        plan_id: plan.id,
        region_code: input.region,
        kind: input.kind,
        subject: input.kind === 'late_task' || input.kind === 'commendation' ? 'other' : input.subject,
        title: input.title,
        evidence: input.evidence,
        occurred_on: input.occurredOn,
        entered_by: actor.userId,
        entered_org_id: actor.org!.orgId,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      ...auditActor(actor),
      action: 'targets.adjustment_added',
      objectType: 'target_adjustment',
      objectId: row.id,
      regionCode: input.region,
      detail: { year: plan.year, kind: input.kind, subject: input.subject },
    })
  })
}

export async function withdrawAdjustment(db: Database, actor: Actor, year: number, planId: number | null, id: number) {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const resolved = await resolvePlan(trx, actor, ref, year, planId)
    const row = await trx
      .selectFrom('target_adjustments')
      .select(['id', 'region_code', 'withdrawn_at'])
      .where('id', '=', id)
      .where('plan_id', '=', resolved.plan.id)
      .executeTakeFirst()
    if (!row || !resolved.visible.includes(row.region_code)) throw new AppError('NOT_FOUND', 'errors.notFound')
    authorize(actor, ref, 'report:target-actuals:jurisdiction', { regionCode: row.region_code })
    if (row.withdrawn_at !== null) return
    await trx
      .updateTable('target_adjustments')
      .set({ withdrawn_at: new Date().toISOString(), withdrawn_by: actor.userId })
      .where('id', '=', row.id)
      .where('withdrawn_at', 'is', null)
      .execute()
    await recordAudit(trx, {
      ...auditActor(actor),
      action: 'targets.adjustment_withdrawn',
      objectType: 'target_adjustment',
      objectId: row.id,
      regionCode: row.region_code,
    })
  })
}

export { WORK_ITEMS }
export {
  ZAdjustmentInput,
  ZEntryInput,
  ZMetricParams,
  ZPlanForm,
  ZPlanQuery,
  ZTargetsIntent,
  ZWithdrawInput,
  ZWorkInput,
  ZYearParams,
} from './schema.js'

// ---------------------------------------------------------------- the year's workbook

export const TARGETS_EXPORT_LIMIT: RateLimitRule = { limit: 20, windowMs: 10 * 60_000 }

/** The year page's ranked table and points by rule as an .xlsx (what the reader sees). */
export async function exportTargetsYear(
  db: Database,
  actor: Actor,
  year: number,
  planId: number | null,
  locale: Locale,
): Promise<Response> {
  const page = await targetsYearPage(db, actor, year, planId, locale)
  await reserve(db, [{ key: `targets-export:user:${actor.userId}`, rule: TARGETS_EXPORT_LIMIT }])
  const t = translator(locale)
  const metricColumns = TARGET_METRICS.flatMap((m) => [
    { header: `${t(`targets.metric.${m}`)} · ${t('targets.col.target')}`, width: 12 },
    { header: `${t(`targets.metric.${m}`)} · ${t('targets.col.actual')}`, width: 12 },
    { header: `${t(`targets.metric.${m}`)} · ${t('targets.col.rate')}`, width: 12 },
    { header: `${t(`targets.metric.${m}`)} · ${t('targets.col.points')}`, width: 12 },
  ])
  const bytes = await listWorkbook(
    [
      {
        name: t('targets.xlsx.sheet'),
        title: t('targets.xlsx.title', { year: page.plan.year, agency: page.plan.agencyName }),
        columns: [
          { header: t('targets.col.place'), width: 8 },
          { header: t('targets.col.district'), width: 18 },
          ...metricColumns,
          { header: t('targets.col.targetPoints') },
          { header: t('targets.col.workPoints') },
          { header: t('targets.col.bonus') },
          { header: t('targets.col.deductions') },
          { header: t('targets.col.total') },
        ],
        rows: page.rows.map((r) => [
          r.place,
          r.name,
          ...TARGET_METRICS.flatMap((m) => [
            r.metrics[m].target,
            m === 'coverage' ? r.metrics[m].actualValue : r.metrics[m].actual,
            r.metrics[m].ratePct,
            r.metrics[m].points,
          ]),
          r.targetPoints,
          r.workPoints,
          r.bonus,
          r.deductions,
          r.total,
        ]),
        notes: [
          t('targets.rules.banded'),
          t('targets.rules.rate'),
          t('targets.rules.work'),
          t('targets.rules.bonus'),
          t('targets.rules.deduction'),
          t('targets.rules.combine'),
          t('targets.rules.ties'),
          t('targets.rules.zero'),
          t('targets.rules.counting'),
        ],
      },
    ],
    { creator: page.plan.agencyName },
  )
  return xlsxDownload(
    bytes,
    t('targets.xlsx.title', { year: page.plan.year, agency: page.plan.agencyName }),
    `targets-${page.plan.year}`,
  )
}
