import type { Database } from '../../../db/connection.js'
import { AppError } from '../../utils/errors.js'
import { assertUnderLimit, hitRateLimit, recordAttempt, SIGN_IN_LIMIT, SIGN_UP_LIMIT } from '../../utils/rate-limit.server.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { checkPassword, hashPassword, verifyAgainstDummy, verifyPassword } from './password.server.js'
import { parseLoginId, type TLoginInput, type TRegisterInput } from './schema.js'

const PASSWORD_MESSAGES = {
  too_short: '密码至少需要 8 个字符',
  too_long: '密码不能超过 128 个字符',
  common: '该密码过于常见，容易被猜中，请换一个',
} as const

export async function registerUser(db: Database, input: TRegisterInput, ip: string): Promise<{ userId: number }> {
  await hitRateLimit(db, [`signup:ip:${ip}`], SIGN_UP_LIMIT)
  const problem = checkPassword(input.password)
  if (problem) throw new AppError('VALIDATION', '请检查标记的字段', { fieldErrors: { password: PASSWORD_MESSAGES[problem] } })
  const column = input.login.kind
  const taken = await db.selectFrom('users').select('id').where(column, '=', input.login.value).executeTakeFirst()
  if (taken) {
    throw new AppError('CONFLICT', '该账号已注册', {
      fieldErrors: { login: column === 'phone' ? '该手机号已注册，请直接登录' : '该邮箱已注册，请直接登录' },
    })
  }
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto('users')
      .values({
        name: input.name,
        phone: column === 'phone' ? input.login.value : null,
        email: column === 'email' ? input.login.value : null,
        password_hash: passwordHash,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { action: 'auth.registered', actorUserId: user.id, objectType: 'user', objectId: user.id, ip })
    // Registering signs the person in.
    await recordAudit(trx, { action: 'auth.signed_in', actorUserId: user.id, objectType: 'user', objectId: user.id, ip })
    return { userId: user.id }
  })
}

/** The error every failed sign-in gets: it never says whether the account exists. */
const BAD_CREDENTIALS = new AppError('VALIDATION', '账号或密码错误')

/**
 * Checks the credentials and records the sign-in. Returns the user and the
 * organisation a fresh session acts for (the first one joined).
 */
export async function authenticate(
  db: Database,
  input: TLoginInput,
  ip: string,
): Promise<{ userId: number; org: { id: number; region: string } | null }> {
  const id = parseLoginId(input.login)
  const accountKey = id ? `${id.kind}:${id.value}` : `raw:${input.login.toLowerCase()}`
  const ipKey = `signin:ip:${ip}`
  const acctKey = `signin:acct:${accountKey}`
  try {
    await assertUnderLimit(db, [ipKey, acctKey], SIGN_IN_LIMIT)
  } catch (error) {
    await recordAudit(db, { action: 'auth.rate_limited', objectType: 'login', objectId: accountKey, ip })
    throw error
  }
  const user = id
    ? await db.selectFrom('users').select(['id', 'password_hash']).where(id.kind, '=', id.value).executeTakeFirst()
    : undefined
  const ok = user ? await verifyPassword(input.password, user.password_hash) : await verifyAgainstDummy(input.password)
  if (!user || !ok) {
    // Failures count per address and per account; successes only per account.
    await recordAttempt(db, [ipKey, acctKey], SIGN_IN_LIMIT)
    await recordAudit(db, {
      action: 'auth.sign_in_failed',
      actorUserId: user?.id ?? null,
      objectType: 'login',
      objectId: accountKey,
      ip,
    })
    throw BAD_CREDENTIALS
  }
  await recordAttempt(db, [acctKey], SIGN_IN_LIMIT)
  const org = await defaultOrgFor(db, user.id)
  await recordAudit(db, {
    action: 'auth.signed_in',
    actorUserId: user.id,
    actorOrgId: org?.id ?? null,
    objectType: 'user',
    objectId: user.id,
    regionCode: org?.region ?? null,
    ip,
  })
  return { userId: user.id, org }
}

async function defaultOrgFor(db: Database, userId: number): Promise<{ id: number; region: string } | null> {
  const row = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['o.id', 'o.region_code'])
    .where('m.user_id', '=', userId)
    .orderBy('m.created_at')
    .executeTakeFirst()
  return row ? { id: row.id, region: row.region_code } : null
}
