import { sql } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/connection.js'
import { isPostgres } from '../../../db/dialect.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { dateText } from '../contracts/milestones.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import { eventFor, eventToManage, requireOpen, type EventRole, type EventRow } from './access.server.js'
import { isOpen } from './stages.js'

/*
 * 现场调研 (issue 15 §1): the organiser offers site-visit slots for the listed needs of the
 * batch — a day, start and end, a place —; approved providers book them. One provider per
 * slot, one slot per need per provider, and never two overlapping slots for one provider
 * (across events): checked inside the booking's transaction, which on PostgreSQL first
 * takes an advisory lock on the provider (two parallel bookings of one provider are
 * serialised; SQLite's single writer already does that); the unique keys of
 * event_visit_bookings are the last guard (CONFLICT, never a 500).
 */

/** Advisory lock space of site-visit bookings (pg_advisory_xact_lock(space, provider)). */
const VISIT_LOCK_SPACE = 150_510

const zDay = z
  .string({ error: 'eventReview.v.visitOn' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'eventReview.v.visitOn')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`)
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v
  }, 'eventReview.v.visitOn')
const zClock = (key: string) => z.string({ error: key }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, key)
const zFormId = z
  .string({ error: 'errors.invalid' })
  .regex(/^[1-9]\d{0,9}$/, 'errors.invalid')
  .transform(Number)

export const ZVisitSlotInput = z
  .object({
    needId: zFormId,
    visitOn: zDay,
    startsAt: zClock('eventReview.v.startsAt'),
    endsAt: zClock('eventReview.v.endsAt'),
    place: z.string({ error: 'eventReview.v.place' }).trim().min(2, 'eventReview.v.place').max(200, 'eventReview.v.place'),
    note: z
      .string()
      .optional()
      .transform((v) => (v ?? '').trim())
      .pipe(z.string().max(500, 'eventReview.v.note')),
  })
  .refine((v) => v.endsAt > v.startsAt, { path: ['endsAt'], message: 'eventReview.v.endsAfter' })
export type VisitSlotInput = z.infer<typeof ZVisitSlotInput>

export const ZSlotAction = z.object({ slotId: zFormId })
export const ZOrganiserVisitIntent = z.object({ intent: z.enum(['add', 'remove'], { error: 'errors.invalid' }) })
export const ZParticipantVisitIntent = z.object({ intent: z.enum(['book', 'cancel'], { error: 'errors.invalid' }) })

export interface VisitSlotView {
  id: number
  needId: number
  visitOn: string
  startsAt: string
  endsAt: string
  place: string
  note: string
  booked: boolean
  /** The booking provider's name — for the organiser, agencies and the need's enterprise. */
  bookedBy: string | null
  mine: boolean
}

export interface VisitNeedView {
  needId: number
  title: string
  enterprise: string
  slots: VisitSlotView[]
}

export interface VisitsPage {
  event: { id: number; title: string; stage: EventRow['stage'] }
  role: EventRole
  needs: VisitNeedView[]
  /** The organiser may offer / remove slots now. */
  mayOffer: boolean
  /** The actor's provider may book now. */
  mayBook: boolean
  /** Why a provider may not book (a message key), when it may not. */
  bookingNote: 'eventReview.visits.notApproved' | 'eventReview.visits.closed' | null
}

async function listedNeeds(db: Database, eventId: number, onlyOrgId?: number) {
  let q = db
    .selectFrom('event_needs as en')
    .innerJoin('needs as n', 'n.id', 'en.need_id')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select(['n.id', 'n.title', 'o.name as enterprise', 'n.org_id'])
    .where('en.event_id', '=', eventId)
    .where('en.status', '=', 'listed')
  if (onlyOrgId !== undefined) q = q.where('n.org_id', '=', onlyOrgId)
  return q.orderBy('en.id').execute()
}

async function slotsOf(db: Database, eventId: number) {
  return db
    .selectFrom('event_visit_slots as s')
    .leftJoin('event_visit_bookings as b', 'b.slot_id', 's.id')
    .leftJoin('organisations as p', 'p.id', 'b.provider_org_id')
    .select([
      's.id',
      's.need_id',
      's.visit_on',
      's.starts_at',
      's.ends_at',
      's.place',
      's.note',
      'b.provider_org_id',
      'p.name as provider_name',
    ])
    .where('s.event_id', '=', eventId)
    .orderBy('s.visit_on')
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .execute()
}

function assemble(
  needs: Awaited<ReturnType<typeof listedNeeds>>,
  slots: Awaited<ReturnType<typeof slotsOf>>,
  seesBooker: (needOrgId: number) => boolean,
  myOrgId: number | null,
): VisitNeedView[] {
  return needs.map((n) => ({
    needId: n.id,
    title: n.title,
    enterprise: n.enterprise,
    slots: slots
      .filter((s) => s.need_id === n.id)
      .map((s) => ({
        id: s.id,
        needId: s.need_id,
        visitOn: dateText(s.visit_on),
        startsAt: s.starts_at,
        endsAt: s.ends_at,
        place: s.place,
        note: s.note,
        booked: s.provider_org_id !== null,
        bookedBy: s.provider_org_id !== null && (seesBooker(n.org_id) || s.provider_org_id === myOrgId) ? s.provider_name : null,
        mine: myOrgId !== null && s.provider_org_id === myOrgId,
      })),
  }))
}

const eventSummary = (event: EventRow) => ({ id: event.id, title: event.title, stage: event.stage })

/** The organiser's (and reading agencies') view: every listed need with its slots and who booked. */
export async function organiserVisits(db: Database, actor: Actor, eventId: number): Promise<VisitsPage> {
  const { event, role } = await eventFor(db, actor, eventId)
  if (role !== 'organiser' && role !== 'agency') {
    authorize(actor, await getReferenceData(db), 'manage:event:own', { orgId: event.organiser_org_id })
  }
  const needs = await listedNeeds(db, eventId)
  const slots = await slotsOf(db, eventId)
  return {
    event: eventSummary(event),
    role,
    needs: assemble(needs, slots, () => true, null),
    mayOffer: role === 'organiser' && isOpen('offerVisits', event.stage),
    mayBook: false,
    bookingNote: null,
  }
}

async function approvedRegistration(db: Database, eventId: number, providerOrgId: number) {
  return db
    .selectFrom('event_providers')
    .select(['id', 'status'])
    .where('event_id', '=', eventId)
    .where('provider_org_id', '=', providerOrgId)
    .executeTakeFirst()
}

/** A participant's view: providers see every listed need's slots (and theirs); enterprises their needs' slots with bookers. */
export async function participantVisits(db: Database, actor: Actor, eventId: number): Promise<VisitsPage> {
  const { event, role } = await eventFor(db, actor, eventId)
  if (role === 'organiser' || role === 'agency') return organiserVisits(db, actor, eventId)
  const org = actor.org
  if ((role !== 'provider' && role !== 'enterprise') || !org) {
    throw new AppError('FORBIDDEN', 'eventReview.e.participantsOnly')
  }
  const slots = await slotsOf(db, eventId)
  if (role === 'enterprise') {
    const needs = await listedNeeds(db, eventId, org.orgId)
    return {
      event: eventSummary(event),
      role,
      needs: assemble(needs, slots, () => true, null),
      mayOffer: false,
      mayBook: false,
      bookingNote: null,
    }
  }
  const registration = await approvedRegistration(db, eventId, org.orgId)
  const approved = registration?.status === 'approved'
  const open = isOpen('bookVisits', event.stage)
  return {
    event: eventSummary(event),
    role,
    needs: assemble(await listedNeeds(db, eventId), slots, () => false, org.orgId),
    mayOffer: false,
    mayBook: approved && open,
    bookingNote: !approved ? 'eventReview.visits.notApproved' : !open ? 'eventReview.visits.closed' : null,
  }
}

async function listedNeed(db: Database, eventId: number, needId: number) {
  return db
    .selectFrom('event_needs')
    .select('id')
    .where('event_id', '=', eventId)
    .where('need_id', '=', needId)
    .where('status', '=', 'listed')
    .executeTakeFirst()
}

export async function addVisitSlot(db: Database, actor: Actor, eventId: number, input: VisitSlotInput): Promise<number> {
  try {
    return await withTransaction(db, async (trx) => {
      const event = await eventToManage(trx, actor, eventId, 'offerVisits')
      if (!(await listedNeed(trx, eventId, input.needId))) {
        throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { needId: 'eventReview.v.needId' } })
      }
      const row = await trx
        .insertInto('event_visit_slots')
        .values({
          event_id: eventId,
          need_id: input.needId,
          visit_on: input.visitOn,
          starts_at: input.startsAt,
          ends_at: input.endsAt,
          place: input.place,
          note: input.note,
          created_by: actor.userId,
          created_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await recordAudit(trx, {
        action: 'event.visit_slot_added',
        ...auditActor(actor),
        objectType: 'event',
        objectId: event.id,
        detail: { slotId: row.id, needId: input.needId, visitOn: input.visitOn, startsAt: input.startsAt },
      })
      return row.id
    })
  } catch (error) {
    if (uniqueViolation(error)) {
      throw new AppError('CONFLICT', 'eventReview.e.slotExists', { fieldErrors: { startsAt: 'eventReview.e.slotExists' } })
    }
    throw error
  }
}

/** Removes an unbooked slot (CONFLICT 'eventReview.e.slotBooked' once a provider booked it). */
export async function removeVisitSlot(db: Database, actor: Actor, eventId: number, slotId: number): Promise<void> {
  await withTransaction(db, async (trx) => {
    const event = await eventToManage(trx, actor, eventId, 'offerVisits')
    const slot = await trx
      .selectFrom('event_visit_slots')
      .select(['id', 'need_id'])
      .where('id', '=', slotId)
      .where('event_id', '=', eventId)
      .executeTakeFirst()
    if (!slot) throw new AppError('NOT_FOUND', 'eventReview.e.slotNotFound')
    const booked = await trx.selectFrom('event_visit_bookings').select('id').where('slot_id', '=', slotId).executeTakeFirst()
    if (booked) throw new AppError('CONFLICT', 'eventReview.e.slotBooked')
    await trx.deleteFrom('event_visit_slots').where('id', '=', slotId).execute()
    await recordAudit(trx, {
      action: 'event.visit_slot_removed',
      ...auditActor(actor),
      objectType: 'event',
      objectId: event.id,
      detail: { slotId, needId: slot.need_id },
    })
  })
}

/** The provider the actor books for, after the role and registration checks. */
async function bookingProvider(db: Database, actor: Actor, eventId: number) {
  const ref = await getReferenceData(db)
  const { event, role } = await eventFor(db, actor, eventId, ref)
  const org = actor.org
  if (role !== 'provider' || !org || org.kind !== 'provider') {
    throw new AppError('FORBIDDEN', 'eventReview.e.approvedProvidersOnly')
  }
  authorize(actor, ref, 'join:event:role')
  const registration = await approvedRegistration(db, eventId, org.orgId)
  if (registration?.status !== 'approved') throw new AppError('FORBIDDEN', 'eventReview.e.approvedProvidersOnly')
  requireOpen(event, 'bookVisits')
  return { event, providerOrgId: org.orgId, registrationId: registration.id }
}

export async function bookVisitSlot(db: Database, actor: Actor, eventId: number, slotId: number): Promise<void> {
  try {
    await withTransaction(db, async (trx) => {
      const { event, providerOrgId, registrationId } = await bookingProvider(trx, actor, eventId)
      if (isPostgres(trx)) {
        await sql`select pg_advisory_xact_lock(cast(${VISIT_LOCK_SPACE} as integer), cast(${providerOrgId} as integer))`.execute(
          trx,
        )
      }
      const slot = await trx
        .selectFrom('event_visit_slots')
        .selectAll()
        .where('id', '=', slotId)
        .where('event_id', '=', eventId)
        .executeTakeFirst()
      if (!slot) throw new AppError('NOT_FOUND', 'eventReview.e.slotNotFound')
      if (!(await listedNeed(trx, eventId, slot.need_id))) throw new AppError('CONFLICT', 'eventReview.e.needNotListed')
      const interests = await trx
        .selectFrom('event_provider_needs')
        .select('need_id')
        .where('event_provider_id', '=', registrationId)
        .execute()
      if (interests.length > 0 && !interests.some((i) => i.need_id === slot.need_id)) {
        throw new AppError('FORBIDDEN', 'eventReview.e.notInterested')
      }
      const taken = await trx.selectFrom('event_visit_bookings').select('id').where('slot_id', '=', slotId).executeTakeFirst()
      if (taken) throw new AppError('CONFLICT', 'eventReview.e.slotTaken')
      const sameNeed = await trx
        .selectFrom('event_visit_bookings')
        .select('id')
        .where('event_id', '=', eventId)
        .where('need_id', '=', slot.need_id)
        .where('provider_org_id', '=', providerOrgId)
        .executeTakeFirst()
      if (sameNeed) throw new AppError('CONFLICT', 'eventReview.e.needBooked')
      const visitOn = dateText(slot.visit_on)
      const overlapping = await trx
        .selectFrom('event_visit_bookings')
        .select('id')
        .where('provider_org_id', '=', providerOrgId)
        .where('visit_on', '=', visitOn)
        .where('starts_at', '<', slot.ends_at)
        .where('ends_at', '>', slot.starts_at)
        .executeTakeFirst()
      if (overlapping) throw new AppError('CONFLICT', 'eventReview.e.overlap')
      await trx
        .insertInto('event_visit_bookings')
        .values({
          slot_id: slot.id,
          event_id: eventId,
          need_id: slot.need_id,
          provider_org_id: providerOrgId,
          visit_on: visitOn,
          starts_at: slot.starts_at,
          ends_at: slot.ends_at,
          booked_by: actor.userId,
          booked_at: new Date().toISOString(),
        })
        .execute()
      await recordAudit(trx, {
        action: 'event.visit_booked',
        ...auditActor(actor),
        objectType: 'event',
        objectId: event.id,
        detail: { slotId, needId: slot.need_id, visitOn, startsAt: slot.starts_at },
      })
    })
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('CONFLICT', 'eventReview.e.slotTaken')
    throw error
  }
}

export async function cancelVisitBooking(db: Database, actor: Actor, eventId: number, slotId: number): Promise<void> {
  await withTransaction(db, async (trx) => {
    const { event, providerOrgId } = await bookingProvider(trx, actor, eventId)
    const booking = await trx
      .selectFrom('event_visit_bookings')
      .select(['id', 'need_id'])
      .where('slot_id', '=', slotId)
      .where('event_id', '=', eventId)
      .where('provider_org_id', '=', providerOrgId)
      .executeTakeFirst()
    if (!booking) throw new AppError('NOT_FOUND', 'eventReview.e.bookingNotFound')
    await trx.deleteFrom('event_visit_bookings').where('id', '=', booking.id).execute()
    await recordAudit(trx, {
      action: 'event.visit_cancelled',
      ...auditActor(actor),
      objectType: 'event',
      objectId: event.id,
      detail: { slotId, needId: booking.need_id },
    })
  })
}
