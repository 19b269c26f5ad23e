import { describe, expect, it } from 'vitest'
import { CONTRACT_STATUSES, type ContractStatus } from '../../db/enums.js'
import { checkDraft } from '../../app/domain/contracts/contracts.server.js'
import { milestoneAmounts } from '../../app/domain/contracts/draft.server.js'
import { CONTRACT_ACTIONS, contractTransitionOf, nextContractStatus } from '../../app/domain/contracts/lifecycle.js'
import { isCalendarDate, ZContractDraftForm } from '../../app/domain/contracts/schema.js'
import { contractPageOffer, type ContractOfferInput, type ContractReaderRole } from '../../app/domain/contracts/views.js'
import { hasMessage } from '../../app/i18n/index.js'
import { AppError } from '../../app/utils/errors.js'
import { wanText } from '../../app/utils/format.js'

/*
 * The contract life cycle (issue 14 §3), every status × every action: the legal ones
 * written out here once more, independently of the table, everything else refused with
 * CONFLICT contracts.e.transition { from, action }. Then what the contract page offers
 * each reader (contractPageOffer), and the draft's rules (checkDraft).
 */

const LEGAL: Record<string, ContractStatus> = {
  'draft/edit': 'draft',
  'draft/confirm': 'draft',
  'draft/activate': 'active',
  'draft/appoint': 'draft',
  'active/appoint': 'active',
  'active/complete': 'completed',
  'active/terminate': 'terminated',
}

describe('contract life cycle: every status × action', () => {
  for (const from of CONTRACT_STATUSES) {
    for (const action of CONTRACT_ACTIONS) {
      const want = LEGAL[`${from}/${action}`]
      it(`${from} × ${action} → ${want ?? 'refused'}`, () => {
        expect(contractTransitionOf(from, action)).toBe(want ?? null)
        if (want) {
          expect(nextContractStatus(from, action)).toBe(want)
        } else {
          const error = (() => {
            try {
              nextContractStatus(from, action)
            } catch (e) {
              return e
            }
          })()
          expect(error).toBeInstanceOf(AppError)
          expect((error as AppError).code).toBe('CONFLICT')
          expect((error as AppError).key).toBe('contracts.e.transition')
          expect((error as AppError).params).toEqual({ from, action })
        }
      })
    }
  }
  it('completed and terminated are final', () => {
    for (const action of CONTRACT_ACTIONS) {
      expect(contractTransitionOf('completed', action)).toBeNull()
      expect(contractTransitionOf('terminated', action)).toBeNull()
    }
  })
})

const ROLES: ContractReaderRole[] = ['enterprise', 'provider', 'supervisor', 'agency']
const base = (over: Partial<ContractOfferInput>): ContractOfferInput => ({
  role: 'enterprise',
  status: 'draft',
  mayConfirm: false,
  mayAppoint: false,
  ownSideConfirmed: false,
  hasSupervisor: false,
  ...over,
})

describe('contractPageOffer: actions and links per role and status', () => {
  it('edit: a party, while draft', () => {
    for (const role of ROLES) {
      for (const status of CONTRACT_STATUSES) {
        const { actions } = contractPageOffer(base({ role, status }))
        const party = role === 'enterprise' || role === 'provider'
        expect(actions.includes('edit'), `${role} ${status}`).toBe(party && status === 'draft')
      }
    }
  })

  it('confirm: a party’s owner, while draft, until its side confirmed', () => {
    for (const role of ROLES) {
      for (const status of CONTRACT_STATUSES) {
        for (const mayConfirm of [false, true]) {
          for (const ownSideConfirmed of [false, true]) {
            const { actions } = contractPageOffer(base({ role, status, mayConfirm, ownSideConfirmed }))
            const party = role === 'enterprise' || role === 'provider'
            expect(actions.includes('confirm'), `${role} ${status} ${mayConfirm} ${ownSideConfirmed}`).toBe(
              party && status === 'draft' && mayConfirm && !ownSideConfirmed,
            )
          }
        }
      }
    }
  })

  it('appoint: the agency that may, while draft or active', () => {
    for (const role of ROLES) {
      for (const status of CONTRACT_STATUSES) {
        for (const mayAppoint of [false, true]) {
          const { actions } = contractPageOffer(base({ role, status, mayAppoint }))
          expect(actions.includes('appoint'), `${role} ${status} ${mayAppoint}`).toBe(
            role === 'agency' && mayAppoint && (status === 'draft' || status === 'active'),
          )
        }
      }
    }
  })

  it('linkCase: the provider, before completion', () => {
    for (const role of ROLES) {
      for (const status of CONTRACT_STATUSES) {
        const { actions } = contractPageOffer(base({ role, status }))
        expect(actions.includes('linkCase'), `${role} ${status}`).toBe(
          role === 'provider' && (status === 'draft' || status === 'active'),
        )
      }
    }
  })

  it('links: print always; milestones and disputes once in force; supervision with a supervisor; ratings once completed', () => {
    for (const role of ROLES) {
      for (const status of CONTRACT_STATUSES) {
        for (const hasSupervisor of [false, true]) {
          const { links } = contractPageOffer(base({ role, status, hasSupervisor }))
          const inForce = status !== 'draft'
          expect(links.includes('print')).toBe(true)
          expect(links.includes('milestones')).toBe(inForce)
          expect(links.includes('disputes')).toBe(inForce)
          expect(links.includes('supervision')).toBe(inForce && hasSupervisor)
          expect(links.includes('ratings')).toBe(status === 'completed')
        }
      }
    }
  })

  it('a supervisor and a viewer agency only read', () => {
    expect(contractPageOffer(base({ role: 'supervisor', status: 'active', hasSupervisor: true })).actions).toEqual([])
    expect(contractPageOffer(base({ role: 'agency', status: 'active', mayAppoint: false })).actions).toEqual([])
  })
})

