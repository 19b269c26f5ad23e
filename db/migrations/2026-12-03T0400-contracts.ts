import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

// Frozen: this migration must never import application code. Shared by SQLite and
// PostgreSQL (db/migrations/index.ts, SHARED).
//
// From an awarded bid to an accepted, rated project (issue 14 §2–§6):
// - bids: at most one awarded bid per need (a partial unique index: the last guard of
//   the atomic award, behind the need's own conditional status change).
// - bid_messages: the question thread of one bid (the need's owner asks, the bidder
//   answers; both may write). side: 'owner' | 'bidder'.
// - contracts: one per awarded bid (bid_id unique), its terms copied from the bid and
//   its template version, made by the award and editable while 'draft' (revision:
//   optimistic edits; any edit clears both confirmations). status: draft → active (both
//   sides confirmed: 电子确认, person and time) → completed | terminated.
//   region_code: the need's region, for the agency's jurisdiction. supervisor_org_id:
//   the 监理机构 an agency appointed. case_id: the provider's case the completed
//   contract verifies. Amounts in hundredths of 万元 like bids.
// - contract_milestones: payment milestones (seq, name, percent 1–100 summing to 100 —
//   checked by the use case —, amount, due date, acceptance criteria). status: pending
//   → submitted → accepted | rejected (→ submitted again). round: the submission the
//   current decisions belong to. late_flagged_at: set by the scheduled late job.
// - milestone_submissions: every submission (round, evidence text); photos and
//   documents are `files` rows (purpose milestone_evidence, object_type
//   'milestone_submission').
// - milestone_reviews: one decision per (milestone, round, side): the unique key makes
//   a repeated or parallel acceptance idempotent. side: 'enterprise' | 'supervisor'.
// - supervision_logs: 监理日志 (date, findings, quality and schedule judgement),
//   optionally about one milestone; photos are `files` rows (purpose supervision_photo).
// - disputes: 纠纷 on a contract or one of its milestones, opened by a party, resolved
//   by the supervisor or an agency: resolution text, outcome (continue | terminate) and
//   fault (who lost: enterprise | provider | none — matching counts disputes lost).
// - contract_ratings: one per contract per side (rater): the enterprise rates the
//   provider with the seed 002 form (five grades, overall), the provider rates the
//   enterprise, the supervisor scores delivery (five grades of its own items); the
//   rated side replies once.
// - contract_events: the contract's timeline (drafted, confirmed, supervisor appointed,
//   milestone submitted / accepted / rejected / late, logs, disputes, ratings …).

type Table = CreateTableBuilder<string, string>

function withId(db: Kysely<any>, table: Table): Table {
  return table.addColumn('id', 'integer', (c) =>
    isPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
  )
}

function text(max: number, name: string) {
  return (c: ColumnDefinitionBuilder) =>
    c
      .notNull()
      .defaultTo('')
      .check(sql`length(${sql.ref(name)}) <= ${sql.lit(max)}`)
}

function oneOf(name: string, values: readonly string[], nullable = false) {
  const list = sql.join(values.map((v) => sql.lit(v)))
  return (c: ColumnDefinitionBuilder) =>
    nullable
      ? c.check(sql`${sql.ref(name)} is null or ${sql.ref(name)} in (${list})`)
      : c.notNull().check(sql`${sql.ref(name)} in (${list})`)
}

/** A calendar date (a day in China): PostgreSQL `date`, SQLite text checked as YYYY-MM-DD. */
function date(db: Kysely<any>, name: string, notNull = false) {
  return (c: ColumnDefinitionBuilder) => {
    const typed = isPostgres(db) ? c : c.check(sql`${sql.ref(name)} is null or date(${sql.ref(name)}) = ${sql.ref(name)}`)
    return notNull ? typed.notNull() : typed
  }
}

const GRADES = ['very_good', 'good', 'fair', 'poor']
const SIDES = ['enterprise', 'provider']

