/**
 * Deterministic demo data, what it is: agencies, providers, enterprises, the demo
 * accounts that own some of them, and upgrade needs. Pure: from the reference data
 * (as rows), a seed and `now`, planDemo returns the same plan every time; it reads no
 * database and writes nothing. How the plan is written (prepared statements, batches,
 * the refusal to write next to real organisations) is seed/demo-writer.ts.
 */
import { generateUscc } from '../app/domain/orgs/uscc.js'
import type { NeedStatus, NeedVisibility, TargetLevel } from '../app/domain/needs/schema.js'
import type { AgencyLevel, OrgKind, OrgStatus, ProviderKind } from '../app/domain/orgs/schema.js'
import { pickDemoAccounts, type DemoAccountPlan } from './accounts.js'
import {
  EXISTING_SYSTEMS,
  EXTRA_SENTENCES,
  INDUSTRY_SHORT,
  INDUSTRY_VOCAB,
  NEED_TEMPLATES,
  PROVIDER_KIND_WEIGHTS,
  PROVIDER_NAME_WORDS,
  PROVIDER_SECONDARY_KINDS,
  PROVIDER_TRADE_NAMES,
  REJECTION_REASONS,
  RESULTS_BY_SCENARIO,
  SCOPE_SENTENCES,
  TRADE_NAME_FIRST,
  TRADE_NAME_SECOND,
  type VocabSegment,
  type NeedTemplate,
  type ScopeFocus,
} from './demo-text.js'
import { Rng } from './random.js'

export type { AgencyLevel, OrgStatus, ProviderKind } from '../app/domain/orgs/schema.js'

// ---------------------------------------------------------------- constants

export const DEMO_DEFAULT_SEED = 42
/** Fixed so output is deterministic; pass `now` to move the timeline. */
export const DEMO_DEFAULT_NOW = new Date('2026-11-01T00:00:00.000Z')
const DAY_MS = 86_400_000

/** Plausible budget per 项目培育库 level, 万元, inclusive. */
export const LEVEL_BUDGET_WAN: Readonly<Record<TargetLevel, readonly [number, number]>> = {
  smart_line: [30, 500],
  digital_workshop: [100, 1500],
  smart_factory: [500, 5000],
  future_factory: [2000, 20000],
}

/** Expected duration per level, months, inclusive (always within 3–24). */
export const LEVEL_DURATION_MONTHS: Readonly<Record<TargetLevel, readonly [number, number]>> = {
  smart_line: [3, 9],
  digital_workshop: [6, 15],
  smart_factory: [12, 24],
  future_factory: [18, 24],
}

/** How often each level is chosen among those a template allows. */
const LEVEL_PREFERENCE: Readonly<Record<TargetLevel, number>> = {
  smart_line: 4,
  digital_workshop: 3,
  smart_factory: 1.5,
  future_factory: 0.4,
}

export const DEMO_STATUS_WEIGHTS: readonly (readonly [NeedStatus, number])[] = [
  ['published', 70],
  ['shortlisting', 7],
  ['awarded', 4],
  ['contracted', 5],
  ['closed', 4],
  ['draft', 4],
  ['withdrawn', 3],
  ['expired', 3],
]

/** Age of a need (days before `now` it was created), by status. */
const STATUS_AGE_DAYS: Readonly<Record<NeedStatus, readonly [number, number]>> = {
  draft: [0, 60],
  published: [1, 150],
  shortlisting: [20, 200],
  awarded: [40, 300],
  contracted: [60, 450],
  closed: [200, 700],
  withdrawn: [10, 400],
  expired: [150, 700],
}

/** Enterprises joined the platform before their oldest possible need. */
const ENTERPRISE_AGE_DAYS: readonly [number, number] = [710, 1080]
const PROVIDER_AGE_DAYS: readonly [number, number] = [400, 1080]
const AGENCY_AGE_DAYS = 1100

export function demoCounts(needs: number): { enterprises: number; providers: number } {
  return { enterprises: Math.max(40, Math.round(needs / 4)), providers: Math.max(12, Math.round(needs / 20)) }
}

/** The seeds' 工信 agencies, province → city → county (functional zones count as county). */
export const DEMO_AGENCIES: readonly { regionCode: string; name: string; level: AgencyLevel }[] = [
  { regionCode: '620000', name: '甘肃省工业和信息化厅', level: 'province' },
  { regionCode: '620100', name: '兰州市工业和信息化局', level: 'city' },
  { regionCode: '620171', name: '兰州新区工信和数据局', level: 'county' },
  { regionCode: '320000', name: '江苏省工业和信息化厅', level: 'province' },
  { regionCode: '321000', name: '扬州市工业和信息化局', level: 'city' },
  { regionCode: '321023', name: '宝应县工业和信息化局', level: 'county' },
  { regionCode: '321084', name: '高邮市工业和信息化局', level: 'county' },
  { regionCode: '321081', name: '仪征市工业和信息化局', level: 'county' },
  { regionCode: '321012', name: '扬州市江都区工业和信息化局', level: 'county' },
  { regionCode: '321003', name: '扬州市邗江区工业和信息化局', level: 'county' },
  { regionCode: '321002', name: '扬州市广陵区工业和信息化局', level: 'county' },
  { regionCode: '321071', name: '扬州经济技术开发区经济发展局', level: 'county' },
  { regionCode: '3210Z1', name: '扬州市生态科技新城经济发展局', level: 'county' },
  { regionCode: '330000', name: '浙江省经济和信息化厅', level: 'province' },
  { regionCode: '330100', name: '杭州市经济和信息化局', level: 'city' },
  { regionCode: '330200', name: '宁波市经济和信息化局', level: 'city' },
  { regionCode: '330600', name: '绍兴市经济和信息化局', level: 'city' },
]

