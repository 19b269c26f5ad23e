import type { Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import type { SearchEngine, SearchQuery } from '../../../search/engine.js'
import { DEFAULT_LOCALE, translator, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { toNeedSearchQuery, ZNeedSearchParams } from '../needs/needs.server.js'
import type { NeedVisibility, TNeedSearchParams } from '../needs/schema.js'
import { ensureNeedsIndex, NEEDS_INDEX, parseNeedDocumentId } from '../needs/search-index.server.js'
import { notify } from '../notifications/notify.server.js'
import { getReferenceData, industryName, regionLabel, scenarioName, type ReferenceData } from '../reference/reference.server.js'
import { actingProviderForRecommendations } from './recommended-needs.server.js'
import {
  hallHref,
  SAVED_QUERY_KEYS,
  SAVED_SEARCH_LIMITS,
  type SavedQuery,
  type SavedSearchCriterion,
  type SavedSearchItem,
} from './saved-search-views.js'

/*
 * A provider's saved searches of the needs hall (推荐需求 → 保存搜索, issue 13). A saved
 * search is the hall's query (its URL parameters, read with the hall's own schema
 * ZNeedSearchParams and turned into an engine query by the hall's toNeedSearchQuery),
 * so it finds exactly what the hall shows for it. Any active member of a verified
 * provider keeps them ('read:recommended-needs:own'), up to 20 per organisation; each
 * write is audited (saved_search.*). Another organisation's saved search is NOT_FOUND.
 *
 * New matches: needs published after `checked_until` (set when the search is saved,
 * moved on by each notification). The notify job (notifySavedSearches, every 15
 * minutes, also `npm run needs:notify`) tells the creator of each saved search with
 * notify on of the needs published in its window, once (an in-app notice, and the
 * e-mail as the person chose: app/domain/notifications), then moves the window on.
 */

const PROVIDER_VISIBILITIES: readonly NeedVisibility[] = ['public', 'verified_providers']

/** Titles an e-mail lists (with links); the count says how many more there are. */
export const NOTIFY_TITLES = 10
/** Saved searches one run of the job looks at per batch, and batches per run. */
const NOTIFY_BATCH = 100
const NOTIFY_BATCHES = 5
/**
 * The job looks at needs published up to this long before it runs: a need's document
 * reaches the index right after its commit (the outbox's flush), or with the outbox's
 * next pass (every 10 s) when that failed; a window closed before it got there would
 * miss it for good.
 */
export const NOTIFY_SETTLE_MS = 60_000

/** The hall's parameters as a saved search keeps them: the URL's strings, without the page. */
export function savedQueryOf(params: TNeedSearchParams): SavedQuery {
  const out: SavedQuery = {}
  for (const key of SAVED_QUERY_KEYS) {
    const value = params[key]
    if (value !== undefined && value !== '') out[key] = String(value)
  }
  return out
}

/** A stored query read back through the hall's schema (null: not a query any more). */
export function parseSavedQuery(json: string): TNeedSearchParams | null {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return null
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null
  const strings: Record<string, string> = {}
  for (const key of SAVED_QUERY_KEYS) {
    const value = (raw as Record<string, unknown>)[key]
    if (typeof value === 'string') strings[key] = value
  }
  const parsed = ZNeedSearchParams.safeParse(strings)
  return parsed.success ? parsed.data : null
}

/** A query that narrows nothing would announce every need: refused. */
function isEmptyQuery(query: SavedQuery): boolean {
  return !SAVED_QUERY_KEYS.some((key) => key !== 'sort' && query[key])
}

function toSeconds(iso: string | Date): number {
  return Math.floor((typeof iso === 'string' ? Date.parse(iso) : iso.getTime()) / 1000)
}

/** The engine query of a saved search, restricted to needs published from `sinceSec` (to `untilSec`). */
function newMatchesQuery(
  params: TNeedSearchParams,
  sinceSec: number,
  untilSec: number | undefined,
  pageSize: number,
): SearchQuery {
  const base = toNeedSearchQuery({ ...params, page: 1 }, PROVIDER_VISIBILITIES)
  return {
    ...base,
    ranges: { ...base.ranges, publishedAt: untilSec === undefined ? { min: sinceSec } : { min: sinceSec, max: untilSec } },
    facets: [],
    sort: { by: 'publishedAt', direction: 'desc' },
    page: 1,
    pageSize,
  }
}

/** How many needs the saved search finds that were published after `checkedUntil`. */
export async function countNewMatches(search: SearchEngine, saved: { query: string; checked_until: string }): Promise<number> {
  const params = parseSavedQuery(saved.query)
  if (!params) return 0
  await ensureNeedsIndex(search)
  const result = await search.search(NEEDS_INDEX, newMatchesQuery(params, toSeconds(saved.checked_until), undefined, 1))
  return result.total
}

function criteriaOf(ref: ReferenceData, params: TNeedSearchParams, locale: Locale): SavedSearchCriterion[] {
  const out: SavedSearchCriterion[] = []
  if (params.q) out.push({ key: 'q', value: params.q })
  if (params.industry) out.push({ key: 'industry', value: industryName(ref, params.industry, locale) ?? params.industry })
  if (params.region) out.push({ key: 'region', value: regionLabel(ref, params.region, locale) })
  if (params.scenario) out.push({ key: 'scenario', value: scenarioName(ref, params.scenario, locale) ?? params.scenario })
  if (params.level) out.push({ key: 'level', value: params.level })
  if (params.status) out.push({ key: 'status', value: params.status })
  if (params.budgetMin !== undefined) out.push({ key: 'budgetMin', value: String(params.budgetMin) })
  if (params.budgetMax !== undefined) out.push({ key: 'budgetMax', value: String(params.budgetMax) })
  return out
}

/** /provider/saved-searches and the section of /provider/recommended: the organisation's saved searches, newest first. */
export async function listSavedSearches(
  db: Database,
  search: SearchEngine,
  actor: Actor,
  locale: Locale = DEFAULT_LOCALE,
): Promise<{ items: SavedSearchItem[]; limit: number }> {
  const ref = await getReferenceData(db)
  const orgId = await actingProviderForRecommendations(db, actor, ref)
  const rows = await db
    .selectFrom('saved_searches as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.name', 's.query', 's.notify', 's.checked_until', 's.created_at', 'u.name as user_name'])
    .where('s.org_id', '=', orgId)
    .orderBy('s.id', 'desc')
    .limit(SAVED_SEARCH_LIMITS.perOrg)
    .execute()
  // At most 20 counts, asked together.
  const counts = await Promise.all(rows.map((r) => countNewMatches(search, r)))
  const items: SavedSearchItem[] = []
  for (const [i, r] of rows.entries()) {
    const params = parseSavedQuery(r.query)
    const query = params ? savedQueryOf(params) : {}
    items.push({
      id: r.id,
      name: r.name,
      notify: r.notify === 1,
      query,
      criteria: params ? criteriaOf(ref, params, locale) : [],
      hallHref: hallHref(query),
      newCount: counts[i] ?? 0,
      checkedUntil: String(r.checked_until),
      createdAt: String(r.created_at),
      createdBy: r.user_name,
    })
  }
  return { items, limit: SAVED_SEARCH_LIMITS.perOrg }
}

/**
 * The search a page offers to save (the hall's parameters, from its URL or a refused
 * form), with its criteria in words; null when it names none.
 */
export async function pendingSavedSearch(
  db: Database,
  params: TNeedSearchParams,
  locale: Locale = DEFAULT_LOCALE,
): Promise<{ query: SavedQuery; criteria: SavedSearchCriterion[] } | null> {
  const query = savedQueryOf(params)
  if (isEmptyQuery(query)) return null
  return { query, criteria: criteriaOf(await getReferenceData(db), params, locale) }
}

/** A saved search of the actor's organisation, for a write; NOT_FOUND for anyone else's. */
async function ownSavedSearch(db: Kysely<DB>, orgId: number, id: number) {
  const row = await db
    .selectFrom('saved_searches')
    .select(['id', 'org_id', 'name', 'notify', 'query'])
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'errors.notFound')
  return row
}

