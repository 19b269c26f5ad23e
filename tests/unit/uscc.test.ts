import { describe, expect, it } from 'vitest'
import {
  computeOrgCodeCheckChar,
  computeUsccCheckChar,
  generateUscc,
  isValidOrgCode,
  isValidUscc,
  normaliseUscc,
  USCC_ALPHABET,
  validateUscc,
} from '~/domain/orgs/uscc'
import { Rng } from '../../seed/random'

/**
 * Published codes of real organisations (business licences / annual reports /
 * open platform docs). Each passes both the GB 32100 mod-31 check and the
 * GB 11714 check of the embedded organisation code.
 */
const REAL_CODES: readonly (readonly [string, string])[] = [
  ['91350100M000100Y43', '福州 (example code from GB 32100 explanations)'],
  ['91110000600037341L', '北京 foreign-invested enterprise'],
  ['91440300708461136T', '华为技术有限公司'],
  ['9144030071526726XG', '腾讯科技（深圳）有限公司'],
  ['91110108551385082Q', '小米科技有限责任公司'],
  ['91440300192317458F', '比亚迪股份有限公司'],
  ['91440400192548256N', '珠海格力电器股份有限公司'],
  ['91440606722473344C', '美的集团股份有限公司'],
  ['91370200264574251E', '海尔智家股份有限公司'],
  ['91350900587527783P', '宁德时代新能源科技股份有限公司'],
  ['91440300100012316L', '中国平安保险（集团）股份有限公司'],
  ['91100000100003962T', '中国工商银行股份有限公司'],
  ['911100001011016602', '京东方科技集团股份有限公司'],
  ['91440300192181490G', '万科企业股份有限公司'],
  ['9144030010001686XA', '招商银行股份有限公司'],
  ['91110000710926094P', '中国石油化工股份有限公司'],
  ['91310115768225450T', '支付宝（中国）网络技术有限公司'],
  ['91330000143125150B', '广宇集团股份有限公司'],
]

const FORBIDDEN = ['I', 'O', 'Z', 'S', 'V'] as const

describe('validateUscc', () => {
  it.each(REAL_CODES)('accepts the published code %s (%s)', (code) => {
    expect(validateUscc(code)).toEqual({ ok: true })
    expect(isValidUscc(code)).toBe(true)
    // The embedded 组织机构代码 carries its own GB 11714 check character.
    expect(isValidOrgCode(code.slice(8, 17))).toBe(true)
  })

  it('rejects 91320000134762051Y (mis-copied: the right check character is H)', () => {
    expect(validateUscc('91320000134762051Y')).toEqual({ ok: false, reason: 'checksum' })
    expect(computeUsccCheckChar('91320000134762051')).toBe('H')
    expect(isValidUscc('91320000134762051H')).toBe(true)
  })

  it('detects every single-character substitution', () => {
    for (const [code] of REAL_CODES) {
      for (let i = 0; i < 18; i++) {
        for (const c of USCC_ALPHABET) {
          if (c === code[i]) continue
          const bad = code.slice(0, i) + c + code.slice(i + 1)
          expect(validateUscc(bad), bad).toEqual({ ok: false, reason: 'checksum' })
        }
      }
    }
  })

  it('detects every adjacent transposition of different characters', () => {
    for (const [code] of REAL_CODES) {
      for (let i = 0; i < 17; i++) {
        if (code[i] === code[i + 1]) continue
        const bad = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2)
        expect(validateUscc(bad), bad).toEqual({ ok: false, reason: 'checksum' })
      }
    }
  })

  it('reports the wrong length before anything else', () => {
    expect(validateUscc('')).toEqual({ ok: false, reason: 'length' })
    expect(validateUscc('91440300708461136')).toEqual({ ok: false, reason: 'length' })
    expect(validateUscc('91440300708461136TT')).toEqual({ ok: false, reason: 'length' })
    expect(validateUscc(' 91440300708461136T')).toEqual({ ok: false, reason: 'length' })
    expect(validateUscc('9144030070846113-T')).toEqual({ ok: false, reason: 'charset' })
  })

  it.each(FORBIDDEN)('rejects the forbidden letter %s anywhere as a charset error', (letter) => {
    const code = '91440300708461136T'
    for (let i = 0; i < 18; i++) {
      const bad = code.slice(0, i) + letter + code.slice(i + 1)
      expect(validateUscc(bad)).toEqual({ ok: false, reason: 'charset' })
    }
  })

  it('is case-sensitive: lower case is a charset error until normalised', () => {
    expect(validateUscc('91350100m000100y43')).toEqual({ ok: false, reason: 'charset' })
    expect(validateUscc('9144030071526726xg')).toEqual({ ok: false, reason: 'charset' })
    expect(normaliseUscc('  9144030071526726xg \n')).toBe('9144030071526726XG')
    expect(validateUscc(normaliseUscc(' 91350100m000100y43 '))).toEqual({ ok: true })
  })

  it('rejects full-width and other non-ASCII characters', () => {
    expect(validateUscc('９1440300708461136T')).toEqual({ ok: false, reason: 'charset' })
    expect(validateUscc('91440300708461136Ｔ')).toEqual({ ok: false, reason: 'charset' })
  })
})

