import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { contactsVerified } from '../accounts/contacts.js'
import { checkPassword, hashPassword } from '../accounts/password.server.js'
import { parseLoginId } from '../accounts/schema.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import type { AgencyLevel } from './schema.js'

export interface CreateAgencyInput {
  name: string
  regionCode: string
  level: AgencyLevel
  owner: { name: string; login: string; password: string }
}

const LEVEL_OF_REGION: Record<string, AgencyLevel> = { province: 'province', city: 'city', county: 'county', zone: 'county' }

/**
 * Agencies cannot sign themselves up: an administrator creates each one, verified,
 * with its first owner. An existing account (same phone or e-mail) becomes the owner
 * and keeps its password, if its contacts are verified; a new one is created
 * unverified, and its owner verifies their phone or e-mail (/account/verify) before
 * they can review applications.
 */
export async function createAgency(
  db: Database,
  input: CreateAgencyInput,
): Promise<{ orgId: number; userId: number; newUser: boolean }> {
  const ref = await getReferenceData(db)
  const region = ref.regionsByCode.get(input.regionCode)
  if (!region) throw new AppError('VALIDATION', 'agencies.e.unknownRegion', { params: { code: input.regionCode } })
  const regionLevel = LEVEL_OF_REGION[region.level]
  if (regionLevel !== input.level) {
    throw new AppError('VALIDATION', `agencies.e.levelMismatch.${regionLevel ?? 'county'}`, { params: { name: region.name } })
  }
  const name = input.name.trim()
  if (name.length < 2 || name.length > 100) throw new AppError('VALIDATION', 'agencies.e.nameLength')
  const login = parseLoginId(input.owner.login)
  if (!login) throw new AppError('VALIDATION', 'agencies.e.login')
  const existing = await db
    .selectFrom('users')
    .select(['id', 'phone', 'email', 'phone_verified_at as phoneVerifiedAt', 'email_verified_at as emailVerifiedAt'])
    .where(login.kind, '=', login.value)
    .executeTakeFirst()
  // An account anyone could have registered with this number or address does not become
  // the owner until its holder proved they hold it (a code sent to it).
  if (existing && !contactsVerified(existing)) throw new AppError('CONFLICT', 'accounts.verify.ownerUnverified')
  let passwordHash: string | null = null
  if (!existing) {
    const problem = checkPassword(input.owner.password)
    if (problem)
      throw new AppError('VALIDATION', problem === 'common' ? 'agencies.e.passwordCommon' : 'agencies.e.passwordLength')
    passwordHash = await hashPassword(input.owner.password)
  }
  const now = new Date().toISOString()
  try {
    return await withTransaction(db, async (trx) => {
      const userId =
        existing?.id ??
        (
          await trx
            .insertInto('users')
            .values({
              name: input.owner.name.trim() || name,
              phone: login.kind === 'phone' ? login.value : null,
              email: login.kind === 'email' ? login.value : null,
              password_hash: passwordHash!,
              created_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      const org = await trx
        .insertInto('organisations')
        .values({
          kind: 'agency',
          name,
          region_code: region.code,
          agency_level: input.level,
          status: 'verified',
          created_at: now,
          submitted_at: now,
          reviewed_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx.insertInto('memberships').values({ user_id: userId, org_id: org.id, role: 'owner', created_at: now }).execute()
      await recordAudit(trx, {
        action: 'org.created',
        actorUserId: userId,
        actorOrgId: org.id,
        objectType: 'organisation',
        objectId: org.id,
        regionCode: region.code,
        detail: { kind: 'agency', by: 'admin-cli' },
      })
      return { orgId: org.id, userId, newUser: !existing }
    })
  } catch (error) {
    // The account was created meanwhile (another run, a sign-up): nothing was written.
    if (uniqueViolation(error)?.table === 'users') throw new AppError('CONFLICT', 'agencies.e.loginTaken')
    throw error
  }
}
