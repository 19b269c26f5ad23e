import { describe, expect, it } from 'vitest'
import type { TargetMetric } from '../../db/enums.js'
import {
  bandOf,
  rateOf,
  scoreAdjustment,
  scoreDistricts,
  type AdjustmentInput,
  type DistrictInput,
  type DistrictScore,
  type WorkItem,
} from '../../app/domain/targets/scoring.js'
import { YANGZHOU_2022 } from '../../app/domain/targets/yangzhou-2022.js'

/*
 * 扬州市制造业“智改数转”评分细则 (seed 001 附件2) with the 2022 Yangzhou targets and worked
 * examples (decision 013 for the rules the seed leaves open).
 */

const CODES = {
  baoying: '321023',
  gaoyou: '321084',
  yizheng: '321081',
  jiangdu: '321012',
  hanjiang: '321003',
  guangling: '321002',
  devZone: '321071',
  ecoCity: '3210Z1',
} as const

type Actuals = Partial<Record<TargetMetric, number>>

/** The 2022 table with the given actuals (coverage: covered of 100 above-scale enterprises). */
function world(
  actuals: Record<string, Actuals>,
  extra: Record<string, { work?: WorkItem[]; adjustments?: AdjustmentInput[] }> = {},
): DistrictInput[] {
  return YANGZHOU_2022.map((d) => {
    const a = actuals[d.regionCode] ?? {}
    return {
      regionCode: d.regionCode,
      metrics: {
        smart_retrofit: { target: d.targets.smart_retrofit, actual: a.smart_retrofit ?? 0 },
        cloud: { target: d.targets.cloud, actual: a.cloud ?? 0 },
        diagnosis: { target: d.targets.diagnosis, actual: a.diagnosis ?? 0 },
        benchmark: { target: d.targets.benchmark, actual: a.benchmark ?? 0 },
        coverage: { target: d.targets.coverage, actual: a.coverage ?? 0, base: 100 },
      },
      workDone: extra[d.regionCode]?.work ?? [],
      adjustments: extra[d.regionCode]?.adjustments ?? [],
    }
  })
}

const byCode = (scores: DistrictScore[]) => new Map(scores.map((s) => [s.regionCode, s]))

describe('the 2022 Yangzhou table', () => {
  it('has the 8 评分对象 with the seed’s targets', () => {
    expect(YANGZHOU_2022.map((d) => d.regionCode)).toEqual([
      '321023',
      '321084',
      '321081',
      '321012',
      '321003',
      '321002',
      '321071',
      '3210Z1',
    ])
    expect(YANGZHOU_2022.find((d) => d.regionCode === '3210Z1')!.targets).toEqual({
      smart_retrofit: 5,
      cloud: 5,
      diagnosis: 10,
      benchmark: 5,
      coverage: 40,
    })
    const sum = (m: TargetMetric) => YANGZHOU_2022.reduce((s, d) => s + d.targets[m], 0)
    expect([sum('smart_retrofit'), sum('cloud'), sum('diagnosis'), sum('benchmark')]).toEqual([200, 420, 400, 180])
  })
})

