import { sql, type Kysely } from 'kysely'

// Frozen: this migration must never import application code.
// Account recovery and hardening (issue 7): verified contacts, one-time codes, the
// message outbox, the per-account sign-in guard, known devices, audit-flood counters,
// and the installation's secret for keyed digests. Enumerations copied as they stand
// on this date.

export async function up(db: Kysely<any>): Promise<void> {
  // A contact is verified when its owner typed back a code sent to it. The trigger
  // keeps a verification with the contact it was made for.
  await db.schema
    .alterTable('users')
    .addColumn('phone_verified_at', 'text', (c) => c.check(sql`phone_verified_at is null or length(phone_verified_at) >= 20`))
    .execute()
  await db.schema
    .alterTable('users')
    .addColumn('email_verified_at', 'text', (c) => c.check(sql`email_verified_at is null or length(email_verified_at) >= 20`))
    .execute()
  for (const event of ['insert', 'update']) {
    await sql
      .raw(
        `create trigger users_verified_contact_${event} before ${event} on users
         begin
           select raise(abort, 'a verified phone needs a phone') where new.phone is null and new.phone_verified_at is not null;
           select raise(abort, 'a verified e-mail needs an e-mail') where new.email is null and new.email_verified_at is not null;
         end`,
      )
      .execute(db)
  }
  await sql
    .raw(
      `create trigger users_contact_change_unverifies before update of phone, email on users
       begin
         select raise(abort, 'a changed phone is not verified')
         where new.phone is not old.phone and new.phone_verified_at is not null and new.phone_verified_at is old.phone_verified_at;
         select raise(abort, 'a changed e-mail is not verified')
         where new.email is not old.email and new.email_verified_at is not null and new.email_verified_at is old.email_verified_at;
       end`,
    )
    .execute(db)

  // One secret per installation, made here by SQLite itself: the key of the HMACs that
  // stand for unrecognised logins in the audit log and for one-time codes at rest.
  await db.schema
    .createTable('app_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey().check(sql`name glob '[a-z]*' and length(name) <= 40`))
    .addColumn('value', 'text', (c) => c.notNull().check(sql`length(value) >= 64`))
    .execute()
  await sql`insert into app_secrets (name, value) values ('hmac', lower(hex(randomblob(32))))`.execute(db)

  // Codes and links are stored as keyed hashes only; single use, short-lived, and a
  // code dies after a few wrong guesses.
  await db.schema
    .createTable('one_time_codes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('reset','verify')`))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('sms','email','link')`))
    .addColumn('destination', 'text', (c) => c.notNull().check(sql`length(destination) between 1 and 120`))
    .addColumn('code_hash', 'text', (c) => c.notNull().check(sql`length(code_hash) >= 32`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('attempts', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`attempts between 0 and 100`),
    )
    .addCheckConstraint('one_time_codes_lifetime', sql`expires_at > created_at`)
    .addCheckConstraint('one_time_codes_link_resets', sql`channel <> 'link' or purpose = 'reset'`)
    .execute()
  await db.schema.createIndex('one_time_codes_user_idx').on('one_time_codes').columns(['user_id', 'purpose', 'id']).execute()
  await db.schema.createIndex('one_time_codes_hash_idx').on('one_time_codes').column('code_hash').execute()

  // Messages to people (codes by SMS or e-mail) are written in the same transaction as
  // what they announce and delivered after commit. A delivered or undeliverable
  // message keeps no body: codes do not stay readable at rest.
  await db.schema
    .createTable('message_outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('sms','email')`))
    .addColumn('destination', 'text', (c) => c.notNull().check(sql`length(destination) between 1 and 120`))
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending','sending','sent','mailbox','failed','discarded')`),
    )
    .addColumn('transport', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('attempts', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`attempts >= 0`),
    )
    .addColumn('last_error', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addCheckConstraint('message_outbox_no_body_at_rest', sql`status not in ('sent','failed','discarded') or body = ''`)
    .execute()
  await db.schema.createIndex('message_outbox_status_idx').on('message_outbox').columns(['status', 'id']).execute()

  // The per-account sign-in guard: consecutive failures and, past a few, a lock that
  // doubles each time (back-off). A success or a password reset deletes the row.
  await db.schema
    .createTable('sign_in_guards')
    .addColumn('key', 'text', (c) => c.primaryKey().check(sql`length(key) between 1 and 120`))
    .addColumn('failures', 'integer', (c) => c.notNull().check(sql`failures >= 0`))
    .addColumn('locked_until', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sign_in_guards_updated_idx').on('sign_in_guards').column('updated_at').execute()

  // Browsers that signed in to an account before (a random cookie, stored hashed):
  // a stranger's failures do not lock them out.
  await db.schema
    .createTable('known_devices')
    .addColumn('token_hash', 'text', (c) => c.primaryKey().check(sql`length(token_hash) >= 32`))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('known_devices_user_idx').on('known_devices').column('user_id').execute()

  // Repetitive events (denials, rate limits, failed sign-ins) are counted here per key
  // and window; the append-only log gets the first of each and every tenfold count.
  await db.schema
    .createTable('audit_counters')
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action glob '[a-z]*.[a-z_]*'`))
    .addColumn('key', 'text', (c) => c.notNull().check(sql`length(key) between 1 and 200`))
    .addColumn('window_start', 'integer', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().check(sql`count >= 1`))
    .addPrimaryKeyConstraint('audit_counters_pk', ['action', 'window_start', 'key'])
    .execute()

  // Rate-limit events older than any window are swept by time.
  await db.schema.createIndex('rate_limit_events_at_idx').on('rate_limit_events').column('at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('rate_limit_events_at_idx').execute()
  for (const t of ['audit_counters', 'known_devices', 'sign_in_guards', 'message_outbox', 'one_time_codes', 'app_secrets']) {
    await db.schema.dropTable(t).execute()
  }
  for (const trigger of ['users_contact_change_unverifies', 'users_verified_contact_update', 'users_verified_contact_insert']) {
    await sql.raw(`drop trigger if exists ${trigger}`).execute(db)
  }
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute()
  await db.schema.alterTable('users').dropColumn('phone_verified_at').execute()
}
