// 扬州市制造业“智改数转”评分细则 (seed 001 附件2) as a pure function — no I/O, no clock.
// Points are computed in tenths (integers) so 0.5, 0.3 and 0.2 steps never drift; the result
// carries them back as numbers with one decimal. docs/decisions/013-district-targets.md
// records the rules the seed leaves open (how the count and the rate combine, ties, a target of 0).

import {
  TARGET_ADJUSTMENT_KINDS,
  TARGET_ADJUSTMENT_SUBJECTS,
  TARGET_METRICS,
  TARGET_WORK_ITEMS,
  type TargetAdjustmentKind,
  type TargetAdjustmentSubject,
  type TargetMetric,
  type TargetWorkItem,
} from '../../../db/enums.js'

export { TARGET_METRICS, type TargetMetric }
export const WORK_ITEMS = TARGET_WORK_ITEMS
export type WorkItem = TargetWorkItem
export const ADJUSTMENT_KINDS = TARGET_ADJUSTMENT_KINDS
export type AdjustmentKind = TargetAdjustmentKind
export const ADJUSTMENT_SUBJECTS = TARGET_ADJUSTMENT_SUBJECTS
export type AdjustmentSubject = TargetAdjustmentSubject

/** 智能化改造, 上云用数, 数字画像诊断: the two-band rule (met / ≥ 50 % / below). */
export const BANDED_METRICS = ['smart_retrofit', 'cloud', 'diagnosis'] as const satisfies readonly TargetMetric[]
/** 数字标杆, 覆盖率: ranked by completion rate alone. */
export const RATE_METRICS = ['benchmark', 'coverage'] as const satisfies readonly TargetMetric[]

/** The seed's numbers, in tenths of a point. */
export const RULES = {
  metricMax: 150, // 每一类最高 15 分
  bandedMetStep: 5, // 完成目标: 第一 15 分, 依次递减 0.5
  bandedHalfTop: 100, // 完成 50 %: 第一 10 分, 依次递减 0.5
  bandedHalfStep: 5,
  rateStep: 10, // 数字标杆, 覆盖率: 第一 15 分, 依次递减 1
  workItem: 50, // 五个一: 每项 5 分
  bonusCap: 100, // 最高可加 10 分
  bonus: {
    national_funded: 10,
    provincial_funded: 5,
    national_recognised: 3,
    provincial_recognised: 2,
    commendation: 2,
  },
  lateTask: 2, // 每次扣 0.2 分
} as const

export interface MetricInput {
  /** Counts; for coverage a whole percentage. */
  target: number
  /** Counts; for coverage the covered above-scale enterprises. */
  actual: number
  /** Coverage only: the above-scale enterprises of the district. */
  base?: number
}

export interface AdjustmentInput {
  id?: number
  kind: AdjustmentKind
  subject: AdjustmentSubject
}

export interface DistrictInput {
  regionCode: string
  metrics: Record<TargetMetric, MetricInput>
  /** The 五个一 items done. */
  workDone: readonly WorkItem[]
  adjustments: readonly AdjustmentInput[]
}

/** A completion rate as an exact fraction n/d (d > 0). */
export interface Rate {
  n: number
  d: number
}

export type Band = 'met' | 'half' | 'below'

export interface MetricScore {
  metric: TargetMetric
  target: number
  actual: number
  /** Coverage: the actual percentage (one decimal); counts: the actual. */
  actualValue: number
  /** Completion rate in % (one decimal). */
  ratePct: number
  band: Band | null
  /** Banded metrics: places by count and by rate within the band, and their sum. */
  countPlace: number | null
  ratePlace: number | null
  combined: number | null
  /** Place within the band (banded) or among all (rate metrics); null below 50 %. */
  place: number | null
  points: number
}

export interface AdjustmentScore {
  id?: number
  kind: AdjustmentKind
  subject: AdjustmentSubject
  /** Signed points (deductions negative); 0 when excluded. */
  points: number
  excluded: 'star_cloud_not_provincial' | 'integration_standard_not_national' | null
}

export interface DistrictScore {
  regionCode: string
  metrics: Record<TargetMetric, MetricScore>
  targetPoints: number
  workPoints: number
  workDone: WorkItem[]
  adjustments: AdjustmentScore[]
  /** Bonus before and after the cap of 10. */
  bonusRaw: number
  bonus: number
  deductions: number
  total: number
  place: number
}

export function rateOf(metric: TargetMetric, m: MetricInput): Rate {
  if (m.target <= 0) return { n: 1, d: 1 } // no target set: counted as met (decision 013)
  if (metric === 'coverage') {
    const base = m.base ?? 0
    if (base <= 0) return { n: 0, d: 1 }
    return { n: m.actual * 100, d: base * m.target }
  }
  return { n: m.actual, d: m.target }
}

/** Compare two rates: negative when a < b. Exact (integers below 2^53). */
export function compareRates(a: Rate, b: Rate): number {
  return a.n * b.d - b.n * a.d
}

export function bandOf(rate: Rate): Band {
  if (rate.n >= rate.d) return 'met'
  if (rate.n * 2 >= rate.d) return 'half'
  return 'below'
}

/** Standard competition places (1, 2, 2, 4): 1 + how many are strictly better. */
export function places<T>(items: readonly T[], better: (a: T, b: T) => number): number[] {
  return items.map((item) => 1 + items.filter((other) => better(other, item) > 0).length)
}

const tenths = (x: number) => Math.round(x * 10) / 10
const pct = (r: Rate) => tenths((r.n * 100) / r.d)

function ladder(top: number, step: number, place: number): number {
  return Math.max(0, top - step * (place - 1))
}