// ---------------------------------------------------------------- regional weighting

interface RegionGroup {
  /** Region code prefixes belonging to the group; `exclude` removes sub-prefixes. */
  prefix: string
  exclude?: string
  weight: number
  /** Extra weight for leaf regions under these prefixes (multiplier). */
  regionBoost?: Readonly<Record<string, number>>
  industries: Readonly<Record<string, number>>
  /** Industry weights added for regions under a prefix (local specialities). */
  localIndustries?: Readonly<Record<string, Readonly<Record<string, number>>>>
}

const ENTERPRISE_GROUPS: readonly RegionGroup[] = [
  {
    prefix: '3210', // 扬州
    weight: 35,
    industries: {
      C36: 15,
      C34: 12,
      C38: 12,
      C35: 8,
      C33: 8,
      C37: 6,
      C26: 6,
      C24: 6,
      C29: 5,
      C39: 4,
      C14: 4,
      C13: 3,
      C17: 3,
      C40: 3,
      C27: 3,
      C21: 2,
      C30: 2,
      C22: 1,
      C23: 1,
      C43: 1,
    },
    localIndustries: {
      '321081': { C26: 15, C36: 10 }, // 仪征: 化工园区, 汽车
      '321012': { C37: 12, C34: 5 }, // 江都: 船舶, 机械
      '321084': { C38: 15 }, // 高邮: 电线电缆, 灯具
      '321023': { C38: 8, C37: 4 }, // 宝应
      '321002': { C24: 6 }, // 广陵: 漆器, 玩具
      '321003': { C24: 8 }, // 邗江: 毛绒玩具
    },
  },
  {
    prefix: '62', // 甘肃
    weight: 25,
    regionBoost: { '6201': 2.5, '620171': 5, '6203': 2, '6204': 2, '6202': 2, '6209': 1.5 },
    industries: {
      C32: 14,
      C26: 10,
      C30: 10,
      C25: 8,
      C38: 8,
      C31: 6,
      C13: 6,
      C27: 6,
      C34: 6,
      C35: 6,
      C15: 5,
      C33: 4,
      C42: 4,
      C14: 3,
      C29: 2,
      C16: 1,
      C43: 1,
      C20: 0.5,
    },
    localIndustries: {
      '6203': { C32: 30 }, // 金昌: 镍钴
      '6204': { C32: 20, C26: 6 }, // 白银: 有色, 化工
      '6202': { C31: 30 }, // 嘉峪关: 钢铁
      '6209': { C38: 15, C31: 6 }, // 酒泉: 新能源装备
      '620171': { C26: 12, C25: 4, C38: 6 }, // 兰州新区: 精细化工, 新能源
      '620104': { C25: 25, C26: 10 }, // 西固: 石化
      '621122': { C27: 25 }, // 陇西: 中药材
    },
  },
  {
    prefix: '32', // 江苏 (other cities)
    exclude: '3210',
    weight: 20,
    industries: {
      C39: 12,
      C38: 12,
      C34: 12,
      C35: 8,
      C36: 8,
      C26: 8,
      C17: 8,
      C28: 6,
      C33: 6,
      C29: 5,
      C27: 4,
      C40: 4,
      C18: 4,
      C31: 3,
      C37: 3,
      C30: 2,
      C22: 2,
      C20: 1,
      C23: 1,
      C41: 1,
      C42: 1,
      C15: 1,
    },
  },
  {
    prefix: '33', // 浙江
    weight: 20,
    industries: {
      C34: 12,
      C17: 10,
      C38: 10,
      C29: 8,
      C39: 8,
      C36: 8,
      C18: 6,
      C21: 6,
      C33: 6,
      C26: 6,
      C28: 6,
      C35: 5,
      C19: 4,
      C24: 3,
      C22: 3,
      C40: 3,
      C20: 2,
      C23: 1,
      C41: 1.5,
      C15: 1,
      C14: 1,
      C13: 1,
    },
    localIndustries: {
      '3306': { C17: 20, C28: 8 }, // 绍兴: 纺织印染
      '3307': { C33: 10, C24: 6 }, // 金华: 五金, 小商品
      '3302': { C34: 6, C29: 6 }, // 宁波
      '3304': { C28: 8, C17: 6 }, // 嘉兴
      '3303': { C19: 10, C38: 6 }, // 温州: 鞋革, 电气
    },
  },
]

/** Providers sit in the big cities of the seed provinces, plus a few national players. */
const PROVIDER_CITIES: readonly (readonly [string, number])[] = [
  ['320100', 15], // 南京
  ['320500', 15], // 苏州
  ['320200', 10], // 无锡
  ['321000', 12], // 扬州
  ['330100', 18], // 杭州
  ['330200', 8], // 宁波
  ['620100', 12], // 兰州
  ['110108', 4], // 北京海淀
  ['310115', 4], // 上海浦东
  ['440305', 2], // 深圳南山
]

const PROVINCE_SHORT: Readonly<Record<string, string>> = {
  '62': '甘肃',
  '32': '江苏',
  '33': '浙江',
  '11': '北京',
  '31': '上海',
  '44': '广东',
}

