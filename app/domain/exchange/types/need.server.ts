import type { Insertable, Kysely } from 'kysely'
import type { DB, NeedsTable } from '../../../../db/types.js'
import type { CrossCheck, ExchangeType, IdSpace, WriteContext } from '../exchange-type.server.js'
import type { ExchangeIssue } from '../issues.js'
import { insertReturningIds, insertRows, unknownCode, unknownCodes } from '../exchange-type.server.js'
import { ZNeedV1, type TNeedV1 } from '../schemas/need.v1.js'
import { DIAGNOSIS_REPORT, weaknessFact } from './diagnosis-report.server.js'
import { ORGANISATION } from './organisation.server.js'
import { externalIdsOf } from './actors.server.js'

export const NEED = 'need'
const CHUNK = 500

export const needSpace: IdSpace = {
  name: NEED,
  table: 'needs',
  exportPrefix: 'need',
  /** The enterprise's external id (a contract names the need and the enterprise: they must agree). */
  async loadFacts(db, ids) {
    const rows: { id: number; org_id: number }[] = []
    for (let i = 0; i < ids.length; i += CHUNK) {
      rows.push(
        ...(await db
          .selectFrom('needs')
          .select(['id', 'org_id'])
          .where('id', 'in', ids.slice(i, i + CHUNK))
          .execute()),
      )
    }
    const orgs = await externalIdsOf(
      db,
      ORGANISATION,
      rows.map((r) => r.org_id),
    )
    return new Map(rows.map((r) => [r.id, { organisation: orgs.get(r.org_id) ?? '' }]))
  },
}

/** A need's columns (what a line sets), comparable across dialects. */
interface NeedState {
  id: number
  columns: ReturnType<typeof needColumns>
  scenarios: string[]
  source: { reportId: number; weaknessId: number } | null
}

function needColumns(n: {
  org_id: number
  title: string
  description: string
  industry_code: string
  region_code: string
  target_level: NeedsTable['target_level']
  budget_min_wan: number
  budget_max_wan: number
  expected_start: string
  duration_months: number
  accepts_matching: number
  expected_results: string
  visibility: 'public' | 'verified_providers'
  status: TNeedV1['status']
  status_reason: string
  deadline: string | null
  published_at: string | null
}) {
  return {
    org_id: n.org_id,
    title: n.title,
    description: n.description,
    industry_code: n.industry_code,
    region_code: n.region_code,
    target_level: n.target_level,
    budget_min_wan: Number(n.budget_min_wan),
    budget_max_wan: Number(n.budget_max_wan),
    expected_start: n.expected_start,
    duration_months: Number(n.duration_months),
    accepts_matching: Number(n.accepts_matching) === 1 ? 1 : 0,
    expected_results: n.expected_results,
    visibility: n.visibility,
    status: n.status,
    status_reason: n.status_reason,
    deadline: n.deadline,
    published_at: n.published_at === null ? null : new Date(n.published_at).toISOString(),
  }
}

async function loadNeeds(db: Kysely<DB>, by: 'id' | 'org_id', keys: readonly number[]) {
  const out: (NeedState & { created_at: string })[] = []
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await db
      .selectFrom('needs')
      .selectAll()
      .where(by, 'in', keys.slice(i, i + CHUNK))
      .orderBy('org_id')
      .orderBy('id')
      .execute()
    const byId = new Map<number, NeedState & { created_at: string }>()
    for (const r of rows) {
      const state = {
        id: r.id,
        columns: needColumns({ ...r, deadline: r.deadline ?? null }),
        scenarios: [] as string[],
        source:
          r.source_report_id !== null && r.source_weakness_id !== null
            ? { reportId: r.source_report_id, weaknessId: r.source_weakness_id }
            : null,
        created_at: new Date(r.created_at).toISOString(),
      }
      byId.set(r.id, state)
      out.push(state)
    }
    const ids = [...byId.keys()]
    for (let j = 0; j < ids.length; j += CHUNK) {
      for (const s of await db
        .selectFrom('need_scenarios')
        .select(['need_id', 'scenario_code'])
        .where('need_id', 'in', ids.slice(j, j + CHUNK))
        .orderBy('need_id')
        .orderBy('scenario_code')
        .execute())
        byId.get(s.need_id)?.scenarios.push(s.scenario_code)
    }
  }
  return out
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const set = new Set(a)
  return b.every((x) => set.has(x))
}

