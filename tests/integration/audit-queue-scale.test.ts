import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAgency } from '../../app/domain/orgs/agencies.server.js'
import { ORG_STATUSES, SELF_SERVICE_ORG_KINDS, ZAuditQueueParams, type OrgStatus } from '../../app/domain/orgs/schema.js'
import { narrowedJurisdiction } from '../../app/domain/reference/jurisdiction.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import * as auditDetail from '../../app/routes/agency.audits.$orgId.js'
import * as auditQueue from '../../app/routes/agency.audits._index.js'
import * as orgEdit from '../../app/routes/org.edit.js'
import * as orgsNew from '../../app/routes/orgs.new.js'
import { services } from '../../app/web/services.server.js'
import type { Database } from '../../db/connection.js'
import { withTransaction } from '../../db/transaction.js'
import { generateDemo, resetDemoData } from '../../seed/demo-writer.js'
import { addMember, insertOrg, insertUser, randomUscc, signIn } from '../support/factories.js'
import { call } from '../support/http.js'
import { freshTestDb, onPostgres, twoInstances, type FreshTestDb } from '../support/test-db.js'

/*
 * Issue 8: the agency review queue (/agency/audits) costs the same for a county and a
 * province. Its tab counts come from org_status_counts, kept by triggers on
 * organisations (migration 2026-12-02T0960) in every writing transaction, and its page
 * walks date order per region and kind. Both must say exactly what counting and sorting
 * the organisations would: that is what these tests compare, on either dialect (this
 * file also runs under `npm run test:pg`).
 */

const db = () => services().db
const [one, two] = twoInstances('duijie-org-status-counts')
const fresh: FreshTestDb[] = []
const cookies = new Map<string, string>()

afterAll(async () => {
  for (const target of fresh) await target.drop()
})

/** An owner of a verified agency of each region the tests review from. */
beforeAll(async () => {
  for (const [region, level] of [
    ['321000', 'city'],
    ['320000', 'province'],
    ['321023', 'county'],
    ['620000', 'province'],
  ] as const) {
    const agency = await insertOrg(db(), { kind: 'agency', region, agencyLevel: level })
    const user = await insertUser(db())
    await addMember(db(), user.id, agency)
    cookies.set(region, (await signIn(db(), user.id, agency)).cookie)
  }
})

type CountRow = { region_code: string; kind: string; status: string; n: number }