// ---------------------------------------------------------------- types

export interface DemoRegion {
  code: string
  name: string
  level: 'province' | 'city' | 'county' | 'zone'
  parentCode: string | null
}

export interface DemoOrganisation {
  /** 0 until inserted. */
  id: number
  kind: OrgKind
  name: string
  regionCode: string
  /** Valid, unique GB 32100 code ('91…' enterprises/providers, '11…' agencies). */
  uscc: string
  createdAt: string
  /** 入驻审核: agencies are verified; a few enterprises/providers are pending or rejected. */
  status: OrgStatus
  rejectionReason: string | null
  /** When the agency reviewed it (verified or rejected), else null. */
  reviewedAt: string | null
  /** Enterprises: GB/T 4754 division; others null. */
  industryCode: string | null
  /** Enterprises: index of the division's sub-sector in INDUSTRY_VOCAB; others null. */
  industrySegment: number | null
  /** Providers: main kind first, sometimes a second; others empty. */
  providerKinds: ProviderKind[]
  agencyLevel: AgencyLevel | null
}

/** Names and USCCs already used, so every generated organisation is unique. */
export interface DemoTaken {
  names: Set<string>
  usccs: Set<string>
}

export function newDemoTaken(): DemoTaken {
  return { names: new Set(), usccs: new Set() }
}

/** What a need factory needs to know about its enterprise. */
export interface NeedOwner {
  id: number
  industryCode: string
  regionCode: string
  /** Sub-sector of the division (DemoOrganisation.industrySegment); random when omitted. */
  segment?: number
}

export interface NeedFactoryContext {
  enterprise: NeedOwner
  now: Date
  /** Chosen by the factory when omitted (status mix of DEMO_STATUS_WEIGHTS). */
  status?: NeedStatus
  /** Creation time in ms; chosen from the status' age range when omitted. */
  createdAtMs?: number
}

export interface DemoNeedInput {
  org_id: number
  title: string
  description: string
  industry_code: string
  region_code: string
  target_level: TargetLevel
  budget_min_wan: number
  budget_max_wan: number
  expected_start: string
  duration_months: number
  accepts_matching: 0 | 1
  expected_results: string
  visibility: NeedVisibility
  status: NeedStatus
  published_at: string | null
  created_at: string
  updated_at: string
  /** 1–3 scenario codes, primary first. */
  scenarios: string[]
  /** 投标截止 (YYYY-MM-DD), set as the needs are written (seed/diagnoses-writer.ts needDecorator). */
  deadline: string | null
  /** A need made from a weakness of a confirmed diagnosis report: the version and the weakness. */
  source_report_id: number | null
  source_weakness_id: number | null
}

export interface DemoContext {
  regions: ReadonlyMap<string, DemoRegion>
  /** Leaf regions enterprises may sit in, with weights and industry weights. */
  enterpriseRegions: readonly (readonly [DemoRegion, number])[]
  industryWeightsByRegion: ReadonlyMap<string, readonly (readonly [string, number])[]>
  providerRegions: readonly (readonly [DemoRegion, number])[]
  industries: ReadonlySet<string>
  scenarios: ReadonlySet<string>
}

export interface PlanDemoOptions {
  needs: number
  /** Providers to generate; default demoCounts(needs).providers. */
  providers?: number
  seed?: number
  now?: Date
}

/** Everything the demo data set holds, before anything is written. */
export interface DemoPlan {
  /** Agencies, then providers, then enterprises: the order they are written in. */
  organisations: DemoOrganisation[]
  /** The demo accounts, each owning one of `organisations`. */
  accounts: DemoAccountPlan[]
  needCount: number
  /**
   * The needs in creation order (so ids are chronological), made as they are read:
   * 1 000 000 needs never sit in memory at once. `orgIds[i]` is the id
   * `organisations[i]` was written under. Read it once: it draws from the plan's
   * random stream.
   */
  needs(orgIds: readonly number[]): Generator<DemoNeedInput>
  /** The moment the plan's timeline ends at. */
  now: Date
  /**
   * The random stream of the providers' profiles, cases and templates
   * (seed/providers.ts planProviderData), independent of the others.
   */
  providerRng: Rng
  /**
   * The random stream of the enterprises' archives and the diagnoses
   * (seed/diagnoses.ts planDiagnosisData) and of the needs' deadlines and links to
   * weaknesses (seed/diagnoses-writer.ts), independent of the others.
   */
  diagnosisRng: Rng
  /** Stream of the bids, contracts and what happens on them (seed/contracts.ts). */
  contractRng: Rng
}

/** The reference data the generator works from, as the tables hold it. */
export interface DemoReferenceRows {
  regions: readonly { code: string; name: string; level: DemoRegion['level']; parent_code: string | null }[]
  industries: readonly { code: string }[]
  scenarios: readonly { code: string }[]
}

// ---------------------------------------------------------------- context