export async function up(db: Kysely<any>): Promise<void> {
  const t = isPostgres(db) ? 'timestamptz' : 'text'
  const d = isPostgres(db) ? 'date' : 'text'

  await db.schema
    .createIndex('bids_one_award_uq')
    .on('bids')
    .column('need_id')
    .unique()
    .where(sql<boolean>`status = 'awarded'`)
    .execute()

  await withId(db, db.schema.createTable('bid_messages'))
    .addColumn('bid_id', 'integer', (c) => c.notNull().references('bids.id').onDelete('cascade'))
    .addColumn('side', 'text', oneOf('side', ['owner', 'bidder']))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull().check(sql`length(body) between 1 and 2000`))
    .addColumn('created_at', t, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('bid_messages_bid_idx').on('bid_messages').columns(['bid_id', 'id']).execute()

  await withId(db, db.schema.createTable('contracts'))
    .addColumn('need_id', 'integer', (c) => c.notNull().references('needs.id'))
    .addColumn('bid_id', 'integer', (c) => c.notNull().unique().references('bids.id'))
    .addColumn('enterprise_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('provider_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('consortium_id', 'integer', (c) => c.references('consortia.id'))
    .addColumn('template_version_id', 'integer', (c) => c.references('contract_template_versions.id'))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) between 1 and 200`))
    .addColumn('amount_wan_x100', 'integer', (c) => c.notNull().check(sql`amount_wan_x100 between 1 and 100000000`))
    .addColumn('start_date', d, date(db, 'start_date'))
    .addColumn('construction_days', 'integer', (c) => c.notNull().check(sql`construction_days between 1 and 3650`))
    .addColumn('technical_standards', 'text', text(4000, 'technical_standards'))
    .addColumn('acceptance_standards', 'text', text(4000, 'acceptance_standards'))
    .addColumn('quality_terms', 'text', text(4000, 'quality_terms'))
    .addColumn('warranty_months', 'integer', (c) => c.notNull().check(sql`warranty_months between 0 and 120`))
    .addColumn('dispute_clause', 'text', text(2000, 'dispute_clause'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'active', 'completed', 'terminated')`),
    )
    .addColumn('status_reason', 'text', text(1000, 'status_reason'))
    .addColumn('revision', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`revision >= 1`),
    )
    .addColumn('enterprise_confirmed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('enterprise_confirmed_at', t)
    .addColumn('provider_confirmed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('provider_confirmed_at', t)
    .addColumn('supervisor_org_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('supervisor_appointed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('supervisor_appointed_org_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('supervisor_appointed_at', t)
    .addColumn('case_id', 'integer', (c) => c.references('provider_cases.id'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .addColumn('activated_at', t)
    .addColumn('closed_at', t)
    .addCheckConstraint(
      'contracts_enterprise_confirmation',
      sql`(enterprise_confirmed_by is null) = (enterprise_confirmed_at is null)`,
    )
    .addCheckConstraint('contracts_provider_confirmation', sql`(provider_confirmed_by is null) = (provider_confirmed_at is null)`)
    .addCheckConstraint('contracts_supervisor', sql`(supervisor_org_id is null) = (supervisor_appointed_at is null)`)
    .execute()
  await db.schema.createIndex('contracts_enterprise_idx').on('contracts').columns(['enterprise_org_id', 'status', 'id']).execute()
  await db.schema.createIndex('contracts_provider_idx').on('contracts').columns(['provider_org_id', 'status', 'id']).execute()
  await db.schema.createIndex('contracts_supervisor_idx').on('contracts').columns(['supervisor_org_id', 'status', 'id']).execute()
  await db.schema.createIndex('contracts_region_idx').on('contracts').columns(['region_code', 'status', 'id']).execute()
  await db.schema.createIndex('contracts_need_idx').on('contracts').column('need_id').execute()

  await withId(db, db.schema.createTable('contract_milestones'))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq between 1 and 20`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 100`))
    .addColumn('percent', 'integer', (c) => c.notNull().check(sql`percent between 1 and 100`))
    .addColumn('amount_wan_x100', 'integer', (c) => c.notNull().check(sql`amount_wan_x100 >= 0`))
    .addColumn('due_date', d, date(db, 'due_date', true))
    .addColumn('criteria', 'text', text(2000, 'criteria'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'submitted', 'accepted', 'rejected')`),
    )
    .addColumn('round', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`round >= 0`),
    )
    .addColumn('submitted_at', t)
    .addColumn('accepted_at', t)
    .addColumn('late_flagged_at', t)
    .addColumn('updated_at', t, (c) => c.notNull())
    .addUniqueConstraint('contract_milestones_seq_uq', ['contract_id', 'seq'])
    .execute()
  await db.schema
    .createIndex('contract_milestones_due_idx')
    .on('contract_milestones')
    .columns(['status', 'due_date'])
    .where(sql<boolean>`late_flagged_at is null`)
    .execute()

  await withId(db, db.schema.createTable('milestone_submissions'))
    .addColumn('milestone_id', 'integer', (c) => c.notNull().references('contract_milestones.id').onDelete('cascade'))
    .addColumn('round', 'integer', (c) => c.notNull().check(sql`round >= 1`))
    .addColumn('evidence', 'text', (c) => c.notNull().check(sql`length(evidence) between 1 and 5000`))
    .addColumn('submitted_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('submitted_at', t, (c) => c.notNull())
    .addUniqueConstraint('milestone_submissions_round_uq', ['milestone_id', 'round'])
    .execute()

  await withId(db, db.schema.createTable('milestone_reviews'))
    .addColumn('milestone_id', 'integer', (c) => c.notNull().references('contract_milestones.id').onDelete('cascade'))
    .addColumn('round', 'integer', (c) => c.notNull().check(sql`round >= 1`))
    .addColumn('side', 'text', oneOf('side', ['enterprise', 'supervisor']))
    .addColumn('decision', 'text', oneOf('decision', ['accepted', 'rejected']))
    .addColumn('reason', 'text', text(2000, 'reason'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('decided_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('decided_at', t, (c) => c.notNull())
    .addUniqueConstraint('milestone_reviews_side_uq', ['milestone_id', 'round', 'side'])
    .execute()

  await withId(db, db.schema.createTable('supervision_logs'))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('milestone_id', 'integer', (c) => c.references('contract_milestones.id'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('log_date', d, date(db, 'log_date', true))
    .addColumn('findings', 'text', (c) => c.notNull().check(sql`length(findings) between 1 and 5000`))
    .addColumn('quality', 'text', oneOf('quality', ['good', 'acceptable', 'poor']))
    .addColumn('schedule', 'text', oneOf('schedule', ['ahead', 'on_track', 'behind']))
    .addColumn('created_at', t, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('supervision_logs_contract_idx')
    .on('supervision_logs')
    .columns(['contract_id', 'log_date', 'id'])
    .execute()

  await withId(db, db.schema.createTable('disputes'))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('milestone_id', 'integer', (c) => c.references('contract_milestones.id'))
    .addColumn('opened_side', 'text', oneOf('opened_side', SIDES))
    .addColumn('opened_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('opened_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('subject', 'text', (c) => c.notNull().check(sql`length(subject) between 1 and 200`))
    .addColumn('description', 'text', (c) => c.notNull().check(sql`length(description) between 1 and 5000`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'resolved', 'withdrawn')`),
    )
    .addColumn('resolution', 'text', text(5000, 'resolution'))
    .addColumn('outcome', 'text', oneOf('outcome', ['continue', 'terminate'], true))
    .addColumn('fault', 'text', oneOf('fault', ['enterprise', 'provider', 'none'], true))
    .addColumn('resolved_org_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('resolved_by', 'integer', (c) => c.references('users.id'))
    .addColumn('resolved_at', t)
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('updated_at', t, (c) => c.notNull())
    .addCheckConstraint('disputes_resolution', sql`(status = 'resolved') = (resolved_at is not null)`)
    .execute()
  await db.schema.createIndex('disputes_contract_idx').on('disputes').columns(['contract_id', 'status', 'id']).execute()

  await withId(db, db.schema.createTable('contract_ratings'))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('side', 'text', oneOf('side', ['enterprise', 'provider', 'supervisor']))
    .addColumn('rater_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('rated_org_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('rated_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('item_1', 'text', oneOf('item_1', GRADES))
    .addColumn('item_2', 'text', oneOf('item_2', GRADES))
    .addColumn('item_3', 'text', oneOf('item_3', GRADES))
    .addColumn('item_4', 'text', oneOf('item_4', GRADES))
    .addColumn('item_5', 'text', oneOf('item_5', GRADES))
    .addColumn('overall', 'text', oneOf('overall', ['satisfied', 'fairly_satisfied', 'dissatisfied']))
    .addColumn('comment', 'text', text(1000, 'comment'))
    .addColumn('reply', 'text', text(1000, 'reply'))
    .addColumn('replied_by', 'integer', (c) => c.references('users.id'))
    .addColumn('replied_at', t)
    .addColumn('created_at', t, (c) => c.notNull())
    .addUniqueConstraint('contract_ratings_side_uq', ['contract_id', 'side'])
    .addCheckConstraint('contract_ratings_reply', sql`(replied_at is null) = (replied_by is null)`)
    .execute()
  await db.schema
    .createIndex('contract_ratings_rated_idx')
    .on('contract_ratings')
    .columns(['rated_org_id', 'side', 'id'])
    .execute()

  await withId(db, db.schema.createTable('contract_events'))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`length(kind) between 1 and 60`))
    .addColumn('milestone_id', 'integer', (c) => c.references('contract_milestones.id'))
    .addColumn('actor_org_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('object_id', 'integer')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', t, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('contract_events_contract_idx').on('contract_events').columns(['contract_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'contract_events',
    'contract_ratings',
    'disputes',
    'supervision_logs',
    'milestone_reviews',
    'milestone_submissions',
    'contract_milestones',
    'contracts',
    'bid_messages',
  ]) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema.dropIndex('bids_one_award_uq').execute()
}
