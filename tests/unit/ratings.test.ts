import { describe, expect, it } from 'vitest'
import { RATING_SIDES, SURVEY_GRADES } from '../../db/enums.js'
import {
  enterpriseRatingsVisibleTo,
  gradedFormValue,
  RATING_FIELDS,
  RATING_ITEMS,
  ratingItemLabels,
  ratingPublic,
  ratingSideOf,
  ratingVisibleOnContract,
  replierRole,
} from '../../app/domain/contracts/ratings.js'
import { surveyValue } from '../../app/domain/matching/data.server.js'
import { zhCN } from '../../app/i18n/index.js'

/* Ratings (issue 14 §6), pure: values like the survey's, who rates, who replies, who sees what. */

describe('a rating’s value', () => {
  it('weighs the same as a diagnosis survey with the same answers', () => {
    for (const overall of ['satisfied', 'fairly_satisfied', 'dissatisfied'] as const) {
      for (const g of SURVEY_GRADES) {
        const survey = surveyValue({ overall, process: g, analysis: g, proposal: g, competence: g, result: 'good' })
        expect(gradedFormValue(overall, [g, g, g, g, 'good'])).toBeCloseTo(survey, 10)
      }
    }
  })

  it('is the mean of the overall verdict and of the items’ mean', () => {
    expect(gradedFormValue('satisfied', ['very_good', 'very_good', 'very_good', 'very_good', 'very_good'])).toBe(1)
    expect(gradedFormValue('dissatisfied', ['poor', 'poor', 'poor', 'poor', 'poor'])).toBe(0)
    expect(gradedFormValue('fairly_satisfied', ['good', 'good', 'fair', 'fair', 'very_good'])).toBeCloseTo(
      (0.5 + (2 / 3 + 2 / 3 + 1 / 3 + 1 / 3 + 1) / 5) / 2,
      10,
    )
  })

  it('never leaves 0–1 and grows with every better grade', () => {
    const order = ['poor', 'fair', 'good', 'very_good'] as const
    let last = -1
    for (const g of order) {
      const v = gradedFormValue('fairly_satisfied', [g, 'fair', 'fair', 'fair', 'fair'])
      expect(v).toBeGreaterThan(last)
      expect(v).toBeGreaterThanOrEqual(0)
      expect(v).toBeLessThanOrEqual(1)
      last = v
    }
  })
})

describe('sides and items', () => {
  it('five items a side, each with its statement and short name in the catalogue', () => {
    expect(RATING_FIELDS).toHaveLength(5)
    for (const side of RATING_SIDES) {
      expect(RATING_ITEMS[side]).toHaveLength(5)
      for (const l of ratingItemLabels(side)) {
        expect(zhCN[l.full]).toBeTruthy()
        expect(zhCN[l.short]).toBeTruthy()
      }
    }
    expect(ratingItemLabels('enterprise').map((l) => zhCN[l.short])).toEqual([
      '实施过程',
      '问题解决',
      '方案落地',
      '业务水平',
      '实施效果',
    ])
    expect(ratingItemLabels('provider').map((l) => zhCN[l.short])).toEqual([
      '需求清晰',
      '配合程度',
      '付款及时',
      '验收规范',
      '沟通效率',
    ])
    expect(ratingItemLabels('supervisor').map((l) => zhCN[l.short])).toEqual([
      '工程质量',
      '进度控制',
      '安全文明',
      '资料管理',
      '整改响应',
    ])
  })

  it('a reader rates as its role; agencies do not rate', () => {
    expect(ratingSideOf('enterprise')).toBe('enterprise')
    expect(ratingSideOf('provider')).toBe('provider')
    expect(ratingSideOf('supervisor')).toBe('supervisor')
    expect(ratingSideOf('agency')).toBeNull()
    expect(ratingSideOf(null)).toBeNull()
  })

  it('the provider replies to the enterprise’s rating and the supervisor’s score; the provider’s rating takes none', () => {
    expect(replierRole('enterprise')).toBe('provider')
    expect(replierRole('supervisor')).toBe('provider')
    expect(replierRole('provider')).toBeNull()
  })
})

describe('visibility', () => {
  const reader = (role: 'enterprise' | 'provider' | 'supervisor' | 'agency' | null) => ({
    role,
    isProvider: role === 'provider' || role === 'supervisor',
  })

  it('the enterprise’s rating and the supervisor’s score: every reader of the contract', () => {
    for (const side of ['enterprise', 'supervisor'] as const) {
      for (const role of ['enterprise', 'provider', 'supervisor', 'agency'] as const) {
        expect(ratingVisibleOnContract(side, reader(role))).toBe(true)
      }
      expect(ratingVisibleOnContract(side, reader(null))).toBe(false)
    }
  })

  it('the provider’s rating of the enterprise: provider-side readers only', () => {
    expect(ratingVisibleOnContract('provider', reader('provider'))).toBe(true)
    expect(ratingVisibleOnContract('provider', reader('supervisor'))).toBe(true)
    expect(ratingVisibleOnContract('provider', reader('enterprise'))).toBe(false)
    expect(ratingVisibleOnContract('provider', reader('agency'))).toBe(false)
    expect(ratingVisibleOnContract('provider', reader(null))).toBe(false)
    // An enterprise that somehow counted as a provider still is no reader of the contract's provider side.
    expect(ratingVisibleOnContract('provider', { role: 'enterprise', isProvider: true })).toBe(false)
  })

  it('the public sees the enterprises’ ratings only; the enterprises’ ratings by providers go to providers', () => {
    expect(ratingPublic('enterprise')).toBe(true)
    expect(ratingPublic('provider')).toBe(false)
    expect(ratingPublic('supervisor')).toBe(false)
    expect(enterpriseRatingsVisibleTo({ isProvider: true })).toBe(true)
    expect(enterpriseRatingsVisibleTo({ isProvider: false })).toBe(false)
  })
})
