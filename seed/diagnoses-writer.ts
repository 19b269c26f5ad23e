/**
 * Writes the demand side of the demo data (seed/diagnoses.ts) after the organisations
 * and before the needs, in one transaction of multi-row inserts on both dialects. Ids
 * are taken first (PostgreSQL: the identity sequences; SQLite: one past the highest),
 * so children name their parents and a fresh or reset database gets the same ids on
 * both. Enterprises taking part in a diagnosis that no demo account owns get an owner
 * who cannot sign in (an e-mail under .invalid, no usable password): the one who
 * confirmed (签字盖章) the report and filled the survey.
 *
 * Then `needDecorator` gives the needs, as they are written, a deadline (published ones
 * in the future, spread so they do not all expire at once; expired ones in the past)
 * and links some of them to a weakness of a confirmed report of their enterprise.
 */
import { sql, type Insertable, type Kysely } from 'kysely'
import { dialectOf } from '../db/dialect.js'
import type { DB } from '../db/types.js'
import { chunks, pgReserveIds, type IdentityTable } from './bulk.js'
import type { DemoNeedInput, DemoOrganisation } from './demo.js'
import type { DemoWeakness, DiagnosisDataPlan } from './diagnoses.js'
import type { Rng } from './random.js'

const DAY_MS = 86_400_000
/** Rows per multi-row INSERT (at most 17 columns: far below both databases' parameter limits). */
const ROWS = 1000
/** A password hash no password matches: the generated owners cannot sign in. */
const NO_LOGIN = '!demo-no-login'

export interface DiagnosisDataCounts {
  profiles: number
  titles: number
  diagnoses: number
  versions: number
  weaknesses: number
  records: number
  surveys: number
}

/** A weakness of a confirmed report, ready to become a need. */
interface Link {
  versionId: number
  weaknessId: number
  confirmedAt: string
  weakness: DemoWeakness
}

export interface DiagnosisDataResult {
  counts: DiagnosisDataCounts
  /** Confirmed reports' weaknesses by enterprise id, oldest report first. */
  links: Map<number, Link[]>
}

async function nextIds(trx: Kysely<DB>, table: IdentityTable, count: number): Promise<number[]> {
  if (count <= 0) return []
  if (dialectOf(trx) === 'postgres') return pgReserveIds(trx, table, count)
  const row = await sql<{ m: number | null }>`select max(id) as m from ${sql.table(table)}`.execute(trx)
  const first = Number(row.rows[0]?.m ?? 0) + 1
  return Array.from({ length: count }, (_, i) => first + i)
}

async function insert<T extends keyof DB>(trx: Kysely<DB>, table: T, rows: readonly Insertable<DB[T]>[]): Promise<void> {
  for (const part of chunks(rows, ROWS)) await trx.insertInto(table).values(part).execute()
}

