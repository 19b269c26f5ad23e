import type { Kysely, Selectable } from 'kysely'
import type { DB, EventsTable } from '../../../db/types.js'
import type { Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { AppError } from '../../utils/errors.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import { isOpen, isPublished, type EventActivity } from './stages.js'

/*
 * Who sees a matchmaking event, and as what (issue 15 §1). Shared by every event slice
 * (the event itself, site visits and proposal review, meetings, intents, outcomes), so
 * it imports nothing of those.
 *
 * - organiser: an owner or reviewer of the organising agency — runs every stage.
 * - agency: any other member of an agency over the event's region (the organiser's
 *   viewers, the province over a city's event) — reads everything, acts on nothing.
 * - enterprise: a verified enterprise with a need in the batch (listed or applied).
 * - provider: a verified provider registered for the event (any status but withdrawn).
 * - public: anyone else, once the event is published (past draft): the public page.
 * A draft is seen by the organiser and agencies only (NOT_FOUND for anyone else).
 */

export type EventRow = Selectable<EventsTable>
export type EventRole = 'organiser' | 'agency' | 'enterprise' | 'provider' | 'public'

export async function eventRole(
  db: Kysely<DB>,
  actor: Actor | null,
  ref: ReferenceData,
  event: Pick<EventRow, 'id' | 'organiser_org_id' | 'region_code' | 'stage'>,
): Promise<EventRole | null> {
  if (actor && can(actor, ref, 'manage:event:own', { orgId: event.organiser_org_id })) return 'organiser'
  if (actor && can(actor, ref, 'read:event:jurisdiction', { regionCode: event.region_code })) return 'agency'
  if (!isPublished(event.stage)) return null
  const org = actor?.org
  if (actor && org && can(actor, ref, 'join:event:role')) {
    if (org.kind === 'enterprise') {
      const mine = await db
        .selectFrom('event_needs as en')
        .innerJoin('needs as n', 'n.id', 'en.need_id')
        .select('en.id')
        .where('en.event_id', '=', event.id)
        .where('n.org_id', '=', org.orgId)
        .where('en.status', 'in', ['applied', 'listed'])
        .executeTakeFirst()
      if (mine) return 'enterprise'
    } else if (org.kind === 'provider') {
      const mine = await db
        .selectFrom('event_providers')
        .select('id')
        .where('event_id', '=', event.id)
        .where('provider_org_id', '=', org.orgId)
        .where('status', '!=', 'withdrawn')
        .executeTakeFirst()
      if (mine) return 'provider'
    }
  }
  return 'public'
}

/**
 * The event and the actor's role on it; NOT_FOUND 'events.e.notFound' when it does not
 * exist or the actor may not see it (the same answer). Pass a transaction to read inside one.
 */
export async function eventFor(
  db: Kysely<DB>,
  actor: Actor | null,
  eventId: number,
  ref?: ReferenceData,
): Promise<{ event: EventRow; role: EventRole }> {
  const event = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst()
  const role = event ? await eventRole(db, actor, ref ?? (await getReferenceData(db)), event) : null
  if (!event || !role) throw new AppError('NOT_FOUND', 'events.e.notFound')
  return { event, role }
}

/**
 * The organiser's gate: the event (read in `db`, a transaction when writing) when the
 * actor runs it — FORBIDDEN for agencies that only read it, NOT_FOUND for anyone else —
 * and, with `activity`, CONFLICT 'events.e.stageClosed' unless the current stage opens it.
 */
export async function eventToManage(db: Kysely<DB>, actor: Actor, eventId: number, activity?: EventActivity): Promise<EventRow> {
  const ref = await getReferenceData(db)
  const { event, role } = await eventFor(db, actor, eventId, ref)
  if (role !== 'organiser') authorize(actor, ref, 'manage:event:own', { orgId: event.organiser_org_id })
  if (activity && !isOpen(activity, event.stage)) {
    throw new AppError('CONFLICT', 'events.e.stageClosed')
  }
  return event
}

/** CONFLICT 'events.e.stageClosed' unless the event's stage opens `activity` (for participants' use cases). */
export function requireOpen(event: Pick<EventRow, 'stage'>, activity: EventActivity): void {
  if (!isOpen(activity, event.stage)) {
    throw new AppError('CONFLICT', 'events.e.stageClosed')
  }
}
