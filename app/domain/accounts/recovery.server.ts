import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import { translator, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { reserve, type LimitedKey, type RateLimitRule } from '../../utils/rate-limit.server.js'
import { recordAudit, recordRepeatedAudit, type AuditEvent } from '../audit/audit-log.server.js'
import { enqueueMessage } from '../messaging/outbox.server.js'
import { defaultOrgFor } from './accounts.server.js'
import { auditActor, type Actor } from './actor.js'
import {
  CODE_TTL_MS,
  consumeCode,
  consumeLinkToken,
  issueCode,
  issueLinkToken,
  linkTokenIsLive,
  supersedeResets,
  type CodeChannel,
} from './codes.server.js'
import { contactsVerified, type AccountContacts } from './contacts.js'
import { hashPassword, verifyPassword } from './password.server.js'
import {
  parseLoginId,
  type ContactKind,
  type LoginId,
  type TChangePasswordInput,
  type TResetWithCodeInput,
  type TResetWithLinkInput,
  type TVerifyAction,
} from './schema.js'
import { serializeDeviceCookie, startSession } from './session-cookie.server.js'
import { accountGuardKey, clearSignInGuard, forgetDevices, rememberDevice } from './sign-in-guard.server.js'
import { revokeAllSessions, revokeOtherSessions } from './sessions.server.js'

/*
 * Account recovery and change: a reset by a one-time code sent to the account's phone
 * or e-mail (through the message outbox), a reset by a link an operator issues
 * (npm run admin:reset-link), a change of password that asks the current one, and the
 * verification of the account's contacts by code.
 */

const MINUTE = 60_000
export const RESET_REQUEST_PER_ADDRESS: RateLimitRule = { limit: 10, windowMs: 15 * MINUTE }
export const RESET_REQUEST_PER_ACCOUNT: RateLimitRule = { limit: 3, windowMs: 15 * MINUTE }
/** With 5 guesses a code, at most 50 guesses a day at one account's 10^6 codes. */
export const RESET_REQUEST_PER_ACCOUNT_DAY: RateLimitRule = { limit: 10, windowMs: 24 * 60 * MINUTE }
export const RESET_ATTEMPT_PER_ADDRESS: RateLimitRule = { limit: 20, windowMs: 15 * MINUTE }
export const PASSWORD_CHANGE_PER_ACCOUNT: RateLimitRule = { limit: 5, windowMs: 15 * MINUTE }
export const VERIFY_SEND_PER_ACCOUNT: RateLimitRule = { limit: 5, windowMs: 60 * MINUTE }
export const VERIFY_CONFIRM_PER_ACCOUNT: RateLimitRule = { limit: 10, windowMs: 15 * MINUTE }

/** Reserves the attempt; a refusal is counted in the audit log (per key and window) and thrown. */
async function limit(db: Database, keys: LimitedKey[], event: Omit<AuditEvent, 'action'>): Promise<void> {
  try {
    await reserve(db, keys)
  } catch (error) {
    await recordRepeatedAudit(db, keys.map((k) => k.key).join('|'), { ...event, action: 'auth.rate_limited' })
    throw error
  }
}

function channelOf(id: LoginId | { kind: ContactKind }): CodeChannel {
  return id.kind === 'phone' ? 'sms' : 'email'
}

function codeMessage(locale: Locale, purpose: 'reset' | 'verify', code: string) {
  const t = translator(locale)
  return {
    subject: t('accounts.message.codeSubject'),
    body: t(purpose === 'reset' ? 'accounts.message.resetCode' : 'accounts.message.verifyCode', {
      code,
      minutes: CODE_TTL_MS / MINUTE,
    }),
  }
}

async function findUserByLogin(db: Database, id: LoginId) {
  return db.selectFrom('users').select(['id', 'phone', 'email', 'password_hash']).where(id.kind, '=', id.value).executeTakeFirst()
}

/**
 * Sends a reset code to the account's phone or e-mail (the one given). The answer is
 * the same whether or not the account exists, and past the per-account limit the
 * request is quietly dropped (and counted), so the form tells nobody anything.
 */
export async function requestPasswordReset(
  db: Database,
  input: { login: LoginId },
  context: { ip: string; locale: Locale },
): Promise<void> {
  const { ip } = context
  await limit(db, [{ key: `reset:ip:${ip}`, rule: RESET_REQUEST_PER_ADDRESS }], { objectType: 'reset', ip })
  const user = await findUserByLogin(db, input.login)
  if (!user) return
  try {
    await reserve(db, [
      { key: `reset:user:${user.id}`, rule: RESET_REQUEST_PER_ACCOUNT },
      { key: `reset:user-day:${user.id}`, rule: RESET_REQUEST_PER_ACCOUNT_DAY },
    ])
  } catch {
    await recordRepeatedAudit(db, `reset:user:${user.id}`, {
      action: 'auth.rate_limited',
      objectType: 'user',
      objectId: user.id,
      ip,
      detail: { limit: 'reset' },
    })
    return
  }
  await withTransaction(db, async (trx, afterCommit) => {
    const channel = channelOf(input.login)
    const { code, expiresAt } = await issueCode(trx, {
      userId: user.id,
      purpose: 'reset',
      channel,
      destination: input.login.value,
    })
    await enqueueMessage(db, trx, afterCommit, {
      channel,
      destination: input.login.value,
      expiresAt,
      ...codeMessage(context.locale, 'reset', code),
    })
    await recordAudit(trx, { action: 'auth.reset_requested', objectType: 'user', objectId: user.id, ip, detail: { channel } })
  })
}

export interface SignedInCookies {
  /** The fresh session's cookie. */
  setCookie: string
  deviceCookie: string
}

/**
 * The password is replaced, every session of the account ends, its devices and
 * sign-in guard are forgotten (a lockout no longer applies), no other reset code or
 * link works, and the person is signed in afresh here.
 */
async function completeReset(
  db: Database,
  request: Request,
  input: {
    userId: number
    passwordHash: string
    ip: string
    via: 'code' | 'link'
    proved?: { channel: CodeChannel; destination: string }
  },
): Promise<SignedInCookies> {
  const { userId, ip } = input
  const org = await defaultOrgFor(db, userId)
  return withTransaction(db, async (trx) => {
    const now = new Date().toISOString()
    await trx.updateTable('users').set({ password_hash: input.passwordHash }).where('id', '=', userId).execute()
    // The code reached the contact: it is verified (if it is still the account's).
    if (input.proved) {
      const column = input.proved.channel === 'sms' ? 'phone' : 'email'
      await trx
        .updateTable('users')
        .set(column === 'phone' ? { phone_verified_at: now } : { email_verified_at: now })
        .where('id', '=', userId)
        .where(column, '=', input.proved.destination)
        .execute()
    }
    const ended = await revokeAllSessions(trx, userId)
    await forgetDevices(trx, userId)
    await supersedeResets(trx, userId)
    await recordAudit(trx, {
      action: 'auth.password_reset',
      actorUserId: userId,
      actorOrgId: org?.id ?? null,
      regionCode: org?.region ?? null,
      objectType: 'user',
      objectId: userId,
      ip,
      detail: { via: input.via, endedSessions: ended },
    })
    const setCookie = await startSession(trx, request, { userId, activeOrgId: org?.id ?? null, ip })
    const device = await rememberDevice(trx, userId, null)
    return { setCookie, deviceCookie: await serializeDeviceCookie(device.token) }
  })
}

const CODE_INVALID = () =>
  new AppError('VALIDATION', 'accounts.reset.codeInvalid', { fieldErrors: { code: 'accounts.reset.codeInvalid' } })

/** Resets the password with the code sent to the account; signs the person in. */
export async function resetPasswordWithCode(
  db: Database,
  request: Request,
  input: TResetWithCodeInput,
  ip: string,
): Promise<SignedInCookies> {
  await limit(db, [{ key: `resetcode:ip:${ip}`, rule: RESET_ATTEMPT_PER_ADDRESS }], { objectType: 'reset', ip })
  const user = await findUserByLogin(db, input.login)
  if (!user) throw CODE_INVALID()
  const proved = await consumeCode(db, { userId: user.id, purpose: 'reset', code: input.code })
  if (!proved) {
    await recordRepeatedAudit(db, `reset:user:${user.id}`, {
      action: 'auth.code_failed',
      objectType: 'user',
      objectId: user.id,
      ip,
      detail: { purpose: 'reset' },
    })
    throw CODE_INVALID()
  }
  const passwordHash = await hashPassword(input.password)
  return completeReset(db, request, { userId: user.id, passwordHash, ip, via: 'code', proved })
}

/** Whether the operator's link is still good (the reset page's first look). */
export async function checkResetLink(db: Database, token: string | undefined): Promise<{ live: boolean }> {
  return { live: token ? await linkTokenIsLive(db, token) : false }
}

/** Resets the password with the operator's one-time link; signs the person in. */
export async function resetPasswordWithLink(
  db: Database,
  request: Request,
  input: TResetWithLinkInput,
  ip: string,
): Promise<SignedInCookies> {
  await limit(db, [{ key: `resetlink:ip:${ip}`, rule: RESET_ATTEMPT_PER_ADDRESS }], { objectType: 'reset', ip })
  // Hashed before the link is used up: a crash in between leaves the link usable.
  const passwordHash = await hashPassword(input.password)
  const userId = await consumeLinkToken(db, input.token)
  if (!userId) throw new AppError('INVALID_STATE', 'accounts.reset.linkInvalid')
  return completeReset(db, request, { userId, passwordHash, ip, via: 'link' })
}

/**
 * For an operator (npm run admin:reset-link): a one-time link that lets the account
 * choose a new password, valid 24 hours, replacing earlier codes and links.
 */
export async function issueResetLink(
  db: Database,
  login: string,
  baseUrl: string,
): Promise<{ url: string; expiresAt: Date; userId: number }> {
  const id = parseLoginId(login)
  const user = id ? await findUserByLogin(db, id) : undefined
  if (!id || !user) throw new AppError('NOT_FOUND', 'accounts.resetLink.noAccount')
  return withTransaction(db, async (trx) => {
    const { token, expiresAt } = await issueLinkToken(trx, { userId: user.id, destination: id.value })
    await recordAudit(trx, {
      action: 'auth.reset_link_issued',
      objectType: 'user',
      objectId: user.id,
      detail: { by: 'admin-cli' },
    })
    const url = new URL('/reset', baseUrl)
    url.searchParams.set('token', token)
    return { url: url.toString(), expiresAt, userId: user.id }
  })
}

/**
 * Changes the password: the current one is asked (and attempts limited per account),
 * every other session of the account ends, this one stays. Returns how many ended.
 */
export async function changePassword(
  db: Database,
  actor: Actor,
  session: { idHash: string },
  input: TChangePasswordInput,
): Promise<{ endedSessions: number }> {
  const key = `pwchange:user:${actor.userId}`
  await limit(db, [{ key, rule: PASSWORD_CHANGE_PER_ACCOUNT }], {
    ...auditActor(actor),
    objectType: 'user',
    objectId: actor.userId,
  })
  const user = await db.selectFrom('users').select('password_hash').where('id', '=', actor.userId).executeTakeFirstOrThrow()
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    await recordRepeatedAudit(db, key, {
      action: 'auth.password_change_failed',
      ...auditActor(actor),
      objectType: 'user',
      objectId: actor.userId,
    })
    throw new AppError('VALIDATION', 'accounts.password.currentWrong', {
      fieldErrors: { currentPassword: 'accounts.password.currentWrong' },
    })
  }
  const passwordHash = await hashPassword(input.password)
  return withTransaction(db, async (trx) => {
    const changed = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', actor.userId)
      .where('password_hash', '=', user.password_hash)
      .executeTakeFirst()
    // Changed meanwhile (another tab, a reset): this request's view of it is stale.
    if (changed.numUpdatedRows !== 1n) throw new AppError('CONFLICT', 'accounts.password.changedMeanwhile')
    const endedSessions = await revokeOtherSessions(trx, actor.userId, session.idHash)
    await clearSignInGuard(trx, [accountGuardKey(actor.userId)])
    await recordAudit(trx, {
      action: 'auth.password_changed',
      ...auditActor(actor),
      objectType: 'user',
      objectId: actor.userId,
      detail: { endedSessions },
    })
    return { endedSessions }
  })
}