const ms = (percents: number[], dues: string[]) =>
  percents.map((percent, i) => ({ name: `里程碑${i + 1}`, percent, dueDate: dues[i]!, criteria: '' }))
const draft = (milestones: ReturnType<typeof ms>) => ({
  startDate: '2027-01-01',
  constructionDays: 90,
  technicalStandards: [],
  acceptanceStandards: '验收',
  qualityTerms: '',
  warrantyMonths: 12,
  disputeClause: '仲裁',
  milestones,
})
const refusal = (f: () => void): AppError => {
  try {
    f()
  } catch (e) {
    return e as AppError
  }
  throw new Error('not refused')
}

describe('the draft’s rules', () => {
  it('accepts whole percentages summing to 100 with due dates in order', () => {
    expect(() => checkDraft(draft(ms([30, 40, 30], ['2027-01-01', '2027-02-01', '2027-02-01'])))).not.toThrow()
  })

  it('refuses a sum other than 100, naming the sum', () => {
    const e = refusal(() => checkDraft(draft(ms([30, 40, 20], ['2027-01-02', '2027-02-01', '2027-03-01']))))
    expect(e.code).toBe('VALIDATION')
    expect(e.key).toBe('contracts.v.milestoneSum')
    expect(e.params).toEqual({ sum: 90 })
    expect(e.fieldErrors.milestones).toBe('contracts.v.milestoneSumField')
  })

  it('refuses none, more than 20, and fractional percents', () => {
    expect(refusal(() => checkDraft(draft([]))).fieldErrors.milestones).toBe('contracts.v.milestonesRequired')
    const many = Array.from({ length: 21 }, () => 5)
    expect(
      refusal(() =>
        checkDraft(
          draft(
            ms(
              many,
              many.map(() => '2027-02-01'),
            ),
          ),
        ),
      ).fieldErrors.milestones,
    ).toBe('contracts.v.milestonesRequired')
    expect(refusal(() => checkDraft(draft(ms([50.5, 49.5], ['2027-02-01', '2027-03-01'])))).fieldErrors.ms1Percent).toBe(
      'contracts.v.milestonePercent',
    )
  })

  it('refuses a due date before the start or before the previous milestone', () => {
    const early = refusal(() => checkDraft(draft(ms([50, 50], ['2026-12-31', '2027-03-01']))))
    expect(early.fieldErrors.ms1Due).toBe('contracts.v.dueBeforeStartField')
    expect(early.params).toEqual({ n: 1, start: '2027-01-01' })
    const order = refusal(() => checkDraft(draft(ms([50, 50], ['2027-03-01', '2027-02-01']))))
    expect(order.fieldErrors.ms2Due).toBe('contracts.v.dueOrderField')
  })

  it('the form: rows, blank rows ignored, extra fields dropped', () => {
    const parsed = ZContractDraftForm.parse({
      startDate: '2027-01-01',
      constructionDays: '90',
      technicalStandards: 'GB/T 39116-2020\nGB/T 39116-2020；GB/T 1',
      acceptanceStandards: '验收',
      warrantyMonths: '12',
      disputeClause: '仲裁',
      ms1Name: '预付款',
      ms1Percent: '30',
      ms1Due: '2027-01-10',
      ms3Name: '验收',
      ms3Percent: '70',
      ms3Due: '2027-03-01',
      amount: '1',
      status: 'active',
    })
    expect(parsed.milestones.map((m) => m.name)).toEqual(['预付款', '验收'])
    expect(parsed.technicalStandards).toEqual(['GB/T 39116-2020', 'GB/T 1'])
    expect(Object.keys(parsed)).not.toContain('amount')
    expect(Object.keys(parsed)).not.toContain('status')
    const bad = ZContractDraftForm.safeParse({ startDate: '2027-02-30', constructionDays: '0', ms1Name: '', ms1Percent: 'x' })
    expect(bad.success).toBe(false)
    const paths = bad.error!.issues.map((i) => i.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['startDate', 'constructionDays', 'ms1Name', 'ms1Percent', 'ms1Due']))
    for (const issue of bad.error!.issues) expect(hasMessage(issue.message), issue.message).toBe(true)
  })

  it('dates, amounts and money text', () => {
    expect(isCalendarDate('2027-02-28')).toBe(true)
    expect(isCalendarDate('2027-02-29')).toBe(false)
    expect(milestoneAmounts(10001, [33, 33, 34]).reduce((a, b) => a + b, 0)).toBe(10001)
    expect(wanText(12345)).toBe('123.45')
    expect(wanText(12340)).toBe('123.4')
    expect(wanText(12300)).toBe('123')
  })
})
