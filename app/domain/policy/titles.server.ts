import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import type { HeldTitle } from './gradient.js'

/**
 * An enterprise's titles as the evaluators read them: with the reward recorded (万元) and,
 * for a downgraded or revoked title, the day the agency's review took effect (else null).
 */
export async function titlesForPolicy(db: Kysely<DB>, orgId: number): Promise<HeldTitle[]> {
  const rows = await db
    .selectFrom('enterprise_titles as t')
    .select(['t.id', 't.title', 't.awarded_on', 't.expires_on', 't.status', 't.reward_wan_x100'])
    .select((eb) =>
      eb
        .selectFrom('title_reviews as r')
        .select('r.decided_on')
        .whereRef('r.title_id', '=', 't.id')
        .where('r.outcome', '<>', 'passed')
        .orderBy('r.id', 'desc')
        .limit(1)
        .as('ended_on'),
    )
    .where('t.org_id', '=', orgId)
    .orderBy('t.awarded_on')
    .orderBy('t.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    awardedOn: r.awarded_on,
    expiresOn: r.expires_on,
    status: r.status,
    endedOn: r.ended_on ?? null,
    rewardWan: r.reward_wan_x100 === null ? null : r.reward_wan_x100 / 100,
  }))
}
