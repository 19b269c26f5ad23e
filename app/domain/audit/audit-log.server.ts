import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DB } from '../../../db/types.js'
import type { Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData } from '../reference/reference.server.js'
import type { AuditAction } from './actions.js'
import type { TAuditLogParams } from './schema.js'

/** The log page's query schema, for its loader: through this .server module, zod stays out of the browser bundle. */
export { ZAuditLogParams } from './schema.js'

export interface AuditEvent {
  action: AuditAction
  actorUserId?: number | null
  actorOrgId?: number | null
  objectType?: string
  objectId?: string | number
  /** Region the event belongs to, so the agency of that region sees it. */
  regionCode?: string | null
  ip?: string
  detail?: Record<string, AuditDetailValue>
}

/**
 * A detail's value: a scalar, or (for history pages) a nested record such as
 * `changes: { field: [before, after] }`. Every string inside is sanitised.
 */
export type AuditDetailValue =
  string | number | boolean | null | readonly AuditDetailValue[] | { readonly [key: string]: AuditDetailValue }

function sanitizeDetail(value: AuditDetailValue): AuditDetailValue {
  if (typeof value === 'string') return sanitizeAuditText(value)
  if (Array.isArray(value)) return value.map(sanitizeDetail)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sanitizeDetail(v)]))
  }
  return value
}

/** Control characters (newlines included) cannot reach the log: no forged lines. */
export function sanitizeAuditText(value: string, max = 500): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ').slice(0, max)
}

export async function recordAudit(db: Database | Transaction<DB>, event: AuditEvent): Promise<void> {
  const detail = event.detail
    ? JSON.stringify(Object.fromEntries(Object.entries(event.detail).map(([k, v]) => [k, sanitizeDetail(v)])))
    : ''
  await db
    .insertInto('audit_log')
    .values({
      at: new Date().toISOString(),
      action: event.action,
      actor_user_id: event.actorUserId ?? null,
      actor_org_id: event.actorOrgId ?? null,
      object_type: event.objectType ?? null,
      object_id: event.objectId === undefined ? null : sanitizeAuditText(String(event.objectId), 64),
      region_code: event.regionCode ?? null,
      ip: sanitizeAuditText(event.ip ?? '', 64),
      detail,
    })
    .execute()
}

/** Repetitive events are counted per key in windows of this length. */
export const AUDIT_WINDOW_MS = 15 * 60_000
/** Distinct keys per action and window; beyond them, everything is counted under `*`. */
export const AUDIT_KEYS_PER_WINDOW = 100

/** The first occurrence and every tenfold count (10, 100, 1 000 …) are written. */
function isMilestone(count: number): boolean {
  if (count === 1) return true
  let n = count
  while (n % 10 === 0) n /= 10
  return n === 1
}

/**
 * For events anyone can cause at will (a denied page, a rate-limited or failed
 * sign-in): counted per `key` (who, and what they tried) and window in
 * audit_counters, and written to the append-only log only the first time in the
 * window and again at 10, 100, 1 000 … with the count in `detail.repeat`. A window
 * holds at most AUDIT_KEYS_PER_WINDOW keys per action; beyond them everything is
 * counted under `*`. So 10 000 denials from one client add five rows, and a flood
 * from any number of clients adds at most (keys + 1) × (1 + log10 n) rows per action
 * and window, while the counts stay exact.
 */
export async function recordRepeatedAudit(
  db: Database,
  key: string,
  event: AuditEvent,
  now = Date.now(),
): Promise<{ count: number; logged: boolean }> {
  const windowStart = Math.floor(now / AUDIT_WINDOW_MS) * AUDIT_WINDOW_MS
  return db.transaction().execute(async (trx) => {
    let counterKey = sanitizeAuditText(key, 200) || '-'
    const existing = await trx
      .selectFrom('audit_counters')
      .select('count')
      .where('action', '=', event.action)
      .where('window_start', '=', windowStart)
      .where('key', '=', counterKey)
      .executeTakeFirst()
    if (!existing) {
      const { n } = await trx
        .selectFrom('audit_counters')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', event.action)
        .where('window_start', '=', windowStart)
        .where('key', '<>', '*')
        .executeTakeFirstOrThrow()
      if (n >= AUDIT_KEYS_PER_WINDOW) counterKey = '*'
    }
    const { count } = await trx
      .insertInto('audit_counters')
      .values({ action: event.action, key: counterKey, window_start: windowStart, count: 1 })
      .onConflict((oc) =>
        oc.columns(['action', 'window_start', 'key']).doUpdateSet((eb) => ({ count: eb('audit_counters.count', '+', 1) })),
      )
      .returning('count')
      .executeTakeFirstOrThrow()
    const logged = isMilestone(count)
    if (logged) {
      await recordAudit(trx, {
        ...event,
        detail: { ...event.detail, repeat: count, ...(counterKey === '*' ? { overflow: true } : {}) },
      })
    }
    // Now and then, forget counters older than a month.
    if (Math.random() < 0.001) {
      await trx
        .deleteFrom('audit_counters')
        .where('window_start', '<', now - 30 * 24 * 60 * 60 * 1000)
        .execute()
    }
    return { count, logged }
  })
}

