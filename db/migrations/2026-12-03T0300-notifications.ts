import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// Notifications (issue 14 §7):
// - notifications: the in-app notices of a person (通知中心). `kind` is checked by the
//   use case (zod, app/domain/notifications/kinds.ts), not by the database, so later
//   kinds need no migration. `org_id`: the organisation the notice is about (the
//   recipient's acting organisation it was sent to), null when it is about the person.
//   `params` is JSON { name: string | number } for the catalogue's title and body.
//   `link` is a path inside the site (/provider/invitations). read_at null = unread.
//   (user_id, id) serves the list, newest first; the unread index serves the bell's
//   count (one indexed count per page view): partial (read_at is null) on both
//   dialects, so reading a notice shrinks it.
// - notification_preferences: a person's choice per kind of e-mail and SMS (the
//   in-app notice is always written). No row: the kind's defaults.

export async function up(db: Kysely<any>): Promise<void> {
  const t = isPostgres(db) ? 'timestamptz' : 'text'
  const flagType = isPostgres(db) ? 'smallint' : 'integer'

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (c) =>
      isPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.references('organisations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`length(kind) between 1 and 60`))
    .addColumn('params', 'text', (c) =>
      c
        .notNull()
        .defaultTo('{}')
        .check(sql`length(params) <= 2000`),
    )
    .addColumn('link', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`length(link) <= 300`),
    )
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('read_at', t)
    .execute()
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'id']).execute()
  await db.schema
    .createIndex('notifications_unread_idx')
    .on('notifications')
    .column('user_id')
    .where(sql.ref('read_at'), 'is', null)
    .execute()

  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`length(kind) between 1 and 60`))
    .addColumn('email', flagType, (c) => c.notNull().check(sql`email in (0, 1)`))
    .addColumn('sms', flagType, (c) => c.notNull().check(sql`sms in (0, 1)`))
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'kind'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_preferences').execute()
  await db.schema.dropTable('notifications').execute()
}