/** The version and weakness rows of (diagnosis, version, seq) triples. */
async function resolveSources(db: Kysely<DB>, diagnosisIds: readonly number[]) {
  const out = new Map<string, { reportId: number; weaknessId: number }>()
  const back = new Map<number, { diagnosisId: number; version: number; seq: number }>()
  for (let i = 0; i < diagnosisIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('diagnosis_report_versions as v')
      .innerJoin('diagnosis_weaknesses as w', 'w.version_id', 'v.id')
      .select(['v.diagnosis_id', 'v.version', 'v.id as versionId', 'w.seq', 'w.id as weaknessId'])
      .where('v.diagnosis_id', 'in', diagnosisIds.slice(i, i + CHUNK))
      .execute()
    for (const r of rows) {
      out.set(`${r.diagnosis_id}:${r.version}:${r.seq}`, { reportId: r.versionId, weaknessId: r.weaknessId })
      back.set(r.weaknessId, { diagnosisId: r.diagnosis_id, version: r.version, seq: r.seq })
    }
  }
  return { out, back }
}

async function writeNeeds(ctx: WriteContext, batch: readonly { line: number; record: TNeedV1 }[]): Promise<void> {
  const { trx, ids, now } = ctx
  await ids.load(
    NEED,
    batch.map((b) => b.record.externalId),
    trx,
  )
  await ids.load(
    ORGANISATION,
    batch.map((b) => b.record.organisation),
    trx,
  )
  const reports = batch.flatMap((b) => (b.record.source ? [b.record.source.report] : []))
  await ids.load(DIAGNOSIS_REPORT, reports, trx)
  const sources = (await resolveSources(trx, [...new Set(reports.map((r) => ids.require(DIAGNOSIS_REPORT, r)))])).out
  const mapped = batch.map((b) => ids.get(NEED, b.record.externalId)).filter((id): id is number => id !== undefined)
  const current = new Map((await loadNeeds(trx, 'id', mapped)).map((n) => [n.id, n]))
  const scenarios: { need_id: number; scenario_code: string }[] = []
  const created: { record: TNeedV1; row: Insertable<NeedsTable> }[] = []
  for (const { record } of batch) {
    const orgId = ids.require(ORGANISATION, record.organisation)
    const source = record.source
      ? (sources.get(
          `${ids.require(DIAGNOSIS_REPORT, record.source.report)}:${record.source.version}:${record.source.weakness}`,
        ) ?? null)
      : null
    const columns = needColumns({
      org_id: orgId,
      title: record.title,
      description: record.description,
      industry_code: record.industryCode,
      region_code: record.regionCode,
      target_level: record.targetLevel,
      budget_min_wan: record.budgetMinWan,
      budget_max_wan: record.budgetMaxWan,
      expected_start: record.expectedStart,
      duration_months: record.durationMonths,
      accepts_matching: record.acceptsMatching ? 1 : 0,
      expected_results: record.expectedResults,
      visibility: record.visibility,
      status: record.status,
      status_reason: record.statusReason,
      deadline: record.deadline,
      published_at: record.publishedAt,
    })
    const sourceColumns = { source_report_id: source?.reportId ?? null, source_weakness_id: source?.weaknessId ?? null }
    const was = current.get(ids.get(NEED, record.externalId) ?? 0)
    if (!was) {
      created.push({
        record,
        row: { ...columns, ...sourceColumns, created_at: record.createdAt ?? now, updated_at: now },
      })
      continue
    }
    const rowChanged =
      JSON.stringify(columns) !== JSON.stringify(was.columns) ||
      (was.source?.reportId ?? null) !== sourceColumns.source_report_id ||
      (was.source?.weaknessId ?? null) !== sourceColumns.source_weakness_id ||
      (record.createdAt !== undefined && record.createdAt !== was.created_at)
    const scenariosChanged = !sameSet(was.scenarios, record.scenarios)
    if (!rowChanged && !scenariosChanged) {
      ctx.count(NEED, 'unchanged')
      continue
    }
    await trx
      .updateTable('needs')
      .set((eb) => ({
        ...columns,
        ...sourceColumns,
        ...(record.createdAt ? { created_at: record.createdAt } : {}),
        updated_at: now,
        revision: eb('revision', '+', 1),
      }))
      .where('id', '=', was.id)
      .execute()
    if (scenariosChanged) {
      await trx.deleteFrom('need_scenarios').where('need_id', '=', was.id).execute()
      for (const code of record.scenarios) scenarios.push({ need_id: was.id, scenario_code: code })
    }
    ctx.needChanged(was.id)
    ctx.count(NEED, 'updated')
  }
  const newIds = await insertReturningIds(
    trx,
    'needs',
    created.map((c) => c.row),
  )
  created.forEach(({ record }, i) => {
    const id = newIds[i]!
    for (const code of record.scenarios) scenarios.push({ need_id: id, scenario_code: code })
    ids.stage(NEED, record.externalId, id, now)
    ctx.needChanged(id)
    ctx.count(NEED, 'created')
  })
  await insertRows(trx, 'need_scenarios', scenarios)
}

