import type { Database } from '../../../db/connection.js'
import type { MessageKey } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import type { ReferenceData } from '../reference/reference.server.js'
import { isVisibleNeed } from './visibility.js'

/**
 * The reasons a need published to verified providers only is refused, by who asks
 * (the keys the need page's error boundary knows, app/routes/needs.$id.tsx):
 * - a visitor: sign in (as a verified provider);
 * - someone in no organisation: create or join one;
 * - an agency member not yet confirmed by its owner: wait for the confirmation;
 * - a provider not verified (yet, or no longer): its audit comes first;
 * - anyone else (an enterprise): the need is for verified providers only.
 */
type RestrictedNeedReason = Extract<
  MessageKey,
  | 'need.e.restricted.signIn'
  | 'need.e.restricted.noOrg'
  | 'need.e.restricted.membershipPending'
  | 'need.e.restricted.providerUnverified'
  | 'need.e.restricted.providersOnly'
>

function reasonFor(actor: Actor | null): RestrictedNeedReason {
  if (!actor) return 'need.e.restricted.signIn'
  const org = actor.org
  if (!org) return 'need.e.restricted.noOrg'
  if (org.membership !== 'active') return 'need.e.restricted.membershipPending'
  if (org.kind === 'provider') return 'need.e.restricted.providerUnverified'
  return 'need.e.restricted.providersOnly'
}

/**
 * When the actor may not open need `id`: is it one they would see as a verified
 * provider (published, not withdrawn or expired, of a verified organisation, for
 * verified providers only)? Then the refusal says so (403 with the reason for this
 * actor) and nothing else: not its title, not its organisation. Null when there is no
 * such need (a draft, a withdrawn or expired need, one of an organisation not verified,
 * an unknown id: the caller's 404 stands) or when the actor may read restricted needs
 * anyway (then it was not found for another reason).
 */
export async function restrictedNeedRefusal(
  db: Database,
  ref: ReferenceData,
  actor: Actor | null,
  id: number,
): Promise<AppError | null> {
  if (can(actor, ref, 'read:need-restricted:role')) return null
  const row = await db
    .selectFrom('needs as n')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select('n.id')
    .where('n.id', '=', id)
    .where(isVisibleNeed(['verified_providers']))
    .executeTakeFirst()
  if (!row) return null
  return new AppError('FORBIDDEN', reasonFor(actor), { detail: { permission: 'read:need-restricted:role' } })
}
