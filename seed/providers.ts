/**
 * Deterministic demo data of the supply side, what it is: each demo provider's
 * capability profile (industries, scenarios and regions served, qualifications with
 * validity, a few expired), its cases with measured results, the agencies' official
 * contract templates and the providers' templates derived from them. Pure, like
 * seed/demo.ts: from the plan's organisations, a random stream and `now` it gives the
 * same data every time. seed/providers-writer.ts writes it.
 */
import { INDUSTRY_SHORT, INDUSTRY_VOCAB } from './demo-text.js'
import { SlotFiller, segmentOf, type DemoContext, type DemoOrganisation, type DemoRegion } from './demo.js'
import {
  CASE_CLOSINGS,
  CASE_INVESTMENT_WAN,
  CASE_TEXT,
  EXTRA_STANDARDS,
  KIND_INDUSTRY_COUNT,
  KIND_SCENARIOS,
  KIND_TEAM_SIZE,
  METRICS,
  MILESTONE_VARIANTS,
  OFFICIAL_TEMPLATES,
  PROVINCE_ISSUERS,
  QUALIFICATIONS,
  TEMPLATE_SUBJECT,
  WEBSITE_WORDS,
  type MetricSpec,
  type OfficialTemplateSpec,
  type TemplateMilestone,
} from './providers-text.js'
import type { Rng } from './random.js'

const DAY_MS = 86_400_000
const YEAR_MS = 365.25 * DAY_MS

export interface DemoQualification {
  name: string
  issuer: string
  certificateNo: string
  validFrom: string | null
  validUntil: string | null
}

export interface DemoProfile {
  teamSize: number
  foundedYear: number
  nationwide: boolean
  website: string
  industries: string[]
  scenarios: string[]
  regions: string[]
  qualifications: DemoQualification[]
  updatedAt: string
}

export interface DemoMetric {
  name: string
  before: number | null
  after: number
  unit: string
}

export interface DemoCase {
  title: string
  clientName: string
  clientAnonymised: boolean
  industryCode: string
  regionCode: string | null
  investmentWan: number | null
  year: number
  summary: string
  scenarios: string[]
  metrics: DemoMetric[]
  createdAt: string
}

/** A contract template with the fields of its (only) version. */
export interface DemoTemplate {
  /** Index of the owning organisation in the plan. */
  orgIndex: number
  official: boolean
  title: string
  industryCode: string | null
  scenarios: string[]
  /** Index into the plan's official templates. */
  derivedFrom: number | null
  constructionDays: number
  technicalStandards: string[]
  acceptanceStandards: string
  qualityTerms: string
  warrantyMonths: number
  priceModel: OfficialTemplateSpec['priceModel']
  priceMinWan: number | null
  priceMaxWan: number | null
  milestones: TemplateMilestone[]
  disputeClause: string
  createdAt: string
}

/** Everything one provider has beyond its organisation row. */
export interface ProviderBundle {
  orgIndex: number
  profile: DemoProfile | null
  cases: DemoCase[]
  templates: DemoTemplate[]
}

export interface ProviderDataPlan {
  /** The agencies' official templates, written first (providers' templates name them). */
  officialTemplates: DemoTemplate[]
  /** How many providers `bundles()` yields (every provider of the plan). */
  providerCount: number
  /** Provider by provider, in the plan's order. Read it once: it draws from the plan's random stream. */
  bundles(): Generator<ProviderBundle>
}

// ---------------------------------------------------------------- helpers

function isoAt(ms: number): string {
  return new Date(ms).toISOString()
}

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** A moment between two others (ms), during Beijing office hours. */
function between(rng: Rng, fromMs: number, toMs: number): number {
  const span = Math.max(0, toMs - fromMs)
  const day = Math.floor((fromMs + rng.next() * span) / DAY_MS) * DAY_MS
  return Math.min(toMs, Math.max(fromMs, day + rng.int(3600, 36_000) * 1000))
}

function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo)))
}

/** A figure a person would write: 35, 180, 1250 万元. */
function nice(v: number): number {
  const step = v < 100 ? 5 : v < 1000 ? 10 : v < 5000 ? 50 : 100
  return Math.max(step, Math.round(v / step) * step)
}

function round(v: number, decimals: number): number {
  const f = 10 ** decimals
  return Math.round(v * f) / f
}

function uniform(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return lo + rng.next() * (hi - lo)
}

