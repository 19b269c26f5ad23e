/**
 * The platform records an evaluation computes its metrics from (scoring.ts MetricFacts),
 * for the providers named, over one year (China time: from YYYY-01-01 00:00 +08:00 to the
 * next year's). Both dialects (Kysely, one dialect branch for the China day of an
 * acceptance). Seven grouped or filtered queries per chunk of ≤ 300 providers.
 *
 * - ratings: the enterprises' ratings of the provider's contracts (contract_ratings side
 *   'enterprise') and the surveys of its diagnoses, filled in the year — each on 0–1 by
 *   gradedFormValue (the same mapping matching uses).
 * - supervision: the supervisors' ratings (side 'supervisor') and the supervision logs'
 *   quality (good 1, acceptable 0.5, poor 0) written in the year.
 * - on_time: milestones accepted in the year by their due date (China day) or after it,
 *   plus milestones flagged late and not accepted whose due date fell in the year.
 * - disputes: contracts running during the year; disputes resolved in the year with the
 *   provider at fault.
 * - indicators: the metrics (before → after) of the provider's cases verified by a
 *   contract completed in the year: |after − before| / |before| where before ≠ 0.
 */
import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../../../db/dialect.js'
import type { DB } from '../../../db/types.js'
import { gradedFormValue } from '../contracts/ratings.js'
import { NO_FACTS, type MetricFacts } from './scoring.js'

const CHUNK = 300
const QUALITY: Record<string, number> = { good: 1, acceptable: 0.5, poor: 0 }

/** The year's bounds as ISO instants (China midnight) and as dates. */
export function yearWindow(year: number) {
  const at = (y: number) => new Date(Date.UTC(y, 0, 1) - 8 * 3_600_000).toISOString()
  return { from: at(year), to: at(year + 1), fromDay: `${year}-01-01`, toDay: `${year + 1}-01-01` }
}

function onTimeSql(db: Kysely<DB>) {
  return isPostgres(db)
    ? sql<boolean>`(m.accepted_at at time zone 'Asia/Shanghai')::date <= m.due_date`
    : sql<boolean>`date(m.accepted_at, '+8 hours') <= m.due_date`
}

