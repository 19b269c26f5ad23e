import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import type { Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'

/*
 * Who reads a bid (issue 14 §1): the bidder's members, the members of the enterprise
 * that owns the need, the agencies over the need's region. Nobody else — a rival bidder
 * included — learns that it exists. Shared by the bid pages (bids.server.ts) and the
 * read rule of its attachments (app/domain/files/access.server.ts), so it imports
 * nothing of the files context.
 */

export type BidReaderSide = 'bidder' | 'owner' | 'agency'

export function bidReaderSide(
  actor: Actor | null,
  ref: ReferenceData,
  bid: { provider_org_id: number },
  need: { org_id: number; region_code: string },
): BidReaderSide | null {
  if (can(actor, ref, 'manage:bid:own', { orgId: bid.provider_org_id })) return 'bidder'
  if (can(actor, ref, 'read:bids:own', { orgId: need.org_id })) return 'owner'
  if (can(actor, ref, 'read:bids:jurisdiction', { regionCode: need.region_code })) return 'agency'
  return null
}

/** The read rule of a bid's files (object type 'bid'). */
export async function mayReadBid(db: Kysely<DB>, actor: Actor | null, bidId: number): Promise<boolean> {
  if (!actor?.org) return false
  const row = await db
    .selectFrom('bids as b')
    .innerJoin('needs as n', 'n.id', 'b.need_id')
    .select(['b.provider_org_id', 'n.org_id', 'n.region_code'])
    .where('b.id', '=', bidId)
    .executeTakeFirst()
  if (!row) return false
  return bidReaderSide(actor, await getReferenceData(db), row, row) !== null
}
