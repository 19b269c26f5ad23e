import { describe, expect, it } from 'vitest'
import { NEED_STATUSES, TARGET_LEVELS } from '~/domain/needs/schema'
import industries from '../../seed/reference/industries.json' with { type: 'json' }
import scenarios from '../../seed/reference/scenarios.json' with { type: 'json' }
import {
  DEMO_DEFAULT_NOW,
  LEVEL_BUDGET_WAN,
  LEVEL_DURATION_MONTHS,
  demoCounts,
  makeBudget,
  makeNeedInput,
  placeNamesFor,
  segmentOf,
  templatesFor,
  type DemoNeedInput,
  type DemoRegion,
} from '../../seed/demo'
import {
  EXTRA_SENTENCES,
  INDUSTRY_SHORT,
  INDUSTRY_VOCAB,
  NEED_TEMPLATES,
  RESULTS_BY_SCENARIO,
  SCOPE_SENTENCES,
  type NeedTemplate,
} from '../../seed/demo-text'
import { Rng } from '../../seed/random'

const SCENARIO_CODES = new Set(scenarios.map((s) => s.code))
const KNOWN_SLOTS = new Set(['workshop', 'product', 'process', 'line', 'inspect', 'defect', 'system', 'industryShort', 'n'])
const NOW_MS = DEMO_DEFAULT_NOW.getTime()

function slotsOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)(?::(\d+)-(\d+))?\}/g)].map((m) => m[1] ?? '')
}

function templateRegex(t: NeedTemplate): RegExp {
  const escaped = t.title.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '.+')
  return new RegExp(`^${escaped}$`)
}

function sample(industryCode: string, n: number, seed: number): DemoNeedInput[] {
  const rng = new Rng(seed)
  return Array.from({ length: n }, () =>
    makeNeedInput(rng, { enterprise: { id: 7, industryCode, regionCode: '321003' }, now: DEMO_DEFAULT_NOW }),
  )
}

describe('vocabulary and templates', () => {
  it('covers every manufacturing division of the reference data', () => {
    expect(Object.keys(INDUSTRY_VOCAB).sort()).toEqual(industries.map((i) => i.code).sort())
    for (const [code, v] of Object.entries(INDUSTRY_VOCAB)) {
      v.segments.forEach((seg, i) => {
        for (const list of [seg.nameWords, seg.products, seg.workshops, seg.processes, seg.lines, seg.inspect, seg.defects]) {
          expect(list.length, `${code}/${i}`).toBeGreaterThan(0)
          for (const item of list) expect(item, `${code}/${i}`).toMatch(/^\S+$/)
        }
        expect(templatesFor(code, i).length, `${code}/${i}`).toBeGreaterThanOrEqual(25)
      })
      expect(INDUSTRY_SHORT[code], code).toBeTruthy()
    }
  })

  it('only references existing scenarios and known slots', () => {
    for (const t of NEED_TEMPLATES) {
      expect(t.levels.length, t.title).toBeGreaterThan(0)
      for (const s of t.scenarios) expect(SCENARIO_CODES.has(s), `${t.title}: ${s}`).toBe(true)
      expect(t.scenarios.length).toBeLessThanOrEqual(3)
      const texts = [t.title, ...t.now, ...t.want, ...(t.results ?? [])]
      for (const text of texts) for (const slot of slotsOf(text)) expect(KNOWN_SLOTS.has(slot), `${text}`).toBe(true)
    }
    for (const text of [
      ...EXTRA_SENTENCES,
      ...Object.values(SCOPE_SENTENCES).flat(),
      ...Object.values(RESULTS_BY_SCENARIO).flat(),
    ]) {
      for (const slot of slotsOf(text)) expect(KNOWN_SLOTS.has(slot), text).toBe(true)
    }
  })

  it('has expected-result phrases for every scenario and a template for every scenario', () => {
    for (const code of SCENARIO_CODES) {
      expect(RESULTS_BY_SCENARIO[code]?.length, code).toBeGreaterThan(0)
      expect(
        NEED_TEMPLATES.some((t) => t.scenarios[0] === code),
        code,
      ).toBe(true)
    }
  })

  it('every template is usable by at least one industry', () => {
    const usable = new Set(
      Object.entries(INDUSTRY_VOCAB).flatMap(([c, v]) => v.segments.flatMap((_, i) => templatesFor(c, i).map(([t]) => t))),
    )
    for (const t of NEED_TEMPLATES) expect(usable.has(t), t.title).toBe(true)
  })
})

