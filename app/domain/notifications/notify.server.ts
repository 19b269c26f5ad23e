import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, localizedParams, translator, type MessageParams } from '../../i18n/index.js'
import { getEnv } from '../../utils/env.server.js'
import { enqueueMessage } from '../messaging/outbox.server.js'
import { KINDS, bodyKey, isNotificationKind, titleKey, type NotificationKind } from './kinds.js'

/*
 * notify (issue 14 §7): called inside the transaction of what it announces. Writes one
 * in-app notice per recipient and, for each recipient whose preference for the kind
 * (else the kind's default) has e-mail or SMS on and who has an address for it, one
 * message through the outbox, in Chinese, with the notice's link (PUBLIC_URL + path)
 * and the way to the settings. A rollback leaves neither.
 */

/** A notice unsent after this long is stale. */
const MESSAGE_TTL_MS = 7 * 86_400_000
const PARAM_MAX = 500

export type NotifyTarget =
  /** These people (the notice is about them, or about `orgId` when given). */
  | { userIds: readonly number[]; orgId?: number | null }
  /** The organisation's active members (or its owners, when the kind says so). */
  | { orgId: number; userIds?: undefined }

export type NotifyInput = NotifyTarget & {
  kind: NotificationKind
  params: MessageParams
  /** A path inside the site: /provider/invitations. */
  link: string
  /**
   * A fuller e-mail than the notice's title and body (saved searches list their new
   * needs); false: no e-mail for this notice whatever the preference (the caller knows
   * none may be sent).
   */
  email?: { subject: string; body: string } | false
}

export interface NotifyOutcome {
  notified: number[]
  emailed: number
  texted: number
}

function trimmedParams(params: MessageParams): MessageParams {
  const out: MessageParams = {}
  for (const [k, v] of Object.entries(params)) {
    out[k] = typeof v === 'string' ? Array.from(v).slice(0, PARAM_MAX).join('') : v
  }
  return out
}

/** An address in a message: PUBLIC_URL + path, or the path alone without it. */
export function absoluteLink(path: string, baseUrl: string | undefined = getEnv().PUBLIC_URL): string {
  return `${(baseUrl ?? '').replace(/\/+$/, '')}${path}`
}

export async function notify(
  db: Database,
  trx: Transaction<DB>,
  afterCommit: AfterCommit,
  input: NotifyInput,
): Promise<NotifyOutcome> {
  if (!isNotificationKind(input.kind)) throw new Error(`notify: unknown kind ${String(input.kind)}`)
  if (!input.link.startsWith('/') || input.link.length > 300) throw new Error('notify: link must be a site path ≤ 300')
  const spec = KINDS[input.kind]
  let recipients = trx
    .selectFrom('users as u')
    .leftJoin('notification_preferences as p', (join) => join.onRef('p.user_id', '=', 'u.id').on('p.kind', '=', input.kind))
    .select(['u.id', 'u.email', 'u.phone', 'p.email as pref_email', 'p.sms as pref_sms'])
  if (input.userIds !== undefined) {
    if (input.userIds.length === 0) return { notified: [], emailed: 0, texted: 0 }
    recipients = recipients.where('u.id', 'in', [...new Set(input.userIds)])
  } else {
    const orgId = input.orgId
    recipients = recipients.where('u.id', 'in', (eb) => {
      let members = eb.selectFrom('memberships').select('user_id').where('org_id', '=', orgId).where('status', '=', 'active')
      if (spec.audience === 'owners') members = members.where('role', '=', 'owner')
      return members
    })
  }
  const people = await recipients.orderBy('u.id').execute()
  if (people.length === 0) return { notified: [], emailed: 0, texted: 0 }

  const params = trimmedParams(input.params)
  const json = JSON.stringify(params)
  if (json.length > 2000) throw new Error('notify: params over 2000 characters')
  const now = new Date()
  await trx
    .insertInto('notifications')
    .values(
      people.map((p) => ({
        user_id: p.id,
        org_id: input.orgId ?? null,
        kind: input.kind,
        params: json,
        link: input.link,
        created_at: now.toISOString(),
      })),
    )
    .execute()

  const t = translator(DEFAULT_LOCALE)
  const url = absoluteLink(input.link)
  const settings = absoluteLink('/account/notifications')
  const shown = localizedParams(t, params)
  const title = t(titleKey(input.kind), shown)
  const mail =
    input.email === false
      ? null
      : (input.email ?? {
          subject: spec.mail ? t(spec.mail.subject, shown) : t('notifications.mail.subject', { title }),
          body: spec.mail ? t(spec.mail.body, shown) : `${title}\n\n${t(bodyKey(input.kind), shown)}`,
        })
  const expiresAt = new Date(now.getTime() + MESSAGE_TTL_MS)
  let emailed = 0
  let texted = 0
  for (const p of people) {
    const wantsEmail = p.pref_email === null ? spec.email : p.pref_email === 1
    const wantsSms = p.pref_sms === null ? spec.sms : p.pref_sms === 1
    if (mail && wantsEmail && p.email) {
      await enqueueMessage(db, trx, afterCommit, {
        channel: 'email',
        destination: p.email,
        subject: mail.subject,
        body:
          input.email === undefined
            ? `${mail.body}\n\n${t('notifications.mail.link', { url })}\n\n${t('notifications.mail.manage', { url: settings })}`
            : `${mail.body}\n\n${t('notifications.mail.manage', { url: settings })}`,
        expiresAt,
      })
      emailed += 1
    }
    if (wantsSms && p.phone) {
      await enqueueMessage(db, trx, afterCommit, {
        channel: 'sms',
        destination: p.phone,
        subject: '',
        body: t('notifications.sms.text', { title, url }),
        expiresAt,
      })
      texted += 1
    }
  }
  return { notified: people.map((p) => p.id), emailed, texted }
}