export const AUDIT_PAGE_SIZE = 50

export interface AuditLogEntry {
  id: number
  at: string
  action: string
  actorName: string | null
  actorOrgName: string | null
  objectType: string | null
  objectId: string | null
  /** The user's or organisation's name when the object is one (and still exists), for the log's sentences. */
  objectName: string | null
  /** The object organisation's kind: enterprises' and providers' applications can be linked to. */
  objectOrgKind: string | null
  regionCode: string | null
  ip: string
  detail: string
}

export interface AuditLogPage {
  entries: AuditLogEntry[]
  total: number
  page: number
  pageCount: number
}

/**
 * The audit log as the actor's agency may read it: the events filed under its region
 * and everything below, newest first.
 */
export async function listJurisdictionAuditLog(db: Database, actor: Actor, params: TAuditLogParams): Promise<AuditLogPage> {
  const ref = await getReferenceData(db)
  const agency = authorize(actor, ref, 'read:auditlog:role')
  const { entries, total } = await listAuditLog(db, jurisdictionCodes(ref, agency.regionCode), params)
  return { entries, total, page: params.page, pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) }
}

/** The log rows whose region lies inside the given set of region codes, newest first. */
async function listAuditLog(
  db: Database,
  regionCodes: readonly string[],
  filters: TAuditLogParams,
): Promise<{ entries: AuditLogEntry[]; total: number }> {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .leftJoin('organisations as o', 'o.id', 'a.actor_org_id')
    .where('a.region_code', 'in', regionCodes.length ? [...regionCodes] : [''])
  if (filters.action) q = q.where('a.action', '=', filters.action)
  const [{ total }, entries] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    q
      .select([
        'a.id',
        'a.at',
        'a.action',
        'u.name as actorName',
        'o.name as actorOrgName',
        'a.object_type as objectType',
        'a.object_id as objectId',
        'a.region_code as regionCode',
        'a.ip',
        'a.detail',
      ])
      .orderBy('a.id', 'desc')
      .limit(AUDIT_PAGE_SIZE)
      .offset((filters.page - 1) * AUDIT_PAGE_SIZE)
      .execute(),
  ])
  return { entries: await withObjectNames(db, entries), total }
}

/** Names the users and organisations the page's entries are about (two lookups by id, whatever the page). */
async function withObjectNames(
  db: Database,
  entries: Omit<AuditLogEntry, 'objectName' | 'objectOrgKind'>[],
): Promise<AuditLogEntry[]> {
  const idsOf = (type: string) => [
    ...new Set(
      entries.filter((e) => e.objectType === type && /^[1-9]\d{0,15}$/.test(e.objectId ?? '')).map((e) => Number(e.objectId)),
    ),
  ]
  const userIds = idsOf('user')
  const orgIds = idsOf('organisation')
  const [users, orgs] = await Promise.all([
    userIds.length ? db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : [],
    orgIds.length ? db.selectFrom('organisations').select(['id', 'name', 'kind']).where('id', 'in', orgIds).execute() : [],
  ])
  const userNames = new Map(users.map((u) => [String(u.id), u.name]))
  const orgsById = new Map(orgs.map((o) => [String(o.id), o]))
  return entries.map((e) => {
    const org = e.objectType === 'organisation' ? orgsById.get(e.objectId ?? '') : undefined
    const userName = e.objectType === 'user' ? userNames.get(e.objectId ?? '') : undefined
    return { ...e, objectName: org?.name ?? userName ?? null, objectOrgKind: org?.kind ?? null }
  })
}