/** Distinct picks by weight. */
function weightedSample<T>(rng: Rng, entries: readonly (readonly [T, number])[], n: number): T[] {
  const pool = entries.filter(([, w]) => w > 0).map(([v, w]) => [v, w] as [T, number])
  const out: T[] = []
  while (out.length < n && pool.length > 0) {
    const value = rng.weighted(pool)
    out.push(value)
    pool.splice(
      pool.findIndex(([v]) => v === value),
      1,
    )
  }
  return out
}

function provinceOf(code: string): string {
  return code.slice(0, 2)
}

/** The city a region belongs to (itself for a city), or null for a province. */
function cityOf(region: DemoRegion, regions: ReadonlyMap<string, DemoRegion>): DemoRegion | null {
  if (region.level === 'city') return region
  if (region.level === 'province') return null
  const parent = region.parentCode ? regions.get(region.parentCode) : undefined
  return parent && parent.level === 'city' ? parent : null
}

function isServed(regionCode: string, served: readonly string[], nationwide: boolean): boolean {
  if (nationwide) return true
  return served.some((s) => (s.endsWith('0000') ? regionCode.startsWith(s.slice(0, 2)) : regionCode.startsWith(s.slice(0, 4))))
}

// ---------------------------------------------------------------- the plan

/**
 * The providers' data for a demo plan's organisations. Providers that are verified get
 * a full profile and most of them cases (and some a template derived from an official
 * one); pending ones a profile and at most one case; rejected ones nothing.
 */