describe('makeNeedInput', () => {
  const all = Object.keys(INDUSTRY_VOCAB).flatMap((code, i) => sample(code, 250, 1000 + i).map((n) => ({ code, n })))

  it('fills every placeholder and keeps texts within the table limits', () => {
    for (const { n } of all) {
      for (const text of [n.title, n.description, n.expected_results]) expect(text, text).not.toMatch(/[{}]/)
      expect(n.title.trim().length).toBeGreaterThanOrEqual(4)
      expect(n.title.length).toBeLessThanOrEqual(80)
      const sentences = n.description.split('。').filter(Boolean)
      expect(n.description.endsWith('。')).toBe(true)
      expect(sentences.length, n.description).toBeGreaterThanOrEqual(2)
      expect(sentences.length, n.description).toBeLessThanOrEqual(4)
      expect(n.description.length).toBeLessThanOrEqual(5000)
      expect(n.expected_results).toMatch(/^[^。]+。$/)
      expect(n.expected_results.split('，').length).toBeGreaterThanOrEqual(2)
    }
  })

  it('takes industry and region from the enterprise', () => {
    for (const { code, n } of all) {
      expect(n.industry_code).toBe(code)
      expect(n.region_code).toBe('321003')
      expect(n.org_id).toBe(7)
    }
  })

  it('picks 1–3 scenarios belonging to the template the title came from', () => {
    for (const { code, n } of all) {
      expect(n.scenarios.length).toBeGreaterThanOrEqual(1)
      expect(n.scenarios.length).toBeLessThanOrEqual(3)
      expect(new Set(n.scenarios).size).toBe(n.scenarios.length)
      const matching = INDUSTRY_VOCAB[code]!.segments.flatMap((_, i) => templatesFor(code, i).map(([t]) => t)).filter(
        (t) => templateRegex(t).test(n.title) && t.scenarios[0] === n.scenarios[0],
      )
      expect(matching.length, n.title).toBeGreaterThan(0)
      expect(
        matching.some((t) => n.scenarios.every((s) => t.scenarios.includes(s)) && t.levels.includes(n.target_level)),
        `${n.title} ${n.scenarios.join(',')} ${n.target_level}`,
      ).toBe(true)
    }
  })

  it('keeps budgets and durations plausible for the level', () => {
    for (const { n } of all) {
      const [lo, hi] = LEVEL_BUDGET_WAN[n.target_level]
      expect(Number.isInteger(n.budget_min_wan) && Number.isInteger(n.budget_max_wan)).toBe(true)
      expect(n.budget_min_wan).toBeGreaterThanOrEqual(lo)
      expect(n.budget_max_wan).toBeLessThanOrEqual(hi)
      expect(n.budget_max_wan).toBeGreaterThanOrEqual(n.budget_min_wan)
      const [dLo, dHi] = LEVEL_DURATION_MONTHS[n.target_level]
      expect(n.duration_months).toBeGreaterThanOrEqual(Math.max(3, dLo))
      expect(n.duration_months).toBeLessThanOrEqual(Math.min(24, dHi))
    }
  })

  it('builds a consistent timeline around now', () => {
    for (const { n } of all) {
      expect(NEED_STATUSES).toContain(n.status)
      expect(n.expected_start).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(new Date(`${n.expected_start}T00:00:00Z`).toISOString().slice(0, 10)).toBe(n.expected_start)
      const created = Date.parse(n.created_at)
      const updated = Date.parse(n.updated_at)
      expect(created).toBeLessThanOrEqual(NOW_MS)
      expect(updated).toBeLessThanOrEqual(NOW_MS)
      expect(updated).toBeGreaterThanOrEqual(created)
      if (n.status === 'draft') {
        expect(n.published_at).toBeNull()
      } else {
        expect(n.published_at).not.toBeNull()
        const published = Date.parse(n.published_at ?? '')
        expect(published).toBeGreaterThanOrEqual(created)
        expect(published).toBeLessThanOrEqual(updated)
      }
      const start = Date.parse(n.expected_start)
      if (n.status === 'published' || n.status === 'draft') expect(start).toBeGreaterThan(NOW_MS)
      if (n.status === 'closed' || n.status === 'expired') expect(start).toBeLessThan(NOW_MS)
      expect(Math.abs(start - NOW_MS)).toBeLessThan(2 * 366 * 86_400_000)
    }
  })

  it('mixes statuses, levels and visibility roughly as specified', () => {
    const count = (pred: (n: DemoNeedInput) => boolean) => all.filter(({ n }) => pred(n)).length / all.length
    expect(count((n) => n.status === 'published')).toBeGreaterThan(0.65)
    expect(count((n) => n.status === 'published')).toBeLessThan(0.75)
    for (const s of NEED_STATUSES)
      expect(
        count((n) => n.status === s),
        s,
      ).toBeGreaterThan(0.01)
    for (const l of TARGET_LEVELS)
      expect(
        count((n) => n.target_level === l),
        l,
      ).toBeGreaterThan(0.01)
    expect(count((n) => n.visibility === 'public')).toBeGreaterThan(0.75)
    expect(count((n) => n.visibility === 'verified_providers')).toBeGreaterThan(0.05)
    expect(count((n) => n.accepts_matching === 1)).toBeGreaterThan(0.85)
    expect(new Set(all.map(({ n }) => n.title)).size).toBeGreaterThan(all.length / 10)
  })

  it('keeps an enterprise’s needs inside its sub-sector vocabulary', () => {
    const rng = new Rng(12)
    const seg = segmentOf('C38', 1) // 电线电缆
    for (let i = 0; i < 300; i++) {
      const n = makeNeedInput(rng, {
        enterprise: { id: 1, industryCode: 'C38', regionCode: '321084', segment: 1 },
        now: DEMO_DEFAULT_NOW,
      })
      const text = n.title + n.description
      for (const other of INDUSTRY_VOCAB.C38!.segments.filter((s) => s !== seg)) {
        for (const w of [...other.workshops, ...other.lines]) {
          if (![...seg.workshops, ...seg.lines].some((own) => own.includes(w))) expect(text, w).not.toContain(w)
        }
      }
    }
  })

  it('honours a given status and creation time', () => {
    const rng = new Rng(3)
    const createdAtMs = NOW_MS - 100 * 86_400_000
    const n = makeNeedInput(rng, {
      enterprise: { id: 1, industryCode: 'C36', regionCode: '321081' },
      now: DEMO_DEFAULT_NOW,
      status: 'contracted',
      createdAtMs,
    })
    expect(n.status).toBe('contracted')
    expect(n.created_at).toBe(new Date(createdAtMs).toISOString())
  })

  it('is deterministic for a seed', () => {
    expect(sample('C34', 50, 99)).toEqual(sample('C34', 50, 99))
    expect(sample('C34', 50, 99)).not.toEqual(sample('C34', 50, 100))
  })

  it('ties some title words to the scenario they imply', () => {
    const rules: [RegExp, string[]][] = [
      [/MES/, ['S301']],
      [/能耗|能源管理|节能/, ['S403']],
      [/机器视觉|视觉检测/, ['S305']],
      [/数字孪生/, ['S102']],
      [/预测性维护/, ['S402']],
      [/追溯/, ['S306']],
      [/立体仓库|立体库|仓储/, ['S307']],
      [/AGV|物流/, ['S307', 'S308']],
      [/APS|排产/, ['S301']],
    ]
    for (const { n } of all) {
      for (const [re, codes] of rules) {
        if (re.test(n.title))
          expect(
            codes.some((c) => n.scenarios.includes(c)),
            `${n.title} ${n.scenarios.join(',')}`,
          ).toBe(true)
      }
    }
  })
})

