import { describe, expect, it } from 'vitest'
import { DISPUTE_STATUSES } from '../../db/enums.js'
import {
  DISPUTE_ACTIONS,
  disputeTransitionOf,
  nextDisputeStatus,
  type DisputeAction,
} from '../../app/domain/contracts/lifecycle.js'
import { AppError } from '../../app/utils/errors.js'

/*
 * The dispute life cycle (issue 14 §5), every status × action: open → resolved by the
 * supervisor or an agency, open → withdrawn by its opener; nothing leaves resolved or
 * withdrawn (CONFLICT 'disputes.e.transition' with from and action).
 */

const TABLE: Record<(typeof DISPUTE_STATUSES)[number], Record<DisputeAction, string | null>> = {
  open: { resolve: 'resolved', withdraw: 'withdrawn' },
  resolved: { resolve: null, withdraw: null },
  withdrawn: { resolve: null, withdraw: null },
}

describe('dispute life cycle', () => {
  for (const from of DISPUTE_STATUSES) {
    for (const action of DISPUTE_ACTIONS) {
      const expected = TABLE[from][action]
      it(`${from} × ${action} → ${expected ?? 'refused'}`, () => {
        expect(disputeTransitionOf(from, action)).toBe(expected)
        if (expected) {
          expect(nextDisputeStatus(from, action)).toBe(expected)
        } else {
          const error = (() => {
            try {
              nextDisputeStatus(from, action)
            } catch (e) {
              return e
            }
            return null
          })()
          expect(error).toBeInstanceOf(AppError)
          expect((error as AppError).code).toBe('CONFLICT')
          expect((error as AppError).message).toBe('disputes.e.transition')
          expect((error as AppError).params).toEqual({ from, action })
        }
      })
    }
  }

  it('lists every action the table knows', () => {
    expect([...DISPUTE_ACTIONS].sort()).toEqual(['resolve', 'withdraw'])
  })
})
