import { beforeAll, describe, expect, it } from 'vitest'
import { countNewMatches, notifySavedSearches, NOTIFY_SETTLE_MS } from '../../app/domain/matching/saved-searches.server.js'
import { enqueueNeedChange, ensureNeedsIndex } from '../../app/domain/needs/search-index.server.js'
import * as savedRoute from '../../app/routes/provider.saved-searches.js'
import { scheduledJobs } from '../../app/web/jobs.server.js'
import { services } from '../../app/web/services.server.js'
import { withTransaction } from '../../db/transaction.js'
import { addMember, insertNeed, insertOrg, insertUser, signIn, type NeedOverrides } from '../support/factories.js'
import { call } from '../support/http.js'
import { auditRows, db, parse, person, type Person } from '../support/provider-world.js'

/*
 * Saved searches of the needs hall: kept by any member of a verified provider (20 per
 * organisation, names up to 60), audited; another organisation's are not found; the
 * notify job e-mails each new matching need once and moves the search's window on.
 */

let provider: Person
let other: Person
let enterprise: number
/** A word no other test's needs hold, so the searches here find only these needs. */
const WORD = `锻压机${process.pid % 1000}号线`

async function need(o: NeedOverrides & { publishedAt?: string } = {}): Promise<number> {
  const id = await insertNeed(db(), enterprise, { industry: 'C34', region: '321084', ...o })
  if (o.publishedAt) await db().updateTable('needs').set({ published_at: o.publishedAt }).where('id', '=', id).execute()
  await withTransaction(db(), (trx, afterCommit) => enqueueNeedChange(trx, afterCommit, id))
  return id
}

const post = (who: Person, form: Record<string, string>, path = '/provider/saved-searches') =>
  call(savedRoute, { method: 'POST', path, form, cookie: who.cookie })

async function list(who: Person, query = '') {
  const outcome = await call(savedRoute, { path: `/provider/saved-searches${query}`, cookie: who.cookie })
  expect(outcome.status).toBe(200)
  return parse(outcome) as {
    items: { id: number; name: string; notify: boolean; newCount: number; hallHref: string; query: Record<string, string> }[]
    limit: number
    pending: { query: Record<string, string>; criteria: { key: string; value: string }[] } | null
    renaming: { id: number } | null
  }
}