const NOT_LIVE = new Set(['withdrawn', 'expired'])

/**
 * One live need per weakness (the needs_live_weakness_uq index): two live lines naming
 * the same weakness, or a live line naming a weakness a live need outside the file
 * holds already, are refused before anything is written.
 */
function weaknessChecks(): CrossCheck<TNeedV1> {
  const all: string[] = []
  const live: { line: number; externalId: string; report: string; version: number; weakness: number }[] = []
  const seen = new Map<string, number>()
  return {
    add(record, line) {
      all.push(record.externalId)
      if (!record.source || NOT_LIVE.has(record.status)) return []
      const key = JSON.stringify([record.source.report, record.source.version, record.source.weakness])
      const first = seen.get(key)
      if (first !== undefined) return [{ line, path: ['source'], key: 'exchange.v.weaknessInFile', params: { line: first } }]
      seen.set(key, line)
      live.push({ line, externalId: record.externalId, ...record.source })
      return []
    },
    async finish(db, ids) {
      if (live.length === 0) return []
      await ids.load(
        DIAGNOSIS_REPORT,
        live.map((l) => l.report),
        db,
      )
      const known = live.filter((l) => ids.get(DIAGNOSIS_REPORT, l.report) !== undefined)
      if (known.length === 0) return []
      const { out: sources } = await resolveSources(db, [...new Set(known.map((l) => ids.get(DIAGNOSIS_REPORT, l.report)!))])
      const weaknessOf = (l: (typeof known)[number]) =>
        sources.get(`${ids.get(DIAGNOSIS_REPORT, l.report)}:${l.version}:${l.weakness}`)?.weaknessId
      const weaknessIds = [...new Set(known.map(weaknessOf).filter((id): id is number => id !== undefined))]
      const holders = new Map<number, number>()
      for (let i = 0; i < weaknessIds.length; i += CHUNK) {
        for (const r of await db
          .selectFrom('needs')
          .select(['id', 'source_weakness_id'])
          .where('source_weakness_id', 'in', weaknessIds.slice(i, i + CHUNK))
          .where('status', 'not in', [...NOT_LIVE] as ('withdrawn' | 'expired')[])
          .execute())
          if (r.source_weakness_id !== null) holders.set(r.source_weakness_id, r.id)
      }
      if (holders.size === 0) return []
      await ids.load(NEED, all, db)
      const inFile = new Set(all.map((e) => ids.get(NEED, e)).filter((id): id is number => id !== undefined))
      const issues: ExchangeIssue[] = []
      for (const l of known) {
        const weakness = weaknessOf(l)
        const holder = weakness === undefined ? undefined : holders.get(weakness)
        if (holder !== undefined && !inFile.has(holder)) {
          issues.push({ line: l.line, path: ['source'], key: 'exchange.v.weaknessTaken', params: { id: holder } })
        }
      }
      return issues
    },
  }
}

