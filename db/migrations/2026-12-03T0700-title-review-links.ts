import { sql, type Kysely } from 'kysely'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// A title an agency has decided on is the agency's record (issue 16 §7, decision 015): the
// enterprise may no longer change what the decision fixed, nor remove it (the removal would
// have taken the review with it). A downgrade also gives the enterprise a lower title, which
// is the agency's record just as much, so title_reviews.new_title_id names it. Downgrades
// already on record are linked to the lower title they gave: same enterprise, the title
// downgraded to, awarded on the decision day.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('title_reviews')
    .addColumn('new_title_id', 'integer', (c) => c.references('enterprise_titles.id').onDelete('set null'))
    .execute()
  await sql`
    update title_reviews set new_title_id = (
      select min(t.id) from enterprise_titles t
      join enterprise_titles o on o.id = title_reviews.title_id
      where t.org_id = o.org_id and t.title = title_reviews.downgraded_to and t.awarded_on = title_reviews.decided_on
    )
    where outcome = 'downgraded'
  `.execute(db)
  await db.schema.createIndex('title_reviews_new_title_idx').on('title_reviews').column('new_title_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('title_reviews_new_title_idx').execute()
  await db.schema.alterTable('title_reviews').dropColumn('new_title_id').execute()
}
