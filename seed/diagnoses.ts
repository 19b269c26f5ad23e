/**
 * The demand side of the demo data (issue 12): what it is, not how it is written
 * (seed/diagnoses-writer.ts). Pure: from the plan's organisations, its accounts, a
 * random stream and `now`, the same result every time.
 *
 * - 一企一档: a profile for every verified enterprise (and half the pending ones) with
 *   size, revenue and staff bands (some 规上), the four gradient indicators, MES
 *   coverage and maturity that go together; a few hold 智能工厂梯度 titles with dates.
 * - 诊断项目 between verified enterprises (about one in ten) and verified providers of
 *   kind consultancy: mostly completed (a confirmed report, sometimes amended as a second
 *   version; service records meeting or missing the minimums of
 *   app/domain/diagnosis/minimums.ts; a survey), some active (draft, submitted or
 *   returned reports, records so far), a few proposed, declined or cancelled.
 * - 企业 A has a completed diagnosis by the demo diagnoser (13900000013) with a
 *   confirmed report and a survey; 企业 B an active one with the same diagnoser.
 */
import type {
  DiagnosisKind,
  DiagnosisOrigin,
  DiagnosisStatus,
  GradientTitle,
  ReportStatus,
  RevenueBand,
  ServiceRecordKind,
  Severity,
  SizeBand,
  StaffBand,
  SurveyGrade,
  SurveyOverall,
  TitleStatus,
} from '../db/enums.js'
import { SITE_VISITS_REQUIRED, BRIEFINGS_REQUIRED, TRAININGS_REQUIRED } from '../app/domain/diagnosis/minimums.js'
import type { DemoAccountPlan } from './accounts.js'
import type { DemoOrganisation } from './demo.js'
import { segmentOf } from './demo.js'
import {
  AGENCY_OPINIONS,
  BASICS,
  BENCHMARK_NOTES,
  BENCHMARK_PEERS,
  GIVEN_NAMES,
  KIND_LABELS,
  MAIN_PRODUCTS,
  PROPOSAL_NOTES,
  RECOMMENDATION_NOTES,
  RECORD_CONTENT,
  RETURN_REASONS,
  SOLUTIONS,
  SURNAMES,
  SURVEY_COMMENTS,
  TITLE_ISSUERS,
  TITLE_SCENES,
  WEAKNESSES,
} from './diagnoses-text.js'
import type { Rng } from './random.js'

const DAY_MS = 86_400_000

/** The demo account of the verified 诊断咨询机构 (seed/accounts.ts). */
export const DIAGNOSER_PHONE = '13900000013'
const ENTERPRISE_A_PHONE = '13900000001'
const ENTERPRISE_B_PHONE = '13900000002'

export interface DemoEnterpriseProfile {
  orgIndex: number
  sizeBand: SizeBand
  aboveScale: boolean
  revenueBand: RevenueBand
  staffBand: StaffBand
  mainProducts: string
  rdToolsPct: number
  equipmentNcPct: number
  keyProcessNcPct: number
  mgmtDigitalPct: number
  mesCoveragePct: number
  maturityLevel: number
  indicatorsYear: number
  updatedAt: string
}

export interface DemoTitle {
  orgIndex: number
  title: GradientTitle
  scene: string
  issuer: string
  awardedOn: string
  expiresOn: string | null
  status: TitleStatus
  createdAt: string
}

export interface DemoWeakness {
  seq: number
  scenario: string
  severity: Severity
  title: string
  description: string
  indicator: string
  current: string
  target: string
  /** Title of a need made from it. */
  needTitle: string
}

export interface DemoRecommendation {
  providerIndex: number
  seq: number
  note: string
}

export interface DemoVersion {
  version: number
  status: ReportStatus
  basics: string
  solution: string
  benchmarkPeer: string
  benchmarkNotes: string
  maturityLevel: number | null
  returnReason: string
  submittedAt: string | null
  /** Confirmed by the enterprise's owner (the writer names them). */
  confirmedAt: string | null
  createdAt: string
  updatedAt: string
  weaknesses: DemoWeakness[]
  recommendations: DemoRecommendation[]
}

