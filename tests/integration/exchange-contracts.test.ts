import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planExport } from '../../app/domain/exchange/export.server.js'
import { importExchangeFile, type ByteSource } from '../../app/domain/exchange/import.server.js'
import type { Database } from '../../db/connection.js'
import type { OpenedDatabase } from '../../db/open.js'
import { generateDemo } from '../../seed/demo-writer.js'
import { insertUser } from '../support/factories.js'
import { all, freshTestDb, type FreshTestDb } from '../support/test-db.js'

/*
 * Issue 14: bids, contracts (terms, milestones with their status and dates, both
 * confirmations, the supervisor) and contract ratings join the exchange format with the
 * enterprises' needs. Exported from the demo data and imported into an empty database
 * they come out the same (and export to the same file again); importing again changes
 * nothing; a bad line is named with its field and nothing is written; a reference to
 * something neither in the file nor imported before is refused at its line.
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

function bytes(text: readonly string[], name = 'contracts.jsonl'): ByteSource {
  const data = Buffer.from(text.join('\n') + '\n')
  return {
    name,
    async *open() {
      yield data
    },
  }
}

const typeOf = (line: string) => (JSON.parse(line) as { type: string }).type

beforeAll(async () => {
  const a = await freshTestDb('exch_ct_a')
  const b = await freshTestDb('exch_ct_b')
  fresh.push(a, b)
  source = a.open()
  copy = b.open()
  await generateDemo(source.db, source.sqlite, { needs: 400, seed: 42 })
  lines = await exportLines(source.db, '321000')
  operator = (await insertUser(copy.db, { name: '导入运维' })).id
}, 120_000)

afterAll(async () => {
  await source?.close()
  await copy?.close()
  for (const target of fresh) await target.drop()
})

type Row = Record<string, unknown>

/** What the format carries, by natural keys (need title + organisation names) instead of ids. */
async function dump(db: Database) {
  const q = (text: string) => all<Row>(db, text)
  const yz = `(select id from organisations where kind = 'enterprise' and region_code like '3210%')`
  return {
    bids: await q(`
      select n.title, p.name as provider, b.price_wan_x100, b.duration_days, b.plan, b.status, b.status_reason, b.revision,
             b.created_at, b.updated_at, b.withdrawn_at, t.title as template
        from bids b join needs n on n.id = b.need_id join organisations p on p.id = b.provider_org_id
        left join contract_template_versions v on v.id = b.template_version_id left join contract_templates t on t.id = v.template_id
       where n.org_id in ${yz} order by n.title, p.name, b.created_at`),
    contracts: await q(`
      select c.title, e.name as enterprise, p.name as provider, c.amount_wan_x100, c.start_date, c.construction_days,
             c.technical_standards, c.acceptance_standards, c.quality_terms, c.warranty_months, c.dispute_clause, c.status,
             c.status_reason, c.revision, c.enterprise_confirmed_at, c.provider_confirmed_at, s.name as supervisor,
             g.name as appointed_by, c.supervisor_appointed_at, c.region_code, c.created_at, c.activated_at, c.closed_at
        from contracts c join organisations e on e.id = c.enterprise_org_id join organisations p on p.id = c.provider_org_id
        left join organisations s on s.id = c.supervisor_org_id left join organisations g on g.id = c.supervisor_appointed_org_id
       where c.enterprise_org_id in ${yz} order by c.title, c.created_at`),
    milestones: await q(`
      select c.title, m.seq, m.name, m.percent, m.amount_wan_x100, m.due_date, m.criteria, m.status, m.round, m.submitted_at,
             m.accepted_at, m.late_flagged_at
        from contract_milestones m join contracts c on c.id = m.contract_id
       where c.enterprise_org_id in ${yz} order by c.title, c.created_at, m.seq`),
    ratings: await q(`
      select c.title, r.side, ra.name as rater, rd.name as rated, r.item_1, r.item_2, r.item_3, r.item_4, r.item_5, r.overall,
             r.comment, r.reply, r.created_at, r.replied_at
        from contract_ratings r join contracts c on c.id = r.contract_id join organisations ra on ra.id = r.rater_org_id
        join organisations rd on rd.id = r.rated_org_id
       where c.enterprise_org_id in ${yz} order by c.title, c.created_at, r.side`),
  }
}

