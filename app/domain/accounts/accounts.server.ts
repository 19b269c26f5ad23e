import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { hitRateLimit, reserve, SIGN_IN_LIMIT, SIGN_UP_LIMIT } from '../../utils/rate-limit.server.js'
import { recordAudit, recordRepeatedAudit } from '../audit/audit-log.server.js'
import { auditActor, type Actor } from './actor.js'
import { hashPassword, rehashIfWeak, verifyAgainstDummy, verifyPassword } from './password.server.js'
import { parseLoginId, type LoginId, type TLoginInput, type TRegisterInput, type TSwitchOrgInput } from './schema.js'
import { keyedDigest } from './secrets.server.js'
import { endSession, readDeviceToken, serializeDeviceCookie, startSession } from './session-cookie.server.js'
import { clearSignInGuard, guardKeyFor, rememberDevice, reserveSignInAttempt } from './sign-in-guard.server.js'
import { listUserSessions, setActiveOrg, type SessionListItem } from './sessions.server.js'
import type { CurrentSession, Viewer } from './viewer.server.js'

/** A phone number or e-mail someone else registered first: a form error on the login field. */
function loginTaken(kind: LoginId['kind']): AppError {
  return new AppError('CONFLICT', 'errors.validationOne', {
    fieldErrors: { login: kind === 'phone' ? 'accounts.signUp.phoneTaken' : 'accounts.signUp.emailTaken' },
  })
}

/**
 * Registers a person and signs them in (a fresh session, replacing any the request
 * carried). The UNIQUE constraint on users.phone / users.email decides who registered
 * first, so two simultaneous sign-ups with one number give one account and one
 * CONFLICT on `login`, never a 500. Returns the Set-Cookie value.
 */