interface Work {
  code: string
  input: MetricInput
  rate: Rate
}

function scoreBanded(metric: TargetMetric, rows: Work[]): Map<string, MetricScore> {
  const out = new Map<string, MetricScore>()
  for (const band of ['met', 'half', 'below'] as const) {
    const members = rows.filter((r) => bandOf(r.rate) === band)
    if (band === 'below') {
      for (const r of members) out.set(r.code, base(metric, r, band, null, null, null, null, 0))
      continue
    }
    const byCount = places(members, (a, b) => a.input.actual - b.input.actual)
    const byRate = places(members, (a, b) => compareRates(a.rate, b.rate))
    const combined = members.map((_, i) => byCount[i]! + byRate[i]!)
    // Fewer combined places first; then the higher rate; then the larger count; else tied.
    const order = members.map((r, i) => ({ r, sum: combined[i]! }))
    const final = places(
      order,
      (a, b) => b.sum - a.sum || Math.sign(compareRates(a.r.rate, b.r.rate)) || Math.sign(a.r.input.actual - b.r.input.actual),
    )
    const top = band === 'met' ? RULES.metricMax : RULES.bandedHalfTop
    const step = band === 'met' ? RULES.bandedMetStep : RULES.bandedHalfStep
    members.forEach((r, i) => {
      const place = final[i]!
      out.set(r.code, base(metric, r, band, byCount[i]!, byRate[i]!, combined[i]!, place, ladder(top, step, place)))
    })
  }
  return out
}

function scoreByRate(metric: TargetMetric, rows: Work[]): Map<string, MetricScore> {
  const ranked = places(rows, (a, b) => compareRates(a.rate, b.rate))
  const out = new Map<string, MetricScore>()
  rows.forEach((r, i) => {
    const place = ranked[i]!
    out.set(r.code, base(metric, r, null, null, null, null, place, ladder(RULES.metricMax, RULES.rateStep, place)))
  })
  return out
}

function base(
  metric: TargetMetric,
  r: Work,
  band: Band | null,
  countPlace: number | null,
  ratePlace: number | null,
  combined: number | null,
  place: number | null,
  pointsTenths: number,
): MetricScore {
  const actualValue =
    metric === 'coverage' ? ((r.input.base ?? 0) > 0 ? tenths((r.input.actual * 100) / r.input.base!) : 0) : r.input.actual
  return {
    metric,
    target: r.input.target,
    actual: r.input.actual,
    actualValue,
    ratePct: pct(r.rate),
    band,
    countPlace,
    ratePlace,
    combined,
    place,
    points: pointsTenths / 10,
  }
}

export function scoreAdjustment(a: AdjustmentInput): AdjustmentScore & { tenths: number } {
  if (a.kind === 'late_task') return { ...a, points: -RULES.lateTask / 10, tenths: -RULES.lateTask, excluded: null }
  const excluded =
    a.subject === 'star_cloud' && (a.kind === 'provincial_funded' || a.kind === 'provincial_recognised')
      ? ('star_cloud_not_provincial' as const)
      : a.subject === 'integration_standard' && (a.kind === 'national_funded' || a.kind === 'national_recognised')
        ? ('integration_standard_not_national' as const)
        : null
  const value = excluded ? 0 : RULES.bonus[a.kind]
  return { ...a, points: value / 10, tenths: value, excluded }
}

/** Score every district of a plan. The result is ordered by place, then region code. */
export function scoreDistricts(districts: readonly DistrictInput[]): DistrictScore[] {
  const perMetric = new Map<TargetMetric, Map<string, MetricScore>>()
  for (const metric of TARGET_METRICS) {
    const rows: Work[] = districts.map((d) => ({
      code: d.regionCode,
      input: d.metrics[metric],
      rate: rateOf(metric, d.metrics[metric]),
    }))
    perMetric.set(
      metric,
      (BANDED_METRICS as readonly string[]).includes(metric) ? scoreBanded(metric, rows) : scoreByRate(metric, rows),
    )
  }
  const scored = districts.map((d) => {
    const metrics = Object.fromEntries(TARGET_METRICS.map((m) => [m, perMetric.get(m)!.get(d.regionCode)!])) as Record<
      TargetMetric,
      MetricScore
    >
    const targetTenths = TARGET_METRICS.reduce((sum, m) => sum + Math.round(metrics[m].points * 10), 0)
    const workDone = WORK_ITEMS.filter((w) => d.workDone.includes(w))
    const workTenths = workDone.length * RULES.workItem
    const adjustments = d.adjustments.map(scoreAdjustment)
    const bonusRaw = adjustments.filter((a) => a.tenths > 0).reduce((s, a) => s + a.tenths, 0)
    const bonus = Math.min(RULES.bonusCap, bonusRaw)
    const deductions = -adjustments.filter((a) => a.tenths < 0).reduce((s, a) => s + a.tenths, 0)
    const totalTenths = targetTenths + workTenths + bonus - deductions
    return {
      regionCode: d.regionCode,
      metrics,
      targetPoints: targetTenths / 10,
      workPoints: workTenths / 10,
      workDone,
      adjustments: adjustments.map(({ tenths: _t, ...rest }) => rest),
      bonusRaw: bonusRaw / 10,
      bonus: bonus / 10,
      deductions: deductions / 10,
      total: totalTenths / 10,
      totalTenths,
      place: 0,
    }
  })
  const finalPlaces = places(scored, (a, b) => a.totalTenths - b.totalTenths)
  return scored
    .map(({ totalTenths: _t, ...s }, i) => ({ ...s, place: finalPlaces[i]! }))
    .sort((a, b) => a.place - b.place || a.regionCode.localeCompare(b.regionCode))
}
