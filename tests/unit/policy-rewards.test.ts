import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { GradientTitle } from '../../db/enums.js'
import { loadRuleSetsFrom, POLICY_DIR } from '../../app/domain/policy/catalogue.server.js'
import type { HeldTitle } from '../../app/domain/policy/gradient.js'
import { estimateMeasures, fixedAmount } from '../../app/domain/policy/measures.js'
import { estimateReward, estimateRewards } from '../../app/domain/policy/rewards.js'

/*
 * Rewards (甘工信发〔2025〕152号 第十八条 – 第二十条, 第二十四条) and the Yangzhou measures
 * (扬府发〔2022〕20号 附件1 二（一）: ≥ 2000万 → ≤ 13 %, ≤ 600万) with worked examples from
 * the seeds' text. Amounts in 万元.
 */

const sets = loadRuleSetsFrom([path.resolve(POLICY_DIR)])
const gansu = sets.find((s) => s.id === 'gansu-2025-smart-factory-gradient')!
const yangzhou = sets.find((s) => s.id === 'yangzhou-2022-smart-transformation-measures')!

const won = (title: GradientTitle, rewardWan: number, status: HeldTitle['status'] = 'held'): HeldTitle => ({
  title,
  awardedOn: '2025-10-01',
  expiresOn: null,
  status,
  rewardWan,
})
const scenes = (n: number, each = 30) => Array.from({ length: n }, () => won('excellent_scenario', each))

describe('Gansu 2025 rewards: standard, 叠加累计不超过最高标准, 优秀场景 ≤ 100万, extras', () => {
  it.each([
    // level, prior awards, expected
    ['excellent_scenario', [], 30],
    ['basic', [], 100],
    ['advanced', [], 300],
    // 优秀场景 累计 ≤ 100万 (第十九条): 3 scenes at 30, the 4th pays 10, a 5th nothing
    ['excellent_scenario', scenes(3), 10],
    ['excellent_scenario', [...scenes(3), won('excellent_scenario', 10)], 0],
    ['excellent_scenario', scenes(1), 30],
    // 给予基础级奖励时须扣除往年优秀场景奖励: 100 − 30
    ['basic', scenes(1), 70],
    ['basic', scenes(2), 40],
    ['basic', [...scenes(3), won('excellent_scenario', 10)], 0],
    // 给予先进级奖励时须扣除往年基础级、优秀场景奖励: 300 − 100 − 30
    ['advanced', [won('basic', 100), ...scenes(1)], 170],
    ['advanced', [won('basic', 70), ...scenes(1)], 200],
    ['advanced', [won('basic', 100)], 200],
    // the example: holding 优秀场景 with 30万 received, 先进级 pays at most 300 − 30
    ['advanced', scenes(1), 270],
    // a scene after 先进级 with the 300万 reached pays nothing: the ladder's sum stays ≤ 300
    ['excellent_scenario', [won('basic', 100), won('advanced', 200)], 0],
    ['excellent_scenario', [won('basic', 100), won('advanced', 170), ...scenes(1)], 0],
    ['excellent_scenario', [won('basic', 100), won('advanced', 180)], 20],
    // 卓越级 +100, 领航级 +200 (第二十条): on top, whatever was received
    ['excellence', [won('advanced', 300)], 100],
    ['leading', [won('advanced', 300), won('excellence', 100)], 200],
    // 第二十四条: 取消后再获评不再给予资金奖励
    ['basic', [won('advanced', 0, 'revoked')], 0],
    ['excellent_scenario', [won('excellent_scenario', 30, 'revoked')], 0],
    ['leading', [won('advanced', 300, 'revoked')], 0],
  ] as [GradientTitle, HeldTitle[], number][])('%s after %j pays %d', (level, prior, expected) => {
    expect(estimateReward(gansu, level, prior).amountWan).toBe(expected)
  })

  it('shows each step with the cap and what was received', () => {
    expect(
      estimateReward(gansu, 'basic', scenes(1)).steps.map(({ kind, amountWan, capWan, receivedWan }) => ({
        kind,
        amountWan,
        capWan,
        receivedWan,
      })),
    ).toEqual([
      { kind: 'standard', amountWan: 100, capWan: undefined, receivedWan: undefined },
      { kind: 'cumulative_cap', amountWan: 70, capWan: 100, receivedWan: 30 },
    ])
    const fourth = estimateReward(gansu, 'excellent_scenario', scenes(3)).steps
    expect(fourth.map((s) => [s.kind, s.amountWan, s.capWan, s.receivedWan])).toEqual([
      ['standard', 30, undefined, undefined],
      ['cumulative_cap', 30, 300, 90],
      ['level_cap', 10, 100, 90],
    ])
    expect(fourth[2]!.article.zh).toBe('第十九条')
    expect(estimateReward(gansu, 'leading', []).steps.map((s) => s.kind)).toEqual(['extra'])
    expect(estimateReward(gansu, 'basic', [won('basic', 0, 'revoked')]).steps.map((s) => [s.kind, s.article.zh])).toEqual([
      ['revoked', '第二十四条、第二十五条'],
    ])
  })

  it('adds in hundredths: three awards of 33.33 leave 100 − 99.99 = 0.01', () => {
    expect(estimateReward(gansu, 'excellent_scenario', scenes(3, 33.33)).amountWan).toBe(0.01)
    expect(estimateReward(gansu, 'basic', [won('excellent_scenario', 0.1), won('excellent_scenario', 0.2)]).amountWan).toBe(99.7)
  })

  it('gives every level of the set, lowest first', () => {
    expect(estimateRewards(gansu, []).map((r) => [r.level, r.amountWan])).toEqual([
      ['excellent_scenario', 30],
      ['basic', 100],
      ['advanced', 300],
      ['excellence', 100],
      ['leading', 200],
    ])
  })
})

