import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { GradientTitle } from '../../db/enums.js'
import { loadRuleSetsFrom, POLICY_DIR } from '../../app/domain/policy/catalogue.server.js'
import type { Facts } from '../../app/domain/policy/facts.js'
import {
  addMonths,
  applicationOptions,
  evaluateCriterion,
  evaluateLevels,
  titleValidity,
  type HeldTitle,
} from '../../app/domain/policy/gradient.js'
import type { RuleSet } from '../../app/domain/policy/rule-set.js'

/*
 * The Gansu 2025 rules (甘工信发〔2025〕152号, shared/seeds/003) evaluated criterion by
 * criterion at each boundary; the application rules of 第十六条, 第二十二条, 第二十四条;
 * the validity and review window of 第二十二条 (issue 16; docs/decisions/015-policy-tools.md).
 */

const sets = loadRuleSetsFrom([path.resolve(POLICY_DIR)])
const gansu = sets.find((s) => s.id === 'gansu-2025-smart-factory-gradient')!

function level(set: RuleSet, l: GradientTitle) {
  return set.levels!.find((x) => x.level === l)!
}
function criterion(l: GradientTitle, id: string) {
  return level(gansu, l).criteria.find((c) => c.id === id)!
}

/** An enterprise meeting every criterion of 优秀场景, 基础级 and 先进级. */
const allMet: Facts = {
  scenario_in_guide: true,
  scenario_months_running: 6,
  scenario_effect_measured: true,
  safety_record_clean: true,
  links_covered: ['production_ops', 'production_mgmt', 'operations_mgmt'],
  maturity_level: 3,
  sme_digital_level: null,
  rd_tools_pct: 85,
  pdm_in_use: true,
  line_investment_wan: 1500,
  equipment_nc_pct: 75,
  key_process_nc_pct: 65,
  erp_in_use: true,
  mes_coverage_pct: 70,
  quality_traceability: true,
}

