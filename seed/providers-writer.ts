/**
 * Writes the providers' demo data (seed/providers.ts) after their organisations: on
 * SQLite with prepared better-sqlite3 statements in transactions of BATCH providers,
 * on PostgreSQL with multi-row inserts whose ids come from the identity sequences
 * first (children name their parents), so both give the same ids on a fresh database.
 * Official templates go first: the providers' templates name the versions they derive
 * from. Nothing goes to the search outbox; the caller reindexes.
 */
import type BetterSqlite3 from 'better-sqlite3'
import type { Insertable, Kysely } from 'kysely'
import type {
  CaseMetricsTable,
  ContractTemplatesTable,
  ContractTemplateVersionsTable,
  DB,
  ProviderCasesTable,
  ProviderProfilesTable,
  ProviderQualificationsTable,
} from '../db/types.js'
import { chunks, pgReserveIds, yieldToEventLoop } from './bulk.js'
import type { DemoCase, DemoTemplate, ProviderBundle, ProviderDataPlan } from './providers.js'

/** Providers per transaction. */
const BATCH = 500
/** Rows per multi-row INSERT on PostgreSQL (at most 16 parameters a row). */
const PG_ROWS = 2000

export interface ProviderDataCounts {
  profiles: number
  qualifications: number
  cases: number
  metrics: number
  templates: number
}

type Row<T> = Insertable<T> & Record<string, unknown>

function profileRow(orgId: number, b: ProviderBundle): Row<ProviderProfilesTable> | null {
  const p = b.profile
  if (!p) return null
  return {
    org_id: orgId,
    team_size: p.teamSize,
    founded_year: p.foundedYear,
    nationwide: p.nationwide ? 1 : 0,
    website: p.website,
    updated_at: p.updatedAt,
    revision: 1,
  }
}

function caseRow(orgId: number, c: DemoCase): Row<ProviderCasesTable> {
  return {
    org_id: orgId,
    title: c.title,
    client_name: c.clientName,
    client_anonymised: c.clientAnonymised ? 1 : 0,
    industry_code: c.industryCode,
    region_code: c.regionCode,
    investment_wan: c.investmentWan,
    year: c.year,
    summary: c.summary,
    verified_contract_id: null,
    verified_at: null,
    created_at: c.createdAt,
    updated_at: c.createdAt,
  }
}

function templateRow(orgId: number, t: DemoTemplate): Row<ContractTemplatesTable> {
  return {
    org_id: orgId,
    is_official: t.official ? 1 : 0,
    title: t.title,
    industry_code: t.industryCode,
    status: 'active',
    current_version: 1,
    created_at: t.createdAt,
    updated_at: t.createdAt,
  }
}

/** The version's columns as the template use cases write them (JSON lists, a fixed price as min = max). */
function versionRow(
  templateId: number,
  t: DemoTemplate,
  derivedFromVersionId: number | null,
): Row<ContractTemplateVersionsTable> {
  return {
    template_id: templateId,
    version: 1,
    derived_from_version_id: derivedFromVersionId,
    construction_days: t.constructionDays,
    technical_standards: JSON.stringify(t.technicalStandards),
    acceptance_standards: t.acceptanceStandards,
    quality_terms: t.qualityTerms,
    warranty_months: t.warrantyMonths,
    price_model: t.priceModel,
    price_min_wan: t.priceModel === 'quote' ? null : t.priceMinWan,
    price_max_wan: t.priceModel === 'quote' ? null : t.priceModel === 'fixed' ? t.priceMinWan : t.priceMaxWan,
    milestones: JSON.stringify(t.milestones.map((m) => ({ name: m.name, percent: m.percent, criteria: m.criteria }))),
    dispute_clause: t.disputeClause,
    in_use: 0,
    created_by: null,
    created_at: t.createdAt,
  }
}