export function planProviderData(
  rng: Rng,
  ctx: DemoContext,
  organisations: readonly DemoOrganisation[],
  now: Date,
): ProviderDataPlan {
  const nowMs = now.getTime()
  const nowYear = now.getUTCFullYear()

  // Clients: the plan's enterprises by industry, and how often each industry occurs per province.
  const enterprisesByIndustry = new Map<string, DemoOrganisation[]>()
  const industryCounts = new Map<string, Map<string, number>>()
  for (const o of organisations) {
    if (o.kind !== 'enterprise' || !o.industryCode) continue
    const list = enterprisesByIndustry.get(o.industryCode) ?? []
    list.push(o)
    enterprisesByIndustry.set(o.industryCode, list)
    const province = provinceOf(o.regionCode)
    const counts = industryCounts.get(province) ?? new Map<string, number>()
    counts.set(o.industryCode, (counts.get(o.industryCode) ?? 0) + 1)
    industryCounts.set(province, counts)
  }
  const allIndustries = [...ctx.industries].filter((c) => INDUSTRY_VOCAB[c] !== undefined).sort()
  const weightsByProvince = new Map<string, [string, number][]>()
  const industryWeights = (province: string): [string, number][] => {
    let weights = weightsByProvince.get(province)
    if (!weights) {
      const counts = industryCounts.get(province)
      // Every division keeps a little weight: providers serve more than their province's mix.
      weights = allIndustries.map((code) => [code, 1 + (counts?.get(code) ?? 0) * 4])
      weightsByProvince.set(province, weights)
    }
    return weights
  }

  // Official templates of the agencies the plan has.
  const agencyIndex = new Map<string, number>()
  organisations.forEach((o, i) => {
    if (o.kind === 'agency') agencyIndex.set(o.regionCode, i)
  })
  const officialSpecs: { spec: OfficialTemplateSpec; orgIndex: number }[] = OFFICIAL_TEMPLATES.flatMap((spec) => {
    const orgIndex = agencyIndex.get(spec.agencyRegion)
    return orgIndex === undefined ? [] : [{ spec, orgIndex }]
  })
  const officialTemplates: DemoTemplate[] = officialSpecs.map(({ spec, orgIndex }) => {
    const agency = organisations[orgIndex]!
    return {
      orgIndex,
      official: true,
      title: spec.title,
      industryCode: spec.industryCode,
      scenarios: spec.scenarios.filter((s) => ctx.scenarios.has(s)),
      derivedFrom: null,
      constructionDays: spec.constructionDays,
      technicalStandards: [...spec.technicalStandards],
      acceptanceStandards: spec.acceptanceStandards,
      qualityTerms: spec.qualityTerms,
      warrantyMonths: spec.warrantyMonths,
      priceModel: spec.priceModel,
      priceMinWan: spec.priceMinWan,
      priceMaxWan: spec.priceMaxWan,
      milestones: spec.milestones.map((m) => ({ ...m })),
      disputeClause: spec.disputeClause,
      createdAt: isoAt(between(rng, Date.parse(agency.createdAt) + 30 * DAY_MS, nowMs - 200 * DAY_MS)),
    }
  })

  const providerIndexes = organisations.flatMap((o, i) => (o.kind === 'provider' ? [i] : []))

  function servedRegions(org: DemoOrganisation): { nationwide: boolean; regions: string[] } {
    const province = provinceOf(org.regionCode)
    const national = !['32', '33', '62'].includes(province)
    if (rng.chance(national ? 0.7 : 0.12)) return { nationwide: true, regions: [] }
    const region = ctx.regions.get(org.regionCode)
    const city = region ? cityOf(region, ctx.regions) : null
    const regions = new Set<string>()
    if (!city || rng.chance(0.6)) regions.add(`${province}0000`)
    else regions.add(city.code)
    // The seed provinces' focus places draw providers from elsewhere too.
    const extras: [string, number][] = [
      ['321000', 5],
      ['320000', 2],
      ['620000', 3],
      ['620100', 2],
      ['330000', 3],
      ['330100', 1],
      ['330600', 1],
    ]
    for (const code of weightedSample(
      rng,
      extras,
      rng.weighted<number>([
        [0, 5],
        [1, 3],
        [2, 2],
      ]),
    )) {
      if (!ctx.regions.has(code)) continue
      if (isServed(code, [...regions], false)) continue
      regions.add(code)
    }
    return { nationwide: false, regions: [...regions].filter((c) => ctx.regions.has(c)).sort() }
  }

  function qualifications(org: DemoOrganisation): DemoQualification[] {
    const province = provinceOf(org.regionCode)
    const issuers = PROVINCE_ISSUERS[province]
    const kinds = org.providerKinds
    const candidates = QUALIFICATIONS.filter((q) => !q.kinds || q.kinds.some((k) => kinds.includes(k)))
    const n = rng.weighted<number>([
      [0, 1],
      [1, 3],
      [2, 4],
      [3, 3],
      [4, 1.5],
    ])
    const region = ctx.regions.get(org.regionCode)
    const city = region ? cityOf(region, ctx.regions) : null
    return weightedSample(
      rng,
      candidates.map((q) => [q, q.weight] as const),
      n,
    ).flatMap((q) => {
      let issuer = q.issuer
      if (issuer === '{province}') issuer = issuers?.agency ?? '工业和信息化部'
      else if (issuer === '{science}') issuer = issuers?.science ?? '科学技术部'
      else if (issuer === '{housing}') issuer = issuers?.housing ?? '住房和城乡建设部'
      else if (issuer === '{city}') {
        if (!city || !issuers) return []
        issuer = `${city.name}${issuers.citySuffix}`
      }
      // Most are current; some ran out a while ago (shown as expired).
      const years = q.years
      const ageYears =
        years === 0
          ? uniform(rng, [0.5, 6])
          : rng.chance(0.85)
            ? uniform(rng, [0.1, years - 0.2])
            : uniform(rng, [years + 0.05, years + 2])
      const fromMs = nowMs - ageYears * YEAR_MS
      const validFrom = dateOnly(fromMs)
      const validUntil = years === 0 ? null : dateOnly(fromMs + years * YEAR_MS - DAY_MS)
      const certificateNo = q.number
        .replace('{P}', issuers?.letters ?? 'CN')
        .replace('{Y}', validFrom.slice(0, 4))
        .replace('{n}', String(rng.int(1, 9999)).padStart(4, '0'))
      return [{ name: q.name, issuer, certificateNo, validFrom, validUntil }]
    })
  }

  /** Results of the primary scenario's work, and of the second's when the summary tells of it. */
  function metricsFor(primary: string, second: string | null): DemoMetric[] {
    const own = METRICS[primary] ?? []
    const specs: MetricSpec[] = rng.sample(own, rng.int(1, Math.min(2, own.length)))
    const more = second ? (METRICS[second] ?? []) : []
    if (more.length > 0 && rng.chance(0.6)) specs.push(rng.pick(more))
    return specs.map((spec) => {
      if (spec.how === 'change' || !spec.before) {
        return { name: spec.name, before: null, after: round(uniform(rng, spec.by), spec.decimals), unit: spec.unit }
      }
      const before = round(uniform(rng, spec.before), spec.decimals)
      const raw = spec.how === 'reduce' ? before * uniform(rng, spec.by) : before + uniform(rng, spec.by)
      let after = Math.min(spec.cap ?? Infinity, round(raw, spec.decimals))
      if (after === before) after = round(spec.how === 'reduce' ? before * 0.9 : before * 1.05, spec.decimals)
      return { name: spec.name, before, after, unit: spec.unit }
    })
  }

  function makeCase(org: DemoOrganisation, profile: DemoProfile): DemoCase {
    const industryCode = rng.pick(profile.industries)
    const clients = (enterprisesByIndustry.get(industryCode) ?? []).filter((e) =>
      isServed(e.regionCode, profile.regions, profile.nationwide),
    )
    const named = clients.length > 0 && rng.chance(0.55)
    const client = named ? rng.pick(clients) : null
    const segment = client?.industrySegment ?? rng.int(0, (INDUSTRY_VOCAB[industryCode]?.segments.length ?? 1) - 1)
    const filler = new SlotFiller(rng, segmentOf(industryCode, segment), industryCode)
    const count = rng.weighted<number>([
      [1, 5],
      [2, 4],
      [3, 1],
    ])
    const scenarios = rng.sample(profile.scenarios, Math.min(count, profile.scenarios.length))
    const primary = scenarios[0]!
    const text = CASE_TEXT[primary]
    const title = filler.fill(rng.pick(text?.titles ?? ['智能化改造项目']))
    const sentences = [filler.fill(rng.pick(text?.did ?? ['完成智能化改造。']))]
    const secondText = scenarios[1] ? CASE_TEXT[scenarios[1]] : undefined
    const told = secondText !== undefined && rng.chance(0.6)
    if (told) sentences.push(filler.fill(rng.pick(secondText.did)))
    sentences.push(filler.fill(rng.pick(CASE_CLOSINGS)))
    const short = INDUSTRY_SHORT[industryCode] ?? '制造'
    const place = rng.chance(0.3) ? (provinceName(client?.regionCode ?? org.regionCode) ?? '') : ''
    const founded = Math.max(profile.foundedYear, nowYear - 8)
    const year = Math.min(nowYear, founded + Math.floor(Math.pow(rng.next(), 0.6) * (nowYear - founded + 1)))
    const [lo, hi] = CASE_INVESTMENT_WAN[primary] ?? [50, 500]
    const createdFrom = Date.parse(org.reviewedAt ?? org.createdAt)
    let regionCode: string | null = client?.regionCode ?? null
    if (!regionCode && !profile.nationwide && rng.chance(0.7)) regionCode = rng.pick(profile.regions)
    return {
      title,
      clientName: client ? client.name : `${place}某${short}企业`,
      clientAnonymised: !client,
      industryCode,
      regionCode,
      investmentWan: rng.chance(0.85) ? nice(logUniform(rng, lo, hi)) : null,
      year,
      summary: sentences.join(''),
      scenarios,
      metrics: metricsFor(primary, told ? (scenarios[1] ?? null) : null),
      createdAt: isoAt(between(rng, createdFrom, nowMs - DAY_MS)),
    }
  }

  function provinceName(code: string): string | null {
    const province = ctx.regions.get(`${provinceOf(code)}0000`)
    return province ? province.name.replace(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)$/, '') : null
  }

  function derive(org: DemoOrganisation, orgIndex: number, profile: DemoProfile): DemoTemplate | null {
    const kinds = org.providerKinds
    const fits = officialTemplates
      .map((t, i) => ({ t, i, spec: officialSpecs[i]!.spec }))
      .filter(({ spec }) => spec.forKinds.some((k) => kinds.includes(k)))
    if (fits.length === 0) return null
    const near = fits.filter(({ spec }) => provinceOf(spec.agencyRegion) === provinceOf(org.regionCode))
    const { t: base, i: baseIndex, spec } = rng.pick(near.length > 0 && rng.chance(0.8) ? near : fits)
    const shared = profile.scenarios.filter((s) => base.scenarios.includes(s))
    const scenarios = (
      shared.length > 0 ? rng.sample(shared, rng.int(1, Math.min(3, shared.length))) : rng.sample(profile.scenarios, 1)
    ).sort()
    const subject = TEMPLATE_SUBJECT[scenarios[0]!] ?? '智能化改造'
    const variants = MILESTONE_VARIANTS[base.milestones.length]
    const split = variants && rng.chance(0.6) ? rng.pick(variants) : base.milestones.map((m) => m.percent)
    const milestones = base.milestones.map((m, k) => ({ ...m, percent: split[k] ?? m.percent }))
    const standards = [...base.technicalStandards]
    const extra = EXTRA_STANDARDS[scenarios[0]!]
    if (extra && !standards.includes(extra)) standards.push(extra)
    let priceMinWan = base.priceMinWan
    let priceMaxWan = base.priceMaxWan
    if (base.priceModel === 'range' && base.priceMinWan !== null && base.priceMaxWan !== null) {
      priceMinWan = nice(logUniform(rng, base.priceMinWan, Math.max(base.priceMinWan + 1, base.priceMaxWan / 3)))
      priceMaxWan = Math.max(priceMinWan, nice(priceMinWan * uniform(rng, [2, 5])))
    }
    const since = Math.max(Date.parse(base.createdAt), Date.parse(org.reviewedAt ?? org.createdAt))
    return {
      orgIndex,
      official: false,
      title: `${subject}项目合同（依据${spec.place}示范文本）`,
      industryCode: base.industryCode ?? (rng.chance(0.7) ? rng.pick(profile.industries) : null),
      scenarios,
      derivedFrom: baseIndex,
      constructionDays: Math.max(30, Math.round((base.constructionDays * uniform(rng, [0.6, 1.2])) / 10) * 10),
      technicalStandards: standards,
      acceptanceStandards: base.acceptanceStandards,
      qualityTerms: base.qualityTerms,
      warrantyMonths: base.warrantyMonths > 0 && rng.chance(0.4) ? base.warrantyMonths + 12 : base.warrantyMonths,
      priceModel: base.priceModel,
      priceMinWan,
      priceMaxWan,
      milestones,
      disputeClause: base.disputeClause,
      createdAt: isoAt(between(rng, since, nowMs - DAY_MS)),
    }
  }

  function* bundles(): Generator<ProviderBundle> {
    for (const orgIndex of providerIndexes) {
      const org = organisations[orgIndex]!
      if (org.status === 'rejected') {
        yield { orgIndex, profile: null, cases: [], templates: [] }
        continue
      }
      const main = org.providerKinds[0] ?? 'integrator'
      const [iLo, iHi] = KIND_INDUSTRY_COUNT[main]
      const industries = weightedSample(rng, industryWeights(provinceOf(org.regionCode)), rng.int(iLo, iHi)).sort()
      const scenarioWeights = new Map<string, number>()
      for (const kind of org.providerKinds) {
        for (const [code, w] of KIND_SCENARIOS[kind])
          if (ctx.scenarios.has(code)) scenarioWeights.set(code, (scenarioWeights.get(code) ?? 0) + w)
      }
      const scenarios = weightedSample(rng, [...scenarioWeights.entries()], rng.int(3, 7)).sort()
      const served = servedRegions(org)
      const [tLo, tHi] = KIND_TEAM_SIZE[main]
      const createdYear = new Date(org.createdAt).getUTCFullYear()
      const profile: DemoProfile = {
        teamSize: Math.round(logUniform(rng, tLo, tHi)),
        foundedYear: Math.max(1992, createdYear - rng.int(1, 24)),
        nationwide: served.nationwide,
        website: rng.chance(0.7) ? `https://www.${rng.pick(WEBSITE_WORDS)}${rng.int(1, 999)}.com.cn` : '',
        industries,
        scenarios,
        regions: served.regions,
        qualifications: qualifications(org),
        updatedAt: isoAt(between(rng, Date.parse(org.reviewedAt ?? org.createdAt), nowMs - DAY_MS)),
      }
      const caseCount =
        org.status === 'verified'
          ? rng.weighted<number>([
              [0, 10],
              [1, 15],
              [2, 25],
              [3, 25],
              [4, 14],
              [5, 8],
              [6, 3],
            ])
          : rng.chance(0.3)
            ? 1
            : 0
      const cases = Array.from({ length: caseCount }, () => makeCase(org, profile)).sort((a, b) =>
        a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
      )
      const templates: DemoTemplate[] = []
      if (org.status === 'verified' && rng.chance(0.3)) {
        const t = derive(org, orgIndex, profile)
        if (t) templates.push(t)
      }
      yield { orgIndex, profile, cases, templates }
    }
  }

  return { officialTemplates, providerCount: providerIndexes.length, bundles }
}