describe('Gansu 2025: every criterion at its boundary', () => {
  // [level, criterion, facts changed, status, gap]
  const rows: [GradientTitle, string, Facts, 'met' | 'missed' | 'unknown', number | null][] = [
    // 优秀场景 第十二条（二）: in the guide, ≥ 3 months stable, measured effects; 基础要求
    ['excellent_scenario', 'in_guide', { scenario_in_guide: true }, 'met', null],
    ['excellent_scenario', 'in_guide', { scenario_in_guide: false }, 'missed', null],
    ['excellent_scenario', 'in_guide', { scenario_in_guide: null }, 'unknown', null],
    ['excellent_scenario', 'running_months', { scenario_months_running: 3 }, 'met', null],
    ['excellent_scenario', 'running_months', { scenario_months_running: 2 }, 'missed', 1],
    ['excellent_scenario', 'running_months', { scenario_months_running: undefined }, 'unknown', null],
    ['excellent_scenario', 'effect', { scenario_effect_measured: true }, 'met', null],
    ['excellent_scenario', 'effect', { scenario_effect_measured: false }, 'missed', null],
    ['excellent_scenario', 'safety_record', { safety_record_clean: false }, 'missed', null],
    ['excellent_scenario', 'safety_record', { safety_record_clean: null }, 'unknown', null],
    // 基础级 第十二条（三）
    ['basic', 'links', { links_covered: ['production_ops'] }, 'met', null],
    ['basic', 'links', { links_covered: ['rd_design', 'factory_build'] }, 'missed', 1],
    ['basic', 'links', { links_covered: [] }, 'missed', 1],
    ['basic', 'links', { links_covered: null }, 'unknown', null],
    ['basic', 'maturity', { maturity_level: 2 }, 'met', null],
    ['basic', 'maturity', { maturity_level: 1, sme_digital_level: 2 }, 'met', null],
    ['basic', 'maturity', { maturity_level: 1, sme_digital_level: 1 }, 'missed', 1],
    ['basic', 'maturity', { maturity_level: 1, sme_digital_level: null }, 'unknown', null],
    ['basic', 'maturity', { maturity_level: null, sme_digital_level: null }, 'unknown', null],
    ['basic', 'rd_tools', { rd_tools_pct: 70 }, 'met', null],
    ['basic', 'rd_tools', { rd_tools_pct: 69.5 }, 'missed', 0.5],
    ['basic', 'rd_tools', { rd_tools_pct: null }, 'unknown', null],
    ['basic', 'pdm', { pdm_in_use: false }, 'missed', null],
    ['basic', 'line_investment', { line_investment_wan: 1000 }, 'met', null],
    ['basic', 'line_investment', { line_investment_wan: 999.99 }, 'missed', 0.01],
    ['basic', 'line_investment', { line_investment_wan: null }, 'unknown', null],
    ['basic', 'equipment_nc', { equipment_nc_pct: 70 }, 'met', null],
    ['basic', 'equipment_nc', { equipment_nc_pct: 55 }, 'missed', 15],
    ['basic', 'key_process_nc', { key_process_nc_pct: 60 }, 'met', null],
    ['basic', 'key_process_nc', { key_process_nc_pct: 59 }, 'missed', 1],
    ['basic', 'erp', { erp_in_use: true }, 'met', null],
    ['basic', 'erp', { erp_in_use: null }, 'unknown', null],
    // 先进级 第十二条（四）: three links, maturity 2 (no SME alternative), 80 %, MES 60 %
    ['advanced', 'links', { links_covered: ['production_ops', 'production_mgmt', 'operations_mgmt'] }, 'met', null],
    ['advanced', 'links', { links_covered: ['production_ops'] }, 'missed', 2],
    ['advanced', 'maturity', { maturity_level: 2 }, 'met', null],
    ['advanced', 'maturity', { maturity_level: 1, sme_digital_level: 4 }, 'missed', 1],
    ['advanced', 'rd_tools', { rd_tools_pct: 80 }, 'met', null],
    ['advanced', 'rd_tools', { rd_tools_pct: 70 }, 'missed', 10],
    ['advanced', 'pdm', { pdm_in_use: true }, 'met', null],
    ['advanced', 'key_process_nc', { key_process_nc_pct: 59.99 }, 'missed', 0.01],
    ['advanced', 'mes', { mes_coverage_pct: 60 }, 'met', null],
    ['advanced', 'mes', { mes_coverage_pct: 40 }, 'missed', 20],
    ['advanced', 'mes', { mes_coverage_pct: null }, 'unknown', null],
    ['advanced', 'quality', { quality_traceability: false }, 'missed', null],
    ['advanced', 'safety_record', { safety_record_clean: true }, 'met', null],
  ]

  it.each(rows)('%s.%s with %j is %s (gap %s)', (l, id, change, status, gap) => {
    const facts = { ...allMet, ...change }
    const r = evaluateCriterion(criterion(l, id), facts)
    expect(r.status).toBe(status)
    expect(r.gap).toBe(gap)
    // The level follows: a missed criterion misses it, an unknown one leaves it unknown.
    const lr = evaluateLevels(gansu, facts).find((x) => x.level === l)!
    expect(lr.status).toBe(status)
  })

  it('names the links still missing', () => {
    const r = evaluateCriterion(criterion('advanced', 'links'), { links_covered: ['production_ops'] })
    expect(r.missingLinks).toEqual(['production_mgmt', 'operations_mgmt'])
  })

  it('keeps each alternative of the maturity criterion with its own result', () => {
    const r = evaluateCriterion(criterion('basic', 'maturity'), { maturity_level: 1, sme_digital_level: 2 })
    expect(r.alternatives!.map((a) => [a.id, a.status])).toEqual([
      ['maturity_gbt', 'missed'],
      ['maturity_sme', 'met'],
    ])
  })

  it('the demo enterprise C story: 基础级 met, 先进级 missed by MES and R&D tools, 卓越级 and 领航级 not self-checked', () => {
    const facts = {
      ...allMet,
      rd_tools_pct: 72,
      mes_coverage_pct: 40,
      links_covered: ['production_ops', 'production_mgmt'] as const,
    }
    const byLevel = Object.fromEntries(evaluateLevels(gansu, facts).map((l) => [l.level, l]))
    expect(byLevel.basic!.status).toBe('met')
    expect(byLevel.advanced!.status).toBe('missed')
    expect(byLevel.advanced!.criteria.filter((c) => c.status === 'missed').map((c) => [c.id, c.gap])).toEqual([
      ['links', 1],
      ['rd_tools', 8],
      ['mes', 20],
    ])
    expect(byLevel.excellence!.status).toBe('not_evaluated')
    expect(byLevel.leading!.status).toBe('not_evaluated')
  })

  it('an enterprise nobody has told anything about is unknown everywhere, never missed', () => {
    expect(evaluateLevels(gansu, {}).map((l) => l.status)).toEqual([
      'unknown',
      'unknown',
      'unknown',
      'not_evaluated',
      'not_evaluated',
    ])
  })
})

const t = (title: GradientTitle, awardedOn: string, extra: Partial<HeldTitle> = {}): HeldTitle => ({
  title,
  awardedOn,
  expiresOn: null,
  status: 'held',
  ...extra,
})

function options(titles: HeldTitle[], today: string, thisYear: Partial<Record<GradientTitle, number>> = {}) {
  return Object.fromEntries(
    applicationOptions(gansu, titles, thisYear, today).map((o) => [
      o.level,
      `${o.allowed ? 'yes' : 'no'}:${o.reason}${o.until ? `:${o.until}` : ''}`,
    ]),
  )
}

