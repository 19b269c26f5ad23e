import { sql, type Kysely } from 'kysely'
import { day, dt, intBetween, oneOf, optionalIntBetween, text, textBetween, ts, withId } from './builders.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// Service vouchers (服务券, issue 16 §5; decision 016):
// - voucher_schemes: an agency's 服务券 scheme (the seeds hold no voucher policy: the scheme
//   is the agency's data): name, the document it cites, valid dates, the yearly budget
//   (万元 × 100), the largest share of a contract's amount a voucher may cover (%) and the
//   largest amount of one voucher.
// - voucher_budgets: per scheme and calendar year, the amount committed by live vouchers
//   (issued and not cancelled; a release gives back what it did not pay). Issuing raises it
//   with a conditional update (committed + amount ≤ budget), the guard under parallel
//   issuance.
// - vouchers: one voucher of a scheme for a contract with an appointed supervisor (at most
//   one live voucher per contract: a partial unique index); its parties copied from the
//   contract; status issued → submitted (the provider's stage evidence: accepted milestones
//   and a note) → signed_off (the supervisor) → confirmed (the enterprise) → released (the
//   agency pays the subsidy, amount ≤ the voucher's, with a reference and a date), or
//   cancelled; a rejected sign-off or a disputed confirmation sends it back to issued.
// - voucher_events: every transition (who, for which organisation, when, from → to, note).

const STATUSES = ['issued', 'submitted', 'signed_off', 'confirmed', 'released', 'cancelled']
const ACTIONS = ['issued', 'submitted', 'signed_off', 'signoff_rejected', 'confirmed', 'disputed', 'released', 'cancelled']
const MAX = 1_000_000_000

export async function up(db: Kysely<any>): Promise<void> {
  const t = ts(db)

  await withId(db, db.schema.createTable('voucher_schemes'))
    .addColumn('agency_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', textBetween(2, 100, 'name'))
    .addColumn('document', 'text', textBetween(2, 200, 'document'))
    .addColumn('valid_from', dt(db), day(db, 'valid_from', true))
    .addColumn('valid_to', dt(db), day(db, 'valid_to', true))
    .addColumn('yearly_budget_wan_x100', 'integer', intBetween('yearly_budget_wan_x100', 1, MAX))
    .addColumn('max_share_pct', 'integer', intBetween('max_share_pct', 1, 100))
    .addColumn('max_per_voucher_wan_x100', 'integer', intBetween('max_per_voucher_wan_x100', 1, MAX))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addCheckConstraint('voucher_schemes_dates_ck', sql`valid_from <= valid_to`)
    .execute()
  await db.schema.createIndex('voucher_schemes_agency_idx').on('voucher_schemes').columns(['agency_org_id', 'id']).execute()

  await db.schema
    .createTable('voucher_budgets')
    .addColumn('scheme_id', 'integer', (c) => c.notNull().references('voucher_schemes.id').onDelete('cascade'))
    .addColumn('year', 'integer', intBetween('year', 2000, 2100))
    .addColumn('committed_wan_x100', 'integer', intBetween('committed_wan_x100', 0, MAX, 0))
    .addPrimaryKeyConstraint('voucher_budgets_pk', ['scheme_id', 'year'])
    .execute()

  await withId(db, db.schema.createTable('vouchers'))
    .addColumn('scheme_id', 'integer', (c) => c.notNull().references('voucher_schemes.id'))
    .addColumn('agency_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contracts.id'))
    .addColumn('enterprise_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('supervisor_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', intBetween('year', 2000, 2100))
    .addColumn('amount_wan_x100', 'integer', intBetween('amount_wan_x100', 1, MAX))
    .addColumn('status', 'text', oneOf('status', STATUSES))
    .addColumn('evidence_milestones', 'text', textBetween(2, 2000, 'evidence_milestones'))
    .addColumn('evidence_note', 'text', text(1000, 'evidence_note'))
    .addColumn('released_wan_x100', 'integer', optionalIntBetween('released_wan_x100', 1, MAX))
    .addColumn('released_ref', 'text', text(100, 'released_ref'))
    .addColumn('released_on', dt(db), day(db, 'released_on'))
    .addColumn('issued_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('issued_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .addCheckConstraint('vouchers_release_ck', sql`released_wan_x100 is null or released_wan_x100 <= amount_wan_x100`)
    .addCheckConstraint('vouchers_released_ck', sql`(status = 'released') = (released_wan_x100 is not null)`)
    .execute()
  await db.schema
    .createIndex('vouchers_contract_live_uq')
    .on('vouchers')
    .column('contract_id')
    .unique()
    .where(sql<boolean>`status <> 'cancelled'`)
    .execute()
  await db.schema.createIndex('vouchers_region_idx').on('vouchers').columns(['region_code', 'id']).execute()
  await db.schema.createIndex('vouchers_enterprise_idx').on('vouchers').columns(['enterprise_org_id', 'id']).execute()
  await db.schema.createIndex('vouchers_provider_idx').on('vouchers').columns(['provider_org_id', 'id']).execute()
  await db.schema.createIndex('vouchers_supervisor_idx').on('vouchers').columns(['supervisor_org_id', 'id']).execute()
  await db.schema.createIndex('vouchers_scheme_idx').on('vouchers').columns(['scheme_id', 'id']).execute()

  await withId(db, db.schema.createTable('voucher_events'))
    .addColumn('voucher_id', 'integer', (c) => c.notNull().references('vouchers.id').onDelete('cascade'))
    .addColumn('action', 'text', oneOf('action', ACTIONS))
    .addColumn('from_status', 'text', oneOf('from_status', STATUSES, true))
    .addColumn('to_status', 'text', oneOf('to_status', STATUSES))
    .addColumn('actor_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('actor_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('note', 'text', text(1000, 'note'))
    .addColumn('created_at', t, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('voucher_events_voucher_idx').on('voucher_events').columns(['voucher_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('voucher_events').execute()
  await db.schema.dropTable('vouchers').execute()
  await db.schema.dropTable('voucher_budgets').execute()
  await db.schema.dropTable('voucher_schemes').execute()
}