/** The kept counts (rows fallen to 0 left out) and a fresh count of the organisations. */
async function countsOf(on: Database): Promise<{ kept: CountRow[]; fresh: CountRow[] }> {
  const kept = await on
    .selectFrom('org_status_counts')
    .select(['region_code', 'kind', 'status', 'n'])
    .where('n', '<>', 0)
    .orderBy('region_code')
    .orderBy('kind')
    .orderBy('status')
    .execute()
  const counted = await on
    .selectFrom('organisations')
    .select(['region_code', 'kind', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['region_code', 'kind', 'status'])
    .orderBy('region_code')
    .orderBy('kind')
    .orderBy('status')
    .execute()
  const plain = (rows: CountRow[]) => rows.map((r) => ({ ...r, n: Number(r.n) }))
  return { kept: plain(kept), fresh: plain(counted) }
}

async function expectCountsCurrent(on: Database = db()): Promise<CountRow[]> {
  const { kept, fresh } = await countsOf(on)
  expect(kept).toEqual(fresh)
  return fresh
}

const countOf = (rows: CountRow[], region: string, kind: string, status: string) =>
  rows.find((r) => r.region_code === region && r.kind === kind && r.status === status)?.n ?? 0

async function applicant() {
  const user = await insertUser(db(), { name: '王经理' })
  return (await signIn(db(), user.id, null)).cookie
}

const applicationForm = (uscc: string, region = '321023') => ({
  kind: 'enterprise',
  name: '扬州恒鑫精密机械有限公司',
  uscc,
  region,
  industry: 'C34',
  contactName: '王经理',
  contactPhone: '0514-88886666',
  description: '',
})

async function decide(orgId: number, form: Record<string, string>) {
  const { revision } = await db().selectFrom('organisations').select('revision').where('id', '=', orgId).executeTakeFirstOrThrow()
  const outcome = await call(auditDetail, {
    method: 'POST',
    path: `/agency/audits/${orgId}`,
    params: { orgId: String(orgId) },
    form: { ...form, revision: String(revision) },
    cookie: cookies.get('321000')!,
  })
  expect(outcome.status).toBe(302)
}

const orgByUscc = (uscc: string) =>
  db().selectFrom('organisations').selectAll().where('uscc', '=', uscc).executeTakeFirstOrThrow()

describe('the kept counts of organisations by region, kind and status', () => {
  it('were counted from the organisations by the migration, and stay equal to a fresh count through the onboarding', async () => {
    await expectCountsCurrent()

    // Submitted (pending), approved.
    const approvedCookie = await applicant()
    const approvedUscc = randomUscc('321023')
    expect(
      (await call(orgsNew, { method: 'POST', path: '/orgs/new', form: applicationForm(approvedUscc), cookie: approvedCookie }))
        .status,
    ).toBe(302)
    const before = await expectCountsCurrent()
    const approved = await orgByUscc(approvedUscc)
    await decide(approved.id, { intent: 'approve' })
    const after = await expectCountsCurrent()
    expect(countOf(after, '321023', 'enterprise', 'verified')).toBe(countOf(before, '321023', 'enterprise', 'verified') + 1)
    expect(countOf(after, '321023', 'enterprise', 'pending')).toBe(countOf(before, '321023', 'enterprise', 'pending') - 1)

    // Submitted, rejected, corrected and resubmitted in another county (pending there).
    const rejectedCookie = await applicant()
    const rejectedUscc = randomUscc('321023')
    await call(orgsNew, { method: 'POST', path: '/orgs/new', form: applicationForm(rejectedUscc), cookie: rejectedCookie })
    const rejected = await orgByUscc(rejectedUscc)
    await decide(rejected.id, { intent: 'reject', reason: '营业执照名称与组织名称不一致' })
    await expectCountsCurrent()
    const resubmitted = await call(orgEdit, {
      method: 'POST',
      path: '/org/edit',
      form: { ...applicationForm(rejectedUscc, '321081'), name: '仪征恒鑫精密机械有限公司' },
      cookie: rejectedCookie,
    })
    expect(resubmitted.status).toBe(302)
    expect(await orgByUscc(rejectedUscc)).toMatchObject({ status: 'pending', region_code: '321081' })
    await expectCountsCurrent()

    // A verified organisation changes its registration: back to pending, in its new region.
    const approvedRow = await orgByUscc(approvedUscc)
    const edited = await call(orgEdit, {
      method: 'POST',
      path: '/org/edit',
      form: {
        intent: 'registration',
        kind: 'enterprise',
        name: approvedRow.name,
        uscc: approvedUscc,
        region: '321084',
        industry: approvedRow.industry_code!,
        confirm: '1',
      },
      cookie: approvedCookie,
    })
    expect(edited.status).toBe(302)
    expect(await orgByUscc(approvedUscc)).toMatchObject({ status: 'pending', region_code: '321084' })
    await expectCountsCurrent()

    // An operator creates an agency (npm run agency:create).
    await createAgency(db(), {
      name: '宝应县测试工业和信息化局',
      regionCode: '321023',
      level: 'county',
      owner: { name: '运维', login: '13700009999', password: 'Test-password-2026' },
    })
    await expectCountsCurrent()
  })

  it('follow statements that change many organisations at once, and deletions', async () => {
    const ids: number[] = []
    for (let i = 0; i < 9; i++) {
      ids.push(
        await insertOrg(db(), {
          kind: i % 3 === 0 ? 'provider' : 'enterprise',
          region: ['321002', '321003', '620102'][i % 3],
          status: 'pending',
        }),
      )
    }
    await expectCountsCurrent()
    // One statement moving organisations between several (region, kind, status) rows.
    await db().updateTable('organisations').set({ status: 'verified' }).where('id', 'in', ids.slice(0, 5)).execute()
    await expectCountsCurrent()
    await db().updateTable('organisations').set({ region_code: '321023' }).where('id', 'in', ids.slice(3)).execute()
    await expectCountsCurrent()
    await db()
      .updateTable('organisations')
      .set({ status: 'rejected', rejection_reason: '材料不全' })
      .where('id', 'in', ids.slice(4, 8))
      .execute()
    await expectCountsCurrent()
    // An update touching none of the three columns, and one touching no row.
    await db().updateTable('organisations').set({ description: '改了简介' }).where('id', 'in', ids).execute()
    await db().updateTable('organisations').set({ status: 'pending' }).where('id', '=', -1).execute()
    await expectCountsCurrent()
    await db().deleteFrom('organisations').where('id', 'in', ids.slice(0, 6)).execute()
    await expectCountsCurrent()
    await db().deleteFrom('organisations').where('id', '=', ids[6]!).execute()
    await expectCountsCurrent()
  })

  it('ignore a write that rolls back', async () => {
    const org = await insertOrg(db(), { status: 'pending' })
    const before = await expectCountsCurrent()
    await expect(
      withTransaction(db(), async (trx) => {
        await trx.updateTable('organisations').set({ status: 'verified' }).where('id', '=', org).execute()
        await insertOrg(trx, { status: 'pending', region: '620102' })
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    expect(await expectCountsCurrent()).toEqual(before)
  })

  it('stay exact when two app instances write at once', async () => {
    const orgs: number[] = []
    for (let i = 0; i < 12; i++) orgs.push(await insertOrg(db(), { status: 'pending', region: i % 2 ? '321002' : '321003' }))
    const statuses: OrgStatus[] = ['verified', 'pending', 'rejected']
    const write = (i: number) =>
      withTransaction(i % 2 ? one : two, async (trx) => {
        const status = statuses[i % 3]!
        await trx
          .updateTable('organisations')
          .set({ status, rejection_reason: status === 'rejected' ? '材料不全' : null })
          .where('id', 'in', [orgs[i % 12]!, orgs[(i * 5) % 12]!])
          .execute()
      })
    // PostgreSQL: all at once, so transactions meet on the same rows of the counts. SQLite
    // has one writer at a time (a second handle in this process would wait on the first).
    if (onPostgres) await Promise.all(Array.from({ length: 24 }, (_, i) => write(i)))
    else for (let i = 0; i < 24; i++) await write(i)
    await expectCountsCurrent(one)
  })

  it('are kept by the demo seed and its reset', async () => {
    const target = await freshTestDb('org_status_counts')
    fresh.push(target)
    const { db: seeded, sqlite, close } = target.open()
    try {
      await generateDemo(seeded, sqlite, { needs: 40, accounts: false })
      expect((await expectCountsCurrent(seeded)).length).toBeGreaterThan(3)
      await resetDemoData(seeded)
      expect(await expectCountsCurrent(seeded)).toEqual([])
      await generateDemo(seeded, sqlite, { needs: 25, accounts: false })
      await expectCountsCurrent(seeded)
    } finally {
      await close()
    }
  })
})

/*
 * The queue as it was computed before issue 8 (counted and sorted over the whole
 * jurisdiction), as the reference the bounded one must equal, page for page.
 */
async function referenceQueue(agencyRegion: string, query: Record<string, string>) {
  const params = ZAuditQueueParams.parse(query)
  const ref = await getReferenceData(db())
  const regions = narrowedJurisdiction(ref, agencyRegion, params.region)
  const base = db()
    .selectFrom('organisations')
    .where('kind', 'in', SELF_SERVICE_ORG_KINDS)
    .where('region_code', 'in', regions.length ? regions : [''])
    .$if(params.kind !== undefined, (q) => q.where('kind', '=', params.kind!))
    .$if(params.q !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb(
            sql<string>`lower(name)`,
            'like',
            sql<string>`lower('%' || ${params.q!.replace(/[\\%_]/g, (c) => `\\${c}`)} || '%') escape '\\'`,
          ),
          eb('uscc', '=', params.q!.toUpperCase()),
        ]),
      ),
    )
  const countRows = await base
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const rows = await base
    .where('status', '=', params.status)
    .select(['id'])
    .select((eb) =>
      eb
        .selectFrom('organisations as c')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('c.uscc', '=', 'organisations.uscc')
        .whereRef('c.id', '<>', 'organisations.id')
        .as('competing'),
    )
    .orderBy(params.status === 'pending' ? 'submitted_at' : 'reviewed_at', params.status === 'pending' ? 'asc' : 'desc')
    .orderBy('id')
    .limit(20)
    .offset((params.page - 1) * 20)
    .execute()
  const counts: Record<OrgStatus, number> = { pending: 0, verified: 0, rejected: 0 }
  for (const c of countRows) counts[c.status] = Number(c.n)
  const total = counts[params.status]
  return {
    items: rows.map((r) => ({ id: r.id, competing: Number(r.competing ?? 0) })),
    counts,
    total,
    pageCount: Math.max(1, Math.ceil(total / 20)),
  }
}

async function shownQueue(agencyRegion: string, query: Record<string, string>) {
  const outcome = await call(auditQueue, {
    path: `/agency/audits?${new URLSearchParams(query).toString()}`,
    cookie: cookies.get(agencyRegion)!,
  })
  expect(outcome.status).toBe(200)
  const { queue } = JSON.parse(outcome.body) as {
    queue: {
      items: { id: number; competing: number }[]
      counts: Record<OrgStatus, number>
      total: number
      pageCount: number
    }
  }
  return {
    items: queue.items.map((i) => ({ id: i.id, competing: i.competing })),
    counts: queue.counts,
    total: queue.total,
    pageCount: queue.pageCount,
  }
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('the audit queue page', () => {
  const REGIONS = ['321000', '321002', '321003', '321023', '321081', '3210Z1', '320102', '320104', '620102']

  beforeAll(async () => {
    // Enough applications for several pages per status, with many equal dates (the
    // id breaks ties) spread over regions and kinds, some naming one USCC twice.
    const next = random(8)
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!
    const day = (n: number) => new Date(Date.UTC(2026, 9, 1 + n)).toISOString()
    const shared = randomUscc('321002')
    for (let i = 0; i < 400; i++) {
      const status = pick(['pending', 'pending', 'verified', 'verified', 'rejected'] as const)
      const kind = pick(['enterprise', 'enterprise', 'provider'] as const)
      const id = await insertOrg(db(), {
        kind,
        region: pick(REGIONS),
        status,
        name: i % 7 === 0 ? `扬州ACME智能装备${i}有限公司` : undefined,
      })
      await db()
        .updateTable('organisations')
        .set({
          submitted_at: day(Math.floor(next() * 12)),
          reviewed_at: status === 'pending' ? null : day(12 + Math.floor(next() * 12)),
          ...(i % 23 === 0 && status !== 'verified' ? { uscc: shared } : {}),
        })
        .where('id', '=', id)
        .execute()
    }
  })

  it('shows exactly what counting and sorting every application would, on every page and filter', async () => {
    const next = random(42)
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!
    const someUscc = (
      await db().selectFrom('organisations').select('uscc').where('uscc', 'is not', null).executeTakeFirstOrThrow()
    ).uscc!
    const cases: [string, Record<string, string>][] = [
      ['321000', {}],
      ['321000', { status: 'verified', page: '2' }],
      ['320000', { status: 'rejected' }],
      ['321023', { status: 'pending', kind: 'provider' }],
      ['620000', { region: '321000' }],
    ]
    for (let i = 0; i < 120; i++) {
      const query: Record<string, string> = {}
      const status = pick([...ORG_STATUSES, undefined])
      if (status) query.status = status
      const kind = pick([...SELF_SERVICE_ORG_KINDS, undefined, undefined])
      if (kind) query.kind = kind
      const region = pick([
        '321000',
        '321002',
        '320100',
        '620102',
        '3210Z1',
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
      ])
      if (region) query.region = region
      const q = pick(['acme', someUscc, '智能', undefined, undefined, undefined, undefined, undefined, undefined])
      if (q) query.q = q
      const page = pick([1, 1, 1, 2, 2, 3, 9])
      if (page > 1) query.page = String(page)
      cases.push([pick(['321000', '321000', '320000', '320000', '321023', '620000']), query])
    }
    let pagesWithItems = 0
    for (const [agency, query] of cases) {
      const expected = await referenceQueue(agency, query)
      expect(await shownQueue(agency, query), `${agency} ${JSON.stringify(query)}`).toEqual(expected)
      if (expected.items.length > 0) pagesWithItems++
    }
    expect(pagesWithItems).toBeGreaterThan(30)
  })

  it('follows a decision: the application moves from one tab to the other, counts and page alike', async () => {
    const before = await shownQueue('321000', {})
    const first = before.items[0]!
    await decide(first.id, { intent: 'approve' })
    const after = await shownQueue('321000', {})
    expect(after).toEqual(await referenceQueue('321000', {}))
    expect(after.items.map((i) => i.id)).not.toContain(first.id)
    expect(after.counts).toEqual({ ...before.counts, pending: before.counts.pending - 1, verified: before.counts.verified + 1 })
    const { uscc } = await db().selectFrom('organisations').select('uscc').where('id', '=', first.id).executeTakeFirstOrThrow()
    const verified = await shownQueue('321000', { status: 'verified', q: uscc! })
    expect(verified).toEqual(await referenceQueue('321000', { status: 'verified', q: uscc! }))
    expect(verified.items.map((i) => i.id)).toContain(first.id)
  })
})
