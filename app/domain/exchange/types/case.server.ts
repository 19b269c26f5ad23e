import type { Kysely } from 'kysely'
import type { DB } from '../../../../db/types.js'
import type { ExchangeType, IdSpace, WriteContext } from '../exchange-type.server.js'
import { insertReturningIds, insertRows, unknownCode, unknownCodes } from '../exchange-type.server.js'
import { ZCaseV1, type TCaseMetricV1, type TCaseV1 } from '../schemas/case.v1.js'
import { ORGANISATION } from './organisation.server.js'

export const CASE = 'case'
const CHUNK = 500

export const caseSpace: IdSpace = {
  name: CASE,
  table: 'provider_cases',
  exportPrefix: 'case',
  async loadFacts(db, ids) {
    const out = new Map<number, Record<string, never>>()
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await db
        .selectFrom('provider_cases')
        .select('id')
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute()
      for (const r of rows) out.set(r.id, {})
    }
    return out
  },
}

/** A 0/1 column. */
function flag(on: boolean): 0 | 1 {
  return on ? 1 : 0
}

interface CaseState {
  id: number
  org_id: number
  columns: ReturnType<typeof caseColumns>
  scenarios: string[]
  metrics: TCaseMetricV1[]
}

function caseColumns(c: {
  title: string
  client_name: string
  client_anonymised: number
  industry_code: string
  region_code: string | null
  investment_wan: number | null
  year: number
  summary: string
}) {
  return {
    title: c.title,
    client_name: c.client_name,
    client_anonymised: flag(Number(c.client_anonymised) === 1),
    industry_code: c.industry_code,
    region_code: c.region_code,
    investment_wan: c.investment_wan,
    year: c.year,
    summary: c.summary,
  }
}

function columnsOf(record: TCaseV1) {
  return caseColumns({
    title: record.title,
    client_name: record.client,
    client_anonymised: record.clientAnonymised ? 1 : 0,
    industry_code: record.industryCode,
    region_code: record.regionCode,
    investment_wan: record.investmentWan,
    year: record.year,
    summary: record.summary,
  })
}

/** Cases with their scenarios and metrics, by id (`by: 'id'`) or every case of some providers (`by: 'org'`). */
async function loadCases(db: Kysely<DB>, by: 'id' | 'org_id', keys: readonly number[]): Promise<CaseState[]> {
  const out: CaseState[] = []
  for (let i = 0; i < keys.length; i += CHUNK) {
    const part = keys.slice(i, i + CHUNK)
    const rows = await db
      .selectFrom('provider_cases')
      .select([
        'id',
        'org_id',
        'title',
        'client_name',
        'client_anonymised',
        'industry_code',
        'region_code',
        'investment_wan',
        'year',
        'summary',
      ])
      .where(by, 'in', part)
      .orderBy('org_id')
      .orderBy('id')
      .execute()
    if (rows.length === 0) continue
    const byId = new Map<number, CaseState>()
    for (const r of rows) {
      const state: CaseState = { id: r.id, org_id: r.org_id, columns: caseColumns(r), scenarios: [], metrics: [] }
      byId.set(r.id, state)
      out.push(state)
    }
    const caseIds = [...byId.keys()]
    for (let j = 0; j < caseIds.length; j += CHUNK) {
      const ids = caseIds.slice(j, j + CHUNK)
      for (const s of await db
        .selectFrom('case_scenarios')
        .select(['case_id', 'scenario_code'])
        .where('case_id', 'in', ids)
        .orderBy('scenario_code')
        .execute())
        byId.get(s.case_id)?.scenarios.push(s.scenario_code)
      for (const m of await db
        .selectFrom('case_metrics')
        .select(['case_id', 'name', 'before_value', 'after_value', 'unit'])
        .where('case_id', 'in', ids)
        .orderBy('case_id')
        .orderBy('seq')
        .execute())
        byId.get(m.case_id)?.metrics.push({
          name: m.name,
          before: m.before_value === null ? null : Number(m.before_value),
          after: Number(m.after_value),
          unit: m.unit,
        })
    }
  }
  return out
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const set = new Set(a)
  return b.every((x) => set.has(x))
}

function sameMetrics(a: readonly TCaseMetricV1[], b: readonly TCaseMetricV1[]): boolean {
  return (
    a.length === b.length &&
    a.every((m, i) => {
      const o = b[i]!
      return m.name === o.name && m.before === o.before && m.after === o.after && m.unit === o.unit
    })
  )
}

function sameColumns(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.keys(a).every((k) => a[k] === b[k])
}

function metricRows(caseId: number, metrics: readonly TCaseMetricV1[]) {
  return metrics.map((m, i) => ({
    case_id: caseId,
    seq: i + 1,
    name: m.name,
    before_value: m.before,
    after_value: m.after,
    unit: m.unit,
  }))
}

