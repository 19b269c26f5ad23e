import { describe, expect, it } from 'vitest'
import { NEED_STATUSES, type NeedStatus } from '../../app/domain/needs/enums.js'
import {
  actorMayTake,
  allowedNeedActions,
  NEED_ACTION_ACTORS,
  NEED_ACTION_AUDIT,
  NEED_ACTIONS,
  nextNeedStatus,
  transitionOf,
  type NeedAction,
} from '../../app/domain/needs/lifecycle.js'
import { AUDIT_ACTIONS } from '../../app/domain/audit/actions.js'
import { hasMessage, translator } from '../../app/i18n/index.js'
import { AppError } from '../../app/utils/errors.js'

/*
 * The need life cycle (DOMAIN.md §5), every status × every action: the legal ones
 * written out here once more, independently of the table, and everything else refused
 * with CONFLICT needs.e.transition { from, action }.
 */

const LEGAL: Record<string, NeedStatus> = {
  'draft/edit': 'draft',
  'draft/publish': 'published',
  'published/edit': 'published',
  'published/withdraw': 'withdrawn',
  'published/expire': 'expired',
  'published/shortlist': 'shortlisting',
  'published/award': 'awarded',
  'shortlisting/withdraw': 'withdrawn',
  'shortlisting/award': 'awarded',
  'awarded/contract': 'contracted',
  'contracted/close': 'closed',
  'withdrawn/republish': 'published',
  'expired/republish': 'published',
}

describe('the need transition table', () => {
  it('has 8 statuses and 9 actions', () => {
    expect(NEED_STATUSES).toHaveLength(8)
    expect(NEED_ACTIONS).toHaveLength(9)
  })

  for (const from of NEED_STATUSES) {
    for (const action of NEED_ACTIONS) {
      const expected = LEGAL[`${from}/${action}`]
      if (expected) {
        it(`${from} × ${action} → ${expected}`, () => {
          expect(transitionOf(from, action)).toBe(expected)
          expect(nextNeedStatus(from, action)).toBe(expected)
        })
      } else {
        it(`${from} × ${action} is refused`, () => {
          expect(transitionOf(from, action)).toBeNull()
          let thrown: unknown
          try {
            nextNeedStatus(from, action)
          } catch (error) {
            thrown = error
          }
          expect(thrown).toBeInstanceOf(AppError)
          const error = thrown as AppError
          expect(error.code).toBe('CONFLICT')
          expect(error.key).toBe('needs.e.transition')
          expect(error.params).toEqual({ from, action })
        })
      }
    }
  }

  it('closed is final; draft never goes straight to withdrawn (it was never public)', () => {
    expect(allowedNeedActions('closed', 'owner')).toEqual([])
    expect(allowedNeedActions('closed', 'system')).toEqual([])
    expect(transitionOf('draft', 'withdraw')).toBeNull()
  })
})

describe('who may take each action', () => {
  it('the owner edits, publishes, withdraws, republishes and closes; only the platform expires', () => {
    for (const a of ['edit', 'publish', 'withdraw', 'republish'] as NeedAction[]) {
      expect(actorMayTake('owner', a)).toBe(true)
      expect(actorMayTake('system', a)).toBe(false)
    }
    // close: the owner, or the platform when the need's contract completes (issue 14).
    expect(actorMayTake('owner', 'close')).toBe(true)
    expect(actorMayTake('system', 'close')).toBe(true)
    expect(actorMayTake('system', 'expire')).toBe(true)
    expect(actorMayTake('owner', 'expire')).toBe(false)
    expect(NEED_ACTION_ACTORS.shortlist).toContain('system')
    expect(NEED_ACTION_ACTORS.contract).toContain('system')
    expect(NEED_ACTION_ACTORS.award).toEqual(['owner'])
  })

  it('lists the actions allowed now, by actor kind', () => {
    expect(allowedNeedActions('draft')).toEqual(['edit', 'publish'])
    expect(allowedNeedActions('published')).toEqual(['edit', 'withdraw', 'shortlist', 'award'])
    expect(allowedNeedActions('published', 'system')).toEqual(['expire', 'shortlist'])
    expect(allowedNeedActions('expired')).toEqual(['republish'])
    expect(allowedNeedActions('withdrawn')).toEqual(['republish'])
    expect(allowedNeedActions('contracted')).toEqual(['close'])
  })
})

describe('messages', () => {
  it('every action has an audit name and a label; the refusal names status and action in Chinese', () => {
    for (const a of NEED_ACTIONS) {
      expect(AUDIT_ACTIONS).toContain(NEED_ACTION_AUDIT[a])
      expect(hasMessage(`auditAction.${NEED_ACTION_AUDIT[a]}`)).toBe(true)
      expect(hasMessage(`needs.action.${a}`)).toBe(true)
    }
    const t = translator('zh-CN')
    const text = t('needs.e.transition', { from: t('needStatus.withdrawn'), action: t('needs.action.close') })
    expect(text).toContain('已撤回')
    expect(text).toContain('结束')
  })
})