describe('computeUsccCheckChar', () => {
  it('maps 31 to 0 and uses the USCC alphabet for values 10–30', () => {
    for (const [code] of REAL_CODES) expect(computeUsccCheckChar(code.slice(0, 17))).toBe(code[17])
    // Collect every check value over many bodies: all 31 characters occur, none forbidden.
    const rng = new Rng(7)
    const seen = new Set<string>()
    for (let i = 0; i < 5000; i++) {
      let body = ''
      for (let j = 0; j < 17; j++) body += rng.pick([...USCC_ALPHABET])
      seen.add(computeUsccCheckChar(body))
    }
    expect([...seen].sort().join('')).toBe([...USCC_ALPHABET].sort().join(''))
  })

  it('throws on bad input', () => {
    expect(() => computeUsccCheckChar('9144030070846113')).toThrow(RangeError)
    expect(() => computeUsccCheckChar('9144030070846113I')).toThrow(RangeError)
  })
})

describe('GB 11714 organisation code', () => {
  it('computes the check character, with X for 10 and 0 for 11', () => {
    expect(computeOrgCodeCheckChar('70846113')).toBe('6')
    expect(computeOrgCodeCheckChar('71526726')).toBe('X')
    expect(computeOrgCodeCheckChar('10001686')).toBe('X')
    expect(computeOrgCodeCheckChar('10110166')).toBe('0')
    expect(computeOrgCodeCheckChar('M000100Y')).toBe('4')
  })

  it('validates codes and rejects corrupted ones', () => {
    expect(isValidOrgCode('708461136')).toBe(true)
    expect(isValidOrgCode('71526726X')).toBe(true)
    expect(isValidOrgCode('708461137')).toBe(false)
    expect(isValidOrgCode('71526726x')).toBe(false)
    expect(isValidOrgCode('7084611')).toBe(false)
  })
})

describe('generateUscc', () => {
  it('produces valid enterprise codes for the region, deterministically', () => {
    const a = new Rng(2026)
    const b = new Rng(2026)
    const codes = new Set<string>()
    for (let i = 0; i < 5000; i++) {
      const code = generateUscc(a, '321003')
      expect(generateUscc(b, '321003')).toBe(code)
      expect(validateUscc(code), code).toEqual({ ok: true })
      expect(code.slice(0, 8)).toBe('91321003')
      expect(isValidOrgCode(code.slice(8, 17)), code).toBe(true)
      codes.add(code)
    }
    expect(codes.size).toBeGreaterThan(4990)
  })

  it('produces both numeric and MA-style organisation codes', () => {
    const rng = new Rng(1)
    const codes = Array.from({ length: 500 }, () => generateUscc(rng, '620171'))
    expect(codes.some((c) => c.slice(8, 10) === 'MA')).toBe(true)
    expect(codes.some((c) => /^\d{8}$/.test(c.slice(8, 16)))).toBe(true)
  })

  it('accepts a plain function as the random source and another prefix', () => {
    let x = 0
    const code = generateUscc(() => (x = (x * 9301 + 49297) % 233280) / 233280, '620000', '11')
    expect(code.startsWith('11620000')).toBe(true)
    expect(isValidUscc(code)).toBe(true)
  })

  it('refuses region codes that are not 6 digits and bad prefixes', () => {
    const rng = new Rng(1)
    expect(() => generateUscc(rng, '3210Z1')).toThrow(RangeError)
    expect(() => generateUscc(rng, '32100')).toThrow(RangeError)
    expect(() => generateUscc(rng, '321000', 'IO')).toThrow(RangeError)
  })
})