export interface ContactStatus {
  kind: ContactKind
  value: string
  verified: boolean
}

export interface VerificationOverview {
  contacts: ContactStatus[]
  /** Every contact verified: what approval rights need. */
  allVerified: boolean
}

async function contactsOf(db: Database, userId: number): Promise<AccountContacts> {
  return db
    .selectFrom('users')
    .select(['phone', 'email', 'phone_verified_at as phoneVerifiedAt', 'email_verified_at as emailVerifiedAt'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
}

/** The account's contacts and whether each is verified. */
export async function getVerificationOverview(db: Database, actor: Actor): Promise<VerificationOverview> {
  const c = await contactsOf(db, actor.userId)
  const contacts: ContactStatus[] = []
  if (c.phone) contacts.push({ kind: 'phone', value: c.phone, verified: Boolean(c.phoneVerifiedAt) })
  if (c.email) contacts.push({ kind: 'email', value: c.email, verified: Boolean(c.emailVerifiedAt) })
  return { contacts, allVerified: contactsVerified(c) }
}

function contactValue(c: AccountContacts, kind: ContactKind): { value: string; verified: boolean } | null {
  const value = kind === 'phone' ? c.phone : c.email
  if (!value) return null
  return { value, verified: Boolean(kind === 'phone' ? c.phoneVerifiedAt : c.emailVerifiedAt) }
}

/** Sends a code to one of the account's own contacts (not yet verified). */
export async function sendVerificationCode(
  db: Database,
  actor: Actor,
  input: Extract<TVerifyAction, { intent: 'send' }>,
  locale: Locale,
): Promise<void> {
  const contact = contactValue(await contactsOf(db, actor.userId), input.contact)
  if (!contact) throw new AppError('VALIDATION', 'accounts.verify.noContact')
  if (contact.verified) throw new AppError('INVALID_STATE', 'accounts.verify.already')
  await limit(db, [{ key: `verify:user:${actor.userId}`, rule: VERIFY_SEND_PER_ACCOUNT }], {
    ...auditActor(actor),
    objectType: 'user',
    objectId: actor.userId,
  })
  await withTransaction(db, async (trx, afterCommit) => {
    const channel = channelOf({ kind: input.contact })
    const { code, expiresAt } = await issueCode(trx, {
      userId: actor.userId,
      purpose: 'verify',
      channel,
      destination: contact.value,
    })
    await enqueueMessage(db, trx, afterCommit, {
      channel,
      destination: contact.value,
      expiresAt,
      ...codeMessage(locale, 'verify', code),
    })
  })
}

/** Confirms a contact with the code sent to it. */
export async function confirmContact(
  db: Database,
  actor: Actor,
  input: Extract<TVerifyAction, { intent: 'confirm' }>,
): Promise<void> {
  const key = `verifycode:user:${actor.userId}`
  await limit(db, [{ key, rule: VERIFY_CONFIRM_PER_ACCOUNT }], {
    ...auditActor(actor),
    objectType: 'user',
    objectId: actor.userId,
  })
  const contact = contactValue(await contactsOf(db, actor.userId), input.contact)
  if (!contact) throw new AppError('VALIDATION', 'accounts.verify.noContact')
  const proved = await consumeCode(db, { userId: actor.userId, purpose: 'verify', code: input.code })
  // The code must have gone to this contact, as it is now.
  if (!proved || proved.destination !== contact.value || proved.channel !== channelOf({ kind: input.contact })) {
    await recordRepeatedAudit(db, key, {
      action: 'auth.code_failed',
      ...auditActor(actor),
      objectType: 'user',
      objectId: actor.userId,
      detail: { purpose: 'verify' },
    })
    throw new AppError('VALIDATION', 'accounts.reset.codeInvalid', { fieldErrors: { code: 'accounts.reset.codeInvalid' } })
  }
  await withTransaction(db, async (trx) => {
    const now = new Date().toISOString()
    await trx
      .updateTable('users')
      .set(input.contact === 'phone' ? { phone_verified_at: now } : { email_verified_at: now })
      .where('id', '=', actor.userId)
      .where(input.contact, '=', contact.value)
      .execute()
    await recordAudit(trx, {
      action: 'auth.contact_verified',
      ...auditActor(actor),
      objectType: 'user',
      objectId: actor.userId,
      detail: { contact: input.contact },
    })
  })
}
