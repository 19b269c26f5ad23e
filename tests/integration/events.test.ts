import { describe, expect, it } from 'vitest'
import { applyWithNeed, changeBatch, getBatchPage, withdrawNeed } from '../../app/domain/events/batch.server.js'
import { changeStage, getProgress, listAgencyEvents, listPublicEvents } from '../../app/domain/events/events.server.js'
import { getIntentsPage, recordIntent, strikeIntent } from '../../app/domain/events/intents.server.js'
import { recordFollowup } from '../../app/domain/events/followups.server.js'
import {
  decideRegistration,
  getPublicEventPage,
  registerProvider,
  withdrawRegistration,
} from '../../app/domain/events/registrations.server.js'
import * as newEvent from '../../app/routes/agency.events.new.js'
import * as progressRoute from '../../app/routes/agency.events.$id._index.js'
import * as publicPage from '../../app/routes/events.$id.js'
import { insertNeed, insertOrg } from '../support/factories.js'
import { call } from '../support/http.js'
import { isoDate } from './contract-world.js'
import { eventWorld } from './event-world.js'
import { agency, db, personOf } from './matching-world.js'

/*
 * Events core (issue 15 §1): stages only forward and their gates, the batch (jurisdiction
 * only, enterprises' own needs, decisions told), registrations, letters of intent (unique,
 * even in parallel) with their follow-ups and the contract found for them, who may do what.
 */

const event = (id: number) => db().selectFrom('events').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const audits = (action: string, objectId: number) =>
  db()
    .selectFrom('audit_log')
    .select('id')
    .where('action', '=', action as never)
    .where('object_id', '=', String(objectId))
    .execute()
const notices = (orgId: number, kind: string) =>
  db()
    .selectFrom('notifications')
    .select(['id', 'params', 'link'])
    .where('org_id', '=', orgId)
    .where('kind', '=', kind as never)
    .execute()