/** The generator's view of the reference data; fails loudly if it is missing. */
export function buildDemoContext(rows: DemoReferenceRows): DemoContext {
  const { regions: regionRows, industries: industryRows, scenarios: scenarioRows } = rows
  if (regionRows.length === 0 || industryRows.length === 0 || scenarioRows.length === 0) {
    throw new Error('缺少基础数据（地区/行业/场景），请先运行 loadReferenceData / reference data not loaded')
  }
  const scenarios = new Set(scenarioRows.map((s) => s.code))
  for (const t of NEED_TEMPLATES) {
    for (const s of t.scenarios) {
      if (!scenarios.has(s)) throw new Error(`需求模板引用了不存在的场景 ${s}（${t.title}）`)
    }
  }
  const industries = new Set(industryRows.map((i) => i.code).filter((c) => INDUSTRY_VOCAB[c] !== undefined))

  const regions = new Map<string, DemoRegion>()
  const parents = new Set<string>()
  for (const r of regionRows) {
    regions.set(r.code, { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code })
    if (r.parent_code) parents.add(r.parent_code)
  }
  const leaves = [...regions.values()].filter((r) => r.level !== 'province' && !parents.has(r.code))

  const enterpriseRegions: [DemoRegion, number][] = []
  const industryWeightsByRegion = new Map<string, [string, number][]>()
  for (const group of ENTERPRISE_GROUPS) {
    const members = leaves.filter((r) => r.code.startsWith(group.prefix) && !(group.exclude && r.code.startsWith(group.exclude)))
    if (members.length === 0) continue
    const boosts = members.map((r) => prefixValue(group.regionBoost, r.code, 1, (a, b) => a * b))
    const total = boosts.reduce((a, b) => a + b, 0)
    members.forEach((r, i) => {
      enterpriseRegions.push([r, (group.weight * (boosts[i] ?? 1)) / total])
      const weights = new Map<string, number>(Object.entries(group.industries))
      for (const [prefix, extra] of Object.entries(group.localIndustries ?? {})) {
        if (!r.code.startsWith(prefix)) continue
        for (const [code, w] of Object.entries(extra)) weights.set(code, (weights.get(code) ?? 0) + w)
      }
      industryWeightsByRegion.set(
        r.code,
        [...weights.entries()].filter(([code]) => industries.has(code)),
      )
    })
  }
  if (enterpriseRegions.length === 0) throw new Error('地区数据中没有甘肃/江苏/浙江的县级区划')

  const providerRegions: [DemoRegion, number][] = []
  for (const [code, weight] of PROVIDER_CITIES) {
    const city = regions.get(code)
    if (!city) continue
    const children = leaves.filter((r) => r.parentCode === code)
    if (children.length === 0) providerRegions.push([city, weight])
    else for (const c of children) providerRegions.push([c, weight / children.length])
  }

  return { regions, enterpriseRegions, industryWeightsByRegion, providerRegions, industries, scenarios }
}

/** Combines the values of every key that is a prefix of `code`. */
function prefixValue(
  table: Readonly<Record<string, number>> | undefined,
  code: string,
  initial: number,
  combine: (a: number, b: number) => number,
): number {
  let v = initial
  if (!table) return v
  for (const [prefix, value] of Object.entries(table)) if (code.startsWith(prefix)) v = combine(v, value)
  return v
}

// ---------------------------------------------------------------- time helpers

function isoAt(ms: number): string {
  return new Date(ms).toISOString()
}

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** A moment `days` before now, during Beijing office hours (01:00–10:00 UTC). */
function daysAgo(rng: Rng, nowMs: number, days: number): number {
  const midnight = Math.floor(nowMs / DAY_MS) * DAY_MS - days * DAY_MS
  const t = midnight + rng.int(3600, 36_000) * 1000
  // Never in the future (callers may add up to a minute of jitter).
  return t > nowMs - 60_000 ? t - DAY_MS : t
}

// ---------------------------------------------------------------- names

function cityShort(name: string): string {
  const ethnic = /^(.{2,3}?)(.{1,4}族)+自治[州县]$/.exec(name)
  if (ethnic?.[1]) return ethnic[1]
  return name.replace(/(市|地区|盟)$/, '')
}

/** Place names a company in this region would plausibly put in front of its name. */
export function placeNamesFor(region: DemoRegion, regions: ReadonlyMap<string, DemoRegion>): [string, number][] {
  const out: [string, number][] = []
  const province = PROVINCE_SHORT[region.code.slice(0, 2)]
  if (province) out.push([province, 2])
  const city = region.level === 'city' ? region : region.parentCode ? regions.get(region.parentCode) : undefined
  if (city && city.level === 'city') out.push([cityShort(city.name), 5])
  if (region.code === '620171') out.push(['兰州新区', 3])
  if (region.level === 'county' && !region.name.includes('族')) {
    const m = /^(.{2,3})(县|市)$/.exec(region.name)
    if (m?.[1]) out.push([m[1], 3])
    const d = /^(.{2})区$/.exec(region.name)
    if (d?.[1] && !['城关', '市中', '城区', '郊区', '新区'].includes(d[1])) out.push([d[1], 1])
  }
  if (out.length === 0) out.push([cityShort(region.name), 1])
  return out
}

function uniqueName(rng: Rng, taken: Set<string>, make: (attempt: number) => string): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    const name = make(attempt)
    if (!taken.has(name)) {
      taken.add(name)
      return name
    }
  }
  // Saturated combinations: widen the trade name with a third character.
  for (;;) {
    const name = make(0).replace(/有限/, `${rng.pick(TRADE_NAME_SECOND)}有限`)
    if (!taken.has(name)) {
      taken.add(name)
      return name
    }
  }
}

function tradeName(rng: Rng): string {
  const a = rng.pick(TRADE_NAME_FIRST)
  let b = rng.pick(TRADE_NAME_SECOND)
  while (a === b) b = rng.pick(TRADE_NAME_SECOND)
  return a + b
}

