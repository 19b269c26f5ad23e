import { sql, type SelectQueryBuilder } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { dialectOf } from '../../../db/dialect.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import type { Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { narrowedJurisdiction } from '../reference/jurisdiction.js'
import { getReferenceData, refName, regionLabel } from '../reference/reference.server.js'
import { ORG_STATUSES, SELF_SERVICE_ORG_KINDS, type OrgKind, type OrgStatus, type TAuditQueueParams } from './schema.js'

export const AUDIT_QUEUE_PAGE_SIZE = 20

export interface AuditQueueItem {
  id: number
  kind: OrgKind
  name: string
  uscc: string | null
  regionName: string
  status: OrgStatus
  submittedAt: string | null
  reviewedAt: string | null
  /** Other applications and organisations naming the same USCC. */
  competing: number
}

export interface AuditQueue {
  items: AuditQueueItem[]
  total: number
  page: number
  pageCount: number
  counts: Record<OrgStatus, number>
}

export interface AuditQueuePage {
  queue: AuditQueue
  /** The region filter: the agency's own region and the level below it. */
  regionOptions: { code: string; name: string }[]
}

/** What one request asks of the queue, resolved against the agency's jurisdiction. */
interface QueueQuery {
  status: OrgStatus
  /** Region codes to show: the jurisdiction, or the part of it the filter narrows to. */
  regions: string[]
  kinds: OrgKind[]
  q: string | undefined
  offset: number
}

/**
 * The audit queue of the actor's agency: enterprises and providers in its
 * jurisdiction (narrowed to `params.region` when that lies inside it), oldest
 * application first.
 *
 * What a request costs does not grow with the jurisdiction (issue 8): the tab counts
 * add up the kept counts of its regions (`org_status_counts`, a few hundred rows for a
 * province), and the page walks the applications of one status in date order, per
 * region and kind, stopping once the page is full (`pageIds`). Only a search (`q`: a
 * name contains it, or the USCC is it) reads what it searches: the jurisdiction's
 * entries of an index holding names, codes and dates, counted and paged as the filter
 * finds them.
 */
export async function listAuditQueue(
  db: Database,
  actor: Actor,
  params: TAuditQueueParams,
  locale: Locale = DEFAULT_LOCALE,
): Promise<AuditQueuePage> {
  const ref = await getReferenceData(db)
  const agency = authorize(actor, ref, 'review:orgs:role')
  const query: QueueQuery = {
    status: params.status,
    regions: narrowedJurisdiction(ref, agency.regionCode, params.region),
    kinds: params.kind ? [params.kind] : [...SELF_SERVICE_ORG_KINDS],
    q: params.q,
    offset: (params.page - 1) * AUDIT_QUEUE_PAGE_SIZE,
  }
  const counts = query.q === undefined ? await keptCounts(db, query) : await searchCounts(db, query)
  const total = counts[query.status]
  const ids = query.offset < total ? await pageIds(db, query) : []
  const rows = await pageRows(db, ids)
  const regionOptions = [ref.regionsByCode.get(agency.regionCode), ...(ref.childrenByCode.get(agency.regionCode) ?? [])]
    .filter((r) => r !== undefined)
    .map((r) => ({ code: r.code, name: refName(r, locale) }))
  return {
    queue: {
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        uscc: r.uscc,
        regionName: regionLabel(ref, r.region_code, locale),
        status: r.status,
        submittedAt: r.submitted_at,
        reviewedAt: r.reviewed_at,
        competing: Number(r.competing ?? 0),
      })),
      total,
      page: params.page,
      pageCount: Math.max(1, Math.ceil(total / AUDIT_QUEUE_PAGE_SIZE)),
      counts,
    },
    regionOptions,
  }
}

/** The tab counts: the kept counts of the regions and kinds shown, added up by status. */
async function keptCounts(db: Database, query: QueueQuery): Promise<Record<OrgStatus, number>> {
  const counts: Record<OrgStatus, number> = { pending: 0, verified: 0, rejected: 0 }
  if (query.regions.length === 0) return counts
  const rows = await db
    .selectFrom('org_status_counts')
    .select(['status', (eb) => eb.fn.sum<number>('n').as('n')])
    .where('region_code', 'in', query.regions)
    .where('kind', 'in', query.kinds)
    .groupBy('status')
    .execute()
  for (const r of rows) counts[r.status] = Number(r.n)
  return counts
}

/** The organisations the page may show, of every status: the jurisdiction's, of the kinds, found by the search. */
function shown<O>(query: QueueQuery) {
  return (qb: SelectQueryBuilder<DB, 'organisations', O>) =>
    qb
      .where('region_code', 'in', query.regions.length ? query.regions : [''])
      .where('kind', 'in', query.kinds)
      .$if(query.q !== undefined, (qb) => qb.where(matchesSearch(query.q!)))
}

/** The search: the name contains the text (any case), or the USCC is it. */
function matchesSearch(q: string) {
  // Case-insensitive on both dialects (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
  return sql<boolean>`(lower(name) like lower('%' || ${escapeLike(q)} || '%') escape '\\' or uscc = ${q.toUpperCase()})`
}