describe('智能化改造 / 上云用数 / 数字画像: two bands ranked by count and rate combined', () => {
  it('places the met band by the sum of the count and rate places, the ≥ 50 % band from 10, below 50 % nothing', () => {
    const s = byCode(
      scoreDistricts(
        world({
          [CODES.baoying]: { smart_retrofit: 33 }, // 110 %
          [CODES.gaoyou]: { smart_retrofit: 40 }, // 100 %
          [CODES.yizheng]: { smart_retrofit: 36 }, // 120 %
          [CODES.jiangdu]: { smart_retrofit: 44 }, // 110 %
          [CODES.hanjiang]: { smart_retrofit: 20 }, // 66.7 %
          [CODES.guangling]: { smart_retrofit: 9 }, // 60 %
          [CODES.devZone]: { smart_retrofit: 4 }, // 40 %
          [CODES.ecoCity]: { smart_retrofit: 6 }, // 120 %
        }),
      ),
    )
    const m = (code: string) => s.get(code)!.metrics.smart_retrofit
    // Met: count places 江都 1, 高邮 2, 仪征 3, 宝应 4, 新城 5; rate places 仪征 = 新城 1, 宝应 = 江都 3, 高邮 5.
    expect([m(CODES.jiangdu).countPlace, m(CODES.jiangdu).ratePlace, m(CODES.jiangdu).combined]).toEqual([1, 3, 4])
    expect([m(CODES.yizheng).countPlace, m(CODES.yizheng).ratePlace, m(CODES.yizheng).combined]).toEqual([3, 1, 4])
    expect(m(CODES.ecoCity).combined).toBe(6)
    expect([m(CODES.baoying).combined, m(CODES.gaoyou).combined]).toEqual([7, 7])
    // Equal sums: the higher rate first (仪征 120 % before 江都 110 %; 宝应 110 % before 高邮 100 %).
    const met = [CODES.yizheng, CODES.jiangdu, CODES.ecoCity, CODES.baoying, CODES.gaoyou].map((c) => [
      m(c).band,
      m(c).place,
      m(c).points,
    ])
    expect(met).toEqual([
      ['met', 1, 15],
      ['met', 2, 14.5],
      ['met', 3, 14],
      ['met', 4, 13.5],
      ['met', 5, 13],
    ])
    expect([m(CODES.hanjiang).band, m(CODES.hanjiang).place, m(CODES.hanjiang).points]).toEqual(['half', 1, 10])
    expect([m(CODES.guangling).band, m(CODES.guangling).place, m(CODES.guangling).points]).toEqual(['half', 2, 9.5])
    expect([m(CODES.devZone).band, m(CODES.devZone).place, m(CODES.devZone).points]).toEqual(['below', null, 0])
    expect(m(CODES.hanjiang).ratePct).toBe(66.7)
  })

  it('shares a place on a full tie and gives the next district its position (1, 2, 3, 3, 5)', () => {
    const s = byCode(
      scoreDistricts(
        world({
          [CODES.jiangdu]: { cloud: 88 }, // 110 %
          [CODES.gaoyou]: { cloud: 80 }, // 100 %
          [CODES.baoying]: { cloud: 70 }, // 100 %
          [CODES.yizheng]: { cloud: 70 }, // 100 %
          [CODES.ecoCity]: { cloud: 5 }, // 100 %
        }),
      ),
    )
    const m = (code: string) => s.get(code)!.metrics.cloud
    expect(
      [CODES.jiangdu, CODES.gaoyou, CODES.baoying, CODES.yizheng, CODES.ecoCity].map((c) => [m(c).place, m(c).points]),
    ).toEqual([
      [1, 15],
      [2, 14.5],
      [3, 14],
      [3, 14],
      [5, 13],
    ])
  })

  it('puts exactly 50 % in the 10-point band and anything less in none', () => {
    const s = byCode(
      scoreDistricts(
        world({
          [CODES.guangling]: { diagnosis: 15 }, // 15 / 30 = 50 %
          [CODES.hanjiang]: { diagnosis: 29 }, // 29 / 60 = 48.3 %
          [CODES.devZone]: { diagnosis: 10 }, // 10 / 20 = 50 %
        }),
      ),
    )
    expect(s.get(CODES.guangling)!.metrics.diagnosis).toMatchObject({ band: 'half', points: expect.any(Number) })
    expect(s.get(CODES.devZone)!.metrics.diagnosis.band).toBe('half')
    // 广陵 and 开发区: count places 广陵 1 (15), 开发区 2 (10); rate both 50 % → 1; sums 2 and 3.
    expect(s.get(CODES.guangling)!.metrics.diagnosis.points).toBe(10)
    expect(s.get(CODES.devZone)!.metrics.diagnosis.points).toBe(9.5)
    expect(s.get(CODES.hanjiang)!.metrics.diagnosis).toMatchObject({ band: 'below', points: 0 })
    expect(bandOf(rateOf('cloud', { target: 70, actual: 35 }))).toBe('half')
    expect(bandOf(rateOf('cloud', { target: 70, actual: 34 }))).toBe('below')
    expect(bandOf(rateOf('cloud', { target: 70, actual: 70 }))).toBe('met')
  })

  it('counts a target of 0 as met at 100 %', () => {
    expect(rateOf('smart_retrofit', { target: 0, actual: 0 })).toEqual({ n: 1, d: 1 })
    expect(bandOf(rateOf('smart_retrofit', { target: 0, actual: 3 }))).toBe('met')
  })
})