export const needType: ExchangeType<TNeedV1> = {
  type: NEED,
  current: 1,
  schemas: { 1: ZNeedV1 },
  key: (n) => n.externalId,
  defines: (n) => ({ space: NEED, externalId: n.externalId, facts: { organisation: n.organisation } }),
  references: (n) => [
    {
      path: ['organisation'],
      space: ORGANISATION,
      externalId: n.organisation,
      expect: { facts: { kind: 'enterprise' }, key: 'exchange.v.notEnterprise' },
    },
    ...(n.source
      ? [
          {
            path: ['source'],
            space: DIAGNOSIS_REPORT,
            externalId: n.source.report,
            expect: { facts: { [weaknessFact(n.source.version, n.source.weakness)]: true }, key: 'exchange.v.noWeakness' },
          },
        ]
      : []),
  ],
  checkCodes: (n, ref, line) => [
    ...unknownCode(line, ['industryCode'], n.industryCode, ref.industriesByCode, 'exchange.v.unknownIndustry'),
    ...unknownCode(line, ['regionCode'], n.regionCode, ref.regionsByCode, 'exchange.v.unknownRegion'),
    ...unknownCodes(line, ['scenarios'], n.scenarios, ref.scenariosByCode, 'exchange.v.unknownScenario'),
  ],
  crossCheck: () => weaknessChecks(),
  // After the diagnosis reports whose weaknesses they name.
  phase: () => 4,
  write: writeNeeds,
}

// ---------------------------------------------------------------- reading (export)

/** The needs of these enterprises, enterprise by enterprise in the order of `orgIds`, oldest first. */
export async function* readNeeds(
  db: Kysely<DB>,
  orgIds: readonly number[],
  orgExternalIds: ReadonlyMap<number, string>,
  diagnosisExternalIds: ReadonlyMap<number, string>,
  needExternalId: (needIds: readonly number[]) => Promise<ReadonlyMap<number, string>>,
): AsyncGenerator<TNeedV1> {
  for (let i = 0; i < orgIds.length; i += CHUNK) {
    const part = orgIds.slice(i, i + CHUNK)
    const needs = await loadNeeds(db, 'org_id', part)
    const order = new Map(part.map((id, k) => [id, k]))
    needs.sort((a, b) => (order.get(a.columns.org_id) ?? 0) - (order.get(b.columns.org_id) ?? 0) || a.id - b.id)
    const externalIds = await needExternalId(needs.map((n) => n.id))
    const weaknessIds = needs.flatMap((n) => (n.source ? [n.source.weaknessId] : []))
    const where = new Map<number, { diagnosisId: number; version: number; seq: number }>()
    for (let j = 0; j < weaknessIds.length; j += CHUNK) {
      for (const r of await db
        .selectFrom('diagnosis_weaknesses as w')
        .innerJoin('diagnosis_report_versions as v', 'v.id', 'w.version_id')
        .select(['w.id', 'w.seq', 'v.version', 'v.diagnosis_id'])
        .where('w.id', 'in', weaknessIds.slice(j, j + CHUNK))
        .execute())
        where.set(r.id, { diagnosisId: r.diagnosis_id, version: r.version, seq: r.seq })
    }
    for (const n of needs) {
      const c = n.columns
      const w = n.source ? where.get(n.source.weaknessId) : undefined
      const report = w ? diagnosisExternalIds.get(w.diagnosisId) : undefined
      yield {
        type: 'need',
        version: 1,
        externalId: externalIds.get(n.id) ?? '',
        organisation: orgExternalIds.get(c.org_id) ?? '',
        title: c.title,
        description: c.description,
        industryCode: c.industry_code,
        regionCode: c.region_code,
        scenarios: n.scenarios,
        targetLevel: c.target_level,
        budgetMinWan: c.budget_min_wan,
        budgetMaxWan: c.budget_max_wan,
        expectedStart: c.expected_start,
        durationMonths: c.duration_months,
        acceptsMatching: c.accepts_matching === 1,
        expectedResults: c.expected_results,
        visibility: c.visibility,
        status: c.status,
        statusReason: c.status_reason,
        deadline: c.deadline,
        createdAt: n.created_at,
        publishedAt: c.published_at,
        source: w && report ? { report, version: w.version, weakness: w.seq } : null,
      }
    }
  }
}