export async function loadMetricFacts(
  db: Kysely<DB>,
  providerIds: readonly number[],
  year: number,
): Promise<Map<number, MetricFacts>> {
  const out = new Map<number, MetricFacts>()
  const entry = (id: number): MetricFacts => {
    let e = out.get(id)
    if (!e) {
      e = { ...NO_FACTS, ratings: [], supervision: [], indicatorChanges: [] }
      out.set(id, e)
    }
    return e
  }
  const w = yearWindow(year)
  const onTime = onTimeSql(db)
  for (let i = 0; i < providerIds.length; i += CHUNK) {
    const ids = providerIds.slice(i, i + CHUNK)
    const [rated, surveys, logs, milestones, running, disputes, metrics] = await Promise.all([
      db
        .selectFrom('contract_ratings')
        .select(['rated_org_id', 'side', 'overall', 'item_1', 'item_2', 'item_3', 'item_4', 'item_5'])
        .where('rated_org_id', 'in', ids)
        .where('side', 'in', ['enterprise', 'supervisor'])
        .where('created_at', '>=', w.from)
        .where('created_at', '<', w.to)
        .execute(),
      db
        .selectFrom('diagnosis_surveys as s')
        .innerJoin('diagnoses as d', 'd.id', 's.diagnosis_id')
        .select(['d.provider_org_id', 's.overall', 's.process', 's.analysis', 's.proposal', 's.competence', 's.result'])
        .where('d.provider_org_id', 'in', ids)
        .where('s.filled_at', '>=', w.from)
        .where('s.filled_at', '<', w.to)
        .execute(),
      db
        .selectFrom('supervision_logs as l')
        .innerJoin('contracts as c', 'c.id', 'l.contract_id')
        .select(['c.provider_org_id', 'l.quality'])
        .where('c.provider_org_id', 'in', ids)
        .where('l.created_at', '>=', w.from)
        .where('l.created_at', '<', w.to)
        .execute(),
      db
        .selectFrom('contract_milestones as m')
        .innerJoin('contracts as c', 'c.id', 'm.contract_id')
        .select([
          'c.provider_org_id',
          sql<number>`sum(case when m.status = 'accepted' and m.accepted_at >= ${w.from} and m.accepted_at < ${w.to} and ${onTime} then 1 else 0 end)`.as(
            'on_time',
          ),
          sql<number>`sum(case when (m.status = 'accepted' and m.accepted_at >= ${w.from} and m.accepted_at < ${w.to} and not (${onTime}))
            or (m.status <> 'accepted' and m.late_flagged_at is not null and m.due_date >= ${w.fromDay} and m.due_date < ${w.toDay}) then 1 else 0 end)`.as(
            'late',
          ),
        ])
        .where('c.provider_org_id', 'in', ids)
        .where('c.status', 'in', ['active', 'completed', 'terminated'])
        .groupBy('c.provider_org_id')
        .execute(),
      db
        .selectFrom('contracts as c')
        .select((eb) => ['c.provider_org_id', eb.fn.countAll<number>().as('n')])
        .where('c.provider_org_id', 'in', ids)
        .where('c.status', 'in', ['active', 'completed', 'terminated'])
        .where('c.activated_at', 'is not', null)
        .where('c.activated_at', '<', w.to)
        .where((eb) => eb.or([eb('c.closed_at', 'is', null), eb('c.closed_at', '>=', w.from)]))
        .groupBy('c.provider_org_id')
        .execute(),
      db
        .selectFrom('disputes as d')
        .innerJoin('contracts as c', 'c.id', 'd.contract_id')
        .select((eb) => ['c.provider_org_id', eb.fn.countAll<number>().as('n')])
        .where('c.provider_org_id', 'in', ids)
        .where('d.status', '=', 'resolved')
        .where('d.fault', '=', 'provider')
        .where('d.resolved_at', '>=', w.from)
        .where('d.resolved_at', '<', w.to)
        .groupBy('c.provider_org_id')
        .execute(),
      db
        .selectFrom('case_metrics as k')
        .innerJoin('provider_cases as pc', 'pc.id', 'k.case_id')
        .innerJoin('contracts as c', 'c.id', 'pc.verified_contract_id')
        .select(['pc.org_id', 'k.before_value', 'k.after_value'])
        .where('pc.org_id', 'in', ids)
        .where('c.status', '=', 'completed')
        .where('c.closed_at', '>=', w.from)
        .where('c.closed_at', '<', w.to)
        .where('k.before_value', 'is not', null)
        .execute(),
    ])
    for (const r of rated) {
      const value = gradedFormValue(r.overall, [r.item_1, r.item_2, r.item_3, r.item_4, r.item_5])
      const e = entry(Number(r.rated_org_id))
      if (r.side === 'enterprise') e.ratings.push(value)
      else e.supervision.push(value)
    }
    for (const s of surveys) {
      entry(Number(s.provider_org_id)).ratings.push(
        gradedFormValue(s.overall, [s.process, s.analysis, s.proposal, s.competence, s.result]),
      )
    }
    for (const l of logs) entry(Number(l.provider_org_id)).supervision.push(QUALITY[l.quality] ?? 0.5)
    for (const m of milestones) {
      const e = entry(Number(m.provider_org_id))
      e.milestonesOnTime = Number(m.on_time ?? 0)
      e.milestonesLate = Number(m.late ?? 0)
    }
    for (const c of running) entry(Number(c.provider_org_id)).contracts = Number(c.n)
    for (const d of disputes) entry(Number(d.provider_org_id)).disputesLost = Number(d.n)
    for (const k of metrics) {
      const before = Number(k.before_value)
      if (!Number.isFinite(before) || before === 0) continue
      entry(Number(k.org_id)).indicatorChanges.push(Math.abs(Number(k.after_value) - before) / Math.abs(before))
    }
  }
  return out
}
