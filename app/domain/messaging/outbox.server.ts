import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { AfterCommit } from '../../../db/transaction.js'
import type { DB, MessageStatus } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import { transports, type Transport, type Transports } from './transports.server.js'

/*
 * Messages to people (one-time codes by SMS or e-mail) go through an outbox: the row is
 * written in the transaction of what it announces, and delivered after commit, in the
 * background, so a request never waits for an SMTP server and a rollback sends nothing.
 * A delivered, failed or undeliverable message keeps no body (a CHECK says so): codes
 * are not left readable at rest. Without a transport for its channel a message stays
 * on the development mailbox (/dev/mailbox) when that is on, and is discarded otherwise.
 *
 * Several app instances may deliver from one outbox (issue 10): a message is claimed by
 * one atomic update (pending → sending) before it is sent, so one instance sends it; the
 * claim holds until `claimed_until`, after which a message still 'sending' (its instance
 * died mid-send) goes back in the queue. The scheduled job (app/web/jobs.server.ts)
 * runs a pass now and then, so a retry or a crashed instance's message does not wait
 * for the next message to be enqueued.
 */

export type Channel = 'sms' | 'email'

export interface OutgoingMessage {
  channel: Channel
  destination: string
  subject: string
  body: string
  /** After this the message is pointless (its code has expired): never delivered later. */
  expiresAt: Date
}

const MAX_ATTEMPTS = 5
const BATCH = 50
/** A message claimed for sending this long ago by a process that died goes back in the queue. */
const STUCK_MS = 5 * 60_000
/** How long a claim holds: a send (an SMTP or gateway call with its timeouts) ends well before. */
const CLAIM_MS = STUCK_MS

/** Writes the message in the caller's transaction; delivery starts after commit. */
export async function enqueueMessage(
  db: Database,
  trx: Transaction<DB>,
  afterCommit: AfterCommit,
  message: OutgoingMessage,
): Promise<void> {
  await trx
    .insertInto('message_outbox')
    .values({
      channel: message.channel,
      destination: message.destination,
      subject: message.subject,
      body: message.body,
      created_at: new Date().toISOString(),
      expires_at: message.expiresAt.toISOString(),
    })
    .execute()
  afterCommit(() => {
    void scheduleDelivery(db)
  })
}

let running: Promise<void> | null = null
let again = false

/**
 * Delivers what is pending, in the background: one run at a time per process (a call
 * during a run asks for another pass). Returns the run, for tests and the mailbox page.
 */
export function scheduleDelivery(db: Database): Promise<void> {
  if (running) {
    again = true
    return running
  }
  running = (async () => {
    do {
      again = false
      await deliverPending(db)
    } while (again)
  })()
    .catch((error: unknown) => console.error('message outbox: delivery failed', error))
    .finally(() => {
      running = null
    })
  return running
}

async function settle(db: Database, id: number, status: MessageStatus, fields: { transport?: string; last_error?: string } = {}) {
  const keepsBody = status === 'mailbox' || status === 'pending'
  await db
    .updateTable('message_outbox')
    .set({
      status,
      ...(keepsBody ? {} : { body: '' }),
      ...(status === 'sent' ? { sent_at: new Date().toISOString() } : {}),
      claimed_until: null,
      ...fields,
    })
    .where('id', '=', id)
    .execute()
}

/** One pass over the queue. Returns how many messages it settled. */
export async function deliverPending(db: Database, now = new Date(), using: Transports = transports()): Promise<number> {
  // Claims whose instance died mid-send (rows claimed before claimed_until existed: by their age).
  await db
    .updateTable('message_outbox')
    .set({ status: 'pending', claimed_until: null })
    .where('status', '=', 'sending')
    .where((eb) =>
      eb.or([
        eb('claimed_until', '<', now.getTime()),
        eb.and([eb('claimed_until', 'is', null), eb('created_at', '<', new Date(now.getTime() - STUCK_MS).toISOString())]),
      ]),
    )
    .execute()
  // Mailbox messages past their use lose their text.
  await db
    .updateTable('message_outbox')
    .set({ status: 'discarded', body: '' })
    .where('status', '=', 'mailbox')
    .where('expires_at', '<', now.toISOString())
    .execute()
  const rows = await db
    .selectFrom('message_outbox')
    .select(['id', 'channel', 'destination', 'subject', 'body', 'expires_at'])
    .where('status', '=', 'pending')
    .orderBy('id')
    .limit(BATCH)
    .execute()
  let settled = 0
  for (const row of rows) {
    // Claim it: another process (or pass) that got here first sends it instead.
    const claimed = await db
      .updateTable('message_outbox')
      .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), claimed_until: now.getTime() + CLAIM_MS }))
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .returning('attempts')
      .executeTakeFirst()
    if (!claimed) continue
    settled += 1
    if (row.expires_at < now.toISOString()) {
      await settle(db, row.id, 'failed', { last_error: 'expired before delivery' })
      continue
    }
    const transport: Transport | null = row.channel === 'email' ? using.email : using.sms
    if (!transport) {
      if (using.mailbox) await settle(db, row.id, 'mailbox', { transport: 'mailbox' })
      else {
        console.warn(
          `message outbox: no ${row.channel === 'email' ? 'SMTP_URL' : 'SMS_GATEWAY'} configured, message ${row.id} discarded ` +
            '(an operator can issue a reset link: npm run admin:reset-link)',
        )
        await settle(db, row.id, 'discarded', { transport: 'none' })
      }
      continue
    }
    try {
      await transport.send({ destination: row.destination, subject: row.subject, body: row.body })
      await settle(db, row.id, 'sent', { transport: transport.name })
    } catch (error) {
      const message = error instanceof Error ? error.message : 'send failed'
      await settle(db, row.id, claimed.attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', {
        transport: transport.name,
        last_error: message.slice(0, 300),
      })
    }
  }
  return settled
}

export interface MailboxMessage {
  id: number
  channel: Channel
  destination: string
  subject: string
  body: string
  createdAt: string
}

/** The development mailbox: messages no transport took, newest first. Delivers what is pending first. */
export async function listMailbox(db: Database, limit = 50): Promise<MailboxMessage[]> {
  // Off in production unless asked for: the page then does not exist.
  if (!transports().mailbox) throw new AppError('NOT_FOUND', 'errors.notFound')
  await scheduleDelivery(db)
  const rows = await db
    .selectFrom('message_outbox')
    .select(['id', 'channel', 'destination', 'subject', 'body', 'created_at'])
    .where('status', '=', 'mailbox')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    destination: r.destination,
    subject: r.subject,
    body: r.body,
    createdAt: r.created_at,
  }))
}

/** Whether messages no transport takes end up on /dev/mailbox (pages link to it when they do). */
export function mailboxAvailable(): boolean {
  return transports().mailbox
}
