import crypto from 'node:crypto'
import type { Database } from '../../db/connection.js'
import { hashPassword } from '../../app/domain/accounts/password.server.js'
import { createSession } from '../../app/domain/accounts/sessions.server.js'
import { hashInviteSecret, newInviteCode, newInviteToken } from '../../app/domain/orgs/invitations.server.js'
import { generateUscc } from '../../app/domain/orgs/uscc.js'
import type { MemberRole, MembershipStatus } from '../../db/enums.js'
import { sessionCookiePair } from '../../app/domain/accounts/session-cookie.server.js'

export const TEST_PASSWORD = 'Test-password-2026'

let passwordHash: Promise<string> | undefined
/** One scrypt hash shared by every test user: hashing is deliberately slow. */
function testPasswordHash() {
  passwordHash ??= hashPassword(TEST_PASSWORD)
  return passwordHash
}

let phoneSeq = 0
export function uniquePhone(): string {
  phoneSeq += 1
  return `137${String(process.pid % 10000).padStart(4, '0')}${String(phoneSeq).padStart(4, '0')}`
}

export function randomUscc(regionCode = '321023'): string {
  return generateUscc(() => crypto.randomInt(0, 1_000_000) / 1_000_000, /^\d{6}$/.test(regionCode) ? regionCode : '321000')
}

/** A user; their phone or e-mail counts as verified unless `verified: false`. */
export async function insertUser(
  db: Database,
  overrides: { name?: string; phone?: string; email?: string; verified?: boolean } = {},
) {
  const phone = overrides.email ? null : (overrides.phone ?? uniquePhone())
  const now = new Date().toISOString()
  const verifiedAt = overrides.verified === false ? null : now
  const row = await db
    .insertInto('users')
    .values({
      name: overrides.name ?? '测试用户',
      phone,
      email: overrides.email ?? null,
      password_hash: await testPasswordHash(),
      created_at: now,
      phone_verified_at: phone ? verifiedAt : null,
      email_verified_at: overrides.email ? verifiedAt : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, login: overrides.email ?? phone! }
}

export interface OrgOverrides {
  kind?: 'enterprise' | 'provider' | 'agency'
  name?: string
  region?: string
  status?: 'pending' | 'verified' | 'rejected'
  agencyLevel?: 'province' | 'city' | 'county'
  industry?: string
}

export async function insertOrg(db: Database, o: OrgOverrides = {}) {
  const kind = o.kind ?? 'enterprise'
  const region = o.region ?? '321023'
  const now = new Date().toISOString()
  const row = await db
    .insertInto('organisations')
    .values({
      kind,
      name:
        o.name ?? `测试${kind === 'enterprise' ? '企业' : kind === 'provider' ? '服务商' : '主管部门'}${crypto.randomInt(1e6)}`,
      region_code: region,
      uscc: kind === 'agency' ? null : randomUscc(region),
      status: o.status ?? 'verified',
      rejection_reason: o.status === 'rejected' ? '材料不全' : null,
      industry_code: kind === 'enterprise' ? (o.industry ?? 'C34') : null,
      provider_kinds: kind === 'provider' ? '["integrator"]' : '[]',
      agency_level: kind === 'agency' ? (o.agencyLevel ?? 'city') : null,
      created_at: now,
      submitted_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function addMember(
  db: Database,
  userId: number,
  orgId: number,
  role: MemberRole = 'owner',
  status: MembershipStatus = 'active',
) {
  await db
    .insertInto('memberships')
    .values({ user_id: userId, org_id: orgId, role, status, created_at: new Date().toISOString() })
    .execute()
}

/** A live invitation to the organisation, with the link's token and the short code it stores hashes of. */
export async function insertInvite(db: Database, orgId: number, createdBy: number) {
  const token = newInviteToken()
  const code = newInviteCode()
  const row = await db
    .insertInto('invitations')
    .values({
      org_id: orgId,
      token_hash: hashInviteSecret(token),
      code_hash: hashInviteSecret(code),
      created_by: createdBy,
      created_at: new Date().toISOString(),
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, token, code }
}

/** A signed-in session for the user; returns the Cookie header value. */
export async function signIn(
  db: Database,
  userId: number,
  activeOrgId: number | null,
): Promise<{ cookie: string; token: string }> {
  const { token } = await createSession(db, { userId, activeOrgId, ip: '203.0.113.7', userAgent: 'vitest' })
  return { cookie: await sessionCookiePair(token), token }
}

export interface NeedOverrides {
  title?: string
  description?: string
  status?: 'draft' | 'published' | 'shortlisting' | 'awarded' | 'contracted' | 'closed' | 'withdrawn' | 'expired'
  region?: string
  industry?: string
  visibility?: 'public' | 'verified_providers'
  scenarios?: string[]
}

export async function insertNeed(db: Database, orgId: number, o: NeedOverrides = {}) {
  const now = new Date().toISOString()
  const status = o.status ?? 'published'
  const row = await db
    .insertInto('needs')
    .values({
      org_id: orgId,
      title: o.title ?? '冲压车间设备联网与数据采集',
      description: o.description ?? '现有冲压设备数据无法自动采集，需建设设备联网平台。',
      industry_code: o.industry ?? 'C34',
      region_code: o.region ?? '321023',
      target_level: 'digital_workshop',
      budget_min_wan: 100,
      budget_max_wan: 300,
      expected_start: '2027-01-01',
      duration_months: 6,
      visibility: o.visibility ?? 'public',
      status,
      published_at: status === 'draft' ? null : now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const code of o.scenarios ?? ['S401']) {
    await db.insertInto('need_scenarios').values({ need_id: row.id, scenario_code: code }).execute()
  }
  return row.id
}
