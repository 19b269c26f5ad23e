import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/connection.js'
import { milestoneAmounts } from '../../app/domain/contracts/draft.server.js'
import { generateDemo, type GenerateDemoResult } from '../../seed/demo-writer.js'
import { all, freshTestDb, type FreshTestDb } from '../support/test-db.js'
import { hasMessage, translator } from '../../app/i18n/index.js'

/*
 * Issue 14: the demo data's bids and contracts (seed/contracts.ts) — coherent with the
 * needs' statuses, contracts in every state with milestones, reviews, logs, disputes,
 * ratings and a timeline, and the demo accounts taking part.
 */

const fresh: FreshTestDb[] = []
let db: Database
let close: () => Promise<void>
let result: GenerateDemoResult

beforeAll(async () => {
  const target = await freshTestDb('demo_contracts')
  fresh.push(target)
  const opened = target.open()
  db = opened.db
  close = opened.close
  result = await generateDemo(opened.db, opened.sqlite, { needs: 800, seed: 42 })
}, 120_000)

afterAll(async () => {
  await close?.()
  for (const target of fresh) await target.drop()
})

type Row = Record<string, unknown>

async function orgOf(phone: string): Promise<number> {
  const rows = await all<{ org_id: number }>(
    db,
    `select m.org_id from users u join memberships m on m.user_id = u.id where u.phone = '${phone}'`,
  )
  expect(rows, phone).toHaveLength(1)
  return Number(rows[0]!.org_id)
}

