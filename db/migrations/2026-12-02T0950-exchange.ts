import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED): portable schema-builder calls only.
//
// The data exchange (issue 11, docs/exchange.md): every line of an exchange file
// names its object by an external id ("externalId": "jsfw-0042"), the id the other
// system knows it by. exchange_ids maps (type, external id) to the row it became, so
// importing the same file twice changes nothing and a changed line updates its row;
// an export gives every object it writes an external id (its own or a new dj-… one),
// kept here too, so later exports and re-imports name the same rows.
//
// - type: the exchange type of the object ('organisation', 'case',
//   'contract_template'; later issues add theirs), not a table name, so no list here.
// - entity_id: the row's id in that type's table. No foreign key (one column serves
//   several tables): a mapping whose row is gone is stale, and the importer replaces it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('exchange_ids')
    .addColumn('type', 'text', (c) => c.notNull().check(sql`length(type) between 1 and 40`))
    .addColumn('external_id', 'text', (c) => c.notNull().check(sql`length(external_id) between 1 and 100`))
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', isPostgres(db) ? 'timestamptz' : 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('exchange_ids_pk', ['type', 'external_id'])
    .execute()
  // Export: the external id of each row it writes.
  await db.schema.createIndex('exchange_ids_entity_idx').on('exchange_ids').columns(['type', 'entity_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('exchange_ids').execute()
}
