import { describe, expect, it } from 'vitest'
import {
  allowedBidActions,
  BID_ACTION_ACTORS,
  BID_ACTIONS,
  BID_STATUSES,
  bidTransitionOf,
  mayRevise,
  needOpenForBids,
  nextBidStatus,
  type BidStatus,
} from '../../app/domain/bids/lifecycle.js'
import { BID_LIMITS, NOT_AWARDED_REASON } from '../../app/domain/bids/limits.js'
import { ZBidDecisionInput, ZBidInput, ZBidMessageInput, ZBidPageIntent } from '../../app/domain/bids/schema.js'
import { NEED_TRANSITIONS } from '../../app/domain/needs/lifecycle.js'
import { hasMessage } from '../../app/i18n/index.js'
import { AppError } from '../../app/utils/errors.js'
import { wanText } from '../../app/utils/format.js'

/*
 * The bid life cycle (issue 14 §1–2), every status × every action: the legal ones
 * written out here once more, independently of the table, everything else refused with
 * CONFLICT bids.e.transition { from, action }.
 */

const LEGAL: Record<string, BidStatus> = {
  'submitted/revise': 'submitted',
  'submitted/withdraw': 'withdrawn',
  'submitted/shortlist': 'shortlisted',
  'submitted/reject': 'rejected',
  'submitted/award': 'awarded',
  'shortlisted/withdraw': 'withdrawn',
  'shortlisted/reject': 'rejected',
  'shortlisted/award': 'awarded',
}

describe('the bid transition table', () => {
  it('has 5 statuses and 5 actions', () => {
    expect(BID_STATUSES).toHaveLength(5)
    expect(BID_ACTIONS).toHaveLength(5)
  })

  for (const from of BID_STATUSES) {
    for (const action of BID_ACTIONS) {
      const expected = LEGAL[`${from}/${action}`]
      if (expected) {
        it(`${from} × ${action} → ${expected}`, () => {
          expect(bidTransitionOf(from, action)).toBe(expected)
          expect(nextBidStatus(from, action)).toBe(expected)
        })
      } else {
        it(`${from} × ${action} is refused`, () => {
          expect(bidTransitionOf(from, action)).toBeNull()
          let thrown: unknown
          try {
            nextBidStatus(from, action)
          } catch (error) {
            thrown = error
          }
          expect(thrown).toBeInstanceOf(AppError)
          const error = thrown as AppError
          expect(error.code).toBe('CONFLICT')
          expect(error.key).toBe('bids.e.transition')
          expect(error.params).toEqual({ from, action })
        })
      }
    }
  }

  it('withdrawn, rejected and awarded are final', () => {
    for (const s of ['withdrawn', 'rejected', 'awarded'] as const) {
      expect(allowedBidActions(s, 'bidder')).toEqual([])
      expect(allowedBidActions(s, 'owner')).toEqual([])
    }
  })
})

describe('who takes each action', () => {
  it('the bidder revises and withdraws; the owner shortlists, rejects and awards', () => {
    expect(BID_ACTION_ACTORS).toEqual({
      revise: 'bidder',
      withdraw: 'bidder',
      shortlist: 'owner',
      reject: 'owner',
      award: 'owner',
    })
    expect(allowedBidActions('submitted', 'bidder')).toEqual(['revise', 'withdraw'])
    expect(allowedBidActions('shortlisted', 'bidder')).toEqual(['withdraw'])
    expect(allowedBidActions('submitted', 'owner')).toEqual(['shortlist', 'reject', 'award'])
    expect(allowedBidActions('shortlisted', 'owner')).toEqual(['reject', 'award'])
  })
})

describe('the deadline', () => {
  const today = '2026-12-03'
  it('bids are open on a published need until its deadline day, inclusive; no deadline: open', () => {
    expect(needOpenForBids({ status: 'published', deadline: '2026-12-03' }, today)).toBe(true)
    expect(needOpenForBids({ status: 'published', deadline: '2026-12-02' }, today)).toBe(false)
    expect(needOpenForBids({ status: 'published', deadline: null }, today)).toBe(true)
    for (const status of ['draft', 'shortlisting', 'awarded', 'withdrawn', 'expired', 'closed', 'contracted']) {
      expect(needOpenForBids({ status, deadline: '2027-01-01' }, today)).toBe(false)
    }
  })
  it('revise: submitted bids on open needs only', () => {
    expect(mayRevise('submitted', { status: 'published', deadline: '2026-12-31' }, today)).toBe(true)
    expect(mayRevise('submitted', { status: 'published', deadline: '2026-12-01' }, today)).toBe(false)
    expect(mayRevise('shortlisted', { status: 'published', deadline: '2026-12-31' }, today)).toBe(false)
  })
})