function companySuffix(rng: Rng, word: string): string {
  const hasTech = /(科技|技术|研究院|咨询|监理|管理|软件)$/.test(word)
  const options: [string, number][] = [
    ['有限公司', 55],
    ['股份有限公司', 15],
    ['集团有限公司', 4],
    ['有限责任公司', 6],
  ]
  if (!hasTech) options.push(['科技有限公司', 14], ['制造有限公司', 6])
  return rng.weighted(options)
}

function usccRegion(region: DemoRegion): string {
  if (/^\d{6}$/.test(region.code)) return region.code
  return region.parentCode && /^\d{6}$/.test(region.parentCode) ? region.parentCode : '100000'
}

// ---------------------------------------------------------------- organisation factories

function uniqueUscc(rng: Rng, taken: DemoTaken, region: DemoRegion, prefix = '91'): string {
  for (;;) {
    const code = generateUscc(rng, usccRegion(region), prefix)
    if (!taken.usccs.has(code)) {
      taken.usccs.add(code)
      return code
    }
  }
}

const ENTERPRISE_STATUS: readonly (readonly [OrgStatus, number])[] = [
  ['verified', 85],
  ['pending', 12],
  ['rejected', 3],
]
const PROVIDER_STATUS: readonly (readonly [OrgStatus, number])[] = [
  ['verified', 88],
  ['pending', 9],
  ['rejected', 3],
]

/** Status, review time and reason for an organisation created at `createdMs`. */
function review(
  rng: Rng,
  weights: readonly (readonly [OrgStatus, number])[],
  createdMs: number,
): Pick<DemoOrganisation, 'status' | 'rejectionReason' | 'reviewedAt'> {
  const status = rng.weighted(weights)
  if (status === 'pending') return { status, rejectionReason: null, reviewedAt: null }
  const reviewedAt = isoAt(createdMs + rng.int(1, 10) * DAY_MS + rng.int(0, 7200) * 1000)
  return { status, rejectionReason: status === 'rejected' ? rng.pick(REJECTION_REASONS) : null, reviewedAt }
}

export function makeEnterprise(rng: Rng, ctx: DemoContext, taken: DemoTaken, now: Date): DemoOrganisation {
  const region = rng.weighted(ctx.enterpriseRegions)
  const industryWeights = ctx.industryWeightsByRegion.get(region.code)
  const industryCode =
    industryWeights && industryWeights.length > 0 ? rng.weighted(industryWeights) : rng.pick([...ctx.industries])
  const segments = vocabFor(industryCode).segments
  const industrySegment = rng.int(0, segments.length - 1)
  const vocab = segmentOf(industryCode, industrySegment)
  const places = placeNamesFor(region, ctx.regions)
  const name = uniqueName(rng, taken.names, () => {
    const word = rng.pick(vocab.nameWords)
    return `${rng.weighted(places)}${tradeName(rng)}${word}${companySuffix(rng, word)}`
  })
  const createdMs = daysAgo(rng, now.getTime(), rng.int(ENTERPRISE_AGE_DAYS[0], ENTERPRISE_AGE_DAYS[1]))
  return {
    id: 0,
    kind: 'enterprise',
    name,
    regionCode: region.code,
    uscc: uniqueUscc(rng, taken, region),
    createdAt: isoAt(createdMs),
    ...review(rng, ENTERPRISE_STATUS, createdMs),
    industryCode,
    industrySegment,
    providerKinds: [],
    agencyLevel: null,
  }
}

export function makeProvider(rng: Rng, ctx: DemoContext, taken: DemoTaken, now: Date): DemoOrganisation {
  const region = rng.weighted(ctx.providerRegions)
  const kind = rng.weighted(PROVIDER_KIND_WEIGHTS)
  const providerKinds = rng.chance(0.3) ? [kind, rng.pick(PROVIDER_SECONDARY_KINDS[kind])] : [kind]
  const places = placeNamesFor(region, ctx.regions).map(([p, w]): [string, number] =>
    // Regional providers often go by the province: 江苏智云…, 浙江数智….
    [p, PROVINCE_SHORT[region.code.slice(0, 2)] === p ? w * 2 : w],
  )
  const name = uniqueName(rng, taken.names, (attempt) => {
    const word = rng.pick(PROVIDER_NAME_WORDS[kind])
    const trade = attempt < 10 && rng.chance(0.7) ? rng.pick(PROVIDER_TRADE_NAMES) : tradeName(rng)
    return `${rng.weighted(places)}${trade}${word}${companySuffix(rng, word)}`
  })
  const createdMs = daysAgo(rng, now.getTime(), rng.int(PROVIDER_AGE_DAYS[0], PROVIDER_AGE_DAYS[1]))
  return {
    id: 0,
    kind: 'provider',
    name,
    regionCode: region.code,
    uscc: uniqueUscc(rng, taken, region),
    createdAt: isoAt(createdMs),
    ...review(rng, PROVIDER_STATUS, createdMs),
    industryCode: null,
    industrySegment: null,
    providerKinds,
    agencyLevel: null,
  }
}