export async function writeDiagnosisData(
  db: Kysely<DB>,
  plan: DiagnosisDataPlan,
  organisations: readonly DemoOrganisation[],
  orgIds: readonly number[],
): Promise<DiagnosisDataResult> {
  const org = (index: number): number => {
    const id = orgIds[index]
    if (id === undefined) throw new Error(`demo: organisation ${index} was not written`)
    return id
  }
  return db.transaction().execute(async (trx) => {
    const counts: DiagnosisDataCounts = {
      profiles: plan.profiles.length,
      titles: plan.titles.length,
      diagnoses: plan.diagnoses.length,
      versions: 0,
      weaknesses: 0,
      records: 0,
      surveys: 0,
    }
    await insert(
      trx,
      'enterprise_profiles',
      plan.profiles.map((p) => ({
        org_id: org(p.orgIndex),
        size_band: p.sizeBand,
        above_scale: p.aboveScale ? 1 : 0,
        revenue_band: p.revenueBand,
        staff_band: p.staffBand,
        main_products: p.mainProducts,
        rd_tools_pct: p.rdToolsPct,
        equipment_nc_pct: p.equipmentNcPct,
        key_process_nc_pct: p.keyProcessNcPct,
        mgmt_digital_pct: p.mgmtDigitalPct,
        mes_coverage_pct: p.mesCoveragePct,
        maturity_level: p.maturityLevel,
        indicators_year: p.indicatorsYear,
        updated_by: null,
        updated_at: p.updatedAt,
        revision: 1,
      })),
    )
    const titleIds = await nextIds(trx, 'enterprise_titles', plan.titles.length)
    await insert(
      trx,
      'enterprise_titles',
      plan.titles.map((t, i) => ({
        id: titleIds[i],
        org_id: org(t.orgIndex),
        title: t.title,
        scene: t.scene,
        issuer: t.issuer,
        awarded_on: t.awardedOn,
        expires_on: t.expiresOn,
        status: t.status,
        created_at: t.createdAt,
      })),
    )

    // Who acts for each party: the demo account owning it, else (enterprises) a generated owner.
    const parties = [...new Set(plan.diagnoses.flatMap((d) => [org(d.enterpriseIndex), org(d.providerIndex)]))]
    const owners = new Map<number, number>()
    for (const part of chunks(parties, 500)) {
      const rows = await trx
        .selectFrom('memberships')
        .select(['org_id', 'user_id'])
        .where('role', '=', 'owner')
        .where('status', '=', 'active')
        .where('org_id', 'in', part)
        .orderBy('user_id')
        .execute()
      for (const r of rows) if (!owners.has(r.org_id)) owners.set(r.org_id, r.user_id)
    }
    const missing = [...plan.ownerNames.entries()].filter(([index]) => !owners.has(org(index)))
    const userIds = await nextIds(trx, 'users', missing.length)
    await insert(
      trx,
      'users',
      missing.map(([index, name], i) => ({
        id: userIds[i],
        name,
        email: `owner-${org(index)}@demo.invalid`,
        password_hash: NO_LOGIN,
        created_at: organisations[index]?.createdAt ?? new Date(0).toISOString(),
        is_demo: 1 as const,
      })),
    )
    await insert(
      trx,
      'memberships',
      missing.map(([index], i) => ({
        user_id: userIds[i]!,
        org_id: org(index),
        role: 'owner' as const,
        status: 'active' as const,
        created_at: organisations[index]?.createdAt ?? new Date(0).toISOString(),
      })),
    )
    missing.forEach(([index], i) => owners.set(org(index), userIds[i]!))

    const diagnosisIds = await nextIds(trx, 'diagnoses', plan.diagnoses.length)
    const versionCount = plan.diagnoses.reduce((n, d) => n + d.versions.length, 0)
    const weaknessCount = plan.diagnoses.reduce((n, d) => n + d.versions.reduce((m, v) => m + v.weaknesses.length, 0), 0)
    const recordCount = plan.diagnoses.reduce((n, d) => n + d.records.length, 0)
    const versionIds = await nextIds(trx, 'diagnosis_report_versions', versionCount)
    const weaknessIds = await nextIds(trx, 'diagnosis_weaknesses', weaknessCount)
    const recordIds = await nextIds(trx, 'diagnosis_service_records', recordCount)

    const diagnoses: Insertable<DB['diagnoses']>[] = []
    const versions: Insertable<DB['diagnosis_report_versions']>[] = []
    const weaknesses: Insertable<DB['diagnosis_weaknesses']>[] = []
    const recommendations: Insertable<DB['diagnosis_recommendations']>[] = []
    const records: Insertable<DB['diagnosis_service_records']>[] = []
    const surveys: Insertable<DB['diagnosis_surveys']>[] = []
    const links = new Map<number, Link[]>()
    let v = 0
    let w = 0
    let r = 0
    plan.diagnoses.forEach((d, i) => {
      const id = diagnosisIds[i]!
      const enterpriseId = org(d.enterpriseIndex)
      const providerId = org(d.providerIndex)
      const owner = owners.get(enterpriseId) ?? null
      const diagnoser = owners.get(providerId) ?? null
      diagnoses.push({
        id,
        enterprise_org_id: enterpriseId,
        provider_org_id: providerId,
        kind: d.kind,
        status: d.status,
        origin: d.origin,
        assigned_by_org_id: d.assignedByIndex === null ? null : org(d.assignedByIndex),
        note: d.note,
        created_by: d.origin === 'enterprise' ? owner : d.origin === 'provider' ? diagnoser : null,
        responded_by: d.origin === 'provider' && d.respondedAt !== null ? owner : null,
        responded_at: d.respondedAt,
        completed_at: d.completedAt,
        created_at: d.createdAt,
        updated_at: d.updatedAt,
      })
      let confirmedVersion: number | null = null
      for (const version of d.versions) {
        const versionId = versionIds[v++]!
        const confirmed = version.status === 'confirmed' || version.status === 'superseded'
        versions.push({
          id: versionId,
          diagnosis_id: id,
          version: version.version,
          status: version.status,
          basics: version.basics,
          solution: version.solution,
          benchmark_peer: version.benchmarkPeer,
          benchmark_notes: version.benchmarkNotes,
          maturity_level: version.maturityLevel,
          return_reason: version.returnReason,
          submitted_at: version.submittedAt,
          confirmed_by: confirmed ? owner : null,
          confirmed_at: confirmed ? version.confirmedAt : null,
          created_by: diagnoser,
          created_at: version.createdAt,
          updated_at: version.updatedAt,
          revision: 1,
        })
        if (version.status === 'confirmed') confirmedVersion = versionId
        for (const weakness of version.weaknesses) {
          const weaknessId = weaknessIds[w++]!
          weaknesses.push({
            id: weaknessId,
            version_id: versionId,
            seq: weakness.seq,
            scenario_code: weakness.scenario,
            severity: weakness.severity,
            title: weakness.title,
            description: weakness.description,
            indicator: weakness.indicator,
            current_value: weakness.current,
            target_value: weakness.target,
          })
          if (version.status === 'confirmed' && version.confirmedAt) {
            let list = links.get(enterpriseId)
            if (!list) links.set(enterpriseId, (list = []))
            list.push({ versionId, weaknessId, confirmedAt: version.confirmedAt, weakness })
          }
        }
        for (const rec of version.recommendations) {
          recommendations.push({ version_id: versionId, provider_org_id: org(rec.providerIndex), seq: rec.seq, note: rec.note })
        }
      }
      for (const rec of d.records) {
        records.push({
          id: recordIds[r++],
          diagnosis_id: id,
          kind: rec.kind,
          occurred_on: rec.occurredOn,
          minutes: rec.minutes,
          team_size: rec.teamSize,
          leader: rec.leader,
          team_members: rec.teamMembers,
          content: rec.content,
          created_by: diagnoser,
          created_at: rec.createdAt,
          updated_at: rec.createdAt,
        })
      }
      if (d.survey && confirmedVersion !== null && owner !== null) {
        const s = d.survey
        surveys.push({
          diagnosis_id: id,
          version_id: confirmedVersion,
          process: s.process,
          analysis: s.analysis,
          proposal: s.proposal,
          competence: s.competence,
          result: s.result,
          overall: s.overall,
          comment: s.comment,
          filled_by: owner,
          filled_at: s.filledAt,
          agency_opinion: s.agency?.opinion ?? '',
          agency_org_id: s.agency ? org(s.agency.orgIndex) : null,
          agency_by: null,
          agency_at: s.agency?.at ?? null,
        })
      }
    })
    await insert(trx, 'diagnoses', diagnoses)
    await insert(trx, 'diagnosis_report_versions', versions)
    await insert(trx, 'diagnosis_weaknesses', weaknesses)
    await insert(trx, 'diagnosis_recommendations', recommendations)
    await insert(trx, 'diagnosis_service_records', records)
    await insert(trx, 'diagnosis_surveys', surveys)
    counts.versions = versions.length
    counts.weaknesses = weaknesses.length
    counts.records = records.length
    counts.surveys = surveys.length
    return { counts, links }
  })
}

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/**
 * The needs as they are written: each gets a deadline (投标截止) that fits its status,
 * and some, created after their enterprise confirmed a report, are made from one of its
 * weaknesses (title, scenario, description; source_report_id and source_weakness_id).
 */