describe('Gansu 2025: who may apply for what (第十六条, 第二十二条, 第二十四条)', () => {
  const today = '2026-12-03'
  it.each([
    [
      'first application: any of the three',
      [],
      {},
      { excellent_scenario: 'yes:first_any', basic: 'yes:first_any', advanced: 'yes:first_any' },
    ],
    [
      'first application, two scenes already this year (≤ 2 a year)',
      [],
      { excellent_scenario: 2 },
      { excellent_scenario: 'no:per_year_limit', basic: 'yes:first_any', advanced: 'yes:first_any' },
    ],
    [
      'holding a scene: another scene, or 基础级 next; not 先进级',
      [t('excellent_scenario', '2025-10-01')],
      {},
      { excellent_scenario: 'yes:repeat', basic: 'yes:next_step', advanced: 'no:not_next' },
    ],
    [
      'holding 基础级: 先进级 next, scenes still possible',
      [t('basic', '2025-10-01')],
      { excellent_scenario: 1 },
      { excellent_scenario: 'yes:repeat', basic: 'no:held', advanced: 'yes:next_step' },
    ],
    [
      'holding 先进级: nothing higher on this ladder',
      [t('advanced', '2025-10-01')],
      {},
      { excellent_scenario: 'yes:repeat', basic: 'no:held', advanced: 'no:held' },
    ],
    [
      'downgraded from 先进级 to 基础级: from the level reached, 先进级 again next',
      [t('advanced', '2022-10-01', { status: 'downgraded', endedOn: '2025-10-01' }), t('basic', '2025-10-01')],
      {},
      { excellent_scenario: 'yes:repeat', basic: 'no:held', advanced: 'yes:next_step' },
    ],
    [
      'revoked 2025-12-01: no application for 2 years',
      [t('advanced', '2024-10-01', { status: 'revoked', endedOn: '2025-12-01' })],
      {},
      { excellent_scenario: 'no:banned:2027-12-01', basic: 'no:banned:2027-12-01', advanced: 'no:banned:2027-12-01' },
    ],
  ] as [string, HeldTitle[], Partial<Record<GradientTitle, number>>, Record<string, string>][])(
    '%s',
    (_name, titles, thisYear, expected) => {
      expect(options(titles, today, thisYear)).toEqual({
        ...expected,
        excellence: 'no:not_on_ladder',
        leading: 'no:not_on_ladder',
      })
    },
  )

  it('after the ban, from the level below the revoked one (第二十四条)', () => {
    const revoked = [t('advanced', '2022-10-01', { status: 'revoked', endedOn: '2024-06-30' })]
    expect(options(revoked, '2026-06-29').basic).toBe('no:banned:2026-06-30')
    expect(options(revoked, '2026-06-30')).toMatchObject({ basic: 'yes:after_revocation', advanced: 'no:not_next' })
    const revokedScene = [t('excellent_scenario', '2022-10-01', { status: 'revoked', endedOn: '2024-06-30' })]
    expect(options(revokedScene, '2026-07-01')).toMatchObject({
      excellent_scenario: 'yes:after_revocation',
      basic: 'no:not_next',
    })
  })
})

describe('Gansu 2025: validity (第二十二条: 3 years, review 3 months before the end)', () => {
  it.each([
    ['2025-09-15', '2026-12-03', '2028-09-15', '2028-06-15', 'valid'],
    ['2025-09-15', '2028-06-14', '2028-09-15', '2028-06-15', 'valid'],
    ['2025-09-15', '2028-06-15', '2028-09-15', '2028-06-15', 'review_due'],
    ['2025-09-15', '2028-09-15', '2028-09-15', '2028-06-15', 'review_due'],
    ['2025-09-15', '2028-09-16', '2028-09-15', '2028-06-15', 'expired'],
    // month-end clamping: 2025-05-31 + 3 years = 2028-05-31, review from 2028-02-29 (leap year)
    ['2025-05-31', '2026-12-03', '2028-05-31', '2028-02-29', 'valid'],
    ['2025-11-30', '2028-08-30', '2028-11-30', '2028-08-30', 'review_due'],
  ])('awarded %s, on %s: expires %s, review from %s, %s', (awardedOn, today, expiresOn, reviewFrom, state) => {
    expect(titleValidity(gansu, t('basic', awardedOn), today)).toMatchObject({ expiresOn, reviewFrom, state })
  })

  it('keeps an expiry the archive records (a review passed extends it) and the end states', () => {
    expect(titleValidity(gansu, t('basic', '2022-01-10', { expiresOn: '2028-01-10' }), '2026-12-03').state).toBe('valid')
    expect(titleValidity(gansu, t('basic', '2025-01-10', { status: 'downgraded' }), '2026-12-03').state).toBe('downgraded')
    expect(titleValidity(gansu, t('basic', '2025-01-10', { status: 'revoked' }), '2026-12-03').state).toBe('revoked')
  })

  it.each([
    ['2025-08-31', 6, '2026-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2025-03-31', -1, '2025-02-28'],
    ['2025-12-15', 1, '2026-01-15'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2025-08-06', 36, '2028-08-06'],
  ])('addMonths(%s, %i) = %s', (d, n, expected) => {
    expect(addMonths(d, n)).toBe(expected)
  })
})
