import type { Database } from '../../../db/connection.js'

/**
 * Whether the database holds demo data (organisations the seed wrote, marked
 * `is_demo`): the site shows a banner while it does. Answered from a partial index.
 */
export async function hasDemoData(db: Database): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('id').where('is_demo', '=', 1).limit(1).executeTakeFirst()
  return row !== undefined
}
