import type { Database } from '../../../db/connection.js'
import type { TargetMetric } from '../../../db/enums.js'
import type { Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData } from '../reference/reference.server.js'
import { aboveScale, chinaYearWindow, countActuals, coveredBy, metricInput } from './actuals.server.js'
import { RECORDS_PER_PAGE } from './schema.js'
import { rateOf } from './scoring.js'
import { regionName, resolvePlan, type EntryView } from './targets.server.js'
import { wanText } from '../../utils/format.js'

/*
 * The records behind one count of the year page (issue 15 §5: each counted item links to its
 * records): the contracts, diagnoses, titles or above-scale enterprises the platform counted
 * for a district, 20 a page, and what agencies entered with evidence.
 */

export interface CountedRecord {
  id: number
  href: string
  name: string
  /** The provider, the title, … (per metric). */
  detail: string
  /** The day it counts for (YYYY-MM-DD), or '' (coverage). */
  date: string
  /** Amount in 万元 (contracts) or covered 'yes' / 'no' (coverage); '' otherwise. */
  extra: string
}

export interface MetricRecordsPage {
  year: number
  planId: number
  regionCode: string
  regionName: string
  metric: TargetMetric
  target: number
  counted: number
  entered: number
  actual: number
  aboveScale: number
  ratePct: number
  records: CountedRecord[]
  total: number
  page: number
  pageCount: number
  entries: EntryView[]
}