export function makeAgencies(rng: Rng, ctx: DemoContext, taken: DemoTaken, now: Date): DemoOrganisation[] {
  return DEMO_AGENCIES.flatMap((a) => {
    const region = ctx.regions.get(a.regionCode)
    if (!region) return []
    taken.names.add(a.name)
    const createdMs = daysAgo(rng, now.getTime(), AGENCY_AGE_DAYS)
    return [
      {
        id: 0,
        kind: 'agency' as const,
        name: a.name,
        regionCode: a.regionCode,
        // 登记管理部门 1 (机构编制), 机构类别 1 (机关).
        uscc: uniqueUscc(rng, taken, region, '11'),
        createdAt: isoAt(createdMs),
        status: 'verified' as const,
        rejectionReason: null,
        reviewedAt: isoAt(createdMs),
        industryCode: null,
        industrySegment: null,
        providerKinds: [],
        agencyLevel: a.level,
      },
    ]
  })
}

// ---------------------------------------------------------------- need factory

function vocabFor(industryCode: string) {
  const v = INDUSTRY_VOCAB[industryCode]
  if (!v) throw new Error(`没有行业 ${industryCode} 的需求词汇`)
  return v
}

/** The sub-sector vocabulary; out-of-range indexes wrap around. */
export function segmentOf(industryCode: string, segment: number): VocabSegment {
  const { segments } = vocabFor(industryCode)
  return segments[((segment % segments.length) + segments.length) % segments.length] ?? segments[0]
}

const templatesBySegment = new Map<string, readonly (readonly [NeedTemplate, number])[]>()

/** Templates that make sense for an industry's sub-sector, with their weights. */
export function templatesFor(industryCode: string, segment = 0): readonly (readonly [NeedTemplate, number])[] {
  const key = `${industryCode}/${segment}`
  let list = templatesBySegment.get(key)
  if (!list) {
    const vocab = segmentOf(industryCode, segment)
    list = NEED_TEMPLATES.filter(
      (t) => (!t.kind || t.kind === vocab.kind) && (!t.industries || t.industries.includes(industryCode)),
    ).map((t) => [t, t.weight ?? 1] as const)
    templatesBySegment.set(key, list)
  }
  return list
}

const SLOT_PATTERN = /\{(\w+)(?::(\d+)-(\d+))?\}/g

/** Fills `{slot}` and `{n:a-b}`; a slot keeps its first pick for the whole need (or case: seed/providers.ts). */
export class SlotFiller {
  private readonly picked = new Map<string, string>()
  constructor(
    private readonly rng: Rng,
    private readonly vocab: VocabSegment,
    private readonly industryCode: string,
  ) {}

  fill(template: string): string {
    return template.replace(SLOT_PATTERN, (_m, slot: string, lo?: string, hi?: string) => {
      if (lo !== undefined && hi !== undefined) return String(this.rng.int(Number(lo), Number(hi)))
      let v = this.picked.get(slot)
      if (v === undefined) {
        v = this.pick(slot)
        this.picked.set(slot, v)
      }
      return v
    })
  }

  private pick(slot: string): string {
    const v = this.vocab
    switch (slot) {
      case 'workshop':
        return this.rng.pick(v.workshops)
      case 'product':
        return this.rng.pick(v.products)
      case 'process':
        return this.rng.pick(v.processes)
      case 'line':
        return this.rng.pick(v.lines)
      case 'inspect':
        return this.rng.pick(v.inspect)
      case 'defect':
        return this.rng.pick(v.defects)
      case 'system':
        return this.rng.pick(EXISTING_SYSTEMS)
      case 'industryShort':
        return INDUSTRY_SHORT[this.industryCode] ?? '同'
      default:
        throw new Error(`未知模板占位符 {${slot}}`)
    }
  }
}

/** Rounds to a figure a person would write in a budget: 35, 180, 1250, 8600 万元. */
function niceWan(v: number): number {
  const step = v < 100 ? 5 : v < 1000 ? 10 : v < 5000 ? 50 : 100
  return Math.max(step, Math.round(v / step) * step)
}

export function makeBudget(rng: Rng, level: TargetLevel, cap?: number): { min: number; max: number } {
  const [lo, levelHi] = LEVEL_BUDGET_WAN[level]
  const hi = cap === undefined ? levelHi : Math.max(lo, Math.min(levelHi, cap))
  // Log-uniform, skewed towards the lower end like real project lists.
  const raw = Math.exp(Math.log(lo) + Math.pow(rng.next(), 1.4) * (Math.log(hi) - Math.log(lo)))
  const min = Math.min(hi, Math.max(lo, niceWan(raw)))
  if (rng.chance(0.2)) return { min, max: min }
  const max = Math.min(hi, Math.max(min, niceWan(min * (1.2 + rng.next() * 0.8))))
  return { min, max }
}

function scopeFocus(template: NeedTemplate, level: TargetLevel): ScopeFocus {
  if (level === 'smart_factory' || level === 'future_factory') return level
  if (template.focus) return template.focus
  if (template.title.includes('{line}')) return 'line'
  if (template.title.includes('{workshop}')) return 'workshop'
  if (template.title.includes('{product}')) return 'product'
  return 'generic'
}

function pickScenarios(rng: Rng, template: NeedTemplate): string[] {
  const [primary, ...companions] = template.scenarios
  const extra = rng.weighted<number>([
    [0, 4],
    [1, 4],
    [2, 2],
  ])
  return [primary, ...rng.sample(companions, extra)].slice(0, 3)
}