export function needDecorator(rng: Rng, links: ReadonlyMap<number, Link[]>, now: Date): (need: DemoNeedInput) => DemoNeedInput {
  const nowMs = now.getTime()
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS
  const used = new Set<number>()
  return (need) => {
    const publishedMs = need.published_at === null ? Date.parse(need.created_at) : Date.parse(need.published_at)
    const publishedDay = Math.floor(publishedMs / DAY_MS) * DAY_MS
    let deadline: string | null
    switch (need.status) {
      case 'published':
        // Open: a deadline ahead, one to six months out.
        deadline = dateOnly(today + rng.int(30, 180) * DAY_MS)
        break
      case 'draft':
        deadline = rng.chance(0.5) ? dateOnly(today + rng.int(30, 120) * DAY_MS) : null
        break
      case 'expired':
        // Past its deadline with nobody chosen.
        deadline = dateOnly(Math.min(today - rng.int(1, 60) * DAY_MS, publishedDay + rng.int(20, 90) * DAY_MS))
        break
      default:
        // Shortlisting and after: bidding closed.
        deadline = dateOnly(Math.max(publishedDay, Math.min(today - DAY_MS, publishedDay + rng.int(15, 60) * DAY_MS)))
    }
    const out: DemoNeedInput = { ...need, deadline }
    const candidates = links.get(need.org_id)
    if (!candidates) return out
    const link = candidates.find((l) => !used.has(l.weaknessId) && l.confirmedAt < need.created_at)
    if (!link || !rng.chance(0.6)) return out
    used.add(link.weaknessId)
    const w = link.weakness
    out.source_report_id = link.versionId
    out.source_weakness_id = link.weaknessId
    out.title = w.needTitle
    out.scenarios = [w.scenario, ...need.scenarios.filter((s) => s !== w.scenario)].slice(0, 3)
    out.description = `${w.description}诊断报告建议将${w.indicator}由${w.current}改善至${w.target}。${need.description}`.slice(
      0,
      5000,
    )
    return out
  }
}
