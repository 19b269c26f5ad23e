import crypto from 'node:crypto'
import { promisify } from 'node:util'
import { dictionary } from '@zxcvbn-ts/language-common'
import type { Database } from '../../../db/connection.js'

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>

// scrypt at OWASP's current minimum: N=2^17, r=8, p=1, which takes 128·N·r = 128 MiB and
// ~0.3 s of one core per hash. Node refuses to use more than maxmem, so it is set above
// that. Parameters live in each stored hash: older, cheaper hashes still verify and are
// replaced at the next successful sign-in (needsRehash).
const PARAMS = { N: 2 ** 17, r: 8, p: 1 }
const MAXMEM = 256 * 1024 * 1024
const KEY_LENGTH = 32

export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 128

/** Widely used Chinese passwords the international lists miss. */
const CHINESE_COMMON = [
  '5201314',
  '1314520',
  'woaini1314',
  'woaini520',
  'woaini123',
  '88888888',
  '66666666',
  '11223344',
  '147258369',
  '123456789a',
  'a123456789',
  'aa123456',
  'qq123456',
  'abc123456',
  'zhang123',
  'wang123456',
  'li123456',
  'asd123456',
  'qwe123456',
  '1qaz2wsx3edc',
  'zxc123456',
  'woaini',
  'iloveyou1314',
  '12345678a',
  'a12345678',
  'z123456789',
  '521521521',
  '123123123',
  '159357456',
  '147852369',
  '987654321a',
  'duijie123',
  'duijie2026',
  'password123',
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
  const key = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...PARAMS, maxmem: MAXMEM })
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$')
}

interface StoredHash {
  N: number
  r: number
  p: number
  salt: Buffer
  key: Buffer
}

function parseStoredHash(stored: string): StoredHash | null {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !saltB64 || !keyB64) return null
  const params = { N: Number(n), r: Number(r), p: Number(p) }
  if (!Object.values(params).every((v) => Number.isSafeInteger(v) && v > 0)) return null
  const key = Buffer.from(keyB64, 'base64')
  // An empty or truncated key would match anything of the same length.
  if (key.length < 16) return null
  return { ...params, salt: Buffer.from(saltB64, 'base64'), key }
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const hash = parseStoredHash(stored)
  if (!hash) return false
  const { N, r, p, salt, key: expected } = hash
  try {
    const key = await scrypt(password.normalize('NFKC'), salt, expected.length, { N, r, p, maxmem: MAXMEM })
    return key.length === expected.length && crypto.timingSafeEqual(key, expected)
  } catch {
    // Parameters Node refuses (not a power of two, over maxmem) verify nothing.
    return false
  }
}

/** True when a stored hash was made with weaker parameters than today's: hash again after a good sign-in. */
export function needsRehash(stored: string): boolean {
  const hash = parseStoredHash(stored)
  if (!hash) return true
  return hash.N < PARAMS.N || hash.r < PARAMS.r || hash.p < PARAMS.p || hash.key.length < KEY_LENGTH
}

/**
 * After a good sign-in, a hash made with weaker parameters is replaced by one made with
 * today's, so raising PARAMS upgrades every account as it signs in. The update names the
 * old hash, so a password changed in the meantime is not overwritten.
 */
export async function rehashIfWeak(db: Database, userId: number, stored: string, password: string): Promise<boolean> {
  if (!needsRehash(stored)) return false
  const fresh = await hashPassword(password)
  const result = await db
    .updateTable('users')
    .set({ password_hash: fresh })
    .where('id', '=', userId)
    .where('password_hash', '=', stored)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
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
