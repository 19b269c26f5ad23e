/**
 * How the demo data set is written. The plan (what is generated) comes from
 * seed/demo.ts; this module writes it. On SQLite with prepared better-sqlite3
 * statements: organisations and the demo accounts that own them in one transaction,
 * needs and their scenarios in transactions of BATCH_SIZE rows (100 000 needs take a
 * few seconds), yielding to the event loop between batches. On PostgreSQL the same
 * transactions with multi-row Kysely inserts of PG_BATCH_SIZE rows; ids are taken
 * from each table's identity sequence first (the rows name their parents), so the
 * sequences stay ahead of every row and the ids are the same as SQLite's on a fresh
 * or reset database.
 *
 * Demo data never touches real organisations: it is written only into a database
 * that holds no organisations at all, every organisation and account it writes is
 * marked `is_demo`, and the demo accounts own demo organisations only. Nothing is
 * written to search_outbox and the search index is not touched: the caller
 * reindexes afterwards.
 */
import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely'
import { hashPassword } from '../app/domain/accounts/password.server.js'
export { hasDemoData } from '../app/domain/orgs/demo.server.js'
import { dialectOf } from '../db/dialect.js'
import type { DB, OrganisationsTable } from '../db/types.js'
import { DEMO_PASSWORD, DEMO_PHONES, type DemoAccount } from './accounts.js'
import { chunks, pgReserveIds, yieldToEventLoop } from './bulk.js'
import {
  buildDemoContext,
  planDemo,
  type DemoContext,
  type DemoNeedInput,
  type DemoOrganisation,
  type DemoPlan,
  type PlanDemoOptions,
} from './demo.js'
import { planProviderData } from './providers.js'
import { planDiagnosisData } from './diagnoses.js'
import { needDecorator, writeDiagnosisData, type DiagnosisDataCounts, type DiagnosisDataResult } from './diagnoses-writer.js'
import { writeProviderData, type ProviderDataCounts } from './providers-writer.js'
import { writeContractData, type ContractDataCounts } from './contracts.js'
import { deleteTargetsData, writeTargetsData } from './targets.js'
import { writeExpertData } from './experts.js'
import { deletePoolData, writePoolData } from './pool.js'
import { writeMeetingData } from './meetings.js'
import { deleteEvaluationData, writeEvaluationData } from './evaluations.js'
import { writeEventData } from './events.js'
import { deleteVoucherData, writeVoucherData } from './vouchers.js'
import { writeTitleData } from './titles.js'
import { writeGradientData } from './gradient.js'

const BATCH_SIZE = 5000
/** Rows per multi-row INSERT on PostgreSQL (17 parameters a need: under the protocol's 65 535). */
const PG_BATCH_SIZE = 1000

export interface GenerateDemoOptions extends PlanDemoOptions {
  onProgress?: (done: number, total: number) => void
  /** Progress of the providers' profiles, cases and templates (providers done, of all). */
  onProviderProgress?: (done: number, total: number) => void
  /** Called once the bids and contracts are written, with how long they took (seconds). */
  onContracts?: (seconds: number) => void
  /** Create the demo accounts too (default): they are written with their organisations. */
  accounts?: boolean
}

export interface GenerateDemoResult {
  organisations: number
  needs: number
  enterprises: number[]
  providers: number[]
  agencies: number[]
  /** Every organisation created, with its id and the fields that have no column (industry segment …). */
  records: DemoOrganisation[]
  /** The demo accounts created (phones a real account already used are skipped). */
  accounts: DemoAccount[]
  /** Rows of the providers' profiles, qualifications, cases, metrics and contract templates. */
  providerData: ProviderDataCounts
  /** Rows of the enterprises' archives and the diagnoses (seed/diagnoses.ts). */
  diagnosisData: DiagnosisDataCounts
  /** Rows of the bids, contracts and what happened on them (seed/contracts.ts). */
  contractData: ContractDataCounts
}

/** Demo data is refused: the database holds organisations already. */
export class DemoRefusedError extends Error {
  constructor(readonly organisations: number) {
    super(
      `数据库中已有 ${organisations} 个组织，演示数据只能写入没有任何组织的数据库 / demo data goes only into a database without organisations`,
    )
    this.name = 'DemoRefusedError'
  }
}