export interface DemoServiceRecord {
  kind: ServiceRecordKind
  occurredOn: string
  minutes: number
  teamSize: number
  leader: string
  teamMembers: string
  content: string
  createdAt: string
}

export interface DemoSurvey {
  process: SurveyGrade
  analysis: SurveyGrade
  proposal: SurveyGrade
  competence: SurveyGrade
  result: SurveyGrade
  overall: SurveyOverall
  comment: string
  filledAt: string
  agency: { orgIndex: number; opinion: string; at: string } | null
}

export interface DemoDiagnosis {
  enterpriseIndex: number
  providerIndex: number
  kind: DiagnosisKind
  status: DiagnosisStatus
  origin: DiagnosisOrigin
  assignedByIndex: number | null
  note: string
  createdAt: string
  updatedAt: string
  respondedAt: string | null
  completedAt: string | null
  versions: DemoVersion[]
  records: DemoServiceRecord[]
  /** On the confirmed (last confirmed) version. */
  survey: DemoSurvey | null
}

export interface DiagnosisDataPlan {
  profiles: DemoEnterpriseProfile[]
  titles: DemoTitle[]
  diagnoses: DemoDiagnosis[]
  /** A person's name per enterprise that takes part in a diagnosis (its owner, when it has no account). */
  ownerNames: Map<number, string>
}

function isoAt(ms: number): string {
  return new Date(ms).toISOString()
}

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** A moment during Beijing office hours `days` before `nowMs`. */
function dayAt(rng: Rng, nowMs: number, days: number): number {
  const midnight = Math.floor(nowMs / DAY_MS) * DAY_MS - days * DAY_MS
  return midnight + rng.int(3600, 32_400) * 1000
}

function clampPast(ms: number, nowMs: number): number {
  return Math.min(ms, nowMs - 3600_000)
}

function personName(rng: Rng): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN_NAMES)
}

// ---------------------------------------------------------------- profiles

const REVENUE_BY_SIZE: Readonly<Record<SizeBand, readonly (readonly [RevenueBand, number])[]>> = {
  large: [
    ['40k_200k', 5],
    ['ge_200k', 3],
  ],
  medium: [
    ['2k_10k', 3],
    ['10k_40k', 5],
    ['40k_200k', 1],
  ],
  small: [
    ['lt_2k', 3],
    ['2k_10k', 5],
  ],
  micro: [['lt_2k', 1]],
}
const STAFF_BY_SIZE: Readonly<Record<SizeBand, StaffBand>> = {
  large: 'ge_1000',
  medium: '300_999',
  small: '20_299',
  micro: 'lt_20',
}
const STAFF_NUMBERS: Readonly<Record<StaffBand, readonly [number, number]>> = {
  lt_20: [8, 19],
  '20_299': [60, 290],
  '300_999': [320, 950],
  ge_1000: [1100, 4200],
}

function pct(rng: Rng, lo: number, hi: number): number {
  return Math.max(0, Math.min(100, rng.int(lo, hi)))
}

function makeProfile(rng: Rng, org: DemoOrganisation, orgIndex: number, nowMs: number): DemoEnterpriseProfile {
  const sizeBand = rng.weighted<SizeBand>([
    ['large', 1],
    ['medium', 4],
    ['small', 9],
    ['micro', 2],
  ])
  const revenueBand = rng.weighted(REVENUE_BY_SIZE[sizeBand])
  const maturityLevel = rng.weighted<number>(
    sizeBand === 'large'
      ? [
          [2, 3],
          [3, 4],
          [4, 1],
        ]
      : sizeBand === 'medium'
        ? [
            [1, 2],
            [2, 5],
            [3, 2],
          ]
        : [
            [1, 6],
            [2, 3],
            [3, 0.5],
          ],
  )
  const base = (maturityLevel - 1) * 15
  const vocab = segmentOf(org.industryCode ?? 'C34', org.industrySegment ?? 0)
  const product = rng.pick(vocab.products)
  let product2 = rng.pick(vocab.products)
  if (product2 === product) product2 = vocab.products[(vocab.products.indexOf(product) + 1) % vocab.products.length] ?? product
  const mainProducts = rng.pick(MAIN_PRODUCTS).replace('{product2}', product2).replace('{product}', product)
  const updatedMs = dayAt(rng, nowMs, rng.int(5, 300))
  return {
    orgIndex,
    sizeBand,
    // 规上: 主营业务收入 2000 万元及以上.
    aboveScale: revenueBand !== 'lt_2k',
    revenueBand,
    staffBand: STAFF_BY_SIZE[sizeBand],
    mainProducts,
    rdToolsPct: pct(rng, 35 + base, 60 + base),
    equipmentNcPct: pct(rng, 25 + base, 50 + base),
    keyProcessNcPct: pct(rng, 20 + base, 45 + base),
    mgmtDigitalPct: pct(rng, 30 + base, 55 + base),
    mesCoveragePct: pct(rng, Math.max(0, base - 10), 15 + Math.round(base * 1.5)),
    maturityLevel,
    indicatorsYear: new Date(nowMs).getUTCFullYear() - (rng.chance(0.7) ? 1 : 0),
    updatedAt: isoAt(clampPast(updatedMs, nowMs)),
  }
}