describe('exchange: bids, contracts and ratings', () => {
  it('exports them after the needs, with every contract state', async () => {
    const types = lines.map(typeOf)
    expect(types).toContain('bid')
    expect(types).toContain('contract_rating')
    const last = (t: string) => types.lastIndexOf(t)
    expect(last('need')).toBeLessThan(types.indexOf('bid'))
    expect(last('bid')).toBeLessThan(types.indexOf('contract'))
    expect(last('contract')).toBeLessThan(types.indexOf('contract_rating'))
    const statuses = new Set(
      lines.filter((l) => typeOf(l) === 'contract').map((l) => (JSON.parse(l) as { status: string }).status),
    )
    expect([...statuses].sort()).toEqual(expect.arrayContaining(['active', 'completed', 'draft']))
    const supervised = lines.find(
      (l) => typeOf(l) === 'contract' && (JSON.parse(l) as { supervisor: unknown }).supervisor !== null,
    )
    expect(supervised).toBeDefined()
  })

  it('imports into an empty database as they were, exports the same file again, and a second import changes nothing', async () => {
    const first = await importExchangeFile(copy.db, bytes(lines), {
      markVerified: true,
      operator: { userId: operator },
      source: 'contracts.jsonl',
    })
    expect(first.ok, JSON.stringify(first).slice(0, 2000)).toBe(true)
    if (!first.ok) return
    expect(first.counts.bid?.created).toBe(lines.filter((l) => typeOf(l) === 'bid').length)
    expect(first.counts.contract?.created).toBe(lines.filter((l) => typeOf(l) === 'contract').length)
    expect(first.counts.contract_rating?.created).toBe(lines.filter((l) => typeOf(l) === 'contract_rating').length)
    expect(await dump(copy.db)).toEqual(await dump(source.db))
    expect(await exportLines(copy.db, '321000')).toEqual(lines)

    const again = await importExchangeFile(copy.db, bytes(lines), {
      markVerified: true,
      operator: { userId: operator },
      source: 'contracts.jsonl',
    })
    expect(again.ok).toBe(true)
    if (!again.ok) return
    for (const t of ['bid', 'contract', 'contract_rating']) {
      expect(again.counts[t], t).toMatchObject({ created: 0, updated: 0 })
    }
    expect(await dump(copy.db)).toEqual(await dump(source.db))
  }, 120_000)

  it('a bad line is named with its field, a reference to an unknown record is refused at its line, and nothing is written', async () => {
    const before = await dump(copy.db)
    const contractAt = lines.findIndex((l) => typeOf(l) === 'contract')
    const ratingAt = lines.findIndex((l) => typeOf(l) === 'contract_rating')
    const bidAt = lines.findIndex((l) => typeOf(l) === 'bid')
    const edited = [...lines]
    const contract = JSON.parse(lines[contractAt]!) as { milestones: { percent: number }[]; title: string }
    contract.milestones[0]!.percent += 5
    contract.title = '改过的合同标题'
    edited[contractAt] = JSON.stringify(contract)
    edited[ratingAt] = JSON.stringify({ ...(JSON.parse(lines[ratingAt]!) as object), contract: 'no-such-contract' })
    edited[bidAt] = JSON.stringify({ ...(JSON.parse(lines[bidAt]!) as object), priceWan: 12.345 })
    const result = await importExchangeFile(copy.db, bytes(edited), {
      markVerified: false,
      operator: { userId: operator },
      source: 'bad.jsonl',
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: contractAt + 1, path: ['milestones'], key: 'exchange.v.milestoneSum' }),
        expect.objectContaining({ line: ratingAt + 1, path: ['contract'], key: 'exchange.v.unresolved' }),
        expect.objectContaining({ line: bidAt + 1, path: ['priceWan'], key: 'exchange.v.wanDecimals' }),
      ]),
    )
    expect(await dump(copy.db)).toEqual(before)
  })

  it('a changed contract line updates the contract in place; a rating of a contract that is not completed is refused', async () => {
    const contractAt = lines.findIndex(
      (l) => typeOf(l) === 'contract' && (JSON.parse(l) as { status: string }).status === 'draft',
    )
    const draft = JSON.parse(lines[contractAt]!) as { externalId: string; title: string }
    const changed = [...lines]
    changed[contractAt] = JSON.stringify({ ...draft, title: '合同标题已修改' })
    const result = await importExchangeFile(copy.db, bytes(changed), {
      markVerified: true,
      operator: { userId: operator },
      source: 'changed.jsonl',
    })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.counts.contract).toMatchObject({ created: 0, updated: 1 })
    const titles = await all<{ title: string }>(copy.db, `select title from contracts where title = '合同标题已修改'`)
    expect(titles).toHaveLength(1)

    const rating = {
      type: 'contract_rating',
      version: 1,
      contract: draft.externalId,
      side: 'enterprise',
      items: ['good', 'good', 'good', 'good', 'good'],
      overall: 'satisfied',
      createdAt: '2026-10-01T02:00:00.000Z',
    }
    const refused = await importExchangeFile(copy.db, bytes([JSON.stringify(rating)]), {
      markVerified: false,
      operator: { userId: operator },
      source: 'rating.jsonl',
    })
    expect(refused.ok).toBe(false)
    if (refused.ok) return
    expect(refused.issues).toEqual([
      expect.objectContaining({ line: 1, path: ['contract'], key: 'exchange.v.ratingNotCompleted' }),
    ])
  })
})
