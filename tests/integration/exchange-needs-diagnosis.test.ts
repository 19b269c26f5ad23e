import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExchangeRecord } from '../../app/domain/exchange/exchange-type.server.js'
import { planExport } from '../../app/domain/exchange/export.server.js'
import { importExchangeFile, type ByteSource } from '../../app/domain/exchange/import.server.js'
import { EXCHANGE_TYPES } from '../../app/domain/exchange/registry.server.js'
import type { Database } from '../../db/connection.js'
import type { OpenedDatabase } from '../../db/open.js'
import { generateDemo } from '../../seed/demo-writer.js'
import { insertOrg, insertUser } from '../support/factories.js'
import { all, freshTestDb, type FreshTestDb } from '../support/test-db.js'

/*
 * Issue 12, item 9: enterprises' archives, diagnosis reports (versions, weaknesses,
 * recommended providers, service records, survey) and needs join the exchange format.
 * Exported from the demo data and imported into an empty database they come out the
 * same (and export to the same file again); a bad line is named and nothing is
 * written; importing again changes nothing; a changed report keeps the weakness rows
 * its needs name; imported needs are queued for search.
 */

const fresh: FreshTestDb[] = []
let source: OpenedDatabase
let copy: OpenedDatabase
let lines: string[]
let operator: number

async function exportLines(db: Database, region?: string): Promise<string[]> {
  const plan = await planExport(db, { kind: 'enterprise', regionCode: region })
  const out: string[] = []
  for await (const record of plan.records()) out.push(JSON.stringify(record))
  expect(out).toHaveLength(plan.total)
  return out
}

function bytes(text: readonly string[], name = 'enterprises.jsonl'): ByteSource {
  const data = Buffer.from(text.join('\n') + '\n')
  return {
    name,
    async *open() {
      for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024)
    },
  }
}

beforeAll(async () => {
  const a = await freshTestDb('exch_nd_a')
  const b = await freshTestDb('exch_nd_b')
  fresh.push(a, b)
  source = a.open()
  copy = b.open()
  await generateDemo(source.db, source.sqlite, { needs: 300, providers: 40, seed: 12, accounts: true })
  // Yangzhou: 企业 A and B, their diagnoser, and what their diagnoses name.
  lines = await exportLines(source.db, '321000')
  operator = (await insertUser(copy.db, { name: '导入运维' })).id
}, 120_000)

afterAll(async () => {
  await source?.close()
  await copy?.close()
  for (const target of fresh) await target.drop()
})

type Row = Record<string, unknown>

const ENTERPRISES = `(select id from organisations where kind = 'enterprise' and status <> 'rejected' and region_code like '3210%')`
const DIAG = `(select id from diagnoses where enterprise_org_id in ${ENTERPRISES})`
const KEY = `e.name as enterprise, p.name as provider, d.created_at as started`
const DIAG_JOIN = `join organisations e on e.id = d.enterprise_org_id join organisations p on p.id = d.provider_org_id`