function makeTitles(rng: Rng, org: DemoOrganisation, profile: DemoEnterpriseProfile, nowMs: number): DemoTitle[] {
  if (!profile.aboveScale || profile.maturityLevel < 2 || !rng.chance(0.18)) return []
  const issuer = TITLE_ISSUERS[org.regionCode.slice(0, 2)] ?? '省工业和信息化主管部门'
  const out: DemoTitle[] = []
  const ladder: GradientTitle[] =
    profile.maturityLevel >= 4
      ? ['basic', 'advanced', 'excellence']
      : profile.maturityLevel === 3
        ? ['basic', 'advanced']
        : ['basic']
  if (rng.chance(0.4)) ladder.unshift('excellent_scenario')
  // Titles held in order, a year or two apart, the latest one at most two years old.
  let awardedMs = dayAt(rng, nowMs, rng.int(400, 1300))
  for (const title of ladder) {
    if (awardedMs > nowMs - 30 * DAY_MS) break
    const expiresMs = awardedMs + 3 * 365 * DAY_MS
    out.push({
      orgIndex: profile.orgIndex,
      title,
      scene: title === 'excellent_scenario' ? rng.pick(TITLE_SCENES.filter(Boolean)) : '',
      issuer,
      awardedOn: dateOnly(awardedMs),
      expiresOn: dateOnly(expiresMs),
      status: rng.chance(0.05) ? 'downgraded' : 'held',
      createdAt: isoAt(clampPast(awardedMs + rng.int(1, 30) * DAY_MS, nowMs)),
    })
    awardedMs += rng.int(300, 700) * DAY_MS
  }
  return out
}

// ---------------------------------------------------------------- diagnoses

const STATUS_WEIGHTS: readonly (readonly [DiagnosisStatus, number])[] = [
  ['completed', 55],
  ['active', 22],
  ['proposed', 8],
  ['declined', 7],
  ['cancelled', 8],
]

const KIND_WEIGHTS: readonly (readonly [DiagnosisKind, number])[] = [
  ['factory', 30],
  ['workshop', 40],
  ['digital_app', 25],
  ['chain', 5],
]

const GRADE_WEIGHTS: readonly (readonly [SurveyGrade, number])[] = [
  ['very_good', 5],
  ['good', 4],
  ['fair', 1.2],
  ['poor', 0.3],
]

function agencyFor(regionCode: string, agencies: ReadonlyMap<string, number>): number | null {
  return (
    agencies.get(regionCode) ??
    agencies.get(`${regionCode.slice(0, 4)}00`) ??
    agencies.get(`${regionCode.slice(0, 2)}0000`) ??
    null
  )
}

interface Parties {
  orgs: readonly DemoOrganisation[]
  agencies: ReadonlyMap<string, number>
  /** Verified providers that are not consultancies, by province prefix (and '*' for all). */
  implementers: ReadonlyMap<string, readonly number[]>
}