describe('makeBudget', () => {
  it('stays inside the level range, as round numbers', () => {
    const rng = new Rng(8)
    for (const level of TARGET_LEVELS) {
      const [lo, hi] = LEVEL_BUDGET_WAN[level]
      let sawFixed = false
      let sawRange = false
      for (let i = 0; i < 3000; i++) {
        const { min, max } = makeBudget(rng, level)
        expect(min).toBeGreaterThanOrEqual(lo)
        expect(max).toBeLessThanOrEqual(hi)
        expect(max).toBeGreaterThanOrEqual(min)
        expect(min % 5).toBe(0)
        if (min === max) sawFixed = true
        else sawRange = true
      }
      expect(sawFixed && sawRange).toBe(true)
    }
  })

  it('applies a template cap inside the level range', () => {
    const rng = new Rng(9)
    for (let i = 0; i < 2000; i++) {
      const capped = makeBudget(rng, 'smart_line', 200)
      expect(capped.min).toBeGreaterThanOrEqual(30)
      expect(capped.max).toBeLessThanOrEqual(200)
      // A cap below the level's floor still yields a budget at the floor.
      const floor = makeBudget(rng, 'digital_workshop', 50)
      expect(floor).toEqual({ min: 100, max: 100 })
    }
  })
})

describe('demoCounts', () => {
  it('scales organisations with needs, with minimums', () => {
    expect(demoCounts(0)).toEqual({ enterprises: 40, providers: 12 })
    expect(demoCounts(100)).toEqual({ enterprises: 40, providers: 12 })
    expect(demoCounts(100_000)).toEqual({ enterprises: 25_000, providers: 5_000 })
  })
})

describe('placeNamesFor', () => {
  const regions = new Map<string, DemoRegion>(
    (
      [
        ['620000', '甘肃省', 'province', null],
        ['622900', '临夏回族自治州', 'city', '620000'],
        ['622927', '积石山保安族东乡族撒拉族自治县', 'county', '622900'],
        ['620100', '兰州市', 'city', '620000'],
        ['620171', '兰州新区', 'zone', '620100'],
        ['620102', '城关区', 'county', '620100'],
        ['320000', '江苏省', 'province', null],
        ['321000', '扬州市', 'city', '320000'],
        ['321023', '宝应县', 'county', '321000'],
        ['321012', '江都区', 'county', '321000'],
      ] as const
    ).map(([code, name, level, parentCode]) => [code, { code, name, level, parentCode }]),
  )
  const names = (code: string) => placeNamesFor(regions.get(code) as DemoRegion, regions).map(([p]) => p)

  it('uses the province, the city and a usable county name', () => {
    expect(names('321023')).toEqual(['江苏', '扬州', '宝应'])
    expect(names('321012')).toEqual(['江苏', '扬州', '江都'])
    expect(names('620102')).toEqual(['甘肃', '兰州'])
    expect(names('620171')).toEqual(['甘肃', '兰州', '兰州新区'])
    expect(names('622927')).toEqual(['甘肃', '临夏'])
  })
})
