import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import type { Permission } from '../accounts/authorization.js'

/**
 * The organisation "my organisation" screens (/org, /org/edit) are about: the one the
 * actor acts for. The use case still loads it and authorizes against the loaded row.
 * A person who belongs to no organisation has nothing to act on: FORBIDDEN, recorded
 * with the permission that was asked for.
 */
export function actingOrgId(actor: Actor, permission: Permission): number {
  if (!actor.org) throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission } })
  return actor.org.orgId
}