async function writeCases(ctx: WriteContext, batch: readonly { line: number; record: TCaseV1 }[]): Promise<void> {
  const { trx, ids, now } = ctx
  await ids.load(
    CASE,
    batch.map((b) => b.record.externalId),
    trx,
  )
  await ids.load(
    ORGANISATION,
    batch.map((b) => b.record.provider),
    trx,
  )
  const mappedIds = batch.map((b) => ids.get(CASE, b.record.externalId)).filter((id): id is number => id !== undefined)
  const current = new Map((await loadCases(trx, 'id', mappedIds)).map((c) => [c.id, c]))
  // The cases' scenarios and metrics, written once the batch's cases have their ids.
  const scenarios: { case_id: number; scenario_code: string }[] = []
  const metrics: ReturnType<typeof metricRows> = []
  const created: { orgId: number; record: TCaseV1; row: ReturnType<typeof columnsOf> }[] = []
  for (const { record } of batch) {
    const orgId = ids.require(ORGANISATION, record.provider)
    const columns = columnsOf(record)
    const was = current.get(ids.get(CASE, record.externalId) ?? 0)
    if (!was) {
      created.push({ orgId, record, row: columns })
      continue
    }
    const rowChanged = was.org_id !== orgId || !sameColumns(columns, was.columns)
    const scenariosChanged = !sameSet(was.scenarios, record.scenarios)
    const metricsChanged = !sameMetrics(was.metrics, record.metrics)
    if (!rowChanged && !scenariosChanged && !metricsChanged) {
      ctx.count(CASE, 'unchanged')
      continue
    }
    await trx
      .updateTable('provider_cases')
      .set({ org_id: orgId, ...columns, updated_at: now })
      .where('id', '=', was.id)
      .execute()
    if (scenariosChanged) {
      await trx.deleteFrom('case_scenarios').where('case_id', '=', was.id).execute()
      for (const code of record.scenarios) scenarios.push({ case_id: was.id, scenario_code: code })
    }
    if (metricsChanged) {
      await trx.deleteFrom('case_metrics').where('case_id', '=', was.id).execute()
      metrics.push(...metricRows(was.id, record.metrics))
    }
    ctx.providerChanged(orgId)
    if (was.org_id !== orgId) ctx.providerChanged(was.org_id)
    ctx.count(CASE, 'updated')
  }
  const newIds = await insertReturningIds(
    trx,
    'provider_cases',
    created.map(({ orgId, row }) => ({ org_id: orgId, ...row, created_at: now, updated_at: now })),
  )
  created.forEach(({ orgId, record }, i) => {
    const id = newIds[i]!
    for (const code of record.scenarios) scenarios.push({ case_id: id, scenario_code: code })
    metrics.push(...metricRows(id, record.metrics))
    ids.stage(CASE, record.externalId, id, now)
    ctx.providerChanged(orgId)
    ctx.count(CASE, 'created')
  })
  await insertRows(trx, 'case_scenarios', scenarios)
  await insertRows(trx, 'case_metrics', metrics)
}

export const caseType: ExchangeType<TCaseV1> = {
  type: CASE,
  current: 1,
  schemas: { 1: ZCaseV1 },
  key: (c) => c.externalId,
  defines: (c) => ({ space: CASE, externalId: c.externalId, facts: {} }),
  references: (c) => [
    {
      path: ['provider'],
      space: ORGANISATION,
      externalId: c.provider,
      expect: { facts: { kind: 'provider' }, key: 'exchange.v.notProvider' },
    },
  ],
  checkCodes: (c, ref, line) => [
    ...unknownCode(line, ['industryCode'], c.industryCode, ref.industriesByCode, 'exchange.v.unknownIndustry'),
    ...unknownCode(line, ['regionCode'], c.regionCode, ref.regionsByCode, 'exchange.v.unknownRegion'),
    ...unknownCodes(line, ['scenarios'], c.scenarios, ref.scenariosByCode, 'exchange.v.unknownScenario'),
  ],
  phase: () => 1,
  write: writeCases,
}

// ---------------------------------------------------------------- reading (export)

/** The cases of these providers, provider by provider in the order of `orgIds`, oldest first. */
export async function* readCases(
  db: Kysely<DB>,
  orgIds: readonly number[],
  orgExternalIds: ReadonlyMap<number, string>,
  caseExternalId: (caseIds: readonly number[]) => Promise<ReadonlyMap<number, string>>,
): AsyncGenerator<TCaseV1> {
  for (let i = 0; i < orgIds.length; i += CHUNK) {
    const part = orgIds.slice(i, i + CHUNK)
    const cases = await loadCases(db, 'org_id', part)
    const order = new Map(part.map((id, k) => [id, k]))
    cases.sort((a, b) => (order.get(a.org_id) ?? 0) - (order.get(b.org_id) ?? 0) || a.id - b.id)
    const externalIds = await caseExternalId(cases.map((c) => c.id))
    for (const c of cases) {
      yield {
        type: 'case',
        version: 1,
        externalId: externalIds.get(c.id) ?? '',
        provider: orgExternalIds.get(c.org_id) ?? '',
        title: c.columns.title,
        client: c.columns.client_name,
        clientAnonymised: c.columns.client_anonymised === 1,
        industryCode: c.columns.industry_code,
        regionCode: c.columns.region_code,
        scenarios: c.scenarios,
        investmentWan: c.columns.investment_wan,
        year: c.columns.year,
        summary: c.columns.summary,
        metrics: c.metrics,
      }
    }
  }
}
