/**
 * 统一社会信用代码 (USCC, GB 32100-2015) and the 组织机构代码 it embeds (GB 11714-1997).
 *
 * Layout of the 18 characters:
 *   1      登记管理部门码 (9 = 市场监管/工商)
 *   2      机构类别码 (1 = 企业 under 登记管理部门 9)
 *   3–8    登记管理机关行政区划码 (GB/T 2260)
 *   9–17   主体标识码 = 组织机构代码 (8 body chars + GB 11714 check char)
 *   18     校验码 (mod-31 over the first 17)
 *
 * Validation is case-sensitive: the standard's alphabet is upper case, so callers
 * that accept user input must run {@link normaliseUscc} first rather than relying
 * on the validator to be lenient.
 */

/** The 31 characters GB 32100 allows, in value order (no I, O, Z, S, V). */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const

const USCC_VALUE = new Map<string, number>([...USCC_ALPHABET].map((c, i) => [c, i]))
const USCC_CHARSET = /^[0-9A-HJ-NPQRTUWXY]+$/

export type UsccResult = { ok: true } | { ok: false; reason: 'length' | 'charset' | 'checksum' }

/** Trim and upper-case user input; does not validate. */
export function normaliseUscc(input: string): string {
  return input.trim().toUpperCase()
}

/** The 18th character for the given first 17 characters (which must be in the USCC alphabet). */
export function computeUsccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`USCC body must be 17 characters, got ${first17.length}`)
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const value = USCC_VALUE.get(first17.charAt(i))
    if (value === undefined) throw new RangeError(`character not allowed in a USCC: ${first17.charAt(i)}`)
    sum += value * (USCC_WEIGHTS[i] ?? 0)
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31)
}

/** Case-sensitive: `91350100m000100y43` is rejected with reason 'charset'. */
export function validateUscc(code: string): UsccResult {
  if (code.length !== 18) return { ok: false, reason: 'length' }
  if (!USCC_CHARSET.test(code)) return { ok: false, reason: 'charset' }
  if (computeUsccCheckChar(code.slice(0, 17)) !== code.charAt(17)) return { ok: false, reason: 'checksum' }
  return { ok: true }
}

export function isValidUscc(code: string): boolean {
  return validateUscc(code).ok
}

/** GB 11714 value of one body character: digits 0–9, letters A=10 … Z=35. */
function orgCodeValue(c: string): number {
  const code = c.charCodeAt(0)
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 65 && code <= 90) return code - 55
  throw new RangeError(`character not allowed in an organisation code: ${c}`)
}

/** GB 11714 check character for the 8-character body of a 组织机构代码. */
export function computeOrgCodeCheckChar(body8: string): string {
  if (body8.length !== 8) throw new RangeError(`organisation code body must be 8 characters, got ${body8.length}`)
  let sum = 0
  for (let i = 0; i < 8; i++) sum += orgCodeValue(body8.charAt(i)) * (ORG_CODE_WEIGHTS[i] ?? 0)
  const check = 11 - (sum % 11)
  return check === 10 ? 'X' : check === 11 ? '0' : String(check)
}

/** A 9-character 组织机构代码 (upper case) whose check character is right. */
export function isValidOrgCode(code: string): boolean {
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(code)) return false
  return computeOrgCodeCheckChar(code.slice(0, 8)) === code.charAt(8)
}

/** Anything that returns a float in [0, 1), such as seed/random.ts's `Rng.next`. */
export type RandomSource = (() => number) | { next(): number }

function draw(rand: RandomSource): number {
  return typeof rand === 'function' ? rand() : rand.next()
}

/**
 * A valid USCC for a 6-digit GB/T 2260 region. By default an enterprise's
 * (登记管理部门 '9' 市场监管, 机构类别 '1' 企业); pass `prefix` for other kinds,
 * e.g. '11' for a government organ (机构编制, 机关). The organisation code is
 * either 8 digits (older registrations) or the post-2015 'MA' form; both carry a
 * correct GB 11714 check character, and every character stays inside the USCC
 * alphabet.
 */
export function generateUscc(rand: RandomSource, regionCode: string, prefix = '91'): string {
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError(`region code must be 6 digits: ${regionCode}`)
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}$/.test(prefix)) throw new RangeError(`invalid USCC prefix: ${prefix}`)
  let body = ''
  if (draw(rand) < 0.4) {
    body = 'MA'
    for (let i = 0; i < 6; i++) body += USCC_ALPHABET.charAt(Math.floor(draw(rand) * USCC_ALPHABET.length))
  } else {
    for (let i = 0; i < 8; i++) body += String(Math.floor(draw(rand) * 10))
  }
  const first17 = `${prefix}${regionCode}${body}${computeOrgCodeCheckChar(body)}`
  return first17 + computeUsccCheckChar(first17)
}