function makeWeaknesses(rng: Rng, count: number): DemoWeakness[] {
  return rng.sample(WEAKNESSES, count).map((w, i) => {
    const current = rng.int(w.current[0], w.current[1])
    const target = Math.max(current + 1, rng.int(w.target[0], w.target[1]))
    const lower = w.target[1] < w.current[0]
    return {
      seq: i + 1,
      scenario: w.scenario,
      severity: rng.weighted(w.severity),
      title: w.title,
      description: w.description,
      indicator: w.indicator,
      // A share that should fall (停机时长占比) goes down to its target.
      current: `${current}${w.unit}`,
      target: lower ? `${rng.int(w.target[0], w.target[1])}${w.unit}` : `${Math.min(100, target)}${w.unit}`,
      needTitle: w.need,
    }
  })
}

function makeVersion(
  rng: Rng,
  version: number,
  status: ReportStatus,
  ctx: { name: string; kind: DiagnosisKind; products: string; staff: number; maturity: number },
  times: { createdMs: number; submittedMs: number | null; confirmedMs: number | null; updatedMs: number },
  recommendations: DemoRecommendation[],
  previous: DemoVersion | null,
): DemoVersion {
  const complete = status !== 'draft' || rng.chance(0.5)
  const weaknesses = previous ? previous.weaknesses.map((w) => ({ ...w })) : makeWeaknesses(rng, rng.int(2, 6))
  if (previous && weaknesses[0])
    weaknesses[0].description = `${weaknesses[0].description}（第 ${version} 版补充：已核实现场数据。）`
  return {
    version,
    status,
    basics: rng
      .pick(BASICS)
      .replace('{name}', ctx.name)
      .replace('{kind}', KIND_LABELS[ctx.kind])
      .replace('{products}', ctx.products)
      .replace('{staff}', String(ctx.staff)),
    solution: complete ? rng.pick(SOLUTIONS) : '',
    benchmarkPeer: complete ? rng.pick(BENCHMARK_PEERS) : '',
    benchmarkNotes: complete ? rng.pick(BENCHMARK_NOTES) : '',
    maturityLevel: complete ? Math.max(1, Math.min(5, ctx.maturity + (rng.chance(0.2) ? -1 : 0))) : null,
    returnReason: '',
    submittedAt: times.submittedMs === null ? null : isoAt(times.submittedMs),
    confirmedAt: times.confirmedMs === null ? null : isoAt(times.confirmedMs),
    createdAt: isoAt(times.createdMs),
    updatedAt: isoAt(times.updatedMs),
    weaknesses,
    recommendations: complete ? recommendations : [],
  }
}

function makeRecords(rng: Rng, kind: DiagnosisKind, fromMs: number, toMs: number, complete: boolean): DemoServiceRecord[] {
  const wanted: Record<ServiceRecordKind, number> = complete
    ? {
        site_visit: SITE_VISITS_REQUIRED[kind] - (rng.chance(0.15) ? 1 : 0),
        training: TRAININGS_REQUIRED - (rng.chance(0.1) ? 1 : 0),
        briefing: BRIEFINGS_REQUIRED,
      }
    : {
        site_visit: rng.int(0, SITE_VISITS_REQUIRED[kind]),
        training: rng.int(0, 1),
        briefing: rng.int(0, 1),
      }
  const leader = personName(rng)
  const team = [leader, ...Array.from({ length: 6 }, () => personName(rng))]
  const span = Math.max(DAY_MS, toMs - fromMs)
  const out: DemoServiceRecord[] = []
  for (const k of ['site_visit', 'training', 'briefing'] as const) {
    for (let i = 0; i < wanted[k]; i++) {
      // Briefings come last: the first after the first visits, the second at the end.
      const share = k === 'briefing' ? (i + 1) / (wanted.briefing + 0.2) : (i + rng.next()) / Math.max(1, wanted[k])
      const at = Math.min(toMs, fromMs + Math.floor(share * span))
      const flagged = k !== 'briefing' && rng.chance(0.08)
      const minutes =
        k === 'site_visit'
          ? flagged
            ? rng.pick([120, 150, 165])
            : rng.pick([180, 210, 240, 300, 360, 420])
          : k === 'training'
            ? flagged
              ? 90
              : rng.pick([120, 150, 180])
            : rng.pick([60, 90, 120])
      const teamSize = k === 'site_visit' ? (flagged && rng.chance(0.5) ? rng.int(3, 4) : rng.int(5, 7)) : rng.int(2, 5)
      out.push({
        kind: k,
        occurredOn: dateOnly(at),
        minutes,
        teamSize,
        leader,
        teamMembers: team.slice(0, Math.min(teamSize, team.length)).join('、'),
        content: k === 'briefing' ? (RECORD_CONTENT.briefing[Math.min(i, 1)] ?? '') : rng.pick(RECORD_CONTENT[k]),
        createdAt: isoAt(at + rng.int(1, 48) * 3600_000),
      })
    }
  }
  return out.sort((a, b) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : 0))
}