/** What the format carries, by natural keys instead of ids. */
async function dump(db: Database) {
  const q = (text: string) => all<Row>(db, text)
  return {
    profiles: await q(`
      select o.name, x.size_band, x.above_scale, x.revenue_band, x.staff_band, x.main_products, x.rd_tools_pct, x.equipment_nc_pct,
             x.key_process_nc_pct, x.mgmt_digital_pct, x.mes_coverage_pct, x.maturity_level, x.indicators_year
        from enterprise_profiles x join organisations o on o.id = x.org_id where o.id in ${ENTERPRISES} order by o.name`),
    titles: await q(`
      select o.name, t.title, t.scene, t.issuer, t.awarded_on, t.expires_on, t.status
        from enterprise_titles t join organisations o on o.id = t.org_id where o.id in ${ENTERPRISES} order by o.name, t.id`),
    diagnoses: await q(`
      select ${KEY}, d.kind, d.status, d.origin, a.name as assigned, d.note, d.responded_at, d.completed_at
        from diagnoses d ${DIAG_JOIN} left join organisations a on a.id = d.assigned_by_org_id
       where d.id in ${DIAG} order by e.name, p.name, d.created_at`),
    versions: await q(`
      select ${KEY}, v.version, v.status, v.basics, v.solution, v.benchmark_peer, v.benchmark_notes, v.maturity_level,
             v.return_reason, v.created_at, v.submitted_at, v.confirmed_at, v.confirmed_by is not null as signed
        from diagnosis_report_versions v join diagnoses d on d.id = v.diagnosis_id ${DIAG_JOIN}
       where d.id in ${DIAG} order by e.name, p.name, d.created_at, v.version`),
    weaknesses: await q(`
      select ${KEY}, v.version, w.seq, w.scenario_code, w.severity, w.title, w.description, w.indicator, w.current_value, w.target_value
        from diagnosis_weaknesses w join diagnosis_report_versions v on v.id = w.version_id join diagnoses d on d.id = v.diagnosis_id ${DIAG_JOIN}
       where d.id in ${DIAG} order by e.name, p.name, d.created_at, v.version, w.seq`),
    recommendations: await q(`
      select ${KEY}, v.version, r.seq, o.name as recommended, r.note
        from diagnosis_recommendations r join organisations o on o.id = r.provider_org_id
        join diagnosis_report_versions v on v.id = r.version_id join diagnoses d on d.id = v.diagnosis_id ${DIAG_JOIN}
       where d.id in ${DIAG} order by e.name, p.name, d.created_at, v.version, r.seq`),
    records: await q(`
      select ${KEY}, s.kind, s.occurred_on, s.minutes, s.team_size, s.leader, s.team_members, s.content
        from diagnosis_service_records s join diagnoses d on d.id = s.diagnosis_id ${DIAG_JOIN}
       where d.id in ${DIAG} order by e.name, p.name, d.created_at, s.id`),
    surveys: await q(`
      select ${KEY}, v.version, s.process, s.analysis, s.proposal, s.competence, s.result, s.overall, s.comment, s.filled_at,
             s.agency_opinion, a.name as agency, s.agency_at
        from diagnosis_surveys s join diagnosis_report_versions v on v.id = s.version_id join diagnoses d on d.id = s.diagnosis_id ${DIAG_JOIN}
        left join organisations a on a.id = s.agency_org_id
       where d.id in ${DIAG} order by e.name, p.name, d.created_at`),
    needs: await q(
      `
      select o.name as org, n.title, n.description, n.industry_code, n.region_code, n.target_level, n.budget_min_wan, n.budget_max_wan,
             n.expected_start, n.duration_months, n.accepts_matching, n.expected_results, n.visibility, n.status, n.status_reason,
             n.deadline, n.created_at, n.published_at, w.seq as weakness, v.version as report_version, w.title as weakness_title,
             (select string_agg_placeholder) as scenarios
        from needs n join organisations o on o.id = n.org_id
        left join diagnosis_weaknesses w on w.id = n.source_weakness_id
        left join diagnosis_report_versions v on v.id = n.source_report_id
       where n.org_id in ${ENTERPRISES} order by o.name, n.created_at, n.title`.replace(
        '(select string_agg_placeholder)',
        '(select count(*) from need_scenarios s where s.need_id = n.id)',
      ),
    ),
    needScenarios: await q(`
      select o.name as org, n.created_at, n.title, s.scenario_code
        from need_scenarios s join needs n on n.id = s.need_id join organisations o on o.id = n.org_id
       where n.org_id in ${ENTERPRISES} order by o.name, n.created_at, n.title, s.scenario_code`),
  }
}

async function count(db: Database, table: string): Promise<number> {
  const rows = await all<{ n: number }>(db, `select count(*) as n from ${table}`)
  return Number(rows[0]?.n ?? 0)
}

