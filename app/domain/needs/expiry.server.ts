import type { Kysely } from 'kysely'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { chinaDate, transitionNeed } from './lifecycle.server.js'

/*
 * Expiry (DOMAIN.md §5): a published need whose deadline (投标截止, a date in China)
 * has passed becomes expired, by the platform ('system' in the audit log), and leaves
 * the search index at once. Run on a schedule (the `need-expiry` job in
 * app/web/jobs.server.ts, hourly) or by hand (`npm run needs:expire`), never on page
 * views. Bounded batches, each its own short transaction, in id order over the
 * (status, deadline) index: 100 000 needs expiring on one day take many short
 * transactions, never one long one.
 */

export const EXPIRY_BATCH = 200

export interface ExpiryResult {
  expired: number
  batches: number
}

/** Expires every published need whose deadline is before `now`'s date in China. */
export async function expireNeeds(
  db: Kysely<DB>,
  now: Date = new Date(),
  { batchSize = EXPIRY_BATCH, maxBatches = 10_000 }: { batchSize?: number; maxBatches?: number } = {},
): Promise<ExpiryResult> {
  const today = chinaDate(now)
  let expired = 0
  let batches = 0
  let afterId = 0
  while (batches < maxBatches) {
    const rows = await db
      .selectFrom('needs')
      .select('id')
      .where('status', '=', 'published')
      .where('deadline', '<', today)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(batchSize)
      .execute()
    if (rows.length === 0) break
    batches += 1
    afterId = rows[rows.length - 1]!.id
    expired += await withTransaction(db, async (trx, afterCommit) => {
      let n = 0
      for (const { id } of rows) {
        // Read again inside the transaction: an owner may have withdrawn or edited it meanwhile.
        const still = await trx
          .selectFrom('needs')
          .select('id')
          .where('id', '=', id)
          .where('status', '=', 'published')
          .where('deadline', '<', today)
          .executeTakeFirst()
        if (!still) continue
        await transitionNeed(trx, afterCommit, { kind: 'system' }, id, 'expire', { now, detail: { deadlineBefore: today } })
        n += 1
      }
      return n
    })
    if (rows.length < batchSize) break
  }
  return { expired, batches }
}