describe('Yangzhou 2022 measures (附件1 二（一）: ≥ 2000万, ≤ 13 %, ≤ 600万)', () => {
  it.each([
    [null, false, 'no_basis', 0, 0, false],
    [0, false, 'no_basis', 0, 0, false],
    [1999, false, 'below_threshold', 259.87, 0, false],
    [1999.99, false, 'below_threshold', 260, 0, false],
    [2000, true, 'eligible', 260, 260, false],
    [3000, true, 'eligible', 390, 390, false],
    // 4615.38 × 13 % = 599.9994, in hundredths 600.00: exactly the cap, not over it
    [4615.38, true, 'eligible', 600, 600, false],
    [4616, true, 'eligible', 600.08, 600, true],
    [5000, true, 'eligible', 650, 600, true],
    [100000, true, 'eligible', 13000, 600, true],
  ] as [number | null, boolean, string, number, number, boolean][])(
    'smart retrofit on %s万: eligible %s (%s), share %d, pays %d, capped %s',
    (basis, eligible, reason, shareWan, amountWan, capped) => {
      const [m] = estimateMeasures(yangzhou, 'project_investment', basis)
      expect(m).toMatchObject({
        id: 'smart_retrofit',
        eligible,
        reason,
        shareWan,
        amountWan,
        capped,
        minBasisWan: 2000,
        ratePct: 13,
        capWan: 600,
      })
      expect(m!.article.zh).toBe('附件1 二（一）')
    },
  )

  it('only the measures on the basis asked for', () => {
    expect(estimateMeasures(yangzhou, 'platform_investment', 1000).map((m) => [m.id, m.amountWan])).toEqual([
      ['industrial_internet_platform', 130],
    ])
    expect(estimateMeasures(yangzhou, 'park_investment', 2000).map((m) => [m.id, m.amountWan, m.capped])).toEqual([
      ['park_digital', 200, true],
    ])
  })

  it('fixed amounts per case (二（四） 诊断: 工厂 20, 车间 5, 监理 0.5)', () => {
    expect(fixedAmount(yangzhou, 'diagnosis', 'factory')?.amountWan).toBe(20)
    expect(fixedAmount(yangzhou, 'diagnosis', 'supervision')?.amountWan).toBe(0.5)
    expect(fixedAmount(yangzhou, 'diagnosis', 'nothing')).toBeNull()
    expect(fixedAmount(yangzhou, 'smart_retrofit', 'factory')).toBeNull()
    expect(fixedAmount(gansu, 'diagnosis', 'factory')).toBeNull()
  })
})
