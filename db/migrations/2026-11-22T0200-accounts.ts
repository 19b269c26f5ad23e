import { sql, type Kysely } from 'kysely'

// Frozen: accounts, memberships, sessions, invitations, onboarding audit, audit log,
// rate limits. Enumerations copied as they stood on this date.

export async function up(db: Kysely<any>): Promise<void> {
  // Organisations grow the fields onboarding needs. Agencies may lack a USCC.
  await db.schema.alterTable('organisations').addColumn('uscc', 'text').execute()
  await db.schema
    .alterTable('organisations')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending','verified','rejected')`),
    )
    .execute()
  await db.schema.alterTable('organisations').addColumn('rejection_reason', 'text').execute()
  await db.schema
    .alterTable('organisations')
    .addColumn('industry_code', 'text', (c) => c.references('industries.code'))
    .execute()
  await db.schema
    .alterTable('organisations')
    .addColumn('provider_kinds', 'text', (c) =>
      c
        .notNull()
        .defaultTo('[]')
        .check(sql`json_valid(provider_kinds)`),
    )
    .execute()
  await db.schema
    .alterTable('organisations')
    .addColumn('agency_level', 'text', (c) => c.check(sql`agency_level in ('province','city','county')`))
    .execute()
  await db.schema
    .alterTable('organisations')
    .addColumn('contact_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .alterTable('organisations')
    .addColumn('contact_phone', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .alterTable('organisations')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema.alterTable('organisations').addColumn('submitted_at', 'text').execute()
  await db.schema.alterTable('organisations').addColumn('reviewed_at', 'text').execute()
  await db.schema.alterTable('organisations').addColumn('reviewed_by', 'integer').execute()
  await db.schema.alterTable('organisations').addColumn('updated_at', 'text').execute()
  await db.schema.createIndex('organisations_uscc_uq').on('organisations').column('uscc').unique().execute()
  await db.schema.createIndex('organisations_status_idx').on('organisations').columns(['status', 'kind', 'region_code']).execute()
  // ALTER TABLE cannot add table-level CHECKs, so the cross-column rules are triggers.
  for (const event of ['insert', 'update']) {
    await sql
      .raw(
        `create trigger organisations_kind_rules_${event} before ${event} on organisations
         begin
           select raise(abort, 'agency_level is required for agencies and only for them')
           where (new.kind = 'agency') <> (new.agency_level is not null);
           select raise(abort, 'uscc is required for enterprises and providers')
           where new.kind in ('enterprise','provider') and new.uscc is null;
           select raise(abort, 'a rejected organisation needs a reason')
           where new.status = 'rejected' and coalesce(trim(new.rejection_reason), '') = '';
         end`,
      )
      .execute(db)
  }

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(trim(name)) between 1 and 40`))
    .addColumn('phone', 'text', (c) => c.unique().check(sql`phone glob '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'`))
    .addColumn('email', 'text', (c) => c.unique().check(sql`email = lower(email) and email like '%_@_%'`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('users_login', sql`phone is not null or email is not null`)
    .execute()

  await db.schema
    .createTable('memberships')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner','member')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['user_id', 'org_id'])
    .execute()
  await db.schema.createIndex('memberships_org_idx').on('memberships').column('org_id').execute()

  // The cookie carries a random token; only its SHA-256 is stored, so a copy of the
  // database does not hand out live sessions.
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('active_org_id', 'integer', (c) => c.references('organisations.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute()

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createIndex('invitations_org_idx').on('invitations').column('org_id').execute()

  // Append-only: who, acting for which organisation, did what to which object, when,
  // from where. Triggers refuse every UPDATE and DELETE.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor_org_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action glob '[a-z]*.[a-z_]*'`))
    .addColumn('object_type', 'text')
    .addColumn('object_id', 'text')
    .addColumn('region_code', 'text')
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('detail', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`instr(detail, char(10)) = 0 and instr(detail, char(13)) = 0`),
    )
    .execute()
  await db.schema.createIndex('audit_log_region_idx').on('audit_log').columns(['region_code', 'id']).execute()
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_user_id', 'id']).execute()
  await sql
    .raw(
      `create trigger audit_log_no_update before update on audit_log
       begin select raise(abort, 'audit_log is append-only'); end`,
    )
    .execute(db)
  await sql
    .raw(
      `create trigger audit_log_no_delete before delete on audit_log
       begin select raise(abort, 'audit_log is append-only'); end`,
    )
    .execute(db)

  // One row per attempt, so limits are exact over a sliding window (sign-in, sign-up).
  await db.schema
    .createTable('rate_limit_events')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('rate_limit_events_key_idx').on('rate_limit_events').columns(['key', 'at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists audit_log_no_delete`.execute(db)
  await sql`drop trigger if exists audit_log_no_update`.execute(db)
  for (const t of ['rate_limit_events', 'audit_log', 'invitations', 'sessions', 'memberships', 'users']) {
    await db.schema.dropTable(t).execute()
  }
  await sql`drop trigger if exists organisations_kind_rules_insert`.execute(db)
  await sql`drop trigger if exists organisations_kind_rules_update`.execute(db)
  await db.schema.dropIndex('organisations_status_idx').execute()
  await db.schema.dropIndex('organisations_uscc_uq').execute()
  for (const c of [
    'updated_at',
    'reviewed_by',
    'reviewed_at',
    'submitted_at',
    'description',
    'contact_phone',
    'contact_name',
    'agency_level',
    'provider_kinds',
    'industry_code',
    'rejection_reason',
    'status',
    'uscc',
  ]) {
    await db.schema.alterTable('organisations').dropColumn(c).execute()
  }
}