/** Reads the reference data the generator relies on. */
export async function loadDemoContext(db: Kysely<DB>): Promise<DemoContext> {
  const [regions, industries, scenarios] = await Promise.all([
    db.selectFrom('regions').select(['code', 'name', 'level', 'parent_code']).orderBy('code').execute(),
    db.selectFrom('industries').select('code').orderBy('code').execute(),
    db.selectFrom('scenarios').select('code').orderBy('code').execute(),
  ])
  return buildDemoContext({ regions, industries, scenarios })
}

/**
 * The one place mapping a demo organisation to its row. Columns the table does
 * not have (yet) are dropped at insert time, so this works on every schema
 * version; add new columns here.
 */
export function organisationRow(o: DemoOrganisation): Insertable<OrganisationsTable> {
  return {
    kind: o.kind,
    name: o.name,
    region_code: o.regionCode,
    created_at: o.createdAt,
    uscc: o.uscc,
    status: o.status,
    rejection_reason: o.rejectionReason,
    industry_code: o.industryCode,
    provider_kinds: JSON.stringify(o.providerKinds),
    agency_level: o.agencyLevel,
    submitted_at: o.createdAt,
    reviewed_at: o.reviewedAt,
    updated_at: o.reviewedAt ?? o.createdAt,
    is_demo: 1,
  }
}