describe('enterprises, diagnosis reports and needs: export → import', () => {
  it('writes lines every schema accepts, of every new type', () => {
    const types = new Map(EXCHANGE_TYPES.map((t) => [t.type, t]))
    const counts: Record<string, number> = {}
    for (const [i, line] of lines.entries()) {
      const record = JSON.parse(line) as ExchangeRecord
      counts[record.type] = (counts[record.type] ?? 0) + 1
      const result = types.get(record.type)?.schemas[record.version]?.safeParse(record)
      expect(result?.success, `line ${i + 1}: ${JSON.stringify(result?.error?.issues)}`).toBe(true)
    }
    expect(counts.enterprise_profile).toBeGreaterThan(5)
    expect(counts.diagnosis_report).toBeGreaterThan(1)
    expect(counts.need).toBeGreaterThan(20)
    expect(lines.some((l) => l.includes('"source":{"report"'))).toBe(true)
  })

  it('a bad line is reported with its line and field, and nothing is written', async () => {
    const bad = [...lines]
    const i = bad.findIndex((l) => l.includes('"type":"diagnosis_report"') && l.includes('"status":"completed"'))
    const j = bad.findIndex((l) => l.includes('"type":"need"'))
    const report = JSON.parse(bad[i]!) as { status: string }
    report.status = 'active'
    bad[i] = JSON.stringify(report)
    const need = JSON.parse(bad[j]!) as { source: unknown }
    need.source = { report: 'nowhere-1', version: 1, weakness: 1 }
    bad[j] = JSON.stringify(need)
    const result = await importExchangeFile(copy.db, bytes(bad), {
      markVerified: true,
      operator: { userId: operator },
      source: 'bad.jsonl',
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: i + 1, path: ['status'], key: 'exchange.v.completedConfirmed' }),
        expect.objectContaining({ line: j + 1, path: ['source'], key: 'exchange.v.unresolved' }),
      ]),
    )
    for (const table of ['organisations', 'enterprise_profiles', 'diagnoses', 'diagnosis_report_versions', 'needs']) {
      expect(await count(copy.db, table), table).toBe(0)
    }
  })

  it('an enterprise and a diagnoser have one open project at a time: a second in the file is refused', async () => {
    const at = lines.findIndex((l) => l.includes('"type":"diagnosis_report"') && /"status":"(active|proposed)"/.test(l))
    expect(at).toBeGreaterThanOrEqual(0)
    const twin = { ...(JSON.parse(lines[at]!) as Record<string, unknown>), externalId: 'twin-of-an-open-project' }
    const result = await importExchangeFile(copy.db, bytes([...lines, JSON.stringify(twin)]), {
      markVerified: true,
      operator: { userId: operator },
      source: 'twin.jsonl',
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues).toEqual([
      expect.objectContaining({
        line: lines.length + 1,
        path: ['status'],
        key: 'exchange.v.liveInFile',
        params: { line: at + 1 },
      }),
    ])
    expect(await count(copy.db, 'diagnoses')).toBe(0)
  })

  it('without an operator, a confirmed report of an enterprise with no owner here is refused', async () => {
    const result = await importExchangeFile(copy.db, bytes(lines), { markVerified: false, operator: null, source: 'x.jsonl' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues.some((x) => x.key === 'exchange.v.signerNeeded')).toBe(true)
    // The demo's bids and contracts name organisations with no owner here either (issue 14).
    expect(result.issues.every((x) => x.key === 'exchange.v.signerNeeded' || x.key === 'exchange.v.actorNeeded')).toBe(true)
    expect(await count(copy.db, 'diagnoses')).toBe(0)
  })

  it('imports into an empty database with the same rows, queues the needs for search, and exports the same file again', async () => {
    const result = await importExchangeFile(copy.db, bytes(lines), {
      markVerified: true,
      operator: { userId: operator },
      source: 'enterprises.jsonl',
    })
    expect(result.ok, JSON.stringify(result).slice(0, 2000)).toBe(true)
    if (!result.ok) return
    expect(result.counts.diagnosis_report?.created).toBeGreaterThan(1)
    expect(await dump(copy.db)).toEqual(await dump(source.db))
    const queued = await all<{ n: number }>(
      copy.db,
      "select count(distinct entity_id) as n from search_outbox where entity_type = 'need'",
    )
    expect(Number(queued[0]?.n)).toBe(result.counts.need?.created)
    // Confirmed versions and surveys are signed by the operator (the enterprises have no owner here).
    const signers = await all<{ by: number }>(
      copy.db,
      'select distinct confirmed_by as by from diagnosis_report_versions where confirmed_by is not null',
    )
    expect(signers.map((s) => Number(s.by))).toEqual([operator])
    expect(await exportLines(copy.db)).toEqual(lines)
  })

  it('importing the same file again changes nothing', async () => {
    const before = await dump(copy.db)
    const ids = await all<Row>(copy.db, 'select id from diagnosis_weaknesses order by id')
    const result = await importExchangeFile(copy.db, bytes(lines), {
      markVerified: true,
      operator: { userId: operator },
      source: 'enterprises.jsonl',
    })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    for (const type of ['enterprise_profile', 'diagnosis_report', 'need']) {
      expect(result.counts[type], type).toEqual(expect.objectContaining({ created: 0, updated: 0 }))
    }
    expect(await dump(copy.db)).toEqual(before)
    expect(await all<Row>(copy.db, 'select id from diagnosis_weaknesses order by id')).toEqual(ids)
  })

  it('a changed report updates its rows in place: the weakness a need names keeps its row', async () => {
    const linked = lines.find((l) => l.includes('"type":"need"') && l.includes('"source":{"report"'))!
    const need = JSON.parse(linked) as { externalId: string; source: { report: string; version: number; weakness: number } }
    const at = lines.findIndex((l) => l.includes(`"externalId":${JSON.stringify(need.source.report)}`))
    const report = JSON.parse(lines[at]!) as {
      reportVersions: { version: number; weaknesses: { title: string }[] }[]
      serviceRecords: { minutes: number }[]
    }
    const version = report.reportVersions.find((v) => v.version === need.source.version)!
    version.weaknesses[need.source.weakness - 1]!.title = '设备联网率低（已复核）'
    if (report.serviceRecords[0]) report.serviceRecords[0].minutes = 200
    const before = await all<{ id: number; source_weakness_id: number }>(
      copy.db,
      `select n.id, n.source_weakness_id from needs n join exchange_ids x on x.entity_id = n.id and x.type = 'need'
        where x.external_id = '${need.externalId.replace(/'/g, "''")}'`,
    )
    const changed = [...lines]
    changed[at] = JSON.stringify(report)
    const result = await importExchangeFile(copy.db, bytes(changed), {
      markVerified: true,
      operator: { userId: operator },
      source: 'changed.jsonl',
    })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.counts.diagnosis_report).toEqual(expect.objectContaining({ updated: 1, created: 0 }))
    const weakness = await all<{ title: string }>(
      copy.db,
      `select title from diagnosis_weaknesses where id = ${Number(before[0]?.source_weakness_id)}`,
    )
    expect(weakness[0]?.title).toBe('设备联网率低（已复核）')
  })
  it('an open project already in the database is not opened twice by a later file', async () => {
    const at = lines.findIndex((l) => l.includes('"type":"diagnosis_report"') && /"status":"(active|proposed)"/.test(l))
    const twin = { ...(JSON.parse(lines[at]!) as Record<string, unknown>), externalId: 'twin-in-a-later-file' }
    const result = await importExchangeFile(copy.db, bytes([JSON.stringify(twin)]), {
      markVerified: false,
      operator: { userId: operator },
      source: 'later.jsonl',
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues).toEqual([expect.objectContaining({ line: 1, path: ['status'], key: 'exchange.v.liveTaken' })])
  })
  it('names the line and field of each error of the new types', async () => {
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    const provider = parsed.find((r) => r.type === 'organisation' && r.kind === 'provider')!
    const profile = parsed.find((r) => r.type === 'enterprise_profile')!
    const report = parsed.find((r) => r.type === 'diagnosis_report' && (r.reportVersions as unknown[]).length > 0)!
    const need = parsed.find((r) => r.type === 'need')!
    const versions = report.reportVersions as { weaknesses: { scenario: string }[] }[]
    const badReport = {
      ...report,
      externalId: 'bad-report',
      status: 'cancelled',
      reportVersions: [
        { ...versions[0], status: 'draft', confirmedAt: null, weaknesses: [{ ...versions[0]!.weaknesses[0], scenario: 'S999' }] },
      ],
      survey: null,
    }
    const bad = [
      { ...profile, organisation: provider.externalId },
      { ...profile, rdToolsPct: 101 },
      badReport,
      { ...need, externalId: 'bad-need', source: { report: report.externalId, version: 99, weakness: 1 } },
      { ...need, externalId: 'bad-need-2', status: 'published', publishedAt: null, budgetMinWan: 500, budgetMaxWan: 100 },
    ].map((r) => JSON.stringify(r))
    const result = await importExchangeFile(copy.db, bytes(bad), {
      markVerified: false,
      operator: { userId: operator },
      source: 'bad.jsonl',
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues.map((i) => [i.line, i.path.join('.'), i.key])).toEqual([
      [1, 'organisation', 'exchange.v.notEnterprise'],
      [2, 'rdToolsPct', 'exchange.v.tooBig.number'],
      [3, 'reportVersions.0.weaknesses.0.scenario', 'exchange.v.unknownScenario'],
      [4, 'source', 'exchange.v.noWeakness'],
      [5, 'budgetMaxWan', 'exchange.v.budgetOrder'],
      [5, 'publishedAt', 'exchange.v.publishedAtRequired'],
    ])
  })
  it('a weakness has one live need: a second, in the file or beside one imported before, is refused', async () => {
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    const linked = parsed.find(
      (r) => r.type === 'need' && r.source !== null && !['withdrawn', 'expired'].includes(String(r.status)),
    )!
    const again = { ...linked, externalId: 'same-weakness-1' }
    const twice = { ...linked, externalId: 'same-weakness-2' }
    const result = await importExchangeFile(copy.db, bytes([JSON.stringify(again), JSON.stringify(twice)]), {
      markVerified: false,
      operator: { userId: operator },
      source: 'weakness.jsonl',
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues.map((i) => [i.line, i.path.join('.'), i.key])).toEqual([
      [1, 'source', 'exchange.v.weaknessTaken'],
      [2, 'source', 'exchange.v.weaknessInFile'],
    ])
    // Withdrawn, the weakness may be used again.
    const withdrawn = { ...linked, externalId: 'same-weakness-3', status: 'withdrawn' }
    const ok = await importExchangeFile(copy.db, bytes([JSON.stringify(withdrawn)]), {
      markVerified: false,
      operator: { userId: operator },
      source: 'withdrawn.jsonl',
    })
    expect(ok.ok).toBe(true)
  })

  it('changed titles: a title the line keeps keeps its row and reward; a decided title stays; the others left out go', async () => {
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    const profile = parsed.find((r) => r.type === 'enterprise_profile' && (r.titles as unknown[]).length > 0)!
    const org = parsed.find((r) => r.type === 'organisation' && r.externalId === profile.organisation)!
    const orgId = (await all<{ id: number }>(copy.db, `select id from organisations where name = '${String(org.name)}'`))[0]!.id
    const rows = () =>
      all<{ id: number; title: string; reward_wan_x100: number | null }>(
        copy.db,
        `select id, title, reward_wan_x100 from enterprise_titles where org_id = ${orgId} order by id`,
      )
    const [kept] = await rows()
    await copy.db.updateTable('enterprise_titles').set({ reward_wan_x100: 3000 }).where('id', '=', kept!.id).execute()
    const extra = (title: 'leading' | 'excellence') =>
      copy.db
        .insertInto('enterprise_titles')
        .values({
          org_id: orgId,
          title,
          awarded_on: '2025-03-01',
          expires_on: '2028-03-01',
          created_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    const decided = await extra('leading')
    const undecided = await extra('excellence')
    const agency = await insertOrg(copy.db, { kind: 'agency', region: '321000' })
    await copy.db
      .insertInto('title_reviews')
      .values({
        title_id: decided.id,
        agency_org_id: agency,
        outcome: 'passed',
        decided_on: '2026-01-05',
        decided_by: operator,
        created_at: new Date().toISOString(),
      })
      .execute()
    const first = (profile.titles as Record<string, unknown>[])[0]!
    const added = { ...first, title: 'advanced', scene: '', awardedOn: '2026-02-01', expiresOn: '2029-02-01', status: 'held' }
    const line = { ...profile, titles: [first, added] }
    const result = await importExchangeFile(copy.db, bytes([JSON.stringify(line)]), {
      markVerified: false,
      operator: { userId: operator },
      source: 'titles.jsonl',
    })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.counts.enterprise_profile).toEqual(expect.objectContaining({ updated: 1 }))
    const after = await rows()
    expect(after.find((r) => r.id === kept!.id)).toMatchObject({ reward_wan_x100: 3000 })
    expect(after.map((r) => r.id)).toContain(decided.id)
    expect(after.map((r) => r.id)).not.toContain(undecided.id)
    expect(after.filter((r) => r.title === 'advanced' && r.id > undecided.id)).toHaveLength(1)
    expect(await all(copy.db, `select id from title_reviews where title_id = ${decided.id}`)).toHaveLength(1)
    // The same line again: the decided title still stays, and nothing is counted as changed.
    const again = await importExchangeFile(copy.db, bytes([JSON.stringify(line)]), {
      markVerified: false,
      operator: { userId: operator },
      source: 'titles.jsonl',
    })
    expect(again.ok && again.counts.enterprise_profile).toEqual(expect.objectContaining({ updated: 0, unchanged: 1 }))
    expect(await rows()).toEqual(after)
  })
})