describe('demo bids and contracts', () => {
  it('reports what it wrote, and bids follow the need’s status', async () => {
    const k = result.contractData
    const count = async (table: string) => Number((await all<{ n: number }>(db, `select count(*) as n from ${table}`))[0]!.n)
    expect(await count('bids')).toBe(k.bids)
    expect(await count('contracts')).toBe(k.contracts)
    expect(await count('contract_milestones')).toBe(k.milestones)
    expect(await count('contract_events')).toBe(k.events)
    expect(k.bids).toBeGreaterThan(200)
    expect(k.contracts).toBeGreaterThan(40)
    const wrong = await all<Row>(
      db,
      `select b.id, b.status, n.status as need from bids b join needs n on n.id = b.need_id
        where (b.status = 'awarded') <> (n.status in ('awarded', 'contracted', 'closed') and exists (select 1 from contracts c where c.bid_id = b.id))
           or n.status in ('draft', 'withdrawn', 'expired')`,
    )
    expect(wrong).toEqual([])
    // One awarded bid per need, one live bid per need and provider (the indexes hold).
    const awardedTwice = await all<Row>(
      db,
      `select need_id from bids where status = 'awarded' group by need_id having count(*) > 1`,
    )
    expect(awardedTwice).toEqual([])
  })

  it('contracts match their need: draft ⇔ awarded, active ⇔ contracted, completed/terminated ⇒ closed', async () => {
    const rows = await all<{ c: string; n: string; reason: string }>(
      db,
      'select c.status as c, n.status as n, n.status_reason as reason from contracts c join needs n on n.id = c.need_id',
    )
    const want: Record<string, string> = { draft: 'awarded', active: 'contracted', completed: 'closed', terminated: 'closed' }
    for (const r of rows) expect(r.n, JSON.stringify(r)).toBe(want[r.c])
    for (const r of rows.filter((x) => x.c === 'completed')) expect(r.reason).toBe('合同已完成')
    for (const r of rows.filter((x) => x.c === 'terminated')) expect(r.reason).toBe('合同终止')
    const statuses = new Set(rows.map((r) => r.c))
    expect([...statuses].sort()).toEqual(['active', 'completed', 'draft', 'terminated'])
    // Every awarded / contracted need has its contract.
    const orphans = await all<Row>(
      db,
      `select id from needs n where n.status in ('awarded', 'contracted') and not exists (select 1 from contracts c where c.need_id = n.id)`,
    )
    expect(orphans).toEqual([])
  })

  it('milestones: percents sum to 100, amounts by milestoneAmounts, statuses fit the contract', async () => {
    const contracts = await all<{
      id: number
      status: string
      amount_wan_x100: number
      activated_at: string | null
      closed_at: string | null
      enterprise_confirmed_at: string | null
      provider_confirmed_at: string | null
      supervisor_org_id: number | null
      start_date: string
    }>(db, 'select * from contracts order by id')
    const milestones = await all<{
      contract_id: number
      seq: number
      percent: number
      amount_wan_x100: number
      status: string
      due_date: string
      late_flagged_at: string | null
    }>(db, 'select * from contract_milestones order by contract_id, seq')
    const byContract = new Map<number, typeof milestones>()
    for (const m of milestones) byContract.set(m.contract_id, [...(byContract.get(m.contract_id) ?? []), m])
    for (const c of contracts) {
      const ms = byContract.get(c.id) ?? []
      expect(ms.length).toBeGreaterThan(0)
      expect(ms.reduce((s, m) => s + Number(m.percent), 0)).toBe(100)
      expect(ms.map((m) => Number(m.amount_wan_x100))).toEqual(
        milestoneAmounts(
          Number(c.amount_wan_x100),
          ms.map((m) => Number(m.percent)),
        ),
      )
      const dues = ms.map((m) => String(m.due_date))
      expect([...dues].sort()).toEqual(dues)
      expect(dues[0]! >= String(c.start_date)).toBe(true)
      if (c.status === 'draft') {
        expect(c.activated_at).toBeNull()
        expect(c.enterprise_confirmed_at !== null && c.provider_confirmed_at !== null).toBe(false)
        expect(ms.every((m) => m.status === 'pending')).toBe(true)
      } else {
        expect(c.activated_at).not.toBeNull()
        expect(c.enterprise_confirmed_at).not.toBeNull()
        expect(c.provider_confirmed_at).not.toBeNull()
      }
      if (c.status === 'completed') expect(ms.every((m) => m.status === 'accepted')).toBe(true)
      if (c.status === 'active') expect(ms.some((m) => m.status !== 'accepted')).toBe(true)
      if (c.status === 'completed' || c.status === 'terminated') expect(c.closed_at).not.toBeNull()
      else expect(c.closed_at).toBeNull()
    }
    // The late job's flags: active contracts' milestones past due and not accepted.
    expect(milestones.some((m) => m.late_flagged_at !== null)).toBe(true)
  })

  it('reviews, logs, disputes and ratings belong to the right people; the timeline is in time order', async () => {
    const badReviews = await all<Row>(
      db,
      `select r.* from milestone_reviews r join contract_milestones m on m.id = r.milestone_id join contracts c on c.id = m.contract_id
        where (r.side = 'enterprise' and r.org_id <> c.enterprise_org_id) or (r.side = 'supervisor' and coalesce(r.org_id, -1) <> coalesce(c.supervisor_org_id, -1))`,
    )
    expect(badReviews).toEqual([])
    const badLogs = await all<Row>(
      db,
      'select l.* from supervision_logs l join contracts c on c.id = l.contract_id where coalesce(l.org_id, -1) <> coalesce(c.supervisor_org_id, -1)',
    )
    expect(badLogs).toEqual([])
    const disputes = await all<Row>(db, `select d.*, c.status as c from disputes d join contracts c on c.id = d.contract_id`)
    expect(disputes.length).toBeGreaterThan(0)
    for (const d of disputes) {
      expect(d).toMatchObject({ status: 'resolved', outcome: 'terminate', fault: 'provider', c: 'terminated' })
    }
    const ratings = await all<Row>(
      db,
      'select r.*, c.status as c from contract_ratings r join contracts c on c.id = r.contract_id',
    )
    expect(ratings.every((r) => r.c === 'completed')).toBe(true)
    expect(new Set(ratings.map((r) => r.side))).toEqual(new Set(['enterprise', 'provider', 'supervisor']))
    expect(ratings.some((r) => r.reply !== '')).toBe(true)
    const events = await all<{ contract_id: number; id: number; created_at: string; kind: string }>(
      db,
      'select contract_id, id, created_at, kind from contract_events order by contract_id, id',
    )
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1]!, events[i]!]
      if (a.contract_id === b.contract_id)
        expect(new Date(a.created_at) <= new Date(b.created_at), JSON.stringify([a, b])).toBe(true)
    }
    const firsts = new Map<number, string>()
    for (const e of events) if (!firsts.has(e.contract_id)) firsts.set(e.contract_id, e.kind)
    expect(new Set(firsts.values())).toEqual(new Set(['drafted']))
    const now = new Date('2026-11-01T00:00:00.000Z')
    expect(events.every((e) => new Date(e.created_at) < now)).toBe(true)
  })

  it('the demo accounts: 企业 A has a draft to confirm and active contracts with 服务商 A, supervised by the demo 监理机构', async () => {
    const enterprise = await orgOf('13900000001')
    const provider = await orgOf('13900000011')
    const supervisor = await orgOf('13900000014')
    expect(result.accounts.map((a) => a.phone)).toContain('13900000014')
    const kinds = await all<{ provider_kinds: string }>(db, `select provider_kinds from organisations where id = ${supervisor}`)
    expect(JSON.parse(kinds[0]!.provider_kinds)).toContain('supervisor')
    const mine = await all<Row>(
      db,
      `select * from contracts where enterprise_org_id = ${enterprise} and provider_org_id = ${provider} order by id`,
    )
    const draft = mine.find((c) => c.status === 'draft')
    expect(draft).toMatchObject({ enterprise_confirmed_at: null })
    expect(draft?.provider_confirmed_at).not.toBeNull()
    const active = mine.filter((c) => c.status === 'active')
    expect(active.length).toBeGreaterThanOrEqual(2)
    for (const c of active) expect(c.supervisor_org_id).toBe(supervisor)
    const ids = active.map((c) => c.id).join(',')
    const ms = await all<Row>(db, `select * from contract_milestones where contract_id in (${ids})`)
    expect(ms.some((m) => m.late_flagged_at !== null && m.status !== 'accepted')).toBe(true)
    expect(ms.some((m) => m.status === 'submitted')).toBe(true)
    const logs = await all<Row>(db, `select * from supervision_logs where contract_id in (${ids})`)
    expect(logs.length).toBeGreaterThan(0)
    // 服务商 A: a bid in every status, and a completed contract with all three ratings.
    const bidStatuses = await all<{ status: string }>(db, `select distinct status from bids where provider_org_id = ${provider}`)
    expect(bidStatuses.map((b) => b.status).sort()).toEqual(['awarded', 'rejected', 'shortlisted', 'submitted', 'withdrawn'])
    const rated = await all<Row>(
      db,
      `select r.side from contract_ratings r join contracts c on c.id = r.contract_id where c.provider_org_id = ${provider} and c.status = 'completed'`,
    )
    expect(new Set(rated.map((r) => r.side))).toEqual(new Set(['enterprise', 'provider', 'supervisor']))
    // 企业 A keeps an open public need 服务商 A has not bid on (the bids journey needs one).
    const open = await all<Row>(
      db,
      `select n.id from needs n where n.org_id = ${enterprise} and n.status = 'published' and n.visibility = 'public'
          and not exists (select 1 from bids b where b.need_id = n.id and b.provider_org_id = ${provider})`,
    )
    expect(open.length).toBeGreaterThan(0)
  })
})

describe('the demo timeline', () => {
  it('gives every event the params its text names, as the use cases record them', async () => {
    const t = translator('zh-CN')
    const events = await all<{ kind: string; detail: string; milestone: string | null }>(
      db,
      `select e.kind, e.detail, m.name as milestone from contract_events e
         left join contract_milestones m on m.id = e.milestone_id`,
    )
    expect(events.length).toBeGreaterThan(100)
    const unresolved = new Set<string>()
    for (const e of events) {
      const key = `contracts.event.${e.kind}`
      if (!hasMessage(key)) {
        unresolved.add(`${e.kind}: no text`)
        continue
      }
      const detail = JSON.parse(e.detail) as Record<string, string | number>
      // The contract page's rule (contracts.$id.tsx eventText): the milestone's name from the join.
      const text = t(key, { ...detail, milestone: e.milestone ?? detail.milestone ?? '' })
      const missing = /\{\w+\}/.exec(text)
      if (missing) unresolved.add(`${e.kind}: ${missing[0]}`)
    }
    expect([...unresolved]).toEqual([])
  })
})