async function organisationCount(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('organisations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Inserts the organisations and returns their ids, in the plan's order. */
function insertOrganisations(sqlite: BetterSqlite3.Database, orgs: readonly DemoOrganisation[]): number[] {
  const first = orgs[0]
  if (!first) return []
  const existing = new Set(
    (sqlite.prepare('select name from pragma_table_info(?)').all('organisations') as { name: string }[]).map((c) => c.name),
  )
  const columns = Object.keys(organisationRow(first)).filter((c) => existing.has(c))
  const stmt = sqlite.prepare(
    `INSERT INTO organisations (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
  )
  return orgs.map((o) => {
    const row = organisationRow(o) as Record<string, unknown>
    return Number(stmt.run(Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))).lastInsertRowid)
  })
}

/** Inserts the demo accounts as owners of their organisations; phones already in use are skipped. */
function insertAccounts(
  sqlite: BetterSqlite3.Database,
  plan: DemoPlan,
  orgIds: readonly number[],
  passwordHash: string,
  now: string,
): DemoAccount[] {
  const taken = new Set(
    (
      sqlite.prepare(`select phone from users where phone in (${DEMO_PHONES.map(() => '?').join(', ')})`).all(...DEMO_PHONES) as {
        phone: string
      }[]
    ).map((r) => r.phone),
  )
  // Demo phones count as verified, so the demo agencies hold approval rights.
  const insertUser = sqlite.prepare(
    `INSERT INTO users (name, phone, password_hash, created_at, is_demo, phone_verified_at)
     VALUES (?, ?, ?, ?, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
  )
  const insertMembership = sqlite.prepare(
    "INSERT INTO memberships (user_id, org_id, role, status, created_at) VALUES (?, ?, 'owner', 'active', ?)",
  )
  return plan.accounts.flatMap((a) => {
    const org = plan.organisations[a.orgIndex]
    const orgId = orgIds[a.orgIndex]
    if (!org || orgId === undefined || taken.has(a.phone)) return []
    const userId = insertUser.run(a.name, a.phone, passwordHash, now).lastInsertRowid
    insertMembership.run(userId, orgId, now)
    return [{ role: a.role, name: a.name, phone: a.phone, orgName: org.name }]
  })
}

const NEED_COLUMNS = [
  'org_id',
  'title',
  'description',
  'industry_code',
  'region_code',
  'target_level',
  'budget_min_wan',
  'budget_max_wan',
  'expected_start',
  'duration_months',
  'accepts_matching',
  'expected_results',
  'visibility',
  'status',
  'published_at',
  'created_at',
  'updated_at',
  'deadline',
  'source_report_id',
  'source_weakness_id',
] as const satisfies readonly (keyof DemoNeedInput)[]

/** Writes the plan's needs in batches, reporting progress after each. */
async function writeNeeds(
  sqlite: BetterSqlite3.Database,
  plan: DemoPlan,
  orgIds: readonly number[],
  decorate: (need: DemoNeedInput) => DemoNeedInput,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const insertNeed = sqlite.prepare(
    `INSERT INTO needs (${NEED_COLUMNS.join(', ')}) VALUES (${NEED_COLUMNS.map(() => '?').join(', ')})`,
  )
  const insertScenario = sqlite.prepare('INSERT INTO need_scenarios (need_id, scenario_code) VALUES (?, ?)')
  const total = plan.needCount
  const needs = plan.needs(orgIds)
  const writeBatch = sqlite.transaction((count: number) => {
    for (let k = 0; k < count; k++) {
      const next = needs.next()
      if (next.done) return
      const need = decorate(next.value)
      const id = insertNeed.run(NEED_COLUMNS.map((c) => need[c])).lastInsertRowid
      for (const s of need.scenarios) insertScenario.run(id, s)
    }
  })
  onProgress?.(0, total)
  for (let from = 0; from < total; from += BATCH_SIZE) {
    const to = Math.min(total, from + BATCH_SIZE)
    writeBatch(to - from)
    onProgress?.(to, total)
    await yieldToEventLoop()
  }
}

/**
 * Generates and writes the demo data set: organisations and demo accounts together,
 * then needs. Assumes migrations ran and reference data is loaded; refuses
 * (DemoRefusedError) when the database holds any organisation, so a real one is never
 * joined by demo owners. Does not reset (see resetDemoData) and does not touch search.
 * `sqlite` is the better-sqlite3 handle behind `db` on SQLite (required there), null on
 * PostgreSQL.
 */
export async function generateDemo(
  db: Kysely<DB>,
  sqlite: BetterSqlite3.Database | null,
  opts: GenerateDemoOptions,
): Promise<GenerateDemoResult> {
  const postgres = dialectOf(db) === 'postgres'
  if (!postgres && !sqlite) throw new Error('generateDemo: SQLite needs its better-sqlite3 handle')
  const context = await loadDemoContext(db)
  const plan = planDemo(context, opts)
  const providerData = planProviderData(plan.providerRng, context, plan.organisations, plan.now)
  const diagnosisPlan = planDiagnosisData(plan.diagnosisRng, plan.organisations, plan.accounts, plan.now)
  const withAccounts = opts.accounts ?? true
  const passwordHash = withAccounts && plan.accounts.length ? await hashPassword(DEMO_PASSWORD) : ''
  const now = new Date().toISOString()
  const existing = await organisationCount(db)
  if (existing > 0) throw new DemoRefusedError(existing)
  let orgIds: number[]
  let accounts: DemoAccount[]
  let providerCounts: ProviderDataCounts
  let diagnosis: DiagnosisDataResult
  if (postgres || !sqlite) {
    ;({ orgIds, accounts } = await pgWriteOrganisations(db, plan, withAccounts, passwordHash, now))
    providerCounts = await writeProviderData(db, null, providerData, orgIds, opts.onProviderProgress)
    diagnosis = await writeDiagnosisData(db, diagnosisPlan, plan.organisations, orgIds)
    await pgWriteNeeds(db, plan, orgIds, needDecorator(plan.diagnosisRng.fork(), diagnosis.links, plan.now), opts.onProgress)
  } else {
    // Checked again inside the transaction: nothing can slip in between.
    ;({ orgIds, accounts } = sqlite.transaction(() => {
      const n = (sqlite.prepare('select count(*) as n from organisations').get() as { n: number }).n
      if (n > 0) throw new DemoRefusedError(n)
      const ids = insertOrganisations(sqlite, plan.organisations)
      return { orgIds: ids, accounts: withAccounts ? insertAccounts(sqlite, plan, ids, passwordHash, now) : [] }
    })())
    await yieldToEventLoop()
    providerCounts = await writeProviderData(db, sqlite, providerData, orgIds, opts.onProviderProgress)
    diagnosis = await writeDiagnosisData(db, diagnosisPlan, plan.organisations, orgIds)
    await writeNeeds(sqlite, plan, orgIds, needDecorator(plan.diagnosisRng.fork(), diagnosis.links, plan.now), opts.onProgress)
  }
  const contractsStarted = performance.now()
  const contractData = await writeContractData(db, plan.contractRng, plan.organisations, orgIds, plan.now)
  opts.onContracts?.((performance.now() - contractsStarted) / 1000)
  // The demo expert in the 扬州 agency's 专家库 (seed/experts.ts), with the other demo accounts.
  if (withAccounts) accounts = [...accounts, ...(await writeExpertData(db, passwordHash, now))]
  // The 扬州 agency's published 2025 provider evaluation: 服务商 A 优先推荐, 服务商 B 正常 (seed/evaluations.ts).
  if (withAccounts) await writeEvaluationData(db)
  // The 扬州 agency's provider pool: an open round, 服务商 B's application under the demo expert's review (seed/pool.ts).
  if (withAccounts) {
    await writePoolData(db, now, new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(plan.now))
  }
  // The 扬州 agency's district targets: the seed's 2022 table and the demo year (seed/targets.ts).
  if (withAccounts) {
    const demoYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(plan.now))
    await writeTargetsData(db, now, demoYear)
  }
  // The 扬州 agency's matchmaking events: one in 服务商征集 with demo needs listed and 服务商 A approved, one draft (seed/events.ts).
  if (withAccounts) await writeEventData(db, now, plan.now)
  // 1:1 meetings in that event: the grid, availability, one scheduled meeting, one request (seed/meetings.ts).
  if (withAccounts) await writeMeetingData(db, now)
  // The 扬州 agency's 服务券 scheme and vouchers on 企业 A's supervised contracts, in different states (seed/vouchers.ts).
  if (withAccounts) {
    await writeVoucherData(db, now, new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(plan.now))
  }
  // Titles in the 扬州 and 甘肃 jurisdictions: reviews due, one expired, one downgraded with its review (seed/titles.ts).
  if (withAccounts) {
    // The demo's clock, not the wall's: the same seed gives the same rows.
    await writeTitleData(
      db,
      plan.now.toISOString(),
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(plan.now),
    )
  }
  // 企业 C (甘肃): indicators and 梯度自评 answers with 基础级 met, 先进级 missed, an 优秀场景 with 30 万元 received (seed/gradient.ts).
  if (withAccounts) {
    await writeGradientData(
      db,
      plan.now.toISOString(),
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(plan.now),
    )
  }

  const records = plan.organisations.map((o, i) => ({ ...o, id: orgIds[i] ?? 0 }))
  const idsOf = (kind: DemoOrganisation['kind']) => records.filter((o) => o.kind === kind).map((o) => o.id)
  return {
    organisations: records.length,
    needs: plan.needCount,
    enterprises: idsOf('enterprise'),
    providers: idsOf('provider'),
    agencies: idsOf('agency'),
    records,
    accounts,
    providerData: providerCounts,
    diagnosisData: diagnosis.counts,
    contractData,
  }
}

// ---------------------------------------------------------------- PostgreSQL

/** Organisations and the demo accounts that own them, in one transaction that holds out other writers. */
async function pgWriteOrganisations(
  db: Kysely<DB>,
  plan: DemoPlan,
  withAccounts: boolean,
  passwordHash: string,
  now: string,
): Promise<{ orgIds: number[]; accounts: DemoAccount[] }> {
  return db.transaction().execute(async (trx) => {
    // Checked again under a lock that stops other inserts until commit: nothing can slip in between.
    await sql`lock table organisations in share row exclusive mode`.execute(trx)
    const n = await organisationCount(trx)
    if (n > 0) throw new DemoRefusedError(n)
    const orgIds = await pgInsertOrganisations(trx, plan.organisations)
    const accounts = withAccounts ? await pgInsertAccounts(trx, plan, orgIds, passwordHash, now) : []
    return { orgIds, accounts }
  })
}

async function pgInsertOrganisations(trx: Transaction<DB>, orgs: readonly DemoOrganisation[]): Promise<number[]> {
  const first = orgs[0]
  if (!first) return []
  const existing = new Set(
    (
      await sql<{ name: string }>`
        select column_name as name from information_schema.columns
         where table_schema = current_schema() and table_name = 'organisations'`.execute(trx)
    ).rows.map((c) => c.name),
  )
  const columns = Object.keys(organisationRow(first)).filter((c) => existing.has(c))
  const ids = await pgReserveIds(trx, 'organisations', orgs.length)
  const rows = orgs.map((o, i) => {
    const row = organisationRow(o) as Record<string, unknown>
    return { id: ids[i], ...Object.fromEntries(columns.map((c) => [c, row[c] ?? null])) }
  })
  for (const batch of chunks(rows, PG_BATCH_SIZE)) {
    await trx
      .insertInto('organisations')
      .values(batch as Insertable<OrganisationsTable>[])
      .execute()
  }
  return ids
}

async function pgInsertAccounts(
  trx: Transaction<DB>,
  plan: DemoPlan,
  orgIds: readonly number[],
  passwordHash: string,
  now: string,
): Promise<DemoAccount[]> {
  const taken = new Set(
    (
      await trx
        .selectFrom('users')
        .select('phone')
        .where('phone', 'in', [...DEMO_PHONES])
        .execute()
    ).map((r) => r.phone),
  )
  const wanted = plan.accounts.flatMap((a) => {
    const org = plan.organisations[a.orgIndex]
    const orgId = orgIds[a.orgIndex]
    return !org || orgId === undefined || taken.has(a.phone) ? [] : [{ a, org, orgId }]
  })
  const userIds = await pgReserveIds(trx, 'users', wanted.length)
  if (wanted.length === 0) return []
  // Demo phones count as verified, so the demo agencies hold approval rights.
  await trx
    .insertInto('users')
    .values(
      wanted.map(({ a }, i) => ({
        id: userIds[i],
        name: a.name,
        phone: a.phone,
        password_hash: passwordHash,
        created_at: now,
        is_demo: 1 as const,
        phone_verified_at: now,
      })),
    )
    .execute()
  await trx
    .insertInto('memberships')
    .values(
      wanted.map(({ orgId }, i) => ({
        user_id: userIds[i]!,
        org_id: orgId,
        role: 'owner' as const,
        status: 'active' as const,
        created_at: now,
      })),
    )
    .execute()
  return wanted.map(({ a, org }) => ({ role: a.role, name: a.name, phone: a.phone, orgName: org.name }))
}

/** The plan's needs in transactions of PG_BATCH_SIZE, reporting progress after each. */
async function pgWriteNeeds(
  db: Kysely<DB>,
  plan: DemoPlan,
  orgIds: readonly number[],
  decorate: (need: DemoNeedInput) => DemoNeedInput,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const total = plan.needCount
  const needs = plan.needs(orgIds)
  onProgress?.(0, total)
  for (let from = 0; from < total; from += PG_BATCH_SIZE) {
    const batch: DemoNeedInput[] = []
    for (let k = from; k < Math.min(total, from + PG_BATCH_SIZE); k++) {
      const next = needs.next()
      if (next.done) break
      batch.push(decorate(next.value))
    }
    if (batch.length === 0) break
    await db.transaction().execute(async (trx) => {
      const ids = await pgReserveIds(trx, 'needs', batch.length)
      await trx
        .insertInto('needs')
        .values(batch.map((need, i) => ({ id: ids[i], ...Object.fromEntries(NEED_COLUMNS.map((c) => [c, need[c]])) })) as never)
        .execute()
      const scenarios = batch.flatMap((need, i) => need.scenarios.map((code) => ({ need_id: ids[i]!, scenario_code: code })))
      for (const part of chunks(scenarios, 10_000)) await trx.insertInto('need_scenarios').values(part).execute()
    })
    onProgress?.(from + batch.length, total)
  }
}

export type DemoSeedOutcome = { seeded: true; result: GenerateDemoResult } | { seeded: false; reason: 'disabled' | 'not-empty' }

/**
 * `npm start`'s demo step: with `needs` > 0 and a database that holds no
 * organisation, the whole demo data set (organisations, accounts, needs); otherwise
 * nothing at all. 0 needs means no demo data.
 */
export async function seedDemoIfEmpty(
  db: Kysely<DB>,
  sqlite: BetterSqlite3.Database | null,
  opts: GenerateDemoOptions,
): Promise<DemoSeedOutcome> {
  if (opts.needs <= 0) return { seeded: false, reason: 'disabled' }
  if ((await organisationCount(db)) > 0) return { seeded: false, reason: 'not-empty' }
  try {
    return { seeded: true, result: await generateDemo(db, sqlite, opts) }
  } catch (error) {
    if (error instanceof DemoRefusedError) return { seeded: false, reason: 'not-empty' }
    throw error
  }
}

/**
 * Deletes the demo data set (children first, for the foreign keys) and resets the
 * id counters (SQLite's AUTOINCREMENT, PostgreSQL's identity sequences) so a re-seed
 * gets the same ids. Memberships, invitations
 * and sessions go with their organisation or account (ON DELETE CASCADE). Later
 * tables that reference organisations or needs without a cascade must be added here,
 * before their parents. Refuses when anything real is there: an organisation or
 * account not marked demo, or an entry in the append-only audit log (which cannot be
 * emptied) naming any account or organisation.
 */
export async function resetDemoData(db: Kysely<DB>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Flags compared with a parameter: 0 on SQLite, read as false by PostgreSQL's boolean.
    const real = await sql<{ orgs: number; users: number }>`
      select (select count(*) from organisations where is_demo = ${0}) as orgs,
             (select count(*) from users where is_demo = ${0}) as users`.execute(trx)
    const { orgs = 0, users = 0 } = real.rows[0] ?? {}
    if (Number(orgs) > 0 || Number(users) > 0) {
      throw new Error(
        `数据库中有 ${orgs} 个真实组织和 ${users} 个真实账号，不能重置演示数据；请改用新的数据库文件。 / the database holds real organisations or accounts`,
      )
    }
    const refs = await sql<{
      n: number
    }>`select count(*) as n from audit_log where actor_org_id is not null or actor_user_id is not null`.execute(trx)
    if (Number(refs.rows[0]?.n ?? 0) > 0) {
      throw new Error('审计日志中已有账号或组织的操作记录（只可追加，不能删除），无法重置演示数据；请改用新的数据库文件。')
    }
    await trx.deleteFrom('search_outbox').execute()
    // 服务券 (seed/vouchers.ts): they name contracts.
    await deleteVoucherData(trx)
    // Bids and contracts (seed/contracts.ts), children first.
    for (const table of [
      'contract_events',
      'contract_ratings',
      'disputes',
      'supervision_logs',
      'milestone_reviews',
      'milestone_submissions',
      'contract_milestones',
      'contracts',
      'bid_messages',
      'bid_shares',
      'bids',
    ] as const)
      await trx.deleteFrom(table).execute()
    // Matchmaking events (seed/events.ts): their batches, registrations, intents … go with them (cascade).
    await trx.deleteFrom('events').execute()
    // Provider evaluation (seed/evaluations.ts; names organisations and users).
    await deleteEvaluationData(trx)
    // The provider pool (seed/pool.ts): its reviews name the experts below.
    await deletePoolData(trx)
    // The expert library and its event review rows (seed/experts.ts; name users and organisations).
    for (const table of ['event_review_sheets', 'event_review_ties', 'event_experts', 'experts'] as const)
      await trx.deleteFrom(table).execute()
    // District targets (seed/targets.ts; name organisations and users).
    await deleteTargetsData(trx)
    await trx.deleteFrom('need_scenarios').execute()
    await trx.deleteFrom('needs').execute()
    // The enterprises' archives and the diagnoses (name organisations and users without a cascade).
    await trx.deleteFrom('diagnosis_surveys').execute()
    await trx.deleteFrom('diagnosis_service_records').execute()
    await trx.deleteFrom('diagnosis_recommendations').execute()
    await trx.deleteFrom('diagnosis_weaknesses').execute()
    await trx.deleteFrom('diagnosis_report_versions').execute()
    await trx.deleteFrom('diagnoses').execute()
    await trx.deleteFrom('title_reviews').execute()
    await trx.deleteFrom('enterprise_titles').execute()
    await trx.deleteFrom('enterprise_profiles').execute()
    // The providers' data (what cascades with its organisation goes anyway; templates and
    // consortia do not cascade), and the external ids of exports and imports of it.
    await trx.deleteFrom('consortium_members').execute()
    await trx.deleteFrom('consortia').execute()
    await trx.deleteFrom('contract_template_scenarios').execute()
    await trx.deleteFrom('contract_template_versions').execute()
    await trx.deleteFrom('contract_templates').execute()
    await trx.deleteFrom('case_metrics').execute()
    await trx.deleteFrom('case_scenarios').execute()
    await trx.deleteFrom('provider_cases').execute()
    await trx.deleteFrom('provider_qualifications').execute()
    await trx.deleteFrom('provider_industries').execute()
    await trx.deleteFrom('provider_scenarios').execute()
    await trx.deleteFrom('provider_regions').execute()
    await trx.deleteFrom('provider_profiles').execute()
    await trx.deleteFrom('exchange_ids').execute()
    // Organisations first: their invitations (created by demo accounts) go with them.
    await trx.deleteFrom('organisations').execute()
    await trx.deleteFrom('users').where('is_demo', '=', 1).execute()
    const counted = [
      'search_outbox',
      'needs',
      'organisations',
      'users',
      'provider_qualifications',
      'provider_cases',
      'case_metrics',
      'contract_templates',
      'contract_template_versions',
      'consortia',
      'enterprise_titles',
      'diagnoses',
      'diagnosis_report_versions',
      'diagnosis_weaknesses',
      'diagnosis_service_records',
      'bids',
      'bid_messages',
      'contracts',
      'contract_milestones',
      'milestone_submissions',
      'milestone_reviews',
      'supervision_logs',
      'disputes',
      'contract_ratings',
      'contract_events',
    ] as const
    if (dialectOf(trx) === 'postgres') {
      // The next id is one past the highest left (1 in an emptied table).
      for (const table of counted) {
        await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(
          trx,
        )
      }
    } else {
      await sql`delete from sqlite_sequence where name in (${sql.join(counted)})`.execute(trx)
    }
  })
}
