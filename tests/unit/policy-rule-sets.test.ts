import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadRuleSetsFrom, POLICY_DIR } from '../../app/domain/policy/catalogue.server.js'
import { applicationOptions, evaluateLevels, titleValidity } from '../../app/domain/policy/gradient.js'
import { estimateMeasures } from '../../app/domain/policy/measures.js'
import { estimateReward } from '../../app/domain/policy/rewards.js'
import { isCurrent, parseRuleSet, ruleSetsForRegion } from '../../app/domain/policy/rule-set.js'

/*
 * Rules as data: the platform's sets load and check; a made-up province (示例省, region
 * 990000, tests/fixtures/policies) is added as a file only — other thresholds, another cap,
 * two measures on one basis — and evaluated by the same code; a malformed file is refused
 * with its name.
 */

const REAL = path.resolve(POLICY_DIR)
const FIXTURE = path.resolve('tests/fixtures/policies')
const all = loadRuleSetsFrom([REAL, FIXTURE])
const example = all.find((s) => s.id === 'example-province-2026-gradient')!
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe('the platform rule sets', () => {
  it('load: Gansu 2025 (current until 2028-08-05) and Yangzhou 2022 (expired after 2025-02-23)', () => {
    const real = loadRuleSetsFrom([REAL])
    expect(real.map((s) => s.id).sort()).toEqual([
      'gansu-2025-smart-factory-gradient',
      'yangzhou-2022-smart-transformation-measures',
    ])
    const gansu = real.find((s) => s.id.startsWith('gansu'))!
    const yangzhou = real.find((s) => s.id.startsWith('yangzhou'))!
    expect(isCurrent(gansu, '2026-12-03')).toBe(true)
    expect(isCurrent(gansu, '2028-08-05')).toBe(true)
    expect(isCurrent(gansu, '2028-08-06')).toBe(false)
    expect(isCurrent(yangzhou, '2025-02-23')).toBe(true)
    expect(isCurrent(yangzhou, '2025-02-24')).toBe(false)
  })

  it('apply to their regions and those below, from the day they come into force; an expired one is still found', () => {
    const real = loadRuleSetsFrom([REAL])
    expect(ruleSetsForRegion(real, ['620102', '620100', '620000'], '2026-12-03').map((s) => s.id)).toEqual([
      'gansu-2025-smart-factory-gradient',
    ])
    expect(ruleSetsForRegion(real, ['620000'], '2025-08-05')).toEqual([])
    expect(ruleSetsForRegion(real, ['321002', '321000', '320000'], '2026-12-03').map((s) => s.id)).toEqual([
      'yangzhou-2022-smart-transformation-measures',
    ])
    expect(ruleSetsForRegion(real, ['320100', '320000'], '2026-12-03')).toEqual([])
  })

  it('of two versions of one set, the highest in force', () => {
    const gansu = all.find((s) => s.id.startsWith('gansu'))!
    const v2 = { ...gansu, version: 2, valid_from: '2027-01-01' }
    expect(ruleSetsForRegion([gansu, v2], ['620000'], '2026-12-31')[0]!.version).toBe(1)
    expect(ruleSetsForRegion([gansu, v2], ['620000'], '2027-01-01')[0]!.version).toBe(2)
  })
})

