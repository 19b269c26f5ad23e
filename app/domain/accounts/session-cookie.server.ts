import { createCookie } from '@remix-run/node'
import type { Database } from '../../../db/connection.js'
import { secureCookies } from '../../utils/cookie-security.server.js'
import { createSession, deleteSessionByToken, SESSION_ABSOLUTE_MS } from './sessions.server.js'

// In production the __Host- prefix makes the browser insist on Secure, Path=/ and no
// Domain, so no subdomain can plant or read the session cookie.
let cookie: ReturnType<typeof createCookie> | undefined
function sessionCookie() {
  cookie ??= createCookie(secureCookies() ? '__Host-duijie_sid' : 'duijie_sid', {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(),
    path: '/',
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  })
  return cookie
}

/** `name=value` for a Cookie request header carrying this session token (tests, tools). */
export async function sessionCookiePair(token: string): Promise<string> {
  return (await sessionCookie().serialize(token)).split(';')[0]!
}

export async function readSessionToken(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie().parse(request.headers.get('Cookie'))
  return typeof value === 'string' ? value : null
}

export function serializeSessionCookie(token: string): Promise<string> {
  return sessionCookie().serialize(token)
}

export function clearedSessionCookie(): Promise<string> {
  return sessionCookie().serialize('', { maxAge: 0, expires: new Date(0) })
}

// The device cookie: a random token the account signed in with before from this
// browser (see sign-in-guard.server.ts). It grants nothing by itself.
const DEVICE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60
let device: ReturnType<typeof createCookie> | undefined
function deviceCookie() {
  device ??= createCookie(secureCookies() ? '__Host-duijie_device' : 'duijie_device', {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(),
    path: '/',
    maxAge: DEVICE_COOKIE_MAX_AGE_S,
  })
  return device
}

export async function readDeviceToken(request: Request): Promise<string | null> {
  const value: unknown = await deviceCookie().parse(request.headers.get('Cookie'))
  return typeof value === 'string' ? value : null
}

export function serializeDeviceCookie(token: string): Promise<string> {
  return deviceCookie().serialize(token)
}

/**
 * Signs a user in: the session the request carried (if any) is ended and a new one
 * issued, so an id planted before sign-in is worthless after it (no fixation).
 * Returns the Set-Cookie value.
 */
export async function startSession(
  db: Database,
  request: Request,
  input: { userId: number; activeOrgId: number | null; ip: string },
): Promise<string> {
  const previous = await readSessionToken(request)
  if (previous) await deleteSessionByToken(db, previous)
  const { token } = await createSession(db, { ...input, userAgent: request.headers.get('User-Agent') ?? '' })
  return serializeSessionCookie(token)
}

/** Signs out: the session row goes, and the cookie is cleared. Returns the Set-Cookie value. */
export async function endSession(db: Database, request: Request): Promise<string> {
  const token = await readSessionToken(request)
  if (token) await deleteSessionByToken(db, token)
  return clearedSessionCookie()
}
