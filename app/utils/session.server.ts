import { createCookie, redirect, type AppLoadContext } from '@remix-run/node'
import type { Database } from '../../db/connection.js'
import {
  createSession,
  deleteSessionByToken,
  findSession,
  SESSION_ABSOLUTE_MS,
  type SessionInfo,
} from '../domain/accounts/sessions.server.js'
import { getEnv } from './env.server.js'

function secureCookies(): boolean {
  const env = getEnv()
  return env.NODE_ENV === 'production' && env.INSECURE_COOKIES !== '1'
}

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

export function clientIp(context: AppLoadContext | undefined): string {
  return context?.clientIp ?? ''
}

export interface CurrentSession extends SessionInfo {
  token: string
}

export async function getCurrentSession(db: Database, request: Request): Promise<CurrentSession | null> {
  const token = await readSessionToken(request)
  if (!token) return null
  const session = await findSession(db, token)
  return session ? { ...session, token } : null
}

/**
 * Signs a user in: any session the request already carries is ended and a new id is
 * issued, so an id planted before sign-in is worthless after it (no fixation).
 */
export async function startSession(
  db: Database,
  request: Request,
  context: AppLoadContext | undefined,
  userId: number,
  activeOrgId: number | null,
): Promise<string> {
  const previous = await readSessionToken(request)
  if (previous) await deleteSessionByToken(db, previous)
  const { token } = await createSession(db, {
    userId,
    activeOrgId,
    ip: clientIp(context),
    userAgent: request.headers.get('User-Agent') ?? '',
  })
  return sessionCookie().serialize(token)
}

export async function endSession(db: Database, request: Request): Promise<string> {
  const token = await readSessionToken(request)
  if (token) await deleteSessionByToken(db, token)
  return sessionCookie().serialize('', { maxAge: 0, expires: new Date(0) })
}

export function redirectToLogin(request: Request): Response {
  const url = new URL(request.url)
  const to = url.pathname + url.search
  return redirect(`/login?redirectTo=${encodeURIComponent(to)}`)
}
