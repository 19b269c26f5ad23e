import { createDb, type Database } from '../../db/connection.js'
import { createPostgresDb } from '../../db/postgres.js'

/**
 * The test server's database, for journeys that prepare or reset rows the pages under
 * test do not write (playwright.config.ts: SQLite per port, or E2E_DATABASE_URL).
 */
export function serverDb(): { db: Database; close: () => Promise<void> } {
  const url = process.env.E2E_DATABASE_URL
  if (url) {
    const { db, pool } = createPostgresDb(url)
    return { db, close: () => pool.end() }
  }
  const { db } = createDb(`tests/.e2e/${process.env.E2E_PORT ?? 3100}/duijie.db`)
  return { db, close: () => db.destroy() }
}

/** The demo accounts' phones (seed/accounts.ts), password DEMO_PASSWORD. */
export const ENTERPRISE_A = '13900000001'
export const PROVIDER_A = '13900000011'
export const SUPERVISOR_A = '13900000014'
export const AGENCY_YANGZHOU = '13900000021'

/** The organisation a demo account owns. */
export async function orgOf(db: Database, phone: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .where('u.phone', '=', phone)
    .select(['o.id', 'o.name', 'o.provider_kinds'])
    .executeTakeFirstOrThrow()
}

export type DemoOrg = Awaited<ReturnType<typeof orgOf>>

/**
 * Opens the server's database, finds enterprise A's and provider A's organisations, hands
 * them to `pick` (which reads what the journey needs) and closes the database again.
 */
export async function demoWorld<T>(
  pick: (world: { db: Database; enterprise: DemoOrg; provider: DemoOrg }) => Promise<T>,
): Promise<T> {
  const { db, close } = serverDb()
  try {
    const enterprise = await orgOf(db, ENTERPRISE_A)
    const provider = await orgOf(db, PROVIDER_A)
    return await pick({ db, enterprise, provider })
  } finally {
    await close()
  }
}

/**
 * A contract of the demo data (seed/contracts.ts) between enterprise A and provider A:
 * - 'draft': awaiting enterprise A's confirmation (provider A confirmed);
 * - 'active-late': active, supervised by the demo 监理机构 (SUPERVISOR_A), a milestone late;
 * - 'active-waiting': active, supervised, a milestone submitted and waiting for acceptance;
 * - 'completed': enterprise A's completed contract with provider A (supervised by SUPERVISOR_A, rated by
 *   all three sides, the enterprise's rating replied); at sizes without one, any of provider A's;
 * - 'terminated': any terminated contract (after a resolved dispute).
 * Returns the contract's id and need, and its milestones in order.
 */
export async function demoContract(kind: 'draft' | 'active-late' | 'active-waiting' | 'completed' | 'terminated') {
  return demoWorld(async ({ db, enterprise, provider }) => {
    let query = db
      .selectFrom('contracts as c')
      .select(['c.id', 'c.need_id', 'c.bid_id', 'c.status', 'c.enterprise_org_id', 'c.provider_org_id', 'c.supervisor_org_id'])
      .orderBy('c.id')
    const milestone = (status: 'submitted' | 'late') =>
      query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('contract_milestones as m')
            .select('m.id')
            .whereRef('m.contract_id', '=', 'c.id')
            .$if(status === 'submitted', (q) => q.where('m.status', '=', 'submitted'))
            .$if(status === 'late', (q) => q.where('m.status', '=', 'pending').where('m.late_flagged_at', 'is not', null)),
        ),
      )
    const ours = (q: typeof query) =>
      q.where('c.enterprise_org_id', '=', enterprise.id).where('c.provider_org_id', '=', provider.id)
    switch (kind) {
      case 'draft':
        query = ours(query).where('c.status', '=', 'draft').where('c.enterprise_confirmed_at', 'is', null)
        break
      case 'active-late':
        query = ours(query).where('c.status', '=', 'active')
        query = milestone('late')
        break
      case 'active-waiting':
        query = ours(query).where('c.status', '=', 'active')
        query = milestone('submitted')
        break
      case 'completed': {
        // Enterprise A's, rated by all three sides; else any of provider A's.
        const done = query.where('c.provider_org_id', '=', provider.id).where('c.status', '=', 'completed')
        const ourDone = await ours(done).select('c.id').executeTakeFirst()
        query = ourDone ? ours(done) : done
        break
      }
      case 'terminated':
        query = query.where('c.status', '=', 'terminated')
        break
    }
    const contract = await query.limit(1).executeTakeFirstOrThrow()
    const milestones = await db
      .selectFrom('contract_milestones')
      .select(['id', 'seq', 'name', 'status', 'due_date', 'late_flagged_at'])
      .where('contract_id', '=', contract.id)
      .orderBy('seq')
      .execute()
    return { ...contract, milestones }
  })
}
