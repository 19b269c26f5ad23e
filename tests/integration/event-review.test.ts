import { describe, expect, it } from 'vitest'
import type { EventStage } from '../../db/enums.js'
import { addExpert, listExperts, setExpertActive } from '../../app/domain/events/experts.server.js'
import {
  appointExpert,
  bidderResults,
  declareTie,
  expertNeed,
  expertTasks,
  publishReviewResults,
  reviewBoard,
  scoreProposal,
  setReviewSheet,
} from '../../app/domain/events/review.server.js'
import {
  addVisitSlot,
  bookVisitSlot,
  cancelVisitBooking,
  organiserVisits,
  participantVisits,
  removeVisitSlot,
} from '../../app/domain/events/visits.server.js'
import { insertUser } from '../support/factories.js'
import { isoDate } from './contract-world.js'
import { eventWorld, type EventWorld } from './event-world.js'
import { db } from './matching-world.js'

/*
 * Slice R of issue 15: the expert library, site visits (现场调研) and proposal review
 * (方案评选) through the use cases, on both dialects.
 */

async function setStage(eventId: number, stage: EventStage) {
  await db().updateTable('events').set({ stage }).where('id', '=', eventId).execute()
}

async function bid(w: EventWorld, providerIndex: number, needIndex: number, price = 50_00) {
  const now = new Date().toISOString()
  const p = w.providers[providerIndex]!.person
  const row = await db()
    .insertInto('bids')
    .values({
      need_id: w.needIds[needIndex]!,
      provider_org_id: p.orgId,
      price_wan_x100: price,
      duration_days: 90,
      plan: `方案 ${providerIndex}`,
      created_by: p.userId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

const sheet = [
  { name: '技术方案', weight: 50, maxScore: 10, description: '' },
  { name: '实施能力', weight: 30, maxScore: 10, description: '' },
  { name: '报价', weight: 20, maxScore: 5, description: '' },
]

async function criteriaIds(eventId: number) {
  const rows = await db()
    .selectFrom('event_review_criteria')
    .select('id')
    .where('event_id', '=', eventId)
    .orderBy('position')
    .execute()
  return rows.map((r) => r.id)
}

const scoresOf = (ids: number[], values: number[]) => Object.fromEntries(ids.map((id, i) => [id, String(values[i])]))

describe('the expert library', () => {
  it('adds an account by phone, refuses unknown accounts and duplicates, deactivates; viewers 403', async () => {
    const w = await eventWorld({ stage: 'needs_call' })
    const user = await insertUser(db(), { name: '赵专家' })
    const providerName = (
      await db()
        .selectFrom('organisations')
        .select('name')
        .where('id', '=', w.providers[1]!.person.orgId)
        .executeTakeFirstOrThrow()
    ).name
    const id = await addExpert(db(), w.organiser.actor, {
      login: user.login,
      name: '赵专家',
      title: '教授',
      employer: '',
      employerOrg: providerName,
      fields: '工业互联网',
    })
    const row = await db().selectFrom('experts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      agency_org_id: w.organiser.orgId,
      user_id: user.id,
      employer_org_id: w.providers[1]!.person.orgId,
      active: 1,
    })

    const input = { login: user.login, name: '赵专家', title: '', employer: '', employerOrg: '', fields: '' }
    await expect(addExpert(db(), w.organiser.actor, input)).rejects.toMatchObject({
      code: 'CONFLICT',
      fieldErrors: { login: 'eventReview.e.expertExists' },
    })
    await expect(addExpert(db(), w.organiser.actor, { ...input, login: '13000000000' })).rejects.toMatchObject({
      code: 'VALIDATION',
      fieldErrors: { login: 'eventReview.v.noAccount' },
    })
    await expect(addExpert(db(), w.organiser.actor, { ...input, employerOrg: '不存在的公司' })).rejects.toMatchObject({
      fieldErrors: { employerOrg: 'eventReview.v.noOrg' },
    })
    await expect(addExpert(db(), w.organiserViewer.actor, input)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(listExperts(db(), w.organiserViewer.actor, 1)).rejects.toMatchObject({ code: 'FORBIDDEN' })

    // Another agency cannot touch this library's rows.
    const other = await eventWorld({ stage: 'needs_call' })
    await expect(setExpertActive(db(), other.organiser.actor, { expertId: id, active: 0 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await setExpertActive(db(), w.organiser.actor, { expertId: id, active: 0 })
    const page = await listExperts(db(), w.organiser.actor, 1)
    expect(page.experts.find((e) => e.id === id)).toMatchObject({ active: false, employerOrgName: providerName })
    expect(page.experts.find((e) => e.id === id)?.contact).not.toContain(user.login.slice(3, 7))
    // Re-adding a deactivated expert reactivates them.
    expect(await addExpert(db(), w.organiser.actor, input)).toBe(id)
  })
})

describe('site visits (现场调研)', () => {
  it('offers slots per listed need, books one provider per slot, refuses overlaps and a second slot per need', async () => {
    const w = await eventWorld({ stage: 'provider_call' })
    const day = isoDate(20)
    const slot = async (needIndex: number, startsAt: string, endsAt: string) =>
      addVisitSlot(db(), w.organiser.actor, w.eventId, {
        needId: w.needIds[needIndex]!,
        visitOn: day,
        startsAt,
        endsAt,
        place: '宝应县工业园区 3 号厂房',
        note: '',
      })
    const a = await slot(0, '09:00', '10:30')
    const b = await slot(0, '11:00', '12:00')
    const c = await slot(1, '10:00', '11:30') // overlaps a
    const d = await slot(1, '14:00', '15:00')
    await expect(slot(0, '09:00', '09:30')).rejects.toMatchObject({ code: 'CONFLICT', message: 'eventReview.e.slotExists' })
    await expect(
      addVisitSlot(db(), w.organiser.actor, w.eventId, {
        needId: w.outsideNeedId,
        visitOn: day,
        startsAt: '09:00',
        endsAt: '10:00',
        place: '某地',
        note: '',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION', fieldErrors: { needId: 'eventReview.v.needId' } })
    await expect(slot(0, '16:00', '17:00').then(() => undefined)).resolves.toBeUndefined()
    await expect(
      addVisitSlot(db(), w.organiserViewer.actor, w.eventId, {
        needId: w.needIds[0]!,
        visitOn: day,
        startsAt: '08:00',
        endsAt: '08:30',
        place: '某地',
        note: '',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })

    const p0 = w.providers[0]!.person.actor
    const p1 = w.providers[1]!.member.actor
    // Booking opens in 现场调研 only.
    await expect(bookVisitSlot(db(), p0, w.eventId, a)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'events.e.stageClosed',
    })
    await setStage(w.eventId, 'site_visits')
    await bookVisitSlot(db(), p0, w.eventId, a)
    await expect(bookVisitSlot(db(), p1, w.eventId, a)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'eventReview.e.slotTaken',
    })
    await expect(bookVisitSlot(db(), p0, w.eventId, b)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'eventReview.e.needBooked',
    })
    await expect(bookVisitSlot(db(), p0, w.eventId, c)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'eventReview.e.overlap',
    })
    await bookVisitSlot(db(), p0, w.eventId, d)
    // Not approved, not a provider, outsider.
    await expect(bookVisitSlot(db(), w.applicant.actor, w.eventId, b)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(bookVisitSlot(db(), w.enterprises[0]!.person.actor, w.eventId, b)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(participantVisits(db(), w.outsider.actor, w.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })

    // The organiser cannot remove a booked slot.
    await expect(removeVisitSlot(db(), w.organiser.actor, w.eventId, a)).rejects.toMatchObject({
      message: 'eventReview.e.slotBooked',
    })

    // Views: the provider sees its own bookings, not others' names; the enterprise sees who booked its slots.
    const providerView = await participantVisits(db(), p1, w.eventId)
    const slotA = providerView.needs[0]!.slots.find((s) => s.id === a)!
    expect(slotA).toMatchObject({ booked: true, mine: false, bookedBy: null })
    expect(providerView.mayBook).toBe(true)
    const enterpriseView = await participantVisits(db(), w.enterprises[0]!.member.actor, w.eventId)
    expect(enterpriseView.needs).toHaveLength(1)
    expect(enterpriseView.needs[0]!.slots.find((s) => s.id === a)?.bookedBy).toBeTruthy()
    const board = await organiserVisits(db(), w.organiser.actor, w.eventId)
    expect(board.needs.flatMap((n) => n.slots).filter((s) => s.booked)).toHaveLength(2)

    // Cancel, then another provider books it.
    await cancelVisitBooking(db(), p0, w.eventId, a)
    await expect(cancelVisitBooking(db(), p0, w.eventId, a)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await bookVisitSlot(db(), p1, w.eventId, a)
  })

  it('parallel bookings: one slot by many providers, and overlapping slots by one provider', async () => {
    const w = await eventWorld({ stage: 'site_visits' })
    const day = isoDate(21)
    const offer = (needIndex: number, startsAt: string, endsAt: string) =>
      db()
        .insertInto('event_visit_slots')
        .values({
          event_id: w.eventId,
          need_id: w.needIds[needIndex]!,
          visit_on: day,
          starts_at: startsAt,
          ends_at: endsAt,
          place: '现场',
          created_by: w.organiser.userId,
          created_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    const shared = (await offer(0, '09:00', '10:00')).id
    const results = await Promise.allSettled(w.providers.map((p) => bookVisitSlot(db(), p.person.actor, w.eventId, shared)))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT' })
    }

    // One provider, two overlapping slots of two needs, booked at once: at most one.
    const x = (await offer(0, '13:00', '14:00')).id
    const y = (await offer(1, '13:30', '14:30')).id
    const booker = w.providers.find((_, i) => results[i]!.status === 'rejected')!.person.actor
    const both = await Promise.allSettled([bookVisitSlot(db(), booker, w.eventId, x), bookVisitSlot(db(), booker, w.eventId, y)])
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const rows = await db()
      .selectFrom('event_visit_bookings')
      .selectAll()
      .where('provider_org_id', '=', booker.org!.orgId)
      .execute()
    expect(rows).toHaveLength(1)
  })
})

describe('proposal review (方案评选)', () => {
  it('weights summing to 100, only appointed experts, ties excluded automatically and by declaration, results hidden until published', async () => {
    const w = await eventWorld({ stage: 'provider_call' })
    await expect(setReviewSheet(db(), w.organiser.actor, w.eventId, [{ ...sheet[0]!, weight: 60 }])).rejects.toMatchObject({
      code: 'VALIDATION',
      fieldErrors: { weight: 'eventReview.v.weightSum' },
    })
    await expect(setReviewSheet(db(), w.organiserViewer.actor, w.eventId, sheet)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await setReviewSheet(db(), w.organiser.actor, w.eventId, sheet)
    const ids = await criteriaIds(w.eventId)
    expect(ids).toHaveLength(3)

    // A third expert of the library, appointed here; one of another agency cannot be.
    const third = await insertUser(db(), { name: '孙工' })
    const thirdId = await addExpert(db(), w.organiser.actor, {
      login: third.login,
      name: '孙工',
      title: '',
      employer: '',
      employerOrg: '',
      fields: '',
    })
    await appointExpert(db(), w.organiser.actor, w.eventId, thirdId)
    await expect(appointExpert(db(), w.organiser.actor, w.eventId, thirdId)).rejects.toMatchObject({ code: 'CONFLICT' })
    const other = await eventWorld({ stage: 'provider_call' })
    await expect(appointExpert(db(), w.organiser.actor, w.eventId, other.experts[0]!.expertId)).rejects.toMatchObject({
      code: 'VALIDATION',
    })

    const bid0 = await bid(w, 0, 0) // providers[0]: experts[1]'s employer
    const bid1 = await bid(w, 1, 0)
    const bid2 = await bid(w, 2, 1)
    const [e0, e1] = w.experts
    const thirdActor = { ...e0!.person.actor, userId: third.id }

    // Scoring opens in 方案评选 only; the sheet is frozen then.
    await expect(
      scoreProposal(db(), e0!.person.actor, w.eventId, w.needIds[0]!, {
        bidId: bid1,
        comment: '',
        scores: scoresOf(ids, [8, 8, 4]),
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'events.e.stageClosed' })
    await setStage(w.eventId, 'proposal_review')
    await expect(setReviewSheet(db(), w.organiser.actor, w.eventId, sheet)).rejects.toMatchObject({
      message: 'events.e.stageClosed',
    })

    // Not appointed: the outsider, the organiser itself.
    await expect(
      scoreProposal(db(), w.outsider.actor, w.eventId, w.needIds[0]!, {
        bidId: bid1,
        comment: '',
        scores: scoresOf(ids, [8, 8, 4]),
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(expertNeed(db(), w.organiser.actor, w.eventId, w.needIds[0]!)).rejects.toMatchObject({ code: 'NOT_FOUND' })

    // experts[1] is employed by providers[0], a bidder of need 0: excluded there, not on need 1.
    const e1page = await expertNeed(db(), e1!.person.actor, w.eventId, w.needIds[0]!)
    expect(e1page).toMatchObject({ excluded: 'employer', proposals: [], mayScore: false })
    await expect(
      scoreProposal(db(), e1!.person.actor, w.eventId, w.needIds[0]!, {
        bidId: bid1,
        comment: '',
        scores: scoresOf(ids, [1, 1, 1]),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'eventReview.e.excluded' })
    expect((await expertNeed(db(), e1!.person.actor, w.eventId, w.needIds[1]!)).excluded).toBeNull()

    // Out of range and missing scores name the criterion's field; extra fields are ignored.
    await expect(
      scoreProposal(db(), e0!.person.actor, w.eventId, w.needIds[0]!, {
        bidId: bid1,
        comment: '',
        scores: { [ids[0]!]: '11', [ids[1]!]: '5' },
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      fieldErrors: { [`s${ids[0]}`]: 'eventReview.v.score', [`s${ids[2]}`]: 'eventReview.v.score' },
    })
    // A bid of another need is not a proposal of this one.
    await expect(
      scoreProposal(db(), e0!.person.actor, w.eventId, w.needIds[0]!, {
        bidId: bid2,
        comment: '',
        scores: scoresOf(ids, [1, 1, 1]),
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })

    // e0 and the third expert score need 0.
    await scoreProposal(db(), e0!.person.actor, w.eventId, w.needIds[0]!, {
      bidId: bid0,
      comment: '好',
      scores: scoresOf(ids, [10, 5, 5]),
    })
    await scoreProposal(db(), e0!.person.actor, w.eventId, w.needIds[0]!, {
      bidId: bid1,
      comment: '',
      scores: scoresOf(ids, [6, 10, 5]),
    })
    await scoreProposal(db(), thirdActor, w.eventId, w.needIds[0]!, {
      bidId: bid0,
      comment: '',
      scores: scoresOf(ids, [8, 7, 4]),
    })
    await scoreProposal(db(), thirdActor, w.eventId, w.needIds[0]!, {
      bidId: bid1,
      comment: '',
      scores: scoresOf(ids, [2, 2, 1]),
    })
    // Saving again replaces.
    await scoreProposal(db(), thirdActor, w.eventId, w.needIds[0]!, {
      bidId: bid1,
      comment: '改',
      scores: scoresOf(ids, [6, 10, 5]),
    })

    // The third expert then declares a tie to providers[1] on need 0: excluded, their scores there dropped.
    await declareTie(db(), thirdActor, {
      eventId: w.eventId,
      needId: w.needIds[0]!,
      providerOrgId: w.providers[1]!.person.orgId,
      reason: '曾任该公司顾问',
    })
    await expect(
      declareTie(db(), thirdActor, {
        eventId: w.eventId,
        needId: w.needIds[0]!,
        providerOrgId: w.providers[1]!.person.orgId,
        reason: '重复',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(
      declareTie(db(), thirdActor, {
        eventId: w.eventId,
        needId: w.needIds[1]!,
        providerOrgId: w.providers[0]!.person.orgId,
        reason: '不是投标方',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION', fieldErrors: { providerOrgId: 'eventReview.v.bidder' } })
    expect((await expertNeed(db(), thirdActor, w.eventId, w.needIds[0]!)).excluded).toBe('declared')
    const tasks = await expertTasks(db(), thirdActor)
    expect(tasks.tasks[0]!.needs.find((n) => n.needId === w.needIds[0])?.excluded).toBe('declared')

    // Board: weights applied to e0's scores only (e1 excluded by employer, third by declaration).
    const board = await reviewBoard(db(), w.organiser.actor, w.eventId)
    const need0 = board.needs.find((n) => n.needId === w.needIds[0])!
    expect(need0).toMatchObject({ proposals: 2, experts: 1, excludedExperts: 2, sheetsDone: 2, sheetsExpected: 2 })
    // bid0: 10/10×50 + 5/10×30 + 5/5×20 = 85; bid1: 6/10×50 + 10/10×30 + 5/5×20 = 80
    expect(need0.results.map((r) => [r.bidId, r.total, r.rank])).toEqual([
      [bid0, 85, 1],
      [bid1, 80, 2],
    ])

    // Results hidden from bidders until published; only the organiser publishes.
    expect(await bidderResults(db(), w.providers[1]!.member.actor, w.eventId)).toMatchObject({ published: false, results: [] })
    await expect(bidderResults(db(), w.outsider.actor, w.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(publishReviewResults(db(), w.organiserViewer.actor, w.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await publishReviewResults(db(), w.organiser.actor, w.eventId)
    await expect(publishReviewResults(db(), w.organiser.actor, w.eventId)).rejects.toMatchObject({ code: 'CONFLICT' })
    const mine = await bidderResults(db(), w.providers[1]!.member.actor, w.eventId)
    expect(mine.published).toBe(true)
    expect(mine.results).toHaveLength(1)
    expect(mine.results[0]).toMatchObject({ bidId: bid1, rank: 2, of: 2, total: 80 })
    expect(mine.results[0]!.criteria.map((c) => c.points)).toEqual([30, 30, 20])
    // Scoring closes once published.
    await expect(
      scoreProposal(db(), e0!.person.actor, w.eventId, w.needIds[0]!, {
        bidId: bid1,
        comment: '',
        scores: scoresOf(ids, [1, 1, 1]),
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'eventReview.e.published' })
  })

  it('an active membership of a bidder excludes the expert too', async () => {
    const w = await eventWorld({ stage: 'proposal_review' })
    await db()
      .insertInto('memberships')
      .values({
        user_id: w.experts[0]!.person.userId,
        org_id: w.providers[2]!.person.orgId,
        role: 'member',
        status: 'active',
        created_at: new Date().toISOString(),
      })
      .execute()
    await bid(w, 2, 1)
    expect((await expertNeed(db(), w.experts[0]!.person.actor, w.eventId, w.needIds[1]!)).excluded).toBe('member')
    expect((await expertNeed(db(), w.experts[0]!.person.actor, w.eventId, w.needIds[0]!)).excluded).toBeNull()
  })
})