/** Saves the hall's query under a name; the needs published from now on are new to it. */
export async function createSavedSearch(
  db: Database,
  actor: Actor,
  input: { name: string; params: TNeedSearchParams },
  now: Date = new Date(),
): Promise<{ id: number }> {
  const ref = await getReferenceData(db)
  const orgId = await actingProviderForRecommendations(db, actor, ref)
  const query = savedQueryOf(input.params)
  if (isEmptyQuery(query)) throw new AppError('VALIDATION', 'savedSearch.e.emptyQuery')
  return withTransaction(db, async (trx) => {
    const count = await trx
      .selectFrom('saved_searches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow()
    if (Number(count.n) >= SAVED_SEARCH_LIMITS.perOrg) {
      throw new AppError('CONFLICT', 'savedSearch.e.limit', { params: { limit: SAVED_SEARCH_LIMITS.perOrg } })
    }
    const at = now.toISOString()
    const row = await trx
      .insertInto('saved_searches')
      .values({
        org_id: orgId,
        user_id: actor.userId,
        name: input.name,
        query: JSON.stringify(query),
        notify: 1,
        checked_until: at,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      action: 'saved_search.created',
      ...auditActor(actor),
      objectType: 'saved_search',
      objectId: row.id,
      detail: { name: input.name, query: JSON.stringify(query) },
    })
    return { id: row.id }
  })
}

/** Renames a saved search, or turns its notifications on or off (on again: only needs published from now are new). */
export async function updateSavedSearch(
  db: Database,
  actor: Actor,
  id: number,
  change: { name: string } | { notify: boolean },
  now: Date = new Date(),
): Promise<{ changed: boolean }> {
  const ref = await getReferenceData(db)
  const orgId = await actingProviderForRecommendations(db, actor, ref)
  return withTransaction(db, async (trx) => {
    const row = await ownSavedSearch(trx, orgId, id)
    const at = now.toISOString()
    if ('name' in change) {
      if (change.name === row.name) return { changed: false }
      await trx.updateTable('saved_searches').set({ name: change.name, updated_at: at }).where('id', '=', id).execute()
      await recordAudit(trx, {
        action: 'saved_search.updated',
        ...auditActor(actor),
        objectType: 'saved_search',
        objectId: id,
        detail: { name: `${row.name} → ${change.name}` },
      })
      return { changed: true }
    }
    const notify = change.notify ? (1 as const) : (0 as const)
    if (notify === row.notify) return { changed: false }
    await trx
      .updateTable('saved_searches')
      .set({ notify, updated_at: at, ...(notify === 1 ? { checked_until: at } : {}) })
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, {
      action: 'saved_search.updated',
      ...auditActor(actor),
      objectType: 'saved_search',
      objectId: id,
      detail: { name: row.name, notify: change.notify ? 'on' : 'off' },
    })
    return { changed: true }
  })
}