/**
 * `organisations` read through one index: named on SQLite (which has no statistics to
 * choose by, and would otherwise guess), left to the planner on PostgreSQL.
 */
function organisationsVia(db: Database, index: string) {
  const hint = dialectOf(db) === 'sqlite' ? sql` indexed by ${sql.raw(index)}` : sql``
  return sql<DB['organisations']>`organisations`.as<'organisations'>(sql`organisations${hint}`)
}

/** What a search reads: every entry of the jurisdiction's regions and kinds, from an index holding all it filters, counts and sorts by. */
const SEARCH_INDEX = 'organisations_queue_search_idx'

/** Counts by status of what a search finds in the jurisdiction. */
async function searchCounts(db: Database, query: QueueQuery): Promise<Record<OrgStatus, number>> {
  const counts: Record<OrgStatus, number> = { pending: 0, verified: 0, rejected: 0 }
  if (query.regions.length === 0) return counts
  const rows = await db
    .selectFrom(organisationsVia(db, SEARCH_INDEX))
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ORG_STATUSES)
    .$call(shown(query))
    .groupBy('status')
    .execute()
  for (const r of rows) counts[r.status] = Number(r.n)
  return counts
}

/**
 * The page's order: pending applications by submission, oldest first; decided ones by
 * decision, newest first; the id breaks ties. Each has an index (status, region_code,
 * kind, <date>, id) in exactly this order (migration 2026-12-02T0960).
 */
function pageOrder(status: OrgStatus) {
  return status === 'pending'
    ? ({ column: 'submitted_at', direction: 'asc', index: 'organisations_queue_submitted_idx' } as const)
    : ({ column: 'reviewed_at', direction: 'desc', index: 'organisations_queue_reviewed_idx' } as const)
}

/**
 * The ids of the page, in the page's order. Within one (status, region, kind) the index
 * already lists the applications in that order, so no request sorts the jurisdiction:
 *
 * - SQLite walks the index for each region and kind in turn (the IN lists) and, once it
 *   holds a page's worth (offset + 20), leaves a region as soon as its next entry comes
 *   after the last one it holds (its ORDER BY … LIMIT optimisation). `INDEXED BY` keeps
 *   it on that index whatever the planner would guess without statistics.
 * - PostgreSQL reads one ordered scan per (region, kind) that holds any application of
 *   this status (the kept counts say which), each stopping at offset + 20, and keeps the
 *   first of them (a LATERAL join: planned once, where a UNION ALL of a province's ~150
 *   scans took ~20 ms to plan).
 *
 * A search reads the status's entries of the jurisdiction in the search index instead,
 * which holds the name, the USCC and both dates, and sorts what it finds.
 */
async function pageIds(db: Database, query: QueueQuery): Promise<number[]> {
  const order = pageOrder(query.status)
  const end = query.offset + AUDIT_QUEUE_PAGE_SIZE
  if (dialectOf(db) === 'sqlite' || query.q !== undefined) {
    const rows = await db
      .selectFrom(organisationsVia(db, query.q === undefined ? order.index : SEARCH_INDEX))
      .select('id')
      .where('status', '=', query.status)
      .$call(shown(query))
      .orderBy(order.column, order.direction)
      .orderBy('id')
      .limit(AUDIT_QUEUE_PAGE_SIZE)
      .offset(query.offset)
      .execute()
    return rows.map((r) => r.id)
  }
  // The (region, kind) pairs holding any application of this status, each walked in order by a LATERAL subquery.
  const pairs = await db
    .selectFrom('org_status_counts')
    .select(['region_code', 'kind'])
    .where('status', '=', query.status)
    .where('region_code', 'in', query.regions.length ? query.regions : [''])
    .where('kind', 'in', query.kinds)
    .where('n', '>', 0)
    .execute()
  if (pairs.length === 0) return []
  const at = sql.ref(`o.${order.column}`)
  const direction = sql.raw(order.direction)
  const { rows } = await sql<{ id: number }>`
    select x.id from unnest(${pairs.map((p) => p.region_code)}::text[], ${pairs.map((p) => p.kind)}::text[]) as p(region_code, kind)
    cross join lateral (
      select o.id, ${at} as sort_at from organisations o
       where o.status = ${query.status} and o.region_code = p.region_code and o.kind = p.kind
       order by ${at} ${direction}, o.id limit ${end}
    ) x
    order by x.sort_at ${direction}, x.id limit ${AUDIT_QUEUE_PAGE_SIZE} offset ${query.offset}`.execute(db)
  return rows.map((r) => Number(r.id))
}

/** The page's rows in the order of `ids`, each with how many others claim its USCC. */
async function pageRows(db: Database, ids: readonly number[]) {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'kind', 'name', 'uscc', 'region_code', 'status', 'submitted_at', 'reviewed_at'])
    .select((eb) =>
      eb
        .selectFrom('organisations as c')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('c.uscc', '=', 'organisations.uscc')
        .whereRef('c.id', '<>', 'organisations.id')
        .as('competing'),
    )
    .where('id', 'in', ids)
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.map((id) => byId.get(id)).filter((r) => r !== undefined)
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`)
}