export async function signUp(
  db: Database,
  request: Request,
  input: TRegisterInput,
  ip: string,
): Promise<{ userId: number; setCookie: string }> {
  // Reserved before hashing, in one statement: a burst of sign-ups gets no further than the limit.
  await hitRateLimit(db, [`signup:ip:${ip}`], SIGN_UP_LIMIT).catch(async (error: unknown) => {
    await recordRepeatedAudit(db, `signup:ip:${ip}`, {
      action: 'auth.rate_limited',
      objectType: 'signup',
      ip,
      detail: { limit: 'address' },
    })
    throw error
  })
  // Deliberately slow, so outside the transaction: SQLite has one writer.
  const passwordHash = await hashPassword(input.password)
  const { kind, value } = input.login
  try {
    return await withTransaction(db, async (trx) => {
      const user = await trx
        .insertInto('users')
        .values({
          name: input.name,
          phone: kind === 'phone' ? value : null,
          email: kind === 'email' ? value : null,
          password_hash: passwordHash,
          created_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const who = { actorUserId: user.id, objectType: 'user', objectId: user.id, ip }
      await recordAudit(trx, { action: 'auth.registered', ...who })
      // Registering signs the person in.
      await recordAudit(trx, { action: 'auth.signed_in', ...who })
      const setCookie = await startSession(trx, request, { userId: user.id, activeOrgId: null, ip })
      return { userId: user.id, setCookie }
    })
  } catch (error) {
    const violation = uniqueViolation(error)
    if (violation?.table === 'users' && violation.columns.includes(kind)) throw loginTaken(kind)
    throw error
  }
}

/** The error every failed sign-in gets: it never says whether the account exists. */
const BAD_CREDENTIALS = () => new AppError('VALIDATION', 'accounts.signIn.badCredentials')

/**
 * How the audit log names a login: a recognised one by its user id, anything else by
 * a keyed digest, so a password typed into the login field never lands in the log.
 */
async function loginSubject(
  db: Database,
  raw: string,
  id: LoginId | null,
  user: { id: number } | undefined,
): Promise<{ objectType: string; objectId: string | number }> {
  if (user) return { objectType: 'user', objectId: user.id }
  const normalised = id ? `${id.kind}:${id.value}` : raw.trim().toLowerCase()
  return { objectType: 'login', objectId: (await keyedDigest(db, 'login', normalised)).slice(0, 32) }
}

export interface SignInResult {
  userId: number
  org: { id: number; region: string } | null
  /** The session cookie. */
  setCookie: string
  /** The device cookie (this browser signed in to the account). */
  deviceCookie: string
}

/**
 * Checks the credentials and signs the person in, acting for the first organisation
 * they joined. Throttled per address first (failures only: a success gives its
 * attempt back, so an office behind one address is not locked out by its
 * colleagues), then per account with back-off (sign-in-guard.server.ts). Both are
 * reserved atomically before the password is hashed, so a burst gets no further than
 * the limits. Refusals and failures are counted per key in the audit log
 * (recordRepeatedAudit), never one row each.
 */
export async function signIn(db: Database, request: Request, input: TLoginInput, ip: string): Promise<SignInResult> {
  const id = parseLoginId(input.login)
  const user = id
    ? await db.selectFrom('users').select(['id', 'password_hash']).where(id.kind, '=', id.value).executeTakeFirst()
    : undefined
  const subject = await loginSubject(db, input.login, id, user)
  const refused = async (key: string, limit: 'address' | 'account', error: unknown) => {
    await recordRepeatedAudit(db, key, { action: 'auth.rate_limited', ...subject, ip, detail: { limit } })
    return error
  }

  const ipKey = `signin:ip:${ip}`
  const perAddress = await reserve(db, [{ key: ipKey, rule: SIGN_IN_LIMIT }]).catch(async (error: unknown) => {
    throw await refused(ipKey, 'address', error)
  })
  const deviceToken = await readDeviceToken(request)
  const guardKey = user ? await guardKeyFor(db, user.id, deviceToken) : `login:${subject.objectId}`
  await reserveSignInAttempt(db, guardKey).catch(async (error: unknown) => {
    throw await refused(guardKey, 'account', error)
  })

  const ok = user ? await verifyPassword(input.password, user.password_hash) : await verifyAgainstDummy(input.password)
  if (!user || !ok) {
    await recordRepeatedAudit(db, `${guardKey}|${ip}`, { action: 'auth.sign_in_failed', ...subject, ip })
    throw BAD_CREDENTIALS()
  }
  await perAddress.release(db)
  await clearSignInGuard(db, [guardKey])
  await rehashIfWeak(db, user.id, user.password_hash, input.password)
  const org = await defaultOrgFor(db, user.id)
  return withTransaction(db, async (trx) => {
    await recordAudit(trx, {
      action: 'auth.signed_in',
      actorUserId: user.id,
      actorOrgId: org?.id ?? null,
      objectType: 'user',
      objectId: user.id,
      regionCode: org?.region ?? null,
      ip,
    })
    const setCookie = await startSession(trx, request, { userId: user.id, activeOrgId: org?.id ?? null, ip })
    const device = await rememberDevice(trx, user.id, deviceToken)
    return { userId: user.id, org, setCookie, deviceCookie: await serializeDeviceCookie(device.token) }
  })
}

/** The account that signs in with this phone or e-mail, if any (operators' tools). */
export async function findAccountId(db: Database, login: string): Promise<number | null> {
  const id = parseLoginId(login)
  if (!id) return null
  const row = await db.selectFrom('users').select('id').where(id.kind, '=', id.value).executeTakeFirst()
  return row?.id ?? null
}

/** The organisation a fresh session acts for: the first the person joined. */
export async function defaultOrgFor(db: Database, userId: number): Promise<{ id: number; region: string } | null> {
  const row = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['o.id', 'o.region_code'])
    .where('m.user_id', '=', userId)
    .orderBy('m.created_at')
    .executeTakeFirst()
  return row ? { id: row.id, region: row.region_code } : null
}

/**
 * Signs out: the request's session ends (whoever's it was) and, when someone was
 * signed in, the audit log says so. Returns the Set-Cookie value that clears the cookie.
 */
export async function signOut(db: Database, request: Request, actor: Actor | null): Promise<string> {
  return withTransaction(db, async (trx) => {
    if (actor)
      await recordAudit(trx, { action: 'auth.signed_out', ...auditActor(actor), objectType: 'user', objectId: actor.userId })
    return endSession(trx, request)
  })
}

/**
 * The session acts for another of the person's organisations from now on. Membership
 * is checked on the organisation asked for, in the database, not from what the page showed.
 */
export async function switchActiveOrg(
  db: Database,
  actor: Actor,
  session: Pick<CurrentSession, 'idHash'>,
  input: TSwitchOrgInput,
): Promise<void> {
  const membership = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['o.id', 'o.region_code'])
    .where('m.user_id', '=', actor.userId)
    .where('m.org_id', '=', input.orgId)
    .executeTakeFirst()
  if (!membership) throw new AppError('FORBIDDEN', 'accounts.switch.notMember')
  await withTransaction(db, async (trx) => {
    await setActiveOrg(trx, session.idHash, membership.id)
    await recordAudit(trx, {
      action: 'org.switched',
      // Filed under the organisation switched to: the person now acts for it.
      ...auditActor(actor),
      actorOrgId: membership.id,
      regionCode: membership.region_code,
      objectType: 'organisation',
      objectId: membership.id,
    })
  })
}

export interface AccountOverview {
  user: Viewer['user']
  memberships: Viewer['memberships']
  sessions: SessionListItem[]
}

/** The account page: who the person is, their organisations and their live sessions. */
export async function getAccountOverview(db: Database, viewer: Viewer): Promise<AccountOverview> {
  const sessions = await listUserSessions(db, viewer.user.id, viewer.session.idHash)
  return { user: viewer.user, memberships: viewer.memberships, sessions }
}