describe('the form', () => {
  it('price in 万元 with two decimals, kept in hundredths', () => {
    const ok = ZBidInput.safeParse({ price: '12.34', durationDays: '90', plan: '方案' })
    expect(ok.success && ok.data.price).toBe(1234)
    expect(ok.success && ok.data.templateVersionId).toBeNull()
    for (const price of ['0', '0.00', '-1', '1.234', '1000000.01', 'abc', '']) {
      expect(ZBidInput.safeParse({ price, durationDays: '90', plan: '方案' }).success).toBe(false)
    }
    expect(ZBidInput.safeParse({ price: '1000000', durationDays: '3650', plan: '方案' }).success).toBe(true)
    expect(ZBidInput.safeParse({ price: '1', durationDays: '3651', plan: '方案' }).success).toBe(false)
    expect(ZBidInput.safeParse({ price: '1', durationDays: '0', plan: '方案' }).success).toBe(false)
    expect(wanText(1234)).toBe('12.34')
    expect(wanText(1230)).toBe('12.3')
    expect(wanText(1200)).toBe('12')
    expect(wanText(5)).toBe('0.05')
  })
  it('drops every field it does not name', () => {
    const parsed = ZBidInput.parse({ price: '1', durationDays: '1', plan: 'x', status: 'awarded', providerId: '9', amount: '1' })
    expect(Object.keys(parsed).sort()).toEqual(['consortiumId', 'durationDays', 'plan', 'price', 'templateVersionId'])
  })
  it('has messages for every status and error', () => {
    for (const s of BID_STATUSES) expect(hasMessage(`bids.status.${s}`)).toBe(true)
    for (const k of [
      'bids.e.transition',
      'bids.e.alreadyBid',
      'auditAction.bid.submitted',
      'auditAction.bid.revised',
      'auditAction.bid.withdrawn',
    ]) {
      expect(hasMessage(k)).toBe(true)
    }
  })
})

describe('the award slice: decisions, the thread, the need they move', () => {
  it('a decision names its bid; reject needs a reason of 2–500 characters; extra fields are dropped', () => {
    expect(ZBidDecisionInput.parse({ intent: 'shortlist', bidId: '7', status: 'awarded', needId: '9' })).toEqual({
      intent: 'shortlist',
      bidId: 7,
    })
    expect(ZBidDecisionInput.parse({ intent: 'award', bidId: '12', price: '1' })).toEqual({ intent: 'award', bidId: 12 })
    expect(ZBidDecisionInput.parse({ intent: 'reject', bidId: '3', reason: '  报价过高 ' })).toEqual({
      intent: 'reject',
      bidId: 3,
      reason: '报价过高',
    })
    for (const reason of ['', ' ', '高', 'x'.repeat(BID_LIMITS.reasonMax + 1)]) {
      expect(ZBidDecisionInput.safeParse({ intent: 'reject', bidId: '3', reason }).success).toBe(false)
    }
    for (const bidId of ['', '0', '-1', '1e3', '0x10', '007', '99999999999']) {
      expect(ZBidDecisionInput.safeParse({ intent: 'award', bidId }).success).toBe(false)
    }
    expect(ZBidDecisionInput.safeParse({ intent: 'withdraw', bidId: '3' }).success).toBe(false)
  })

  it('a message is 1–2000 characters after trimming; the bid page defaults to withdrawing', () => {
    expect(ZBidMessageInput.parse({ body: ' 请说明质保范围 ' }).body).toBe('请说明质保范围')
    expect(ZBidMessageInput.safeParse({ body: '   ' }).success).toBe(false)
    expect(ZBidMessageInput.safeParse({ body: 'x'.repeat(2000) }).success).toBe(true)
    expect(ZBidMessageInput.safeParse({ body: 'x'.repeat(2001) }).success).toBe(false)
    expect(ZBidPageIntent.parse({}).intent).toBe('withdraw')
    expect(ZBidPageIntent.parse({ intent: 'message' }).intent).toBe('message')
    expect(ZBidPageIntent.parse({ intent: 'award' }).intent).toBe('withdraw')
    expect(BID_LIMITS.messagesPerBid).toBe(50)
  })

  it('the need table lets shortlisting and award happen where the bids need them', () => {
    // The first shortlisting moves a published need; award from published or shortlisting.
    expect(NEED_TRANSITIONS.published.shortlist).toBe('shortlisting')
    expect(NEED_TRANSITIONS.published.award).toBe('awarded')
    expect(NEED_TRANSITIONS.shortlisting.award).toBe('awarded')
    // Once awarded, no second award.
    expect(NEED_TRANSITIONS.awarded.award).toBeUndefined()
    // An owner's decision leaves the bid in a final state or shortlisted; shortlisted bids are no longer revised.
    expect(allowedBidActions('shortlisted', 'bidder')).not.toContain('revise')
  })

  it('has messages for the award slice', () => {
    for (const k of [
      'bids.e.awardConflict',
      'bids.e.needDecided',
      'bids.e.threadClosed',
      'bids.e.threadFull',
      'bids.v.rejectReason',
      'bids.v.message',
      `bids.reason.${NOT_AWARDED_REASON}`,
      'auditAction.bid.shortlisted',
      'auditAction.bid.rejected',
      'auditAction.bid.awarded',
      'auditAction.bid.message_posted',
      'bids.compare.excluded.not_verified',
      'bids.compare.excluded.kind',
      'bids.compare.excluded.no_fit',
      'bids.compare.excluded.tier_excluded',
    ]) {
      expect(hasMessage(k)).toBe(true)
    }
  })
})