function expectedResults(rng: Rng, filler: SlotFiller, template: NeedTemplate, scenarios: readonly string[]): string {
  const [primary, ...rest] = scenarios
  const first = template.results ?? RESULTS_BY_SCENARIO[primary ?? ''] ?? []
  const pool = rest.flatMap((s) => RESULTS_BY_SCENARIO[s] ?? [])
  const chosen: string[] = []
  if (first.length > 0) chosen.push(rng.pick(first))
  const want = rng.chance(0.3) ? 3 : 2
  for (const phrase of rng.shuffle([...first, ...pool])) {
    if (chosen.length >= want) break
    if (!chosen.includes(phrase)) chosen.push(phrase)
  }
  return `${chosen.map((p) => filler.fill(p)).join('，')}。`
}

/**
 * One realistic upgrade need for an enterprise: title from a scenario template
 * filled with the industry's vocabulary, 2–4 sentence description, 1–3 matching
 * scenarios, level-consistent budget and duration, and a status timeline
 * consistent with `now`. Pure apart from the random stream.
 */
export function makeNeedInput(rng: Rng, ctx: NeedFactoryContext): DemoNeedInput {
  const { enterprise } = ctx
  const nowMs = ctx.now.getTime()
  const segment = enterprise.segment ?? rng.int(0, vocabFor(enterprise.industryCode).segments.length - 1)
  const vocab = segmentOf(enterprise.industryCode, segment)
  const template = rng.weighted(templatesFor(enterprise.industryCode, segment))
  const filler = new SlotFiller(rng, vocab, enterprise.industryCode)

  const level = rng.weighted(template.levels.map((l) => [l, LEVEL_PREFERENCE[l]] as const))
  const scenarios = pickScenarios(rng, template)
  const title = filler.fill(template.title)

  const sentences = [filler.fill(rng.pick(template.now)), filler.fill(rng.pick(template.want))]
  if (rng.chance(0.85)) sentences.push(filler.fill(rng.pick(SCOPE_SENTENCES[scopeFocus(template, level)])))
  if (sentences.length === 3 && rng.chance(0.45)) sentences.push(filler.fill(rng.pick(EXTRA_SENTENCES)))
  const description = sentences.join('')

  const budget = makeBudget(rng, level, template.budgetCap)
  const [dLo, dHi] = LEVEL_DURATION_MONTHS[level]
  const duration = rng.int(dLo, dHi)

  const status = ctx.status ?? rng.weighted(DEMO_STATUS_WEIGHTS)
  const [ageLo, ageHi] = STATUS_AGE_DAYS[status]
  const createdMs = ctx.createdAtMs ?? daysAgo(rng, nowMs, rng.int(ageLo, ageHi))
  const ageDays = Math.max(0, Math.floor((nowMs - createdMs) / DAY_MS))
  let publishedMs: number | null = null
  if (status !== 'draft') {
    publishedMs = Math.min(nowMs, createdMs + rng.int(0, Math.min(5, ageDays)) * DAY_MS + rng.int(0, 7200) * 1000)
  }
  const base = publishedMs ?? createdMs
  const updatedMs =
    status === 'published' || status === 'draft'
      ? Math.min(nowMs, base + Math.floor(rng.next() * Math.min(3 * DAY_MS, nowMs - base)))
      : base + Math.floor((0.3 + rng.next() * 0.7) * (nowMs - base))

  const startMs = expectedStartMs(rng, status, nowMs, base)

  return {
    org_id: enterprise.id,
    title,
    description,
    industry_code: enterprise.industryCode,
    region_code: enterprise.regionCode,
    target_level: level,
    budget_min_wan: budget.min,
    budget_max_wan: budget.max,
    expected_start: dateOnly(startMs),
    duration_months: duration,
    accepts_matching: rng.chance(0.92) ? 1 : 0,
    expected_results: expectedResults(rng, filler, template, scenarios),
    visibility: rng.chance(0.85) ? 'public' : 'verified_providers',
    status,
    published_at: publishedMs === null ? null : isoAt(publishedMs),
    created_at: isoAt(createdMs),
    updated_at: isoAt(Math.max(updatedMs, base)),
    scenarios,
    deadline: null,
    source_report_id: null,
    source_weakness_id: null,
  }
}

/** Expected start: ahead of `now` for open needs, behind it for finished ones. */
function expectedStartMs(rng: Rng, status: NeedStatus, nowMs: number, publishedMs: number): number {
  switch (status) {
    case 'draft':
      return nowMs + rng.int(30, 300) * DAY_MS
    case 'published':
      return nowMs + rng.int(10, 240) * DAY_MS
    case 'shortlisting':
      return nowMs + rng.int(0, 150) * DAY_MS
    case 'awarded':
      return nowMs + rng.int(-30, 90) * DAY_MS
    case 'contracted':
    case 'closed':
    case 'expired':
      return publishedMs + rng.int(30, 120) * DAY_MS
    case 'withdrawn':
      return publishedMs + rng.int(30, 180) * DAY_MS
  }
}

// ---------------------------------------------------------------- the plan

/**
 * Several verified providers offer diagnosis: when fewer than a tenth (at least 3) of
 * the verified providers list 'consultancy', verified integrators and IT engineering
 * firms with a single kind take it as their second, in order. Mutates the plan's
 * providers before anything reads them; draws nothing from any random stream.
 */
