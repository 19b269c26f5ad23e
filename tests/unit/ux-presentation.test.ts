import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { fillTemplate } from '../../app/components/audit-sentence.js'
import { ZNeedSearchParams } from '../../app/domain/needs/schema.js'
import { en, zhCN } from '../../app/i18n/index.js'
import { formatDecimal, formatIp } from '../../app/utils/format.js'

describe('formatIp', () => {
  it('shows an IPv4 client seen through an IPv6 socket as IPv4', () => {
    expect(formatIp('::ffff:127.0.0.1')).toBe('127.0.0.1')
    expect(formatIp('::FFFF:203.0.113.9')).toBe('203.0.113.9')
  })
  it('leaves other addresses as they are', () => {
    expect(formatIp('::1')).toBe('::1')
    expect(formatIp('203.0.113.9')).toBe('203.0.113.9')
    expect(formatIp('2001:db8::1')).toBe('2001:db8::1')
    expect(formatIp('::ffff:not-an-ip')).toBe('::ffff:not-an-ip')
  })
})

describe('budgets in English', () => {
  it('read as millions of yuan with at most two decimals', () => {
    // Amounts are kept in 万元: 990 万 = ¥9.9 million.
    expect(formatDecimal(990 / 100, 2)).toBe('9.9')
    expect(formatDecimal(135_000 / 100, 2)).toBe('1,350')
    expect(formatDecimal(30 / 100, 2)).toBe('0.3')
    expect(formatDecimal(12_345 / 100, 2)).toBe('123.45')
    expect(en['needs.budgetRange'].replace('{min}', '9.9').replace('{max}', '13.5')).toBe('¥9.9–13.5 million')
  })

  it('are asked in millions by the English filter and read as 万元 by the query', () => {
    const params = ZNeedSearchParams.parse({ budgetMinM: '9.9', budgetMaxM: '13.5' })
    expect(params.budgetMin).toBe(990)
    expect(params.budgetMax).toBe(1350)
    expect(params).not.toHaveProperty('budgetMinM')
    // The 万元 fields win; malformed amounts are dropped, as every filter of the hall is.
    expect(ZNeedSearchParams.parse({ budgetMin: '100', budgetMinM: '9.9' }).budgetMin).toBe(100)
    expect(ZNeedSearchParams.parse({ budgetMinM: '1e3', budgetMaxM: '1.234' })).toMatchObject({
      budgetMin: undefined,
      budgetMax: undefined,
    })
  })
})

describe('catalogue punctuation', () => {
  it('keeps full-width punctuation out of English and the Chinese forms in Chinese', () => {
    expect(en['needs.withCount']).toBe('{label} ({count})')
    expect(zhCN['needs.withCount']).toBe('{label}（{count}）')
    expect(en['list.separator']).toBe(', ')
    expect(zhCN['list.separator']).toBe('、')
  })
})

describe('fillTemplate', () => {
  it('puts React nodes where the catalogue has placeholders', () => {
    const html = renderToStaticMarkup(
      createElement(
        'p',
        null,
        fillTemplate('{actor} 通过了 {object} 的入驻申请', {
          actor: createElement('strong', null, '张三'),
          object: createElement('a', { href: '/agency/audits/7' }, '扬州某某公司'),
        }),
      ),
    )
    expect(html).toBe('<p><strong>张三</strong> 通过了 <a href="/agency/audits/7">扬州某某公司</a> 的入驻申请</p>')
  })

  it('leaves unknown placeholders and plain text as written, and escapes text', () => {
    const html = renderToStaticMarkup(createElement('p', null, fillTemplate('{who} <b>{x}</b>', { x: '<i>' })))
    expect(html).toBe('<p>{who} &lt;b&gt;&lt;i&gt;&lt;/b&gt;</p>')
  })
})