export async function deleteSavedSearch(db: Database, actor: Actor, id: number): Promise<void> {
  const ref = await getReferenceData(db)
  const orgId = await actingProviderForRecommendations(db, actor, ref)
  await withTransaction(db, async (trx) => {
    const row = await ownSavedSearch(trx, orgId, id)
    await trx.deleteFrom('saved_searches').where('id', '=', id).execute()
    await recordAudit(trx, {
      action: 'saved_search.deleted',
      ...auditActor(actor),
      objectType: 'saved_search',
      objectId: id,
      detail: { name: row.name, query: row.query },
    })
  })
}

export interface NotifyRun {
  /** Saved searches looked at. */
  checked: number
  /** E-mails enqueued. */
  sent: number
  /** Needs announced, over all e-mails. */
  needs: number
}

function link(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`
}

/** The e-mail of one saved search's new needs, in Chinese then English. */
function notificationMessage(
  saved: { name: string; query: SavedQuery },
  hits: { id: number; title: string }[],
  total: number,
  baseUrl: string,
) {
  const lines = (locale: Locale) => {
    const t = translator(locale)
    const out = [t('savedSearch.mail.intro', { name: saved.name, count: total }), '']
    for (const hit of hits) out.push(`· ${hit.title}`, `  ${link(baseUrl, `/needs/${hit.id}`)}`)
    if (total > hits.length) out.push('', t('savedSearch.mail.more', { count: total - hits.length }))
    out.push('', `${t('savedSearch.mail.all')} ${link(baseUrl, hallHref(saved.query))}`)
    out.push(`${t('savedSearch.mail.manage')} ${link(baseUrl, '/provider/saved-searches')}`)
    return out.join('\n')
  }
  const zh = translator(DEFAULT_LOCALE)
  const en = translator('en')
  return {
    subject: `${zh('savedSearch.mail.subject', { name: saved.name, count: total })} / ${en('savedSearch.mail.subject', { name: saved.name, count: total })}`,
    body: `${lines(DEFAULT_LOCALE)}\n\n----\n\n${lines('en')}`,
  }
}

/**
 * The notify job: for each saved search with notify on whose provider is still a
 * verified provider, the needs it finds published in its window (checked_until, cut],
 * cut = now − NOTIFY_SETTLE_MS to the whole second, → one e-mail to its creator (a
 * verified e-mail address, still an active member of the organisation; otherwise
 * nothing is sent) with up to 10 titles and links and the count; then checked_until =
 * cut, in the same transaction, and only if no other run moved it meanwhile. Windows
 * meet to the second (the index keeps publishedAt in seconds), so a need is announced
 * once. Bounded: NOTIFY_BATCH saved searches per batch, NOTIFY_BATCHES batches per run;
 * the longest-waiting first.
 */
export async function notifySavedSearches(
  db: Database,
  search: SearchEngine,
  now: Date = new Date(),
  options: { baseUrl?: string; batch?: number; batches?: number } = {},
): Promise<NotifyRun> {
  const cutMs = Math.floor((now.getTime() - NOTIFY_SETTLE_MS) / 1000) * 1000
  const cut = new Date(cutMs).toISOString()
  const cutSec = cutMs / 1000
  const batch = options.batch ?? NOTIFY_BATCH
  const baseUrl = options.baseUrl ?? ''
  const run: NotifyRun = { checked: 0, sent: 0, needs: 0 }
  await ensureNeedsIndex(search)
  for (let b = 0; b < (options.batches ?? NOTIFY_BATCHES); b++) {
    const due = await db
      .selectFrom('saved_searches as s')
      .innerJoin('organisations as o', 'o.id', 's.org_id')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .leftJoin('memberships as m', (join) =>
        join.onRef('m.org_id', '=', 's.org_id').onRef('m.user_id', '=', 's.user_id').on('m.status', '=', 'active'),
      )
      .select([
        's.id',
        's.org_id',
        's.user_id',
        's.name',
        's.query',
        's.checked_until',
        'u.email',
        'u.email_verified_at',
        'm.user_id as member',
      ])
      .where('s.notify', '=', 1)
      .where('s.checked_until', '<', cut)
      .where('o.kind', '=', 'provider')
      .where('o.status', '=', 'verified')
      .orderBy('s.checked_until')
      .orderBy('s.id')
      .limit(batch)
      .execute()
    for (const s of due) {
      run.checked += 1
      const previous = String(s.checked_until)
      const params = parseSavedQuery(s.query)
      const result = params
        ? await search.search(NEEDS_INDEX, newMatchesQuery(params, toSeconds(previous), cutSec - 1, NOTIFY_TITLES))
        : null
      const hits = (result?.hits ?? [])
        .map((h) => ({ id: parseNeedDocumentId(h.id) ?? 0, title: String(h.display.title ?? '') }))
        .filter((h) => h.id > 0)
      const mailable = s.email !== null && s.email_verified_at !== null
      await withTransaction(db, async (trx, afterCommit) => {
        const moved = await trx
          .updateTable('saved_searches')
          .set({ checked_until: cut })
          .where('id', '=', s.id)
          .where('checked_until', '=', previous)
          .executeTakeFirst()
        // Another run (the CLI beside the job) got here first: it sends this window.
        // Its creator left the organisation: nobody is told.
        if (Number(moved.numUpdatedRows) === 0 || !result || result.total === 0 || s.member === null) return
        const query = savedQueryOf(params!)
        const hall = hallHref(query)
        // An in-app notice; the e-mail (its titles and links) as the person chose, to a verified address only.
        const told = await notify(db, trx, afterCommit, {
          userIds: [s.user_id],
          orgId: s.org_id,
          kind: 'saved_search_matches',
          params: { name: s.name, count: result.total },
          link: hall.length <= 300 ? hall : '/provider/saved-searches',
          email: mailable ? notificationMessage({ name: s.name, query }, hits, result.total, baseUrl) : false,
        })
        run.sent += told.emailed
        run.needs += result.total
      })
    }
    if (due.length < batch) break
  }
  return run
}

/** The forms' schemas, for the routes: through this .server module, zod stays out of the browser bundle. */
export { ZRecommendedQuery, ZSavedSearchAction, ZSavedSearchesQuery } from './saved-search-schema.js'
export { ZNeedSearchParams } from '../needs/needs.server.js'