describe('数字标杆 and 覆盖率: ranked by completion rate, 15 −1 each', () => {
  it('ranks the 2022 districts by rate with shared places', () => {
    const s = byCode(
      scoreDistricts(
        world({
          [CODES.baoying]: { benchmark: 20 }, // 80 %
          [CODES.gaoyou]: { benchmark: 25 }, // 100 %
          [CODES.yizheng]: { benchmark: 10 }, // 40 %
          [CODES.jiangdu]: { benchmark: 30 }, // 120 %
          [CODES.hanjiang]: { benchmark: 25 }, // 100 %
          [CODES.guangling]: { benchmark: 5 }, // 20 %
          [CODES.devZone]: { benchmark: 0 }, // 0 %
          [CODES.ecoCity]: { benchmark: 5 }, // 5 / 5 = 100 %
        }),
      ),
    )
    const p = (code: string) => [s.get(code)!.metrics.benchmark.place, s.get(code)!.metrics.benchmark.points]
    expect(p(CODES.jiangdu)).toEqual([1, 15])
    expect([p(CODES.gaoyou), p(CODES.hanjiang), p(CODES.ecoCity)]).toEqual([
      [2, 14],
      [2, 14],
      [2, 14],
    ])
    expect(p(CODES.baoying)).toEqual([5, 11])
    expect(p(CODES.yizheng)).toEqual([6, 10])
    expect(p(CODES.guangling)).toEqual([7, 9])
    // No threshold in the seed for these two: last place still scores.
    expect(p(CODES.devZone)).toEqual([8, 8])
  })

  it('rates coverage as the covered share of above-scale enterprises over the target percentage', () => {
    const s = byCode(
      scoreDistricts(
        world({
          [CODES.baoying]: { coverage: 30 }, // 30 % of 40 % = 75 %
          [CODES.gaoyou]: { coverage: 50 }, // 125 %
          [CODES.yizheng]: { coverage: 40 }, // 100 %
        }),
      ),
    )
    expect(s.get(CODES.gaoyou)!.metrics.coverage).toMatchObject({ actualValue: 50, ratePct: 125, place: 1, points: 15 })
    expect(s.get(CODES.yizheng)!.metrics.coverage).toMatchObject({ ratePct: 100, place: 2, points: 14 })
    expect(s.get(CODES.baoying)!.metrics.coverage).toMatchObject({ ratePct: 75, place: 3, points: 13 })
    expect(rateOf('coverage', { target: 40, actual: 0, base: 0 })).toEqual({ n: 0, d: 1 })
  })
})

