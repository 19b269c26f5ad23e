import { describe, expect, it } from 'vitest'
import { EVENT_STAGES } from '../../db/enums.js'
import { ZEventInput, ZIntentsInput, ZParticipantInput } from '../../app/domain/events/schema.js'
import { isOpen, isPublished, mayCancel, nextStage, reached, STAGE_FLOW, WORKING_STAGES } from '../../app/domain/events/stages.js'

describe('event stages', () => {
  it('move one step forward at a time, never back, and stop at closed', () => {
    const seen: string[] = []
    let stage: (typeof EVENT_STAGES)[number] | null = 'draft'
    while (stage) {
      seen.push(stage)
      stage = nextStage(stage)
    }
    expect(seen).toEqual([...STAGE_FLOW])
    expect(nextStage('cancelled')).toBeNull()
    expect(WORKING_STAGES).toEqual(['needs_call', 'provider_call', 'site_visits', 'proposal_review', 'intents', 'follow_up'])
    expect(reached('intents', 'provider_call')).toBe(true)
    expect(reached('provider_call', 'intents')).toBe(false)
    expect(reached('cancelled', 'draft')).toBe(false)
  })

  it('cancel any stage but closed and cancelled; publish past draft', () => {
    for (const s of EVENT_STAGES) {
      expect(mayCancel(s)).toBe(s !== 'closed' && s !== 'cancelled')
      expect(isPublished(s)).toBe(s !== 'draft')
    }
  })

  it('open each activity only in its stages', () => {
    expect(isOpen('selectNeeds', 'needs_call')).toBe(true)
    expect(isOpen('selectNeeds', 'provider_call')).toBe(false)
    expect(isOpen('applyNeeds', 'draft')).toBe(false)
    expect(isOpen('registerProviders', 'provider_call')).toBe(true)
    expect(isOpen('registerProviders', 'site_visits')).toBe(false)
    expect(isOpen('intents', 'proposal_review')).toBe(false)
    expect(isOpen('intents', 'follow_up')).toBe(true)
    expect(isOpen('followUps', 'closed')).toBe(true)
    expect(isOpen('followUps', 'cancelled')).toBe(false)
  })
})

describe('event forms', () => {
  const base = { title: '对接会', regionCode: '321000', mode: 'online', startsOn: '2026-12-20', endsOn: '2026-12-21' }

  it('read only their fields and check dates, venue and industries', () => {
    const ok = ZEventInput.safeParse({ ...base, stage: 'closed', organiserOrgId: '9', 'industries[]': ['C34', 'C34', ''] })
    expect(ok.success && ok.data).toMatchObject({ title: '对接会', industries: ['C34'], enterpriseApplications: false })
    expect(ok.success && 'stage' in ok.data).toBe(false)
    const bad = (over: Record<string, unknown>) => {
      const r = ZEventInput.safeParse({ ...base, ...over })
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}:${i.message}`)
    }
    expect(bad({ endsOn: '2026-12-19' })).toEqual(['endsOn:events.v.endsBeforeStart'])
    expect(bad({ startsOn: '2026-02-30' })).toContain('startsOn:events.v.startsOn')
    expect(bad({ startsOn: '2026-06' })).toContain('startsOn:events.v.startsOn')
    expect(bad({ mode: 'onsite' })).toEqual(['venue:events.v.venue'])
    expect(bad({ onlineUrl: 'javascript:alert(1)' })).toEqual(['onlineUrl:events.v.onlineUrl'])
    expect(bad({ 'industries[]': Array.from({ length: 11 }, (_, i) => `C${13 + i}`) })).toEqual([
      'industries[]:events.v.industries',
    ])
  })

  it('take amounts in 万元 with two decimals and interests as listed ids', () => {
    const intent = ZIntentsInput.parse({
      intent: 'record',
      needId: '3',
      providerOrgId: '4',
      amount: '12.5',
      signedOn: '2026-12-01',
    })
    expect(intent).toMatchObject({ amount: 1250 })
    expect(
      ZIntentsInput.safeParse({ intent: 'record', needId: '3', providerOrgId: '4', amount: '1.234', signedOn: '2026-12-01' })
        .success,
    ).toBe(false)
    expect(ZParticipantInput.parse({ intent: 'register', 'needIds[]': ['5', '5', '6'] })).toMatchObject({
      'needIds[]': ['5', '6'],
    })
    expect(ZParticipantInput.safeParse({ intent: 'register', 'needIds[]': ['0x1'] }).success).toBe(false)
  })
})
