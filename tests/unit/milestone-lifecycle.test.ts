import { describe, expect, it } from 'vitest'
import { MILESTONE_STATUSES, type MilestoneStatus, type ReviewDecision, type ReviewSide } from '../../db/enums.js'
import {
  MILESTONE_ACTIONS,
  milestoneTransitionOf,
  milestoneVerdict,
  nextMilestoneStatus,
  requiredReviewSides,
  type MilestoneAction,
} from '../../app/domain/contracts/lifecycle.js'
import { ZReviewMilestone, ZSubmitMilestone, ZSupervisionLog } from '../../app/domain/contracts/milestone-schema.js'
import { AppError } from '../../app/utils/errors.js'
import { UPLOAD_ROUTES } from '../../app/utils/request-guards.server.js'

/*
 * The milestone life cycle (issue 14 §4), state by state, and the verdict of a round's
 * decisions with and without a supervisor.
 */

const TABLE: Record<MilestoneStatus, Partial<Record<MilestoneAction, MilestoneStatus>>> = {
  pending: { submit: 'submitted' },
  submitted: { accept: 'accepted', reject: 'rejected' },
  rejected: { submit: 'submitted' },
  accepted: {},
}

describe('milestone transitions', () => {
  for (const from of MILESTONE_STATUSES) {
    for (const action of MILESTONE_ACTIONS) {
      const to = TABLE[from][action]
      it(`${from} × ${action} → ${to ?? 'refused'}`, () => {
        expect(milestoneTransitionOf(from, action)).toBe(to ?? null)
        if (to) expect(nextMilestoneStatus(from, action)).toBe(to)
        else {
          let error: unknown
          try {
            nextMilestoneStatus(from, action)
          } catch (e) {
            error = e
          }
          expect(error).toBeInstanceOf(AppError)
          expect((error as AppError).code).toBe('CONFLICT')
          expect((error as AppError).key).toBe('milestones.e.transition')
          expect((error as AppError).params).toEqual({ from, action })
        }
      })
    }
  }
})

describe('milestoneVerdict', () => {
  const d = (side: ReviewSide, decision: ReviewDecision) => ({ side, decision })
  it('needs the enterprise alone without a supervisor, both sides with one', () => {
    expect(requiredReviewSides(false)).toEqual(['enterprise'])
    expect(requiredReviewSides(true)).toEqual(['enterprise', 'supervisor'])
  })
  const cases: Array<[string, ReturnType<typeof d>[], boolean, 'accepted' | 'rejected' | 'waiting']> = [
    ['no decision', [], false, 'waiting'],
    ['no decision, supervised', [], true, 'waiting'],
    ['enterprise accepts', [d('enterprise', 'accepted')], false, 'accepted'],
    ['enterprise rejects', [d('enterprise', 'rejected')], false, 'rejected'],
    ['enterprise accepts, supervised', [d('enterprise', 'accepted')], true, 'waiting'],
    ['supervisor accepts, supervised', [d('supervisor', 'accepted')], true, 'waiting'],
    ['both accept', [d('enterprise', 'accepted'), d('supervisor', 'accepted')], true, 'accepted'],
    ['supervisor rejects', [d('supervisor', 'rejected')], true, 'rejected'],
    ['enterprise accepts, supervisor rejects', [d('enterprise', 'accepted'), d('supervisor', 'rejected')], true, 'rejected'],
    ['enterprise rejects, supervisor accepts', [d('enterprise', 'rejected'), d('supervisor', 'accepted')], true, 'rejected'],
    // A supervisor's decision left from before its removal does not count without one.
    ['supervisor rejects, not supervised', [d('supervisor', 'rejected')], false, 'waiting'],
    ['supervisor accepts, not supervised', [d('supervisor', 'accepted'), d('enterprise', 'accepted')], false, 'accepted'],
  ]
  for (const [name, decisions, supervised, verdict] of cases) {
    it(`${name} → ${verdict}`, () => expect(milestoneVerdict(decisions, supervised)).toBe(verdict))
  }
})

describe('the forms', () => {
  it('read only their own fields', () => {
    const parsed = ZSubmitMilestone.parse({ evidence: ' 完成 ', status: 'accepted', round: '9' })
    expect(parsed).toEqual({ evidence: '完成' })
    expect(ZReviewMilestone.parse({ round: '2', decision: 'rejected', reason: ' 不合格 ', side: 'supervisor' })).toEqual({
      round: 2,
      decision: 'rejected',
      reason: '不合格',
    })
    expect(ZReviewMilestone.safeParse({ round: '0', decision: 'accepted' }).success).toBe(false)
    expect(ZReviewMilestone.safeParse({ round: '1', decision: 'maybe' }).success).toBe(false)
  })

  it('check the log’s date, judgements and milestone', () => {
    const ok = { logDate: '2026-12-01', findings: '现场整洁', quality: 'good', schedule: 'on_track' }
    expect(ZSupervisionLog.parse(ok)).toMatchObject({ logDate: '2026-12-01', milestoneId: null })
    expect(ZSupervisionLog.parse({ ...ok, milestoneId: '12' }).milestoneId).toBe(12)
    for (const bad of [
      { logDate: '2026-02-30' },
      { logDate: '2026/12/01' },
      { quality: 'great' },
      { schedule: 'late' },
      { findings: ' ' },
      { milestoneId: '0' },
      { findings: 'x'.repeat(5001) },
    ]) {
      expect(ZSupervisionLog.safeParse({ ...ok, ...bad }).success, JSON.stringify(bad)).toBe(false)
    }
  })
})

describe('upload limits', () => {
  const limitOf = (path: string) => UPLOAD_ROUTES.find((r) => r.path.test(path))?.maxBytes
  it('cover the milestone page and the supervision log, and nothing next to them', () => {
    const MiB = 1024 * 1024
    expect(limitOf('/contracts/12/milestones/34')).toBeGreaterThanOrEqual(5 * 20 * MiB)
    expect(limitOf('/contracts/12/supervision')).toBeGreaterThanOrEqual(9 * 10 * MiB)
    expect(limitOf('/contracts/12')).toBeUndefined()
    expect(limitOf('/contracts/12/milestones')).toBeUndefined()
    expect(limitOf('/contracts/12/milestones/34/x')).toBeUndefined()
    expect(limitOf('/contracts/0/supervision')).toBeUndefined()
  })
})