export async function metricRecords(
  db: Database,
  actor: Actor,
  params: { year: number; region: string; metric: TargetMetric },
  query: { plan: number | null; page: number },
  locale: Locale,
): Promise<MetricRecordsPage> {
  const ref = await getReferenceData(db)
  const { plan, visible } = await resolvePlan(db, actor, ref, params.year, query.plan)
  if (!visible.includes(params.region)) throw new AppError('NOT_FOUND', 'errors.notFound')
  const codes = jurisdictionCodes(ref, params.region)
  const { from, to } = chinaYearWindow(plan.year)
  const page = query.page
  const offset = (page - 1) * RECORDS_PER_PAGE

  const actuals = (await countActuals(db, ref, plan.id, plan.year, [params.region])).get(params.region)!
  const targetRow = await db
    .selectFrom('district_targets')
    .select('target')
    .where('plan_id', '=', plan.id)
    .where('region_code', '=', params.region)
    .where('metric', '=', params.metric)
    .executeTakeFirst()
  const target = targetRow?.target ?? 0
  const input = metricInput(params.metric, target, actuals)
  const rate = rateOf(params.metric, input)

  let records: CountedRecord[] = []
  let total = 0
  if (params.metric === 'smart_retrofit') {
    const base = db
      .selectFrom('contracts as c')
      .where('c.region_code', 'in', codes)
      .where('c.status', 'in', ['active', 'completed'])
      .where('c.activated_at', '>=', from)
      .where('c.activated_at', '<', to)
    total = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0)
    const rows = await base
      .innerJoin('organisations as e', 'e.id', 'c.enterprise_org_id')
      .innerJoin('organisations as p', 'p.id', 'c.provider_org_id')
      .select(['c.id', 'c.title', 'c.amount_wan_x100', 'c.activated_at', 'e.name as enterprise', 'p.name as provider'])
      .orderBy('c.activated_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(RECORDS_PER_PAGE)
      .offset(offset)
      .execute()
    records = rows.map((r) => ({
      id: r.id,
      href: `/contracts/${r.id}`,
      name: `${r.enterprise} · ${r.title}`,
      detail: r.provider,
      date: chinaDay(r.activated_at),
      extra: wanText(r.amount_wan_x100),
    }))
  } else if (params.metric === 'diagnosis') {
    const base = db
      .selectFrom('diagnoses as d')
      .innerJoin('organisations as e', 'e.id', 'd.enterprise_org_id')
      .where('e.region_code', 'in', codes)
      .where('d.status', '=', 'completed')
      .where('d.completed_at', '>=', from)
      .where('d.completed_at', '<', to)
    total = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0)
    const rows = await base
      .innerJoin('organisations as p', 'p.id', 'd.provider_org_id')
      .select(['d.id', 'd.completed_at', 'e.name as enterprise', 'p.name as provider'])
      .orderBy('d.completed_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(RECORDS_PER_PAGE)
      .offset(offset)
      .execute()
    records = rows.map((r) => ({
      id: r.id,
      href: `/diagnoses/${r.id}`,
      name: r.enterprise,
      detail: r.provider,
      date: chinaDay(r.completed_at),
      extra: '',
    }))
  } else if (params.metric === 'benchmark') {
    const base = db
      .selectFrom('enterprise_titles as t')
      .innerJoin('organisations as e', 'e.id', 't.org_id')
      .where('e.region_code', 'in', codes)
      .where('t.status', '<>', 'revoked')
      .where('t.awarded_on', '>=', `${plan.year}-01-01`)
      .where('t.awarded_on', '<', `${plan.year + 1}-01-01`)
    total = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0)
    const rows = await base
      .select(['t.id', 't.org_id', 't.title', 't.scene', 't.awarded_on', 'e.name as enterprise'])
      .orderBy('t.awarded_on', 'desc')
      .orderBy('t.id', 'desc')
      .limit(RECORDS_PER_PAGE)
      .offset(offset)
      .execute()
    records = rows.map((r) => ({
      id: r.id,
      href: `/enterprises/${r.org_id}`,
      name: r.enterprise,
      detail: r.scene ? `${r.title}|${r.scene}` : r.title,
      date: String(r.awarded_on).slice(0, 10),
      extra: '',
    }))
  } else if (params.metric === 'coverage') {
    const base = aboveScale(db, codes)
    total = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0)
    const rows = await base
      .select((eb) => ['o.id', 'o.name', eb.case().when(coveredBy(to)).then(1).else(0).end().as('covered')])
      .orderBy('covered', 'desc')
      .orderBy('o.name')
      .orderBy('o.id')
      .limit(RECORDS_PER_PAGE)
      .offset(offset)
      .execute()
    records = rows.map((r) => ({
      id: r.id,
      href: `/enterprises/${r.id}`,
      name: r.name,
      detail: '',
      date: '',
      extra: Number(r.covered) === 1 ? 'yes' : 'no',
    }))
  }

  const entries =
    params.metric === 'coverage'
      ? []
      : await db
          .selectFrom('target_actual_entries as e')
          .innerJoin('users as u', 'u.id', 'e.entered_by')
          .select(['e.id', 'e.metric', 'e.quantity', 'e.evidence', 'e.created_at', 'e.withdrawn_at', 'u.name'])
          .where('e.plan_id', '=', plan.id)
          .where('e.region_code', '=', params.region)
          .where('e.metric', '=', params.metric)
          .orderBy('e.id', 'desc')
          .limit(200)
          .execute()
  const name = regionName(ref, params.region, locale)
  return {
    year: plan.year,
    planId: plan.id,
    regionCode: params.region,
    regionName: name,
    metric: params.metric,
    target,
    counted: actuals.counted[params.metric],
    entered: actuals.entered[params.metric],
    actual: params.metric === 'coverage' ? (input.base ? Math.round((input.actual * 1000) / input.base) / 10 : 0) : input.actual,
    aboveScale: actuals.aboveScale,
    ratePct: Math.round((rate.n * 1000) / rate.d) / 10,
    records,
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / RECORDS_PER_PAGE)),
    entries: entries.map((e) => ({
      id: e.id,
      regionCode: params.region,
      regionName: name,
      metric: e.metric,
      quantity: e.quantity,
      evidence: e.evidence,
      enteredBy: e.name,
      createdAt: String(e.created_at),
      withdrawn: e.withdrawn_at !== null,
    })),
  }
}

/** A timestamp's China day (YYYY-MM-DD). */
function chinaDay(at: string | Date | null): string {
  if (!at) return ''
  const date = at instanceof Date ? at : new Date(at)
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}
