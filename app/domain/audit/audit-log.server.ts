import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DB } from '../../../db/types.js'
import type { Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData } from '../reference/reference.server.js'
import type { AuditAction } from './actions.js'
import type { TAuditLogParams } from './schema.js'

export interface AuditEvent {
  action: AuditAction
  actorUserId?: number | null
  actorOrgId?: number | null
  objectType?: string
  objectId?: string | number
  /** Region the event belongs to, so the agency of that region sees it. */
  regionCode?: string | null
  ip?: string
  detail?: Record<string, string | number | boolean | null>
}

/** Control characters (newlines included) cannot reach the log: no forged lines. */
export function sanitizeAuditText(value: string, max = 500): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ').slice(0, max)
}

export async function recordAudit(db: Database | Transaction<DB>, event: AuditEvent): Promise<void> {
  const detail = event.detail
    ? JSON.stringify(
        Object.fromEntries(Object.entries(event.detail).map(([k, v]) => [k, typeof v === 'string' ? sanitizeAuditText(v) : v])),
      )
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

export const AUDIT_PAGE_SIZE = 50

export interface AuditLogEntry {
  id: number
  at: string
  action: string
  actorName: string | null
  actorOrgName: string | null
  objectType: string | null
  objectId: string | null
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
  return { entries, total }
}