function makeDiagnosis(
  rng: Rng,
  parties: Parties,
  enterpriseIndex: number,
  providerIndex: number,
  profile: DemoEnterpriseProfile | undefined,
  nowMs: number,
  forced?: { status: DiagnosisStatus; report?: 'draft' | 'confirmed' },
): DemoDiagnosis {
  const enterprise = parties.orgs[enterpriseIndex]!
  const status = forced?.status ?? rng.weighted(STATUS_WEIGHTS)
  const kind = forced ? 'workshop' : rng.weighted(KIND_WEIGHTS)
  const agency = agencyFor(enterprise.regionCode, parties.agencies)
  let origin: DiagnosisOrigin =
    status === 'proposed' || status === 'declined'
      ? 'provider'
      : rng.weighted<DiagnosisOrigin>([
          ['enterprise', 45],
          ['provider', 30],
          ['agency', agency === null ? 0 : 25],
        ])
  if (forced) origin = 'enterprise'
  const staffRange = STAFF_NUMBERS[profile?.staffBand ?? '20_299']
  const ctx = {
    name: enterprise.name,
    kind,
    products: profile?.mainProducts ?? '机械零部件',
    staff: rng.int(staffRange[0], staffRange[1]),
    maturity: profile?.maturityLevel ?? 2,
  }
  // Recommended implementers: one to three, of the enterprise's province when there are.
  const local = (parties.implementers.get(enterprise.regionCode.slice(0, 2)) ?? []).filter((p) => p !== providerIndex)
  const pool = local.length ? local : (parties.implementers.get('*') ?? []).filter((p) => p !== providerIndex)
  const recommendations = rng.sample(pool, rng.int(1, 3)).map((p, i) => ({
    providerIndex: p,
    seq: i + 1,
    note: rng.pick(RECOMMENDATION_NOTES),
  }))

  const ageDays =
    status === 'completed'
      ? rng.int(240, 700)
      : status === 'active'
        ? rng.int(12, 100)
        : status === 'proposed'
          ? rng.int(1, 20)
          : rng.int(30, 500)
  const createdMs = dayAt(rng, nowMs, ageDays)
  const respondedMs = status === 'proposed' ? null : clampPast(createdMs + rng.int(1, 6) * DAY_MS, nowMs)
  const spanDays =
    kind === 'factory' || kind === 'chain' ? rng.int(60, 120) : kind === 'workshop' ? rng.int(30, 60) : rng.int(14, 40)
  const versions: DemoVersion[] = []
  let records: DemoServiceRecord[] = []
  let survey: DemoSurvey | null = null
  let completedMs: number | null = null
  let updatedMs = respondedMs ?? createdMs

  if (status === 'completed' && respondedMs !== null) {
    const workEnd = respondedMs + spanDays * DAY_MS
    records = makeRecords(rng, kind, respondedMs + 3 * DAY_MS, workEnd, true)
    const amended = !forced && rng.chance(0.2)
    const submittedMs = workEnd + rng.int(3, 10) * DAY_MS
    const confirmedMs = submittedMs + rng.int(2, 14) * DAY_MS
    const v1 = makeVersion(
      rng,
      1,
      amended ? 'superseded' : 'confirmed',
      ctx,
      { createdMs: respondedMs + 7 * DAY_MS, submittedMs, confirmedMs, updatedMs: confirmedMs },
      recommendations,
      null,
    )
    versions.push(v1)
    completedMs = confirmedMs
    if (amended) {
      const v2created = confirmedMs + rng.int(10, 40) * DAY_MS
      const v2submitted = v2created + rng.int(2, 8) * DAY_MS
      const v2confirmed = v2submitted + rng.int(1, 7) * DAY_MS
      versions.push(
        makeVersion(
          rng,
          2,
          'confirmed',
          ctx,
          { createdMs: v2created, submittedMs: v2submitted, confirmedMs: v2confirmed, updatedMs: v2confirmed },
          recommendations,
          v1,
        ),
      )
      completedMs = v2confirmed
    } else if (!forced && rng.chance(0.05)) {
      // An amendment being drafted after the confirmation.
      const created = clampPast(confirmedMs + rng.int(20, 60) * DAY_MS, nowMs)
      versions.push(
        makeVersion(
          rng,
          2,
          'draft',
          ctx,
          { createdMs: created, submittedMs: null, confirmedMs: null, updatedMs: created },
          recommendations,
          v1,
        ),
      )
    }
    const last = versions.filter((v) => v.status === 'confirmed').at(-1)
    if (last && (forced || rng.chance(0.85))) {
      const filledMs = clampPast(Date.parse(last.confirmedAt ?? '') + rng.int(1, 15) * DAY_MS, nowMs)
      const grades = Array.from({ length: 5 }, () => rng.weighted(GRADE_WEIGHTS))
      const poor = grades.filter((g) => g === 'fair' || g === 'poor').length
      const reviewer = agency !== null && rng.chance(0.4) ? agency : null
      survey = {
        process: grades[0]!,
        analysis: grades[1]!,
        proposal: grades[2]!,
        competence: grades[3]!,
        result: grades[4]!,
        overall: poor >= 3 ? 'dissatisfied' : poor >= 1 ? 'fairly_satisfied' : 'satisfied',
        comment: rng.pick(SURVEY_COMMENTS),
        filledAt: isoAt(filledMs),
        agency:
          reviewer === null
            ? null
            : {
                orgIndex: reviewer,
                opinion: rng.pick(AGENCY_OPINIONS),
                at: isoAt(clampPast(filledMs + rng.int(1, 20) * DAY_MS, nowMs)),
              },
      }
    }
    updatedMs = Math.max(completedMs, ...versions.map((v) => Date.parse(v.updatedAt)))
  } else if (status === 'active' && respondedMs !== null) {
    records = makeRecords(rng, kind, respondedMs + 2 * DAY_MS, nowMs - DAY_MS, false)
    const report =
      forced?.report ??
      rng.weighted<'none' | 'draft' | 'submitted' | 'returned'>([
        ['none', 3],
        ['draft', 4],
        ['submitted', 2],
        ['returned', 1],
      ])
    if (report !== 'none' && report !== 'confirmed') {
      const created = clampPast(respondedMs + rng.int(3, 10) * DAY_MS, nowMs)
      const submitted = report === 'draft' ? null : clampPast(created + rng.int(2, 7) * DAY_MS, nowMs)
      const v = makeVersion(
        rng,
        1,
        report === 'submitted' ? 'submitted' : 'draft',
        ctx,
        { createdMs: created, submittedMs: submitted, confirmedMs: null, updatedMs: submitted ?? created },
        recommendations,
        null,
      )
      if (report === 'returned') v.returnReason = rng.pick(RETURN_REASONS)
      versions.push(v)
      updatedMs = Math.max(updatedMs, Date.parse(v.updatedAt))
    }
  } else if (status === 'cancelled' && respondedMs !== null && rng.chance(0.5)) {
    const created = clampPast(respondedMs + rng.int(3, 10) * DAY_MS, nowMs)
    versions.push(
      makeVersion(
        rng,
        1,
        'draft',
        ctx,
        { createdMs: created, submittedMs: null, confirmedMs: null, updatedMs: created },
        recommendations,
        null,
      ),
    )
    updatedMs = clampPast(created + rng.int(5, 30) * DAY_MS, nowMs)
  }
  if (status === 'declined' && respondedMs !== null) updatedMs = respondedMs
  return {
    enterpriseIndex,
    providerIndex,
    kind,
    status,
    origin,
    assignedByIndex: origin === 'agency' ? agency : null,
    note: origin === 'agency' ? '受主管部门委托开展诊断服务。' : origin === 'provider' ? rng.pick(PROPOSAL_NOTES) : '',
    createdAt: isoAt(createdMs),
    updatedAt: isoAt(clampPast(updatedMs, nowMs)),
    respondedAt: respondedMs === null ? null : isoAt(respondedMs),
    completedAt: completedMs === null ? null : isoAt(completedMs),
    versions,
    records,
    survey,
  }
}

