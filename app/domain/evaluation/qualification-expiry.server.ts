import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { notify } from '../notifications/notify.server.js'

/*
 * Expired qualifications flagged automatically (issue 15 §4): the `qualification-expiry`
 * job (app/web/jobs.server.ts, every 6 hours) finds the qualifications of verified
 * providers whose valid_until (a China date) has passed and that carry no flag for that
 * date yet, flags each once (qualification_expiry_flags_uq (qualification, valid_until):
 * a renewed qualification that expires again is flagged again; two instances racing
 * insert one flag — the loser's conflict is skipped, so nobody is told twice), tells the
 * provider's members and audits it. The agencies over the provider's seat see the flags
 * on /agency/sanctions. Bounded: batches of 200 in id order, each its own transaction.
 */

const BATCH = 200

export async function flagExpiredQualifications(db: Database, now: Date = new Date()): Promise<number> {
  const today = chinaDate(now)
  let flagged = 0
  let after = 0
  for (;;) {
    const batch = await db
      .selectFrom('provider_qualifications as q')
      .innerJoin('organisations as o', 'o.id', 'q.org_id')
      .select(['q.id', 'q.org_id', 'q.name', 'q.valid_until', 'o.name as org_name', 'o.region_code'])
      .where('q.valid_until', 'is not', null)
      .where('q.valid_until', '<', today)
      .where('o.kind', '=', 'provider')
      .where('o.status', '=', 'verified')
      .where('q.id', '>', after)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('qualification_expiry_flags as f')
              .select('f.id')
              .whereRef('f.qualification_id', '=', 'q.id')
              .whereRef('f.valid_until', '=', 'q.valid_until'),
          ),
        ),
      )
      .orderBy('q.id')
      .limit(BATCH)
      .execute()
    if (batch.length === 0) break
    after = batch[batch.length - 1]!.id
    await withTransaction(db, async (trx, afterCommit) => {
      for (const q of batch) {
        const raw = q.valid_until as unknown
        const until = (raw instanceof Date ? raw.toISOString() : String(raw)).slice(0, 10)
        const inserted = await trx
          .insertInto('qualification_expiry_flags')
          .values({ qualification_id: q.id, org_id: q.org_id, valid_until: until, flagged_at: now.toISOString() })
          .onConflict((oc) => oc.columns(['qualification_id', 'valid_until']).doNothing())
          .returning('id')
          .executeTakeFirst()
        if (!inserted) continue
        flagged += 1
        await notify(db, trx, afterCommit, {
          kind: 'qualification_expired',
          orgId: q.org_id,
          params: { provider: q.org_name, name: q.name, until },
          link: '/provider/qualifications',
        })
        await recordAudit(trx, {
          action: 'qualification.expired',
          objectType: 'provider_qualification',
          objectId: q.id,
          regionCode: q.region_code,
          detail: { org: q.org_id, until },
        })
      }
    })
    if (batch.length < BATCH) break
  }
  return flagged
}