describe('五个一, bonuses and deductions', () => {
  it('gives 5 per 五个一 item done', () => {
    const s = byCode(scoreDistricts(world({}, { [CODES.baoying]: { work: ['task_force', 'action_plan', 'activities'] } })))
    expect(s.get(CODES.baoying)!.workPoints).toBe(15)
    expect(s.get(CODES.gaoyou)!.workPoints).toBe(0)
  })

  it('scores bonus items, excludes 星级上云 as provincial and 两化融合贯标 as national, caps at 10', () => {
    expect(scoreAdjustment({ kind: 'national_funded', subject: 'other' })).toMatchObject({ points: 1, excluded: null })
    expect(scoreAdjustment({ kind: 'provincial_funded', subject: 'other' }).points).toBe(0.5)
    expect(scoreAdjustment({ kind: 'national_recognised', subject: 'other' }).points).toBe(0.3)
    expect(scoreAdjustment({ kind: 'provincial_recognised', subject: 'other' }).points).toBe(0.2)
    expect(scoreAdjustment({ kind: 'commendation', subject: 'other' }).points).toBe(0.2)
    expect(scoreAdjustment({ kind: 'provincial_recognised', subject: 'star_cloud' })).toMatchObject({
      points: 0,
      excluded: 'star_cloud_not_provincial',
    })
    expect(scoreAdjustment({ kind: 'provincial_funded', subject: 'star_cloud' }).excluded).toBe('star_cloud_not_provincial')
    expect(scoreAdjustment({ kind: 'national_recognised', subject: 'integration_standard' })).toMatchObject({
      points: 0,
      excluded: 'integration_standard_not_national',
    })
    // Each exclusion is about one level only.
    expect(scoreAdjustment({ kind: 'provincial_recognised', subject: 'integration_standard' }).points).toBe(0.2)
    expect(scoreAdjustment({ kind: 'national_recognised', subject: 'star_cloud' }).points).toBe(0.3)

    const many: AdjustmentInput[] = [
      ...Array.from({ length: 9 }, () => ({ kind: 'national_funded' as const, subject: 'other' as const })),
      { kind: 'provincial_funded', subject: 'other' },
      { kind: 'provincial_funded', subject: 'other' },
      { kind: 'national_recognised', subject: 'other' },
      { kind: 'provincial_recognised', subject: 'star_cloud' },
      { kind: 'late_task', subject: 'other' },
      { kind: 'late_task', subject: 'other' },
      { kind: 'late_task', subject: 'other' },
    ]
    const s = byCode(scoreDistricts(world({}, { [CODES.jiangdu]: { adjustments: many } })))
    const j = s.get(CODES.jiangdu)!
    // 9 × 1 + 2 × 0.5 + 0.3 = 10.3, capped at 10; the excluded 星级上云 adds nothing; 3 × −0.2.
    expect([j.bonusRaw, j.bonus, j.deductions]).toEqual([10.3, 10, 0.6])
    // The cap does not absorb deductions.
    expect(j.total).toBe(j.targetPoints + j.workPoints + 10 - 0.6)
  })

  it('adds up a district and shares the overall place on equal totals', () => {
    const input = world(
      {
        [CODES.baoying]: { smart_retrofit: 30, cloud: 70, diagnosis: 60, benchmark: 25, coverage: 40 },
        [CODES.yizheng]: { smart_retrofit: 30, cloud: 70, diagnosis: 60, benchmark: 25, coverage: 40 },
      },
      {
        [CODES.baoying]: {
          work: ['task_force', 'action_plan', 'subsidy_policy', 'activities', 'industry_chain'],
          adjustments: [
            { kind: 'provincial_funded', subject: 'other' },
            { kind: 'late_task', subject: 'other' },
          ],
        },
        [CODES.yizheng]: {
          work: ['task_force', 'action_plan', 'subsidy_policy', 'activities', 'industry_chain'],
          adjustments: [
            { kind: 'provincial_recognised', subject: 'other' },
            { kind: 'national_recognised', subject: 'integration_standard' },
            { kind: 'provincial_recognised', subject: 'star_cloud' },
          ],
        },
      },
    )
    const scores = scoreDistricts(input)
    const s = byCode(scores)
    const b = s.get(CODES.baoying)!
    // Both met every banded target with equal counts and rates: tied 1st, 15 each; benchmark and
    // coverage 100 %: tied 1st among the rest (who have 0), 15 each → 75; 五个一 25; 宝应 +0.5 −0.2.
    expect(b.targetPoints).toBe(75)
    expect(b.total).toBe(100.3)
    const y = s.get(CODES.yizheng)!
    // 仪征: +0.2, the 两化融合贯标 national recognition and the 星级上云 provincial one unscored.
    expect(y.adjustments.map((a) => a.excluded)).toEqual([null, 'integration_standard_not_national', 'star_cloud_not_provincial'])
    expect(y.total).toBe(100.2)
    expect([b.place, y.place]).toEqual([1, 2])
    // The other six scored the same (benchmark and coverage 0 %: tied 3rd, 13 each): a shared place 3.
    const rest = scores.filter((d) => d.regionCode !== CODES.baoying && d.regionCode !== CODES.yizheng)
    expect(rest.map((d) => [d.place, d.total])).toEqual(rest.map(() => [3, 26]))
    // Ordered by place, then region code.
    expect(scores.map((d) => d.regionCode).slice(0, 2)).toEqual([CODES.baoying, CODES.yizheng])
  })
})