describe('creating and moving an event', () => {
  it('creates a draft from whitelisted fields only, moves forward past its gates, never back', async () => {
    const organiser = await agency('321000')
    const viewer = await personOf(organiser.orgId, 'viewer')
    const created = await call(newEvent, {
      method: 'POST',
      path: '/agency/events/new',
      cookie: organiser.cookie,
      form: {
        title: '2026 年扬州市智改数转对接会',
        regionCode: '321023',
        mode: 'online',
        onlineUrl: 'https://example.com/live',
        startsOn: isoDate(10),
        endsOn: isoDate(12),
        'industries[]': ['C34', 'C36'],
        stage: 'intents',
        organiser_org_id: '1',
        organiserOrgId: '1',
        revision: '50',
      },
    })
    expect(created.status).toBe(302)
    const id = Number(created.location!.split('/').pop())
    const row = await event(id)
    expect(row).toMatchObject({ stage: 'draft', organiser_org_id: organiser.orgId, revision: 1, region_code: '321023' })
    expect(await audits('event.created', id)).toHaveLength(1)

    // A region outside the jurisdiction, a viewer: refused.
    const outside = await call(newEvent, {
      method: 'POST',
      path: '/agency/events/new',
      cookie: organiser.cookie,
      form: { title: '越界', regionCode: '620100', mode: 'online', startsOn: isoDate(1), endsOn: isoDate(2) },
    })
    expect(outside.status).toBe(400)
    expect(JSON.parse(outside.body).fieldErrors).toEqual({ regionCode: 'events.v.region' })
    const byViewer = await call(newEvent, {
      method: 'POST',
      path: '/agency/events/new',
      cookie: viewer.cookie,
      form: { title: '查看者', regionCode: '321000', mode: 'online', startsOn: isoDate(1), endsOn: isoDate(2) },
    })
    expect(byViewer.status).toBe(403)

    // Draft → 需求发榜 (published).
    await changeStage(db(), organiser.actor, id, { intent: 'advance', revision: 1 })
    expect((await event(id)).stage).toBe('needs_call')
    // Leaving 需求发榜 needs a listed need.
    await expect(changeStage(db(), organiser.actor, id, { intent: 'advance', revision: 2 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'events.todo.noNeeds',
    })
    // A stale revision is refused.
    await expect(changeStage(db(), organiser.actor, id, { intent: 'advance', revision: 1 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'events.e.stale',
    })
    const ent = await insertOrg(db(), { kind: 'enterprise', region: '321023' })
    const need = await insertNeed(db(), ent, { region: '321023' })
    await changeBatch(db(), organiser.actor, id, { intent: 'add', needId: need })
    await changeStage(db(), organiser.actor, id, { intent: 'advance', revision: 2 })
    expect((await event(id)).stage).toBe('provider_call')
    // Leaving 服务商征集 needs an approved provider.
    await expect(changeStage(db(), organiser.actor, id, { intent: 'advance', revision: 3 })).rejects.toMatchObject({
      message: 'events.todo.noProviders',
    })

    // Going back is not a thing: the form has no such intent (400), the stage is unchanged.
    const back = await call(progressRoute, {
      method: 'POST',
      path: `/agency/events/${id}`,
      params: { id: String(id) },
      cookie: organiser.cookie,
      form: { intent: 'back', revision: '3', stage: 'needs_call' },
    })
    expect(back.status).toBe(400)
    // The confirm step changes nothing; a viewer may not move it.
    const asked = await call(progressRoute, {
      method: 'POST',
      path: `/agency/events/${id}`,
      params: { id: String(id) },
      cookie: organiser.cookie,
      form: { intent: 'cancel', revision: '3', reason: '场地调整', _confirm: 'ask' },
    })
    expect(asked.status).toBe(200)
    expect((await event(id)).stage).toBe('provider_call')
    const viewerCancel = await call(progressRoute, {
      method: 'POST',
      path: `/agency/events/${id}`,
      params: { id: String(id) },
      cookie: viewer.cookie,
      form: { intent: 'cancel', revision: '3', reason: '查看者' },
    })
    expect(viewerCancel.status).toBe(403)
    const cancelled = await call(progressRoute, {
      method: 'POST',
      path: `/agency/events/${id}`,
      params: { id: String(id) },
      cookie: organiser.cookie,
      form: { intent: 'cancel', revision: '3', reason: '场地调整' },
    })
    expect(cancelled.status).toBe(302)
    expect((await event(id)).stage).toBe('cancelled')
    await expect(changeStage(db(), organiser.actor, id, { intent: 'advance', revision: 4 })).rejects.toMatchObject({
      message: 'events.e.noNextStage',
    })
    expect(await audits('event.stage_advanced', id)).toHaveLength(2)
    expect(await audits('event.cancelled', id)).toHaveLength(1)
  })

  it('walks all stages to closed and shows each step with its counts', async () => {
    const w = await eventWorld({ stage: 'needs_call' })
    let revision = 1
    const seen: string[] = []
    for (;;) {
      const page = await getProgress(db(), w.organiser.actor, w.eventId)
      seen.push(page.event.stage)
      if (!page.next) break
      await changeStage(db(), w.organiser.actor, w.eventId, { intent: 'advance', revision })
      revision += 1
    }
    expect(seen).toEqual(['needs_call', 'provider_call', 'site_visits', 'proposal_review', 'intents', 'follow_up', 'closed'])
    const page = await getProgress(db(), w.organiserViewer.actor, w.eventId)
    expect(page.mayManage).toBe(false)
    expect(page.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done'])
    expect(page.steps[0]!.counts).toEqual([{ key: 'events.count.listedNeeds', n: 2 }])
    expect(page.steps[1]!.counts).toEqual([{ key: 'events.count.approvedProviders', n: 3 }])
    expect(page.steps.flatMap((s) => s.links.map((l) => l.href))).toContain(`/agency/events/${w.eventId}/review`)
  })

  it('hides a draft from everyone but agencies over it; lists events for agencies and the public', async () => {
    const draft = await eventWorld({ stage: 'draft' })
    await expect(getProgress(db(), draft.outsider.actor, draft.eventId)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(getPublicEventPage(db(), null, draft.eventId, 1)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(getProgress(db(), draft.agencyElsewhere.actor, draft.eventId)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect((await getProgress(db(), draft.province.actor, draft.eventId)).role).toBe('agency')
    const mine = await listAgencyEvents(db(), draft.organiser.actor, 1)
    expect(mine.events.map((e) => e.id)).toContain(draft.eventId)
    expect(mine.mayCreate).toBe(true)
    expect((await listAgencyEvents(db(), draft.organiserViewer.actor, 1)).mayCreate).toBe(false)
    expect((await listAgencyEvents(db(), draft.agencyElsewhere.actor, 1)).events.map((e) => e.id)).not.toContain(draft.eventId)
    await expect(listAgencyEvents(db(), draft.outsider.actor, 1)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const pub = await listPublicEvents(db(), { stage: 'all', page: 1 })
    expect(pub.events.map((e) => e.id)).not.toContain(draft.eventId)
    // A published event is on the public page with its listed needs; an agency elsewhere is the public.
    const live = await eventWorld({ stage: 'provider_call' })
    const page = await getPublicEventPage(db(), live.agencyElsewhere.actor, live.eventId, 1)
    expect(page.role).toBe('public')
    expect(page.batch.map((n) => n.needId)).toEqual(live.needIds)
    await expect(getProgress(db(), live.agencyElsewhere.actor, live.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

describe('the batch of needs', () => {
  it('takes published public needs of the event’s region only, and only the organiser changes it', async () => {
    const w = await eventWorld({ stage: 'needs_call' })
    const elsewhere = await insertOrg(db(), { kind: 'enterprise', region: '620102' })
    const farNeed = await insertNeed(db(), elsewhere, { region: '620102' })
    await expect(changeBatch(db(), w.organiser.actor, w.eventId, { intent: 'add', needId: farNeed })).rejects.toMatchObject({
      code: 'VALIDATION',
      fieldErrors: { needId: 'events.v.needOutside' },
    })
    const draftNeed = await insertNeed(db(), w.outsideEnterprise.orgId, { region: w.region, status: 'draft' })
    await expect(changeBatch(db(), w.organiser.actor, w.eventId, { intent: 'add', needId: draftNeed })).rejects.toMatchObject({
      fieldErrors: { needId: 'events.v.needNotEligible' },
    })
    const restricted = await insertNeed(db(), w.outsideEnterprise.orgId, { region: w.region, visibility: 'verified_providers' })
    await expect(changeBatch(db(), w.organiser.actor, w.eventId, { intent: 'add', needId: restricted })).rejects.toMatchObject({
      fieldErrors: { needId: 'events.v.needNotEligible' },
    })
    await expect(
      changeBatch(db(), w.organiserViewer.actor, w.eventId, { intent: 'add', needId: w.outsideNeedId }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(
      changeBatch(db(), w.province.actor, w.eventId, { intent: 'add', needId: w.outsideNeedId }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(
      changeBatch(db(), w.outsider.actor, w.eventId, { intent: 'add', needId: w.outsideNeedId }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await changeBatch(db(), w.organiserReviewer.actor, w.eventId, { intent: 'add', needId: w.outsideNeedId })
    await expect(
      changeBatch(db(), w.organiser.actor, w.eventId, { intent: 'add', needId: w.outsideNeedId }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'events.e.alreadyListed',
    })
    const page = await getBatchPage(db(), w.organiser.actor, w.eventId, {
      q: '能耗',
      industry: '',
      scenario: '',
      region: '',
      page: 1,
    })
    expect(page.listed.map((n) => n.needId)).toEqual([...w.needIds, w.outsideNeedId])
    expect(page.candidates.find((c) => c.needId === w.outsideNeedId)?.inBatch).toBe('listed')
    expect(page.candidates.some((c) => c.needId === farNeed || c.needId === restricted)).toBe(false)
    // Every provider of the world is interested in the whole batch: 3 approved + 1 applied.
    expect(page.listed[0]!.interested).toBe(4)
    await changeBatch(db(), w.organiser.actor, w.eventId, { intent: 'remove', needId: w.outsideNeedId, reason: '与主题不符' })
    expect(
      (await getBatchPage(db(), w.organiser.actor, w.eventId, { q: '', industry: '', scenario: '', region: '', page: 1 })).others,
    ).toHaveLength(1)

    // Once 需求发榜 is over, the batch is closed.
    await changeStage(db(), w.organiser.actor, w.eventId, { intent: 'advance', revision: 1 })
    await expect(
      changeBatch(db(), w.organiser.actor, w.eventId, { intent: 'add', needId: w.outsideNeedId }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'events.e.stageClosed',
    })
  })

  it('lets enterprises put forward only their own needs, when allowed and open; decisions are told', async () => {
    const closed = await eventWorld({ stage: 'needs_call' })
    await expect(applyWithNeed(db(), closed.outsideEnterprise.actor, closed.eventId, closed.outsideNeedId)).rejects.toMatchObject(
      {
        code: 'CONFLICT',
        message: 'events.e.noApplications',
      },
    )
    const w = await eventWorld({ stage: 'needs_call', enterpriseApplications: true })
    // Someone else's need, a provider, an agency: refused.
    await expect(applyWithNeed(db(), w.enterprises[0]!.person.actor, w.eventId, w.outsideNeedId)).rejects.toMatchObject({
      fieldErrors: { needId: 'events.v.need' },
    })
    await expect(applyWithNeed(db(), w.providers[0]!.person.actor, w.eventId, w.outsideNeedId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(applyWithNeed(db(), w.organiser.actor, w.eventId, w.outsideNeedId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    // A member (not only the owner) of the enterprise puts it forward.
    const member = await personOf(w.outsideEnterprise.orgId, 'member')
    await applyWithNeed(db(), member.actor, w.eventId, w.outsideNeedId)
    await expect(applyWithNeed(db(), member.actor, w.eventId, w.outsideNeedId)).rejects.toMatchObject({
      message: 'events.e.alreadyApplied',
    })
    const page = await getPublicEventPage(db(), member.actor, w.eventId, 1)
    expect(page.role).toBe('enterprise')
    expect(page.enterprise?.applications).toEqual([
      expect.objectContaining({ needId: w.outsideNeedId, status: 'applied', source: 'enterprise' }),
    ])
    // Withdrawn and put forward again.
    await withdrawNeed(db(), member.actor, w.eventId, w.outsideNeedId)
    await applyWithNeed(db(), member.actor, w.eventId, w.outsideNeedId)

    // The organiser rejects it with a reason (the enterprise is told), a second decision is refused.
    await changeBatch(db(), w.organiser.actor, w.eventId, { intent: 'reject', needId: w.outsideNeedId, reason: '不属于本批主题' })
    // Each active member of the enterprise (its owner and the member) is told.
    expect(await notices(w.outsideEnterprise.orgId, 'event_application_rejected')).toHaveLength(2)
    await expect(
      changeBatch(db(), w.organiser.actor, w.eventId, { intent: 'accept', needId: w.outsideNeedId }),
    ).rejects.toMatchObject({
      message: 'events.e.alreadyDecided',
    })
    await expect(applyWithNeed(db(), member.actor, w.eventId, w.outsideNeedId)).rejects.toMatchObject({
      message: 'events.e.alreadyApplied',
    })
    // Another need of its own, accepted: listed.
    const second = await insertNeed(db(), w.outsideEnterprise.orgId, { region: w.region, title: '质量追溯系统' })
    await applyWithNeed(db(), w.outsideEnterprise.actor, w.eventId, second)
    await changeBatch(db(), w.organiser.actor, w.eventId, { intent: 'accept', needId: second })
    expect(await notices(w.outsideEnterprise.orgId, 'event_application_approved')).toHaveLength(2)
    expect((await getPublicEventPage(db(), null, w.eventId, 1)).batch.map((n) => n.needId)).toContain(second)

    // After 需求发榜, nothing is put forward any more.
    await changeStage(db(), w.organiser.actor, w.eventId, { intent: 'advance', revision: 1 })
    const third = await insertNeed(db(), w.outsideEnterprise.orgId, { region: w.region })
    await expect(applyWithNeed(db(), w.outsideEnterprise.actor, w.eventId, third)).rejects.toMatchObject({
      message: 'events.e.stageClosed',
    })
  })
})

describe('provider registrations', () => {
  it('registers verified providers once, with listed needs of interest; the organiser decides, the provider is told', async () => {
    const w = await eventWorld({ stage: 'provider_call' })
    const newcomer = await personOf(await insertOrg(db(), { kind: 'provider', region: '321003' }), 'member')
    await expect(
      registerProvider(db(), newcomer.actor, w.eventId, { note: '', needIds: [w.outsideNeedId] }),
    ).rejects.toMatchObject({ fieldErrors: { needIds: 'events.v.need' } })
    await expect(registerProvider(db(), w.outsider.actor, w.eventId, { note: '', needIds: [] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    const pending = await personOf(await insertOrg(db(), { kind: 'provider', region: '321003', status: 'pending' }))
    await expect(registerProvider(db(), pending.actor, w.eventId, { note: '', needIds: [] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })

    // Through the public page: extra fields (status, provider) change nothing.
    const registered = await call(publicPage, {
      method: 'POST',
      path: `/events/${w.eventId}`,
      params: { id: String(w.eventId) },
      cookie: newcomer.cookie,
      form: {
        intent: 'register',
        note: '有汽车零部件行业案例',
        'needIds[]': [String(w.needIds[1])],
        status: 'approved',
        provider_org_id: '1',
      },
    })
    expect(registered.status).toBe(302)
    const row = await db()
      .selectFrom('event_providers')
      .selectAll()
      .where('event_id', '=', w.eventId)
      .where('provider_org_id', '=', newcomer.orgId)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'applied', note: '有汽车零部件行业案例' })
    await expect(registerProvider(db(), newcomer.actor, w.eventId, { note: '', needIds: [] })).rejects.toMatchObject({
      message: 'events.e.alreadyRegistered',
    })
    const mine = await getPublicEventPage(db(), newcomer.actor, w.eventId, 1)
    expect(mine.provider?.registration).toMatchObject({ status: 'applied', needIds: [w.needIds[1]] })

    // A viewer may not decide; the organiser approves (told), rejects another with a reason (told).
    await expect(
      decideRegistration(db(), w.organiserViewer.actor, w.eventId, { intent: 'approve', registrationId: row.id }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await decideRegistration(db(), w.organiser.actor, w.eventId, { intent: 'approve', registrationId: row.id })
    expect(await notices(newcomer.orgId, 'event_application_approved')).toHaveLength(1)
    await expect(
      decideRegistration(db(), w.organiser.actor, w.eventId, { intent: 'approve', registrationId: row.id }),
    ).rejects.toMatchObject({ message: 'events.e.alreadyDecided' })
    const applicantRow = await db()
      .selectFrom('event_providers')
      .select('id')
      .where('event_id', '=', w.eventId)
      .where('provider_org_id', '=', w.applicant.orgId)
      .executeTakeFirstOrThrow()
    await decideRegistration(db(), w.organiser.actor, w.eventId, {
      intent: 'reject',
      registrationId: applicantRow.id,
      reason: '资质不符',
    })
    const told = await notices(w.applicant.orgId, 'event_application_rejected')
    expect(told).toHaveLength(1)
    expect(JSON.parse(told[0]!.params)).toMatchObject({ reason: '资质不符' })
    expect(told[0]!.link).toBe(`/events/${w.eventId}`)
    // Another event's registration is not this event's.
    const other = await eventWorld({ stage: 'provider_call' })
    await expect(
      decideRegistration(db(), other.organiser.actor, other.eventId, { intent: 'approve', registrationId: row.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })

    // Withdrawn, registered again.
    await withdrawRegistration(db(), newcomer.actor, w.eventId)
    await expect(withdrawRegistration(db(), newcomer.actor, w.eventId)).rejects.toMatchObject({
      message: 'events.e.notRegistered',
    })
    await registerProvider(db(), newcomer.actor, w.eventId, { note: '再次报名', needIds: [] })
    expect(await audits('event.registered', w.eventId)).toHaveLength(2)

    // Registration closes with 服务商征集.
    await changeStage(db(), w.organiser.actor, w.eventId, { intent: 'advance', revision: 1 })
    const late = await personOf(await insertOrg(db(), { kind: 'provider', region: '321003' }))
    await expect(registerProvider(db(), late.actor, w.eventId, { note: '', needIds: [] })).rejects.toMatchObject({
      message: 'events.e.stageClosed',
    })
  })
})

describe('letters of intent and follow-ups', () => {
  it('keeps a provider an agency no longer recommends (移出) out: it cannot register, nor be approved', async () => {
    const w = await eventWorld({ stage: 'provider_call' })
    const removed = await personOf(await insertOrg(db(), { kind: 'provider', region: '321003' }))
    const sanction = (providerOrgId: number) =>
      db()
        .insertInto('provider_sanctions')
        .values({
          agency_org_id: w.organiser.orgId,
          provider_org_id: providerOrgId,
          level: 'removal',
          reason: '验收不合格且整改逾期',
          created_by: w.organiser.userId,
          created_at: new Date().toISOString(),
        })
        .execute()
    await sanction(removed.orgId)
    await expect(registerProvider(db(), removed.actor, w.eventId, { note: '', needIds: [] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'events.e.providerExcluded',
    })
    expect(await db().selectFrom('event_providers').select('id').where('provider_org_id', '=', removed.orgId).execute()).toEqual(
      [],
    )

    // The applicant, removed after it registered, is not approved; rejecting it still works.
    const applied = await db()
      .selectFrom('event_providers')
      .select('id')
      .where('event_id', '=', w.eventId)
      .where('provider_org_id', '=', w.applicant.orgId)
      .executeTakeFirstOrThrow()
    await sanction(w.applicant.orgId)
    await expect(
      decideRegistration(db(), w.organiser.actor, w.eventId, { registrationId: applied.id, intent: 'approve' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'events.e.providerExcluded' })
    await decideRegistration(db(), w.organiser.actor, w.eventId, {
      registrationId: applied.id,
      intent: 'reject',
      reason: '不再推荐',
    })
    const row = await db().selectFrom('event_providers').select('status').where('id', '=', applied.id).executeTakeFirstOrThrow()
    expect(row.status).toBe('rejected')
  })

  it('records an intent once per need and provider (also in parallel), with follow-ups at 30, 90 and 180 days', async () => {
    const w = await eventWorld({ stage: 'intents' })
    const input = {
      needId: w.needIds[0]!,
      providerOrgId: w.providers[0]!.person.orgId,
      amount: 12_550,
      signedOn: '2026-11-20',
      note: '',
    }
    await expect(
      recordIntent(db(), w.organiser.actor, w.eventId, { ...input, providerOrgId: w.applicant.orgId }),
    ).rejects.toMatchObject({
      fieldErrors: { providerOrgId: 'events.v.provider' },
    })
    await expect(recordIntent(db(), w.organiser.actor, w.eventId, { ...input, needId: w.outsideNeedId })).rejects.toMatchObject({
      fieldErrors: { needId: 'events.v.need' },
    })
    await expect(recordIntent(db(), w.organiser.actor, w.eventId, { ...input, signedOn: isoDate(3) })).rejects.toMatchObject({
      fieldErrors: { signedOn: 'events.v.signedOnFuture' },
    })
    await expect(recordIntent(db(), w.organiserViewer.actor, w.eventId, input)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(recordIntent(db(), w.providers[0]!.person.actor, w.eventId, input)).rejects.toMatchObject({ code: 'FORBIDDEN' })

    const results = await Promise.allSettled([
      recordIntent(db(), w.organiser.actor, w.eventId, input),
      recordIntent(db(), w.organiserReviewer.actor, w.eventId, input),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const failed = results.find((r) => r.status === 'rejected')
    expect(failed && 'reason' in failed ? failed.reason : null).toMatchObject({
      code: 'CONFLICT',
      message: 'events.e.intentExists',
    })

    const page = await getIntentsPage(db(), w.organiser.actor, w.eventId, 'zh-CN', new Date('2026-12-25T04:00:00Z'))
    expect(page.intents).toHaveLength(1)
    expect(page.intents[0]).toMatchObject({ amount: '125.5', signedOn: '2026-11-20', contract: null })
    expect(page.intents[0]!.followups.map((f) => [f.afterDays, f.dueOn, f.overdue])).toEqual([
      [30, '2026-12-20', true],
      [90, '2027-02-18', false],
      [180, '2027-05-19', false],
    ])
    expect(page.due.map((d) => d.afterDays)).toEqual([30, 90, 180])

    // Struck out: it stays listed, struck; a second strike is refused.
    const second = await recordIntent(db(), w.organiser.actor, w.eventId, {
      ...input,
      providerOrgId: w.providers[1]!.person.orgId,
    })
    await strikeIntent(db(), w.organiser.actor, w.eventId, { intentId: second.intentId, reason: '企业改变计划' })
    await expect(
      strikeIntent(db(), w.organiser.actor, w.eventId, { intentId: second.intentId, reason: '再次' }),
    ).rejects.toMatchObject({
      message: 'events.e.intentWithdrawn',
    })
    const after = await getIntentsPage(db(), w.organiser.actor, w.eventId)
    expect(after.intents.map((i) => i.withdrawn)).toEqual([false, true])
    expect(after.due.every((d) => d.intentId !== second.intentId)).toBe(true)

    // Struck out, it may be recorded again (once: the new one is live), and the struck one
    // stays beside it with its reason; two organisers recording it at once: one wins.
    const again = { ...input, providerOrgId: w.providers[1]!.person.orgId, amount: 9_900 }
    const retried = await Promise.allSettled([
      recordIntent(db(), w.organiser.actor, w.eventId, again),
      recordIntent(db(), w.organiserReviewer.actor, w.eventId, again),
    ])
    expect(retried.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(retried.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { code: 'CONFLICT', message: 'events.e.intentExists' },
    })
    const redone = await getIntentsPage(db(), w.organiser.actor, w.eventId)
    expect(redone.intents.map((i) => [i.withdrawn, i.amount])).toEqual([
      [false, '125.5'],
      [true, '125.5'],
      [false, '99'],
    ])
    const rows = await db()
      .selectFrom('event_intents')
      .select(['withdrawn_reason'])
      .where('event_id', '=', w.eventId)
      .where('provider_org_id', '=', again.providerOrgId)
      .orderBy('id')
      .execute()
    expect(rows.map((r) => r.withdrawn_reason)).toEqual(['企业改变计划', ''])

    // Intents are closed before 意向签约.
    const early = await eventWorld({ stage: 'proposal_review' })
    await expect(
      recordIntent(db(), early.organiser.actor, early.eventId, {
        ...input,
        needId: early.needIds[0]!,
        providerOrgId: early.providers[0]!.person.orgId,
      }),
    ).rejects.toMatchObject({ message: 'events.e.stageClosed' })
  })

  it('records a follow-up once and keeps the contract of that need and provider when there is one', async () => {
    const w = await eventWorld({ stage: 'intents' })
    const provider = w.providers[2]!.person
    const needId = w.needIds[1]!
    const { intentId } = await recordIntent(db(), w.organiser.actor, w.eventId, {
      needId,
      providerOrgId: provider.orgId,
      amount: 30_000,
      signedOn: isoDate(-1),
      note: '',
    })
    const followups = await db()
      .selectFrom('event_followups')
      .selectAll()
      .where('intent_id', '=', intentId)
      .orderBy('after_days')
      .execute()
    expect(followups.map((f) => f.after_days)).toEqual([30, 90, 180])

    // A contract of that need with that provider appears on the platform.
    const now = new Date().toISOString()
    const bid = await db()
      .insertInto('bids')
      .values({
        need_id: needId,
        provider_org_id: provider.orgId,
        price_wan_x100: 30_000,
        duration_days: 90,
        plan: '仓储物流智能化改造方案',
        status: 'awarded',
        created_by: provider.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const enterpriseOrg = w.enterprises[1]!.person.orgId
    const contract = await db()
      .insertInto('contracts')
      .values({
        need_id: needId,
        bid_id: bid.id,
        enterprise_org_id: enterpriseOrg,
        provider_org_id: provider.orgId,
        region_code: w.region,
        title: '仓储物流智能化改造合同',
        amount_wan_x100: 30_000,
        start_date: isoDate(0),
        construction_days: 90,
        technical_standards: JSON.stringify([]),
        acceptance_standards: '按方案验收。',
        quality_terms: '质量符合国家标准。',
        warranty_months: 12,
        dispute_clause: '协商解决。',
        status: 'draft',
        created_by: w.enterprises[1]!.person.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const page = await getIntentsPage(db(), w.organiser.actor, w.eventId)
    expect(page.intents[0]!.contract).toEqual({ id: contract.id, status: 'draft' })

    await expect(
      recordFollowup(db(), w.organiserViewer.actor, w.eventId, { followupId: followups[0]!.id, outcome: 'contracted', note: '' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await recordFollowup(db(), w.organiser.actor, w.eventId, {
      followupId: followups[0]!.id,
      outcome: 'contracted',
      note: '已签约',
    })
    const recorded = await db()
      .selectFrom('event_followups')
      .selectAll()
      .where('id', '=', followups[0]!.id)
      .executeTakeFirstOrThrow()
    expect(recorded).toMatchObject({
      outcome: 'contracted',
      contract_id: contract.id,
      contract_status: 'draft',
      recorded_by: w.organiser.userId,
    })
    await expect(
      recordFollowup(db(), w.organiser.actor, w.eventId, { followupId: followups[0]!.id, outcome: 'dropped', note: '' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'events.e.followupRecorded' })
    // Another event's follow-up is not found here.
    const other = await eventWorld({ stage: 'intents' })
    await expect(
      recordFollowup(db(), other.organiser.actor, other.eventId, { followupId: followups[1]!.id, outcome: 'dropped', note: '' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await audits('event.followup_recorded', w.eventId)).toHaveLength(1)

    // Follow-ups stay open after closing.
    await changeStage(db(), w.organiser.actor, w.eventId, { intent: 'advance', revision: 1 })
    await changeStage(db(), w.organiser.actor, w.eventId, { intent: 'advance', revision: 2 })
    expect((await event(w.eventId)).stage).toBe('closed')
    await recordFollowup(db(), w.organiser.actor, w.eventId, { followupId: followups[1]!.id, outcome: 'negotiating', note: '' })
  })
})
