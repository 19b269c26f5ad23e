import { redirect } from '@remix-run/node'
import type { Database } from '../../../db/connection.js'
import { actorFor, type ActingOrg, type Actor } from './actor.js'
import { contactsVerified, type AccountContacts } from './contacts.js'
import { readSessionToken } from './session-cookie.server.js'
import { findSession, type SessionInfo } from './sessions.server.js'

export interface CurrentSession extends SessionInfo {
  token: string
}

/** Who is looking: the person, their session, their organisations and the one they act for now. */
export interface Viewer {
  user: { id: number; name: string; phone: string | null; email: string | null } & Pick<
    AccountContacts,
    'phoneVerifiedAt' | 'emailVerifiedAt'
  >
  session: CurrentSession
  memberships: ActingOrg[]
  /** The organisation the user acts for now; null when they belong to none. */
  activeOrg: ActingOrg | null
}

export async function getCurrentSession(db: Database, request: Request): Promise<CurrentSession | null> {
  const token = await readSessionToken(request)
  if (!token) return null
  const session = await findSession(db, token)
  return session ? { ...session, token } : null
}

export async function getViewer(db: Database, request: Request): Promise<Viewer | null> {
  const session = await getCurrentSession(db, request)
  if (!session) return null
  const user = await db
    .selectFrom('users')
    .select(['id', 'name', 'phone', 'email', 'phone_verified_at as phoneVerifiedAt', 'email_verified_at as emailVerifiedAt'])
    .where('id', '=', session.userId)
    .executeTakeFirst()
  if (!user) return null
  const memberships = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select([
      'o.id as orgId',
      'o.name as orgName',
      'o.kind',
      'o.status',
      'm.role',
      'm.status as membership',
      'o.region_code as regionCode',
      'o.agency_level as agencyLevel',
    ])
    .where('m.user_id', '=', user.id)
    .orderBy('m.created_at')
    .execute()
  const activeOrg = memberships.find((m) => m.orgId === session.activeOrgId) ?? memberships[0] ?? null
  return { user, session, memberships, activeOrg }
}

/** The viewer acting from `ip`: what use cases take. */
export function actorOf(viewer: Viewer, ip: string): Actor {
  return actorFor(viewer.user.id, viewer.activeOrg, ip, contactsVerified(viewer.user))
}

export function redirectToLogin(request: Request): Response {
  const url = new URL(request.url)
  const to = url.pathname + url.search
  return redirect(`/login?redirectTo=${encodeURIComponent(to)}`)
}

/** The signed-in viewer, or a redirect to the sign-in page that comes back here. */
export async function requireViewer(db: Database, request: Request): Promise<Viewer> {
  const viewer = await getViewer(db, request)
  if (!viewer) throw redirectToLogin(request)
  return viewer
}