export function ensureConsultancies(providers: DemoOrganisation[]): void {
  const verified = providers.filter((p) => p.status === 'verified')
  const want = Math.max(3, Math.ceil(verified.length / 10))
  let have = verified.filter((p) => p.providerKinds.includes('consultancy')).length
  for (const p of verified) {
    if (have >= want) break
    const main = p.providerKinds[0]
    if (p.providerKinds.length === 1 && (main === 'integrator' || main === 'it_engineering')) {
      p.providerKinds = [...p.providerKinds, 'consultancy']
      have += 1
    }
  }
}

/**
 * Agencies appoint verified 监理机构 (provider kind 'supervisor') to supervise contracts:
 * when fewer than a thirtieth (at least 2, one of them in 江苏) of the verified providers
 * list 'supervisor', verified equipment or IT engineering firms with a single kind become
 * supervisors, from the last one back (the demo accounts take the first ones). Mutates the
 * plan's providers before anything reads them; draws nothing from any random stream.
 */
export function ensureSupervisors(providers: DemoOrganisation[]): void {
  const verified = providers.filter((p) => p.status === 'verified')
  const want = Math.max(2, Math.ceil(verified.length / 30))
  const isSupervisor = (p: DemoOrganisation) => p.providerKinds.includes('supervisor')
  const convertible = (p: DemoOrganisation) =>
    p.providerKinds.length === 1 && (p.providerKinds[0] === 'equipment' || p.providerKinds[0] === 'it_engineering')
  if (!verified.some((p) => isSupervisor(p) && p.regionCode.startsWith('32'))) {
    const p = [...verified].reverse().find((x) => convertible(x) && x.regionCode.startsWith('32'))
    if (p) p.providerKinds = ['supervisor']
  }
  let have = verified.filter(isSupervisor).length
  for (const p of [...verified].reverse()) {
    if (have >= want) break
    if (convertible(p)) {
      p.providerKinds = ['supervisor']
      have += 1
    }
  }
}

/**
 * The whole demo data set for `needs` needs: organisations (scaled to the needs),
 * the demo accounts that own some of them, and a lazy stream of needs. Same context,
 * seed and `now` → the same plan.
 */
export function planDemo(ctx: DemoContext, opts: PlanDemoOptions): DemoPlan {
  if (!Number.isInteger(opts.needs) || opts.needs < 0) throw new RangeError(`needs must be a non-negative integer`)
  const now = opts.now ?? DEMO_DEFAULT_NOW
  const nowMs = now.getTime()
  const root = new Rng(opts.seed ?? DEMO_DEFAULT_SEED)
  // Independent sub-streams, so adding (say) a provider field does not reshuffle needs.
  const orgRng = root.fork()
  const planRng = root.fork()
  const needRng = root.fork()
  const providerRng = root.fork()
  const diagnosisRng = root.fork()
  const contractRng = root.fork()

  if (opts.providers !== undefined && (!Number.isInteger(opts.providers) || opts.providers < 0)) {
    throw new RangeError('providers must be a non-negative integer')
  }
  const counts = { ...demoCounts(opts.needs), ...(opts.providers === undefined ? {} : { providers: opts.providers }) }
  const taken = newDemoTaken()
  const agencies = makeAgencies(orgRng, ctx, taken, now)
  const providers = Array.from({ length: counts.providers }, () => makeProvider(orgRng, ctx, taken, now))
  // Several verified providers offer diagnosis (诊断咨询机构): the diagnoses need them.
  ensureConsultancies(providers)
  // A few 监理机构: an agency appoints one to supervise a contract (seed/contracts.ts).
  ensureSupervisors(providers)
  const enterprises = Array.from({ length: counts.enterprises }, () => makeEnterprise(orgRng, ctx, taken, now))
  const organisations = [...agencies, ...providers, ...enterprises]

  // Status and creation time first, then the needs in creation order.
  const total = opts.needs
  const statuses: NeedStatus[] = new Array<NeedStatus>(total)
  const created = new Float64Array(total)
  for (let i = 0; i < total; i++) {
    const status = planRng.weighted(DEMO_STATUS_WEIGHTS)
    const [lo, hi] = STATUS_AGE_DAYS[status]
    statuses[i] = status
    created[i] = daysAgo(planRng, nowMs, planRng.int(lo, hi)) + planRng.int(0, 59_999)
  }
  const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => (created[a] ?? 0) - (created[b] ?? 0) || a - b)
  // Only audited (verified) enterprises publish needs.
  const enterpriseStart = agencies.length + providers.length
  const publishing = enterprises.map((e, i) => ({ e, index: enterpriseStart + i })).filter(({ e }) => e.status === 'verified')

  function* needs(orgIds: readonly number[]): Generator<DemoNeedInput> {
    const owners: NeedOwner[] = publishing.map(({ e, index }) => ({
      id: orgIds[index] ?? 0,
      industryCode: e.industryCode ?? '',
      regionCode: e.regionCode,
      segment: e.industrySegment ?? 0,
    }))
    for (let k = 0; k < total; k++) {
      const i = order[k] ?? 0
      // Skewed: some enterprises publish many needs, most only a few.
      const owner = owners[Math.floor(Math.pow(needRng.next(), 1.3) * owners.length)] ?? owners[0]
      if (!owner) throw new Error('no enterprises')
      yield makeNeedInput(needRng, { enterprise: owner, now, status: statuses[i], createdAtMs: created[i] })
    }
  }

  return {
    organisations,
    accounts: pickDemoAccounts(organisations),
    needCount: total,
    needs,
    now,
    providerRng,
    diagnosisRng,
    contractRng,
  }
}