function insertSql(table: string, row: Record<string, unknown>): string {
  const columns = Object.keys(row)
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`
}

// ---------------------------------------------------------------- SQLite

function sqliteWriter(sqlite: BetterSqlite3.Database) {
  const statements = new Map<string, BetterSqlite3.Statement>()
  const run = (table: string, row: Record<string, unknown>): number => {
    let stmt = statements.get(table)
    if (!stmt) {
      stmt = sqlite.prepare(insertSql(table, row))
      statements.set(table, stmt)
    }
    return Number(stmt.run(row).lastInsertRowid)
  }
  return run
}

async function writeSqlite(
  sqlite: BetterSqlite3.Database,
  plan: ProviderDataPlan,
  orgIds: readonly number[],
  onProgress?: (done: number, total: number) => void,
): Promise<ProviderDataCounts> {
  const counts: ProviderDataCounts = { profiles: 0, qualifications: 0, cases: 0, metrics: 0, templates: 0 }
  const run = sqliteWriter(sqlite)
  const officialVersions: number[] = []
  const writeTemplate = (t: DemoTemplate) => {
    const orgId = orgIds[t.orgIndex]!
    const templateId = run('contract_templates', templateRow(orgId, t))
    for (const code of t.scenarios) run('contract_template_scenarios', { template_id: templateId, scenario_code: code })
    const derived = t.derivedFrom === null ? null : (officialVersions[t.derivedFrom] ?? null)
    counts.templates += 1
    return run('contract_template_versions', versionRow(templateId, t, derived))
  }
  sqlite.transaction(() => {
    for (const t of plan.officialTemplates) officialVersions.push(writeTemplate(t))
  })()

  const bundles = plan.bundles()
  const writeBatch = sqlite.transaction((n: number) => {
    for (let k = 0; k < n; k++) {
      const next = bundles.next()
      if (next.done) return
      const b = next.value
      const orgId = orgIds[b.orgIndex]!
      const profile = profileRow(orgId, b)
      if (profile && b.profile) {
        run('provider_profiles', profile)
        counts.profiles += 1
        for (const code of b.profile.industries) run('provider_industries', { org_id: orgId, industry_code: code })
        for (const code of b.profile.scenarios) run('provider_scenarios', { org_id: orgId, scenario_code: code })
        for (const code of b.profile.regions) run('provider_regions', { org_id: orgId, region_code: code })
        for (const q of b.profile.qualifications) {
          run('provider_qualifications', qualificationRow(orgId, q, b.profile.updatedAt))
          counts.qualifications += 1
        }
      }
      for (const c of b.cases) {
        const caseId = run('provider_cases', caseRow(orgId, c))
        counts.cases += 1
        for (const code of c.scenarios) run('case_scenarios', { case_id: caseId, scenario_code: code })
        c.metrics.forEach((m, i) => {
          run('case_metrics', metricRow(caseId, i, m))
          counts.metrics += 1
        })
      }
      for (const t of b.templates) writeTemplate(t)
    }
  })
  const total = plan.providerCount
  onProgress?.(0, total)
  for (let from = 0; from < total; from += BATCH) {
    const to = Math.min(total, from + BATCH)
    writeBatch(to - from)
    onProgress?.(to, total)
    await yieldToEventLoop()
  }
  return counts
}

function qualificationRow(
  orgId: number,
  q: NonNullable<ProviderBundle['profile']>['qualifications'][number],
  createdAt: string,
): Row<ProviderQualificationsTable> {
  return {
    org_id: orgId,
    name: q.name,
    issuer: q.issuer,
    certificate_no: q.certificateNo,
    valid_from: q.validFrom,
    valid_until: q.validUntil,
    created_at: createdAt,
  }
}

function metricRow(caseId: number, index: number, m: DemoCase['metrics'][number]): Row<CaseMetricsTable> {
  return { case_id: caseId, seq: index + 1, name: m.name, before_value: m.before, after_value: m.after, unit: m.unit }
}

// ---------------------------------------------------------------- PostgreSQL

type AnyTable = Kysely<Record<string, Record<string, unknown>>>

async function insertMany(trx: Kysely<DB>, table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  for (const part of chunks(rows, PG_ROWS)) {
    if (part.length > 0) await (trx as unknown as AnyTable).insertInto(table).values(part).execute()
  }
}

async function pgWriteTemplates(
  trx: Kysely<DB>,
  templates: readonly DemoTemplate[],
  orgIds: readonly number[],
  officialVersions: readonly number[],
): Promise<number[]> {
  const templateIds = await pgReserveIds(trx, 'contract_templates', templates.length)
  const versionIds = await pgReserveIds(trx, 'contract_template_versions', templates.length)
  await insertMany(
    trx,
    'contract_templates',
    templates.map((t, i) => ({ id: templateIds[i], ...templateRow(orgIds[t.orgIndex]!, t) })),
  )
  await insertMany(
    trx,
    'contract_template_scenarios',
    templates.flatMap((t, i) => t.scenarios.map((code) => ({ template_id: templateIds[i]!, scenario_code: code }))),
  )
  await insertMany(
    trx,
    'contract_template_versions',
    templates.map((t, i) => ({
      id: versionIds[i],
      ...versionRow(templateIds[i]!, t, t.derivedFrom === null ? null : (officialVersions[t.derivedFrom] ?? null)),
    })),
  )
  return versionIds
}

async function writePostgres(
  db: Kysely<DB>,
  plan: ProviderDataPlan,
  orgIds: readonly number[],
  onProgress?: (done: number, total: number) => void,
): Promise<ProviderDataCounts> {
  const counts: ProviderDataCounts = { profiles: 0, qualifications: 0, cases: 0, metrics: 0, templates: 0 }
  const officialVersions = await db.transaction().execute((trx) => pgWriteTemplates(trx, plan.officialTemplates, orgIds, []))
  counts.templates += plan.officialTemplates.length
  const bundles = plan.bundles()
  const total = plan.providerCount
  onProgress?.(0, total)
  for (let from = 0; from < total; from += BATCH) {
    const batch: ProviderBundle[] = []
    for (let k = from; k < Math.min(total, from + BATCH); k++) {
      const next = bundles.next()
      if (next.done) break
      batch.push(next.value)
    }
    if (batch.length === 0) break
    await db.transaction().execute(async (trx) => {
      const profiles = batch.flatMap((b) => {
        const row = profileRow(orgIds[b.orgIndex]!, b)
        return row ? [{ b, row }] : []
      })
      await insertMany(
        trx,
        'provider_profiles',
        profiles.map((p) => p.row),
      )
      const lists = (pick: (p: NonNullable<ProviderBundle['profile']>) => string[], column: string) =>
        profiles.flatMap(({ b, row }) => pick(b.profile!).map((code) => ({ org_id: row.org_id, [column]: code })))
      await insertMany(
        trx,
        'provider_industries',
        lists((p) => p.industries, 'industry_code'),
      )
      await insertMany(
        trx,
        'provider_scenarios',
        lists((p) => p.scenarios, 'scenario_code'),
      )
      await insertMany(
        trx,
        'provider_regions',
        lists((p) => p.regions, 'region_code'),
      )
      const qualifications = profiles.flatMap(({ b, row }) =>
        b.profile!.qualifications.map((q) => qualificationRow(row.org_id, q, b.profile!.updatedAt)),
      )
      const qualificationIds = await pgReserveIds(trx, 'provider_qualifications', qualifications.length)
      await insertMany(
        trx,
        'provider_qualifications',
        qualifications.map((q, i) => ({ id: qualificationIds[i], ...q })),
      )

      const cases = batch.flatMap((b) => b.cases.map((c) => ({ orgId: orgIds[b.orgIndex]!, c })))
      const caseIds = await pgReserveIds(trx, 'provider_cases', cases.length)
      await insertMany(
        trx,
        'provider_cases',
        cases.map(({ orgId, c }, i) => ({ id: caseIds[i], ...caseRow(orgId, c) })),
      )
      await insertMany(
        trx,
        'case_scenarios',
        cases.flatMap(({ c }, i) => c.scenarios.map((code) => ({ case_id: caseIds[i]!, scenario_code: code }))),
      )
      const metrics = cases.flatMap(({ c }, i) => c.metrics.map((m, k) => metricRow(caseIds[i]!, k, m)))
      const metricIds = await pgReserveIds(trx, 'case_metrics', metrics.length)
      await insertMany(
        trx,
        'case_metrics',
        metrics.map((m, i) => ({ id: metricIds[i], ...m })),
      )
      const templates = batch.flatMap((b) => b.templates)
      await pgWriteTemplates(trx, templates, orgIds, officialVersions)
      counts.profiles += profiles.length
      counts.qualifications += qualifications.length
      counts.cases += cases.length
      counts.metrics += metrics.length
      counts.templates += templates.length
    })
    onProgress?.(from + batch.length, total)
  }
  return counts
}

/**
 * Writes `plan` for organisations written under `orgIds` (by the plan's index).
 * `sqlite` is the better-sqlite3 handle on SQLite, null on PostgreSQL.
 */
export function writeProviderData(
  db: Kysely<DB>,
  sqlite: BetterSqlite3.Database | null,
  plan: ProviderDataPlan,
  orgIds: readonly number[],
  onProgress?: (done: number, total: number) => void,
): Promise<ProviderDataCounts> {
  return sqlite ? writeSqlite(sqlite, plan, orgIds, onProgress) : writePostgres(db, plan, orgIds, onProgress)
}