describe('a made-up province added as data only (示例省 990000)', () => {
  it('is found for its regions only', () => {
    expect(ruleSetsForRegion(all, ['990101', '990100', '990000'], '2026-12-03').map((s) => s.id)).toEqual([
      'example-province-2026-gradient',
    ])
    expect(isCurrent(example, '2040-01-01')).toBe(true)
  })

  it('evaluates its own thresholds: 基础级 at rd 60 / 500万 / management 50; 先进级 needs maturity 3', () => {
    const facts = {
      rd_tools_pct: 60,
      line_investment_wan: 500,
      mgmt_digital_pct: 50,
      mes_coverage_pct: 55,
      maturity_level: 2,
      scenario_months_running: 5,
    }
    const levels = Object.fromEntries(evaluateLevels(example, facts).map((l) => [l.level, l]))
    expect(levels.basic!.status).toBe('met')
    expect(levels.advanced!.status).toBe('missed')
    expect(levels.advanced!.criteria.find((c) => c.id === 'maturity')).toMatchObject({ status: 'missed', gap: 1 })
    expect(levels.excellent_scenario!.criteria[0]).toMatchObject({ status: 'missed', gap: 1 })
    expect(Object.keys(levels)).toEqual(['excellent_scenario', 'basic', 'advanced'])
  })

  it('its application rules: first only a scene or 基础级, one scene a year, 3-year ban', () => {
    const first = applicationOptions(example, [], { excellent_scenario: 1 }, '2026-12-03')
    expect(first.map((o) => [o.level, o.allowed, o.reason])).toEqual([
      ['excellent_scenario', false, 'per_year_limit'],
      ['basic', true, 'first_any'],
      ['advanced', false, 'not_next'],
    ])
    const revoked = [
      { title: 'basic' as const, awardedOn: '2026-01-01', expiresOn: null, status: 'revoked' as const, endedOn: '2026-06-01' },
    ]
    expect(applicationOptions(example, revoked, {}, '2029-05-31')[0]).toMatchObject({
      allowed: false,
      reason: 'banned',
      until: '2029-06-01',
    })
    expect(applicationOptions(example, revoked, {}, '2029-06-01').map((o) => [o.level, o.reason])).toEqual([
      ['excellent_scenario', 'after_revocation'],
      ['basic', 'not_next'],
      ['advanced', 'not_next'],
    ])
  })

  it('its validity: 2 years, review 6 months before', () => {
    expect(
      titleValidity(example, { title: 'basic', awardedOn: '2026-03-31', expiresOn: null, status: 'held' }, '2027-09-30'),
    ).toMatchObject({
      expiresOn: '2028-03-31',
      reviewFrom: '2027-09-30',
      state: 'review_due',
    })
  })

  it('its rewards: 80 − 20 for 基础级 after a scene, scenes capped at 50, the ladder at 200, and a reward after revocation', () => {
    const scene = {
      title: 'excellent_scenario' as const,
      awardedOn: '2026-03-01',
      expiresOn: null,
      status: 'held' as const,
      rewardWan: 20,
    }
    expect(estimateReward(example, 'basic', [scene]).amountWan).toBe(60)
    expect(estimateReward(example, 'excellent_scenario', [scene, scene]).amountWan).toBe(10)
    expect(estimateReward(example, 'advanced', [scene, { ...scene, title: 'basic', rewardWan: 60 }]).amountWan).toBe(120)
    expect(estimateReward(example, 'basic', [{ ...scene, status: 'revoked' }]).amountWan).toBe(60)
    expect(estimateReward(example, 'excellence', []).steps.map((s) => s.kind)).toEqual(['none'])
  })

  it('its two measures on a project: 10 % from 500万 up to 150万, and 5 % from 100万 up to 20万', () => {
    expect(estimateMeasures(example, 'project_investment', 400).map((m) => [m.id, m.reason, m.amountWan])).toEqual([
      ['workshop_retrofit', 'below_threshold', 0],
      ['cloud_adoption', 'eligible', 20],
    ])
    expect(estimateMeasures(example, 'project_investment', 2000).map((m) => [m.id, m.amountWan, m.capped])).toEqual([
      ['workshop_retrofit', 150, true],
      ['cloud_adoption', 20, true],
    ])
  })
})

describe('a malformed rule set is refused, with the file named', () => {
  const good = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'example-province-2026.json'), 'utf8')) as Record<string, unknown>
  function refuse(name: string, data: unknown, problem: RegExp) {
    const dir = fs.mkdtempSync(path.join(tmp, 'case-'))
    fs.writeFileSync(path.join(dir, name), typeof data === 'string' ? data : JSON.stringify(data))
    expect(() => loadRuleSetsFrom([dir])).toThrow(new RegExp(`${name.replace('.', '\\.')}.*${problem.source}`))
  }

  it.each([
    [
      'unknown-fact.json',
      {
        ...good,
        levels: [
          {
            level: 'basic',
            evaluated_by: 'issuer',
            article: { zh: '一', en: 'one' },
            criteria: [
              {
                id: 'x',
                fact: 'robots_per_worker',
                op: 'gte',
                value: 1,
                label: { zh: '一', en: 'one' },
                article: { zh: '一', en: 'one' },
              },
            ],
          },
        ],
      },
      /fact/,
    ],
    [
      'wrong-op.json',
      {
        ...good,
        levels: [
          {
            level: 'basic',
            evaluated_by: 'issuer',
            article: { zh: '一', en: 'one' },
            criteria: [
              {
                id: 'x',
                fact: 'pdm_in_use',
                op: 'gte',
                value: 1,
                label: { zh: '一', en: 'one' },
                article: { zh: '一', en: 'one' },
              },
            ],
          },
        ],
      },
      /does not fit fact pdm_in_use/,
    ],
    [
      'half-gradient.json',
      { ...good, rewards: undefined },
      /a gradient needs levels, application, validity and rewards together/,
    ],
    ['dates.json', { ...good, valid_until: '2025-01-01' }, /valid_until before valid_from/],
    ['no-english.json', { ...good, name: { zh: '示例' } }, /name\.en/],
    ['chinese-in-english.json', { ...good, name: { zh: '示例', en: 'Annex 1, II (一)' } }, /name\.en: English text with Chinese/],
    ['extra-field.json', { ...good, bonus: 1 }, /bonus/],
    ['not-json.json', '{ "id": ', /JSON|Unexpected|end/],
  ] as [string, unknown, RegExp][])('%s', (name, data, problem) => {
    refuse(name, data, problem)
  })

  it('a set defined twice (same id and version) is refused', () => {
    expect(() => loadRuleSetsFrom([FIXTURE, FIXTURE])).toThrow(/example-province-2026-gradient@1 is defined twice/)
  })

  it('parseRuleSet lists every problem', () => {
    expect(() => parseRuleSet({ ...good, id: 'Bad Id', version: 0 }, 'x.json')).toThrow(/x\.json: id: .*; version: /)
  })
})
