import crypto from 'node:crypto'
import { promisify } from 'node:util'
import { dictionary } from '@zxcvbn-ts/language-common'

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>

// scrypt, memory-hard: N=2^15, r=8 uses 32 MiB per hash (OWASP's minimum is 2^17 with
// r=8 p=1 ≈ 128 MiB; we take 2^15 so a 2-core server is not starved by sign-in bursts,
// and rate limits cap attempts). Parameters live in the hash so they can be raised.
const PARAMS = { N: 2 ** 15, r: 8, p: 1 }
const KEY_LENGTH = 32

export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 128

/** Widely used Chinese passwords the international lists miss. */
const CHINESE_COMMON = [
  '5201314', '1314520', 'woaini1314', 'woaini520', 'woaini123', '88888888', '66666666', '11223344',
  '147258369', '123456789a', 'a123456789', 'aa123456', 'qq123456', 'abc123456', 'zhang123', 'wang123456',
  'li123456', 'asd123456', 'qwe123456', '1qaz2wsx3edc', 'zxc123456', 'woaini', 'iloveyou1314', '12345678a',
  'a12345678', 'z123456789', '521521521', '123123123', '159357456', '147852369', '987654321a', 'duijie123',
  'duijie2026', 'password123',
]

let commonSet: Set<string> | undefined
function commonPasswords(): Set<string> {
  commonSet ??= new Set([...dictionary['passwords-common'], ...CHINESE_COMMON].map((p) => p.toLowerCase()))
  return commonSet
}

export type PasswordProblem = 'too_short' | 'too_long' | 'common'

/** Why a password may not be used, or null when it may. */
export function checkPassword(password: string): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short'
  if (password.length > PASSWORD_MAX_LENGTH) return 'too_long'
  if (commonPasswords().has(password.toLowerCase())) return 'common'
  return null
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16)
  const key = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...PARAMS, maxmem: 64 * 1024 * 1024 })
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !saltB64 || !keyB64) return false
  const expected = Buffer.from(keyB64, 'base64')
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  })
  return key.length === expected.length && crypto.timingSafeEqual(key, expected)
}

let dummyHash: Promise<string> | undefined
/**
 * Spends the same time as a real check for an unknown account, so response time
 * does not reveal whether an account exists.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('duijie-dummy-password-for-timing')
  await verifyPassword(password, await dummyHash)
  return false
}