async function savedRow(id: number) {
  return db().selectFrom('saved_searches').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

async function outbox(destination: string) {
  return db()
    .selectFrom('message_outbox')
    .select(['id', 'subject', 'body', 'channel'])
    .where('destination', '=', destination)
    .orderBy('id')
    .execute()
}

beforeAll(async () => {
  await ensureNeedsIndex(services().search)
  enterprise = await insertOrg(db(), { kind: 'enterprise', region: '321084' })
  provider = await person({ kind: 'provider', region: '321003' })
  other = await person({ kind: 'provider', region: '321003' })
})

describe('saving a search', () => {
  it('saves the hall’s query under a name, audited, and lists it with the hall link', async () => {
    const outcome = await post(provider, {
      intent: 'create',
      name: '  高邮 锻压  ',
      q: WORD,
      industry: 'C34',
      region: '321084',
      budgetMin: '50',
      page: '3',
      unknown: 'x',
    })
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/provider/saved-searches')
    const { items } = await list(provider)
    const saved = items.find((s) => s.name === '高邮 锻压')!
    expect(saved).toBeDefined()
    expect(saved.notify).toBe(true)
    expect(saved.query).toEqual({ q: WORD, industry: 'C34', region: '321084', budgetMin: '50' })
    expect(saved.hallHref).toBe(`/needs?q=${encodeURIComponent(WORD)}&industry=C34&region=321084&budgetMin=50`)
    expect(await auditRows('saved_search.created', 'saved_search', saved.id)).toHaveLength(1)
  })

  it('offers the hall’s query in the URL for saving', async () => {
    const { pending } = await list(provider, '?q=MES&scenario=S402&level=bogus')
    expect(pending?.query).toEqual({ q: 'MES', scenario: 'S402' })
    expect(pending?.criteria.map((c) => c.key)).toEqual(['q', 'scenario'])
    expect((await list(provider)).pending).toBeNull()
  })

  it('refuses a missing or long name and an empty query, naming the field and echoing the search', async () => {
    const missing = await post(provider, { intent: 'create', name: '  ', q: WORD })
    expect(missing.status).toBe(400)
    expect(parse(missing).fieldErrors).toEqual({ name: 'savedSearch.v.nameRequired' })
    const long = await post(provider, { intent: 'create', name: '名'.repeat(61), q: WORD })
    expect(long.status).toBe(400)
    expect(parse(long).fieldErrors).toEqual({ name: 'savedSearch.v.nameTooLong' })
    expect((await post(provider, { intent: 'create', name: '名'.repeat(60), q: WORD })).status).toBe(302)
    const empty = await post(provider, { intent: 'create', name: '全部', sort: 'newest', industry: 'bogus' })
    expect(empty.status).toBe(400)
    expect(parse(empty).formError).toBe('savedSearch.e.emptyQuery')
    const bad = await post(provider, { intent: 'explode' })
    expect(bad.status).toBe(400)
  })

  it('keeps at most 20 per organisation', async () => {
    const fresh = await person({ kind: 'provider', region: '321003' })
    for (let i = 0; i < 20; i++) {
      expect((await post(fresh, { intent: 'create', name: `搜索 ${i}`, q: `词${i}` })).status).toBe(302)
    }
    const over = await post(fresh, { intent: 'create', name: '第 21 个', q: '词' })
    expect(over.status).toBe(409)
    expect(parse(over)).toMatchObject({ formError: 'savedSearch.e.limit', intent: 'create', pending: { query: { q: '词' } } })
    expect((await list(fresh)).items).toHaveLength(20)
  })

  it('refuses anyone but a verified provider', async () => {
    const outsiders = [
      await person({ kind: 'enterprise', region: '321084' }),
      await person({ kind: 'agency', region: '321000' }),
      await person({ kind: 'provider', region: '321003', status: 'pending' }),
    ]
    for (const who of outsiders) {
      expect((await call(savedRoute, { path: '/provider/saved-searches', cookie: who.cookie })).status).toBe(403)
      expect((await post(who, { intent: 'create', name: '试', q: WORD })).status).toBe(403)
    }
  })
})

describe('changing a saved search', () => {
  it('renames, turns notifications off and on, and deletes, each audited; another organisation’s is not found', async () => {
    await post(provider, { intent: 'create', name: '待改', q: WORD })
    const id = (await list(provider)).items.find((s) => s.name === '待改')!.id

    const forms: Record<string, string>[] = [
      { intent: 'rename', id: String(id), name: '别人改的' },
      { intent: 'notify', id: String(id), notify: '0' },
      { intent: 'delete', id: String(id) },
    ]
    for (const form of forms) {
      expect((await post(other, form)).status).toBe(404)
    }

    expect((await post(provider, { intent: 'rename', id: String(id), name: '已改名' })).status).toBe(302)
    expect((await savedRow(id)).name).toBe('已改名')
    const renameTooLong = await post(provider, { intent: 'rename', id: String(id), name: 'x'.repeat(61) })
    expect(parse(renameTooLong).fieldErrors).toEqual({ name: 'savedSearch.v.nameTooLong' })

    expect((await post(provider, { intent: 'notify', id: String(id), notify: '0' })).status).toBe(302)
    expect((await savedRow(id)).notify).toBe(0)
    expect((await post(provider, { intent: 'notify', id: String(id), notify: '1' })).status).toBe(302)
    expect((await savedRow(id)).notify).toBe(1)
    expect(await auditRows('saved_search.updated', 'saved_search', id)).toHaveLength(3)

    // Without scripts, deleting asks first and deletes nothing.
    const asked = await post(provider, { intent: 'delete', id: String(id), _confirm: 'ask' })
    expect(asked.status).toBe(200)
    expect(await savedRow(id)).toBeDefined()
    expect((await post(provider, { intent: 'delete', id: String(id) })).status).toBe(302)
    expect(await db().selectFrom('saved_searches').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined()
    expect(await auditRows('saved_search.deleted', 'saved_search', id)).toHaveLength(1)
    expect((await post(provider, { intent: 'delete', id: String(id) })).status).toBe(404)
    expect((await post(provider, { intent: 'rename', id: '0x1', name: '坏' })).status).toBe(400)
  })
})

describe('new matches and the notify job', () => {
  it('counts needs published after the search was saved, and e-mails each new need once', async () => {
    const user = await insertUser(db(), { name: '通知收件人', email: `notify-${process.pid}@example.cn` })
    const orgId = await insertOrg(db(), { kind: 'provider', region: '321003' })
    await addMember(db(), user.id, orgId)
    const who: Person = { userId: user.id, orgId, cookie: (await signIn(db(), user.id, orgId)).cookie }

    const before = await need({ title: `${WORD} 老需求`, publishedAt: new Date(Date.now() - 3_600_000).toISOString() })
    const savedAt = new Date(Date.now() - 30 * 60_000)
    await db()
      .insertInto('saved_searches')
      .values({
        org_id: orgId,
        user_id: user.id,
        name: '锻压通知',
        query: JSON.stringify({ q: WORD, region: '321084' }),
        notify: 1,
        checked_until: savedAt.toISOString(),
        created_at: savedAt.toISOString(),
        updated_at: savedAt.toISOString(),
      })
      .execute()
    const id = (await list(who)).items.find((s) => s.name === '锻压通知')!.id

    const fresh = await need({ title: `${WORD} 新需求一`, publishedAt: new Date(Date.now() - 10 * 60_000).toISOString() })
    const second = await need({ title: `${WORD} 新需求二`, publishedAt: new Date(Date.now() - 5 * 60_000).toISOString() })
    await need({ title: `${WORD} 外地`, region: '620102', publishedAt: new Date(Date.now() - 5 * 60_000).toISOString() })
    await need({
      title: `${WORD} 撤回`,
      status: 'withdrawn',
      publishedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    })

    expect(await countNewMatches(services().search, await savedRow(id))).toBe(2)
    expect((await list(who)).items.find((s) => s.id === id)!.newCount).toBe(2)

    const now = new Date()
    const run = await notifySavedSearches(db(), services().search, now, { baseUrl: 'https://duijie.example.cn' })
    expect(run.sent).toBeGreaterThanOrEqual(1)
    const mails = await outbox(user.login)
    expect(mails).toHaveLength(1)
    expect(mails[0]!.channel).toBe('email')
    expect(mails[0]!.body).toContain(`https://duijie.example.cn/needs/${fresh}`)
    expect(mails[0]!.body).toContain(`https://duijie.example.cn/needs/${second}`)
    expect(mails[0]!.body).not.toContain(`${WORD} 老需求`)
    expect(mails[0]!.body).not.toMatch(new RegExp(`/needs/${before}\\b`))
    expect(mails[0]!.body).not.toContain(`${WORD} 外地`)
    expect(mails[0]!.body).not.toContain(`${WORD} 撤回`)
    expect(mails[0]!.subject).toContain('锻压通知')
    const moved = await savedRow(id)
    const cut = Math.floor((now.getTime() - NOTIFY_SETTLE_MS) / 1000) * 1000
    expect(Date.parse(moved.checked_until)).toBe(cut)

    // Again: nothing new, nothing sent.
    await notifySavedSearches(db(), services().search, new Date(now.getTime() + 1000))
    expect(await outbox(user.login)).toHaveLength(1)

    // A need published inside the settle margin waits for the next run, and is sent then, once.
    const late = await need({ title: `${WORD} 稍后`, publishedAt: new Date(now.getTime() - 10_000).toISOString() })
    await notifySavedSearches(db(), services().search, now)
    expect(await outbox(user.login)).toHaveLength(1)
    const later = new Date(now.getTime() + 2 * NOTIFY_SETTLE_MS)
    await notifySavedSearches(db(), services().search, later)
    const after = await outbox(user.login)
    expect(after).toHaveLength(2)
    expect(after[1]!.body).toContain(`/needs/${late}`)
    expect(after[1]!.body).not.toMatch(new RegExp(`/needs/${fresh}\\b`))
    await notifySavedSearches(db(), services().search, new Date(later.getTime() + 60_000))
    expect(await outbox(user.login)).toHaveLength(2)
  })

  it('sends nothing for a search with notifications off, or to a creator without a verified e-mail', async () => {
    const quiet = await insertUser(db(), { name: '无邮箱' })
    const orgId = await insertOrg(db(), { kind: 'provider', region: '321003' })
    await addMember(db(), quiet.id, orgId)
    const at = new Date(Date.now() - 30 * 60_000).toISOString()
    const row = await db()
      .insertInto('saved_searches')
      .values({
        org_id: orgId,
        user_id: quiet.id,
        name: '手机用户',
        query: JSON.stringify({ q: WORD }),
        notify: 1,
        checked_until: at,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await need({ title: `${WORD} 给手机用户`, publishedAt: new Date(Date.now() - 10 * 60_000).toISOString() })
    await notifySavedSearches(db(), services().search, new Date())
    // Its window moves on all the same.
    expect(Date.parse((await savedRow(row.id)).checked_until)).toBeGreaterThan(Date.parse(at))
    expect(await outbox(quiet.login)).toHaveLength(0)
  })

  it('runs as the lease-protected saved-search-notify job every 15 minutes', () => {
    const jobs = scheduledJobs({ db: db(), indexer: services().indexer, search: services().search })
    const job = jobs.find((j) => j.name === 'saved-search-notify')
    expect(job?.everyMs).toBe(15 * 60_000)
    expect(scheduledJobs({ db: db(), indexer: services().indexer }).some((j) => j.name === 'saved-search-notify')).toBe(false)
  })
})
