import { describe, expect, it } from 'vitest'
import { bodyKey } from '../../app/domain/notifications/kinds.js'
import { localizedParams, translator } from '../../app/i18n/index.js'

/*
 * A notice keeps catalogue keys for its words (`fooKey`), so it reads in the language of
 * whoever opens it: the title review's outcome, with the level inside it, in English for
 * an English reader and in Chinese for a Chinese one; names and notes are data and stay.
 */

const stored = {
  agency: '扬州市工业和信息化局',
  titleKey: 'policy.level.advanced',
  outcomeKey: 'titles.notice.downgraded',
  levelKey: 'policy.level.basic',
  date: '',
  reason: '关键工序数控化率未达标',
}

describe('localizedParams', () => {
  it('reads keys in the reader’s language, a key inside another’s message included', () => {
    const en = translator('en')
    const english = localizedParams(en, stored)
    expect(english).toMatchObject({
      title: 'Advanced smart factory',
      outcome: 'downgraded to Basic smart factory',
      level: 'Basic smart factory',
    })
    expect(en(bodyKey('title_reviewed'), english)).toBe(
      '扬州市工业和信息化局 decided the review of your “Advanced smart factory”: downgraded to Basic smart factory. Note: 关键工序数控化率未达标',
    )
    const zh = localizedParams(translator('zh-CN'), stored)
    expect(zh).toMatchObject({ title: '先进级智能工厂', outcome: '降级为基础级智能工厂' })
  })

  it('leaves data alone: params that are not keys, and a "key" the catalogue does not hold', () => {
    const out = localizedParams(translator('en'), {
      id: 7,
      contract: '产线改造',
      stepKey: 'no.such.key',
      Key: 'policy.level.basic',
    })
    expect(out).toEqual({ id: 7, contract: '产线改造', stepKey: 'no.such.key', Key: 'policy.level.basic' })
  })

  it('is what server messages read through too: an error naming the next step by its key', () => {
    const en = translator('en')
    expect(en('evaluation.e.ladder', localizedParams(en, { nextKey: 'evaluation.level.warning' }))).toBe(
      'Sanctions go step by step: warning → rectification → removal. Next: Warning',
    )
  })
})
