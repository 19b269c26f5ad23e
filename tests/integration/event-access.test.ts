import { describe, expect, it } from 'vitest'
import { eventFor, eventToManage } from '../../app/domain/events/access.server.js'
import * as root from '../../app/root.js'
import { call } from '../support/http.js'
import { eventWorld } from './event-world.js'
import { db } from './matching-world.js'

describe('who sees a matchmaking event, and as what', () => {
  it('gives each person their role and hides a draft from everyone but agencies', async () => {
    const w = await eventWorld({ stage: 'provider_call' })
    const role = async (actor: Parameters<typeof eventFor>[1]) => (await eventFor(db(), actor, w.eventId)).role
    expect(await role(w.organiser.actor)).toBe('organiser')
    expect(await role(w.organiserReviewer.actor)).toBe('organiser')
    expect(await role(w.organiserViewer.actor)).toBe('agency')
    expect(await role(w.province.actor)).toBe('agency')
    expect(await role(w.agencyElsewhere.actor)).toBe('public')
    expect(await role(w.enterprises[1]!.member.actor)).toBe('enterprise')
    expect(await role(w.providers[2]!.person.actor)).toBe('provider')
    expect(await role(w.applicant.actor)).toBe('provider')
    expect(await role(w.outsider.actor)).toBe('public')
    expect(await role(null)).toBe('public')

    await expect(eventToManage(db(), w.organiserViewer.actor, w.eventId)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(eventToManage(db(), w.organiser.actor, w.eventId, 'bookVisits')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'events.e.stageClosed',
    })
    await expect(eventToManage(db(), w.organiser.actor, w.eventId, 'registerProviders')).resolves.toMatchObject({
      id: w.eventId,
    })

    const draft = await eventWorld({ stage: 'draft' })
    expect((await eventFor(db(), draft.organiser.actor, draft.eventId)).role).toBe('organiser')
    await expect(eventFor(db(), draft.outsider.actor, draft.eventId)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(eventFor(db(), null, draft.eventId)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(eventToManage(db(), draft.outsider.actor, draft.eventId)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})

describe('the header of an expert', () => {
  it('links an active expert of an agency’s 专家库 to their review tasks, and nobody else', async () => {
    const w = await eventWorld({ stage: 'proposal_review' })
    const rootData = async (cookie: string) =>
      JSON.parse((await call(root, { path: '/', cookie })).body) as { viewer: { expert: boolean } | null }
    expect((await rootData(w.experts[0]!.person.cookie)).viewer?.expert).toBe(true)
    expect((await rootData(w.organiser.cookie)).viewer?.expert).toBe(false)
    await db().updateTable('experts').set({ active: 0 }).where('id', '=', w.experts[0]!.expertId).execute()
    expect((await rootData(w.experts[0]!.person.cookie)).viewer?.expert).toBe(false)
  })
})