/** The enterprises' archives and the diagnoses of the demo data set. */
export function planDiagnosisData(
  rng: Rng,
  organisations: readonly DemoOrganisation[],
  accounts: readonly DemoAccountPlan[],
  now: Date,
): DiagnosisDataPlan {
  const nowMs = now.getTime()
  const profileRng = rng.fork()
  const diagnosisRng = rng.fork()

  const profiles: DemoEnterpriseProfile[] = []
  const titles: DemoTitle[] = []
  const profileOf = new Map<number, DemoEnterpriseProfile>()
  organisations.forEach((o, i) => {
    if (o.kind !== 'enterprise' || o.status === 'rejected') return
    if (o.status === 'pending' && !profileRng.chance(0.5)) return
    const p = makeProfile(profileRng, o, i, nowMs)
    profiles.push(p)
    profileOf.set(i, p)
    titles.push(...makeTitles(profileRng, o, p, nowMs))
  })

  const agencies = new Map<string, number>()
  const consultancies: number[] = []
  const implementers = new Map<string, number[]>([['*', []]])
  organisations.forEach((o, i) => {
    if (o.kind === 'agency') agencies.set(o.regionCode, i)
    if (o.kind !== 'provider' || o.status !== 'verified') return
    if (o.providerKinds.includes('consultancy')) consultancies.push(i)
    if (o.providerKinds.some((k) => k === 'integrator' || k === 'equipment' || k === 'it_engineering')) {
      implementers.get('*')!.push(i)
      const key = o.regionCode.slice(0, 2)
      if (!implementers.has(key)) implementers.set(key, [])
      implementers.get(key)!.push(i)
    }
  })
  const parties: Parties = { orgs: organisations, agencies, implementers }
  const diagnoses: DemoDiagnosis[] = []
  const ownerNames = new Map<number, string>()
  if (consultancies.length > 0) {
    const accountOrg = (phone: string) => accounts.find((a) => a.phone === phone)?.orgIndex
    const diagnoser = accountOrg(DIAGNOSER_PHONE)
    const enterpriseA = accountOrg(ENTERPRISE_A_PHONE)
    const enterpriseB = accountOrg(ENTERPRISE_B_PHONE)
    const consultancyOf = (enterprise: DemoOrganisation) => {
      const province = enterprise.regionCode.slice(0, 2)
      return diagnosisRng.weighted(
        consultancies.map((p) => [p, organisations[p]!.regionCode.startsWith(province) ? 4 : 1] as const),
      )
    }
    const verified = organisations
      .map((o, i) => ({ o, i }))
      .filter(({ o }) => o.kind === 'enterprise' && o.status === 'verified')
      .map(({ i }) => i)
    const forced = new Set<number>()
    if (diagnoser !== undefined && enterpriseA !== undefined) {
      diagnoses.push(
        makeDiagnosis(diagnosisRng, parties, enterpriseA, diagnoser, profileOf.get(enterpriseA), nowMs, { status: 'completed' }),
      )
      forced.add(enterpriseA)
    }
    if (diagnoser !== undefined && enterpriseB !== undefined) {
      diagnoses.push(
        makeDiagnosis(diagnosisRng, parties, enterpriseB, diagnoser, profileOf.get(enterpriseB), nowMs, {
          status: 'active',
          report: 'draft',
        }),
      )
      forced.add(enterpriseB)
    }
    const want = Math.max(8, Math.round(verified.length / 10))
    const chosen = diagnosisRng.sample(
      verified.filter((i) => !forced.has(i)),
      want - forced.size,
    )
    chosen.sort((a, b) => a - b)
    for (const e of chosen) {
      diagnoses.push(makeDiagnosis(diagnosisRng, parties, e, consultancyOf(organisations[e]!), profileOf.get(e), nowMs))
    }
    for (const d of diagnoses) if (!ownerNames.has(d.enterpriseIndex)) ownerNames.set(d.enterpriseIndex, personName(diagnosisRng))
  }
  return { profiles, titles, diagnoses, ownerNames }
}
