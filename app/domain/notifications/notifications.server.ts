import type { Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import type { MessageParams } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import {
  KINDS,
  LIVE_KINDS,
  NOTIFICATIONS_PAGE_SIZE,
  UNREAD_COUNT_CAP,
  isNotificationKind,
  type NotificationKind,
} from './kinds.js'

/*
 * The notification centre (issue 14 §7): a person reads, and marks read, only their
 * own notices (someone else's id is answered 404, as if it did not exist), and sets
 * their own e-mail and SMS choice per kind. No organisation permission is involved:
 * the notices were addressed to the person.
 */

export interface NotificationItem {
  id: number
  kind: NotificationKind
  params: MessageParams
  link: string
  createdAt: string
  unread: boolean
}

export interface NotificationsPage {
  items: NotificationItem[]
  total: number
  unread: number
  page: number
  pageCount: number
  unreadOnly: boolean
}

function parseParams(json: string): MessageParams {
  try {
    const raw: unknown = JSON.parse(json)
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {}
    const out: MessageParams = {}
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number') out[k] = v
    }
    return out
  } catch {
    return {}
  }
}

/**
 * The person's unread notices, counted through the partial index up to
 * UNREAD_COUNT_CAP (the bell shows 99+ past 99): one indexed query per page view.
 */
export async function unreadNotificationCount(db: Kysely<DB>, userId: number): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .limit(UNREAD_COUNT_CAP)
        .as('unread'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** /notifications: newest first, 20 a page; `unreadOnly` keeps the unread ones. */
export async function listNotifications(
  db: Database,
  actor: Actor,
  { page = 1, unreadOnly = false }: { page?: number; unreadOnly?: boolean } = {},
): Promise<NotificationsPage> {
  const counts = await db
    .selectFrom('notifications')
    .select([
      (eb) => eb.fn.countAll<number>().as('total'),
      (eb) => eb.fn.sum<number>(eb.case().when('read_at', 'is', null).then(1).else(0).end()).as('unread'),
    ])
    .where('user_id', '=', actor.userId)
    .executeTakeFirst()
  const total = Number(counts?.total ?? 0)
  const unread = Number(counts?.unread ?? 0)
  const listed = unreadOnly ? unread : total
  const pageCount = Math.max(1, Math.ceil(listed / NOTIFICATIONS_PAGE_SIZE))
  const current = Math.min(Math.max(1, Math.floor(page)), pageCount)
  let query = db
    .selectFrom('notifications')
    .select(['id', 'kind', 'params', 'link', 'created_at', 'read_at'])
    .where('user_id', '=', actor.userId)
  if (unreadOnly) query = query.where('read_at', 'is', null)
  const rows = await query
    .orderBy('id', 'desc')
    .limit(NOTIFICATIONS_PAGE_SIZE)
    .offset((current - 1) * NOTIFICATIONS_PAGE_SIZE)
    .execute()
  const items: NotificationItem[] = []
  for (const r of rows) {
    // A kind this version does not know (written by a newer one) is left out, not a 500.
    if (!isNotificationKind(r.kind)) continue
    items.push({
      id: r.id,
      kind: r.kind,
      params: parseParams(r.params),
      link: r.link,
      createdAt: String(r.created_at),
      unread: r.read_at === null,
    })
  }
  return { items, total, unread, page: current, pageCount, unreadOnly }
}

/** Marks one of the person's notices read (again: nothing changes); anyone else's → 404. Returns its link. */
export async function markNotificationRead(db: Database, actor: Actor, id: number): Promise<{ link: string }> {
  const row = await db
    .selectFrom('notifications')
    .select(['id', 'link', 'read_at'])
    .where('id', '=', id)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'notifications.e.notFound')
  if (row.read_at === null) {
    await db
      .updateTable('notifications')
      .set({ read_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('user_id', '=', actor.userId)
      .where('read_at', 'is', null)
      .execute()
  }
  return { link: row.link }
}

/** Marks all the person's notices read; returns how many were unread. */
export async function markAllNotificationsRead(db: Database, actor: Actor): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: new Date().toISOString() })
    .where('user_id', '=', actor.userId)
    .where('read_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export interface PreferenceRow {
  kind: NotificationKind
  email: boolean
  sms: boolean
}

export interface PreferencesView {
  rows: PreferenceRow[]
  hasEmail: boolean
  hasPhone: boolean
}

/** The person's choice per live kind (the kind's default where none was made). */
export async function getNotificationPreferences(db: Database, actor: Actor): Promise<PreferencesView> {
  const user = await db.selectFrom('users').select(['email', 'phone']).where('id', '=', actor.userId).executeTakeFirst()
  if (!user) throw new AppError('NOT_FOUND', 'errors.notFound')
  const saved = await db
    .selectFrom('notification_preferences')
    .select(['kind', 'email', 'sms'])
    .where('user_id', '=', actor.userId)
    .execute()
  const byKind = new Map(saved.map((s) => [s.kind, s]))
  return {
    rows: LIVE_KINDS.map((kind) => {
      const s = byKind.get(kind)
      return { kind, email: s ? s.email === 1 : KINDS[kind].email, sms: s ? s.sms === 1 : KINDS[kind].sms }
    }),
    hasEmail: Boolean(user.email),
    hasPhone: Boolean(user.phone),
  }
}

/** Saves the person's choice for every live kind (the form's checkboxes: absent = off). */
export async function saveNotificationPreferences(db: Database, actor: Actor, input: Record<string, boolean>): Promise<void> {
  await withTransaction(db, async (trx) => {
    for (const kind of LIVE_KINDS) {
      const email = input[`email.${kind}`] ? 1 : 0
      const sms = input[`sms.${kind}`] ? 1 : 0
      await trx
        .insertInto('notification_preferences')
        .values({ user_id: actor.userId, kind, email, sms })
        .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ email, sms }))
        .execute()
    }
  })
}

/** The forms' schemas, for the routes: through this .server module, zod stays out of the browser bundle. */
export { ZNotificationAction, ZNotificationsQuery, ZPreferencesInput } from './schema.js'
