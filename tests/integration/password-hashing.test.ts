import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hashPassword, needsRehash, verifyPassword } from '../../app/domain/accounts/password.server.js'
import * as login from '../../app/routes/login.js'
import { services } from '../../app/web/services.server.js'
import { insertUser } from '../support/factories.js'
import { call } from '../support/http.js'

const db = () => services().db

/** A hash in the format the app stored before its parameters were raised (N=2^15). */
function legacyHash(password: string): string {
  const salt = crypto.randomBytes(16)
  const key = crypto.scryptSync(password.normalize('NFKC'), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 })
  return ['scrypt', 2 ** 15, 8, 1, salt.toString('base64'), key.toString('base64')].join('$')
}

describe('password hashes', () => {
  it('are scrypt at OWASP’s minimum (N=2^17, r=8, p=1)', async () => {
    const hash = await hashPassword('Correct-horse-9')
    expect(hash.split('$').slice(0, 4)).toEqual(['scrypt', '131072', '8', '1'])
    expect(await verifyPassword('Correct-horse-9', hash)).toBe(true)
    expect(await verifyPassword('Correct-horse-8', hash)).toBe(false)
    expect(needsRehash(hash)).toBe(false)
  })

  it('still verify when made with older parameters, and say they need a new hash', async () => {
    const old = legacyHash('Correct-horse-9')
    expect(await verifyPassword('Correct-horse-9', old)).toBe(true)
    expect(needsRehash(old)).toBe(true)
  })

  it('verify nothing when malformed, instead of throwing', async () => {
    const salt = crypto.randomBytes(16).toString('base64')
    for (const stored of [
      '',
      'bcrypt$x',
      `scrypt$131072$8$1$${salt}$`,
      `scrypt$131072$8$1$${salt}$AA==`,
      `scrypt$3$8$1$${salt}$${salt}`,
      `scrypt$${2 ** 30}$8$1$${salt}$${salt}`,
    ]) {
      expect(await verifyPassword('anything', stored), stored).toBe(false)
      expect(needsRehash(stored)).toBe(true)
    }
  })
})

describe('signing in with an old hash', () => {
  it('replaces the hash with today’s parameters, transparently', async () => {
    const user = await insertUser(db())
    const old = legacyHash('Legacy-password-7')
    await db().updateTable('users').set({ password_hash: old }).where('id', '=', user.id).execute()

    const first = await call(login, {
      method: 'POST',
      path: '/login',
      form: { login: user.login, password: 'Legacy-password-7' },
      ip: '198.51.100.61',
    })
    expect(first.status).toBe(302)
    const { password_hash: upgraded } = await db()
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow()
    expect(upgraded).not.toBe(old)
    expect(upgraded.split('$')[1]).toBe('131072')
    expect(await verifyPassword('Legacy-password-7', upgraded)).toBe(true)

    // A current hash is left alone.
    const second = await call(login, {
      method: 'POST',
      path: '/login',
      form: { login: user.login, password: 'Legacy-password-7' },
      ip: '198.51.100.61',
    })
    expect(second.status).toBe(302)
    const after = await db().selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(after.password_hash).toBe(upgraded)
  })

  it('keeps the old hash after a wrong password', async () => {
    const user = await insertUser(db())
    const old = legacyHash('Legacy-password-7')
    await db().updateTable('users').set({ password_hash: old }).where('id', '=', user.id).execute()
    const outcome = await call(login, {
      method: 'POST',
      path: '/login',
      form: { login: user.login, password: 'Wrong-password-7' },
      ip: '198.51.100.62',
    })
    expect(outcome.status).toBe(400)
    const row = await db().selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(row.password_hash).toBe(old)
  })
})
