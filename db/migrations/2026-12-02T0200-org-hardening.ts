import { sql, type Kysely } from 'kysely'

// Frozen: this migration must never import application code. Enumerations are
// copied as they stand on this date.
//
// Organisation hardening (issue 7):
// - applications carry a revision, so a decision names what was reviewed;
// - a USCC is unique among verified organisations only, so a pending or rejected
//   claim cannot lock the real company out;
// - demo organisations and demo accounts are marked, and demo accounts leave any
//   real organisation they were attached to;
// - agency memberships have roles (owner, reviewer, viewer) and start pending until
//   an owner confirms them;
// - invitations keep only hashes of their link token and short code.
// memberships and invitations are rebuilt (SQLite cannot alter a CHECK); nothing
// references them, and the append-only audit log and its triggers are not touched.

const HEX64 = (column: string) => sql.raw(`length(${column}) = 64 and ${column} not glob '*[^0-9a-f]*'`)

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('revision', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`revision >= 1`),
    )
    .execute()
  await db.schema
    .alterTable('organisations')
    .addColumn('is_demo', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`is_demo in (0, 1)`),
    )
    .execute()
  await db.schema
    .alterTable('users')
    .addColumn('is_demo', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`is_demo in (0, 1)`),
    )
    .execute()

  await db.schema.dropIndex('organisations_uscc_uq').execute()
  await sql`create unique index organisations_uscc_verified_uq on organisations (uscc) where status = 'verified'`.execute(db)
  // Competing applications for one code are looked up by it.
  await sql`create index organisations_uscc_idx on organisations (uscc)`.execute(db)
  // "Is there demo data?" is asked on every page: answered from this index alone.
  await sql`create index organisations_demo_idx on organisations (id) where is_demo = 1`.execute(db)

  // Existing installations: what the seed wrote directly (no 'org.created' or
  // 'auth.registered' entry, which every real sign-up and application leaves) is demo.
  await sql`update organisations set is_demo = 1
            where not exists (select 1 from audit_log a
                              where a.action = 'org.created' and a.object_type = 'organisation'
                                and a.object_id = cast(organisations.id as text))`.execute(db)
  await sql`update users set is_demo = 1
            where phone in ('13900000001','13900000002','13900000003','13900000011','13900000012','13900000021','13900000022')
              and not exists (select 1 from audit_log a
                              where a.action = 'auth.registered' and a.object_type = 'user'
                                and a.object_id = cast(users.id as text))`.execute(db)

  await db.schema
    .createTable('memberships_next')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner','member','reviewer','viewer')`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('pending','active')`),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['user_id', 'org_id'])
    .addCheckConstraint('memberships_owner_active', sql`role <> 'owner' or status = 'active'`)
    .execute()
  // Whoever joined an agency by invitation had every right of it: from now on a plain
  // member of an agency is a viewer waiting for its owner's confirmation. Demo accounts
  // attached to real organisations leave them.
  await sql`insert into memberships_next (user_id, org_id, role, status, created_at)
            select m.user_id, m.org_id,
                   case when o.kind = 'agency' and m.role = 'member' then 'viewer' else m.role end,
                   case when o.kind = 'agency' and m.role = 'member' then 'pending' else 'active' end,
                   m.created_at
            from memberships m
            join organisations o on o.id = m.org_id
            join users u on u.id = m.user_id
            where not (u.is_demo = 1 and o.is_demo = 0)`.execute(db)
  await db.schema.dropTable('memberships').execute()
  await db.schema.alterTable('memberships_next').renameTo('memberships').execute()
  await db.schema.createIndex('memberships_org_idx').on('memberships').column('org_id').execute()
  // Roles follow the organisation's kind (a CHECK cannot look at another table).
  for (const event of ['insert', 'update']) {
    await sql
      .raw(
        `create trigger memberships_role_by_kind_${event} before ${event} on memberships
         begin
           select raise(abort, 'agencies have owners, reviewers and viewers')
           where new.role = 'member' and (select kind from organisations where id = new.org_id) = 'agency';
           select raise(abort, 'reviewers and viewers belong to agencies')
           where new.role in ('reviewer','viewer') and (select kind from organisations where id = new.org_id) <> 'agency';
         end`,
      )
      .execute(db)
  }

  await db.schema
    .createTable('invitations_next')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    // SHA-256 (hex) of the link's 256-bit token and of the 60-bit short code: a copy of
    // the database hands out no invitation.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique().check(HEX64('token_hash')))
    .addColumn('code_hash', 'text', (c) => c.unique().check(sql`code_hash is null or (${HEX64('code_hash')})`))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('uses', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`uses >= 0`),
    )
    .execute()
  // The old 8-character codes (40 bits, stored in clear) stop working.
  await sql`insert into invitations_next (id, org_id, token_hash, code_hash, created_by, created_at, expires_at, revoked_at, uses)
            select id, org_id, lower(hex(randomblob(32))), null, created_by, created_at, expires_at,
                   coalesce(revoked_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), uses
            from invitations`.execute(db)
  await db.schema.dropTable('invitations').execute()
  await db.schema.alterTable('invitations_next').renameTo('invitations').execute()
  await db.schema.createIndex('invitations_org_idx').on('invitations').column('org_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invitations_prev')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  // Hashes cannot be turned back into codes: the invitations are kept, revoked.
  await sql`insert into invitations_prev (id, org_id, code, created_by, created_at, expires_at, revoked_at, uses)
            select id, org_id, upper(hex(randomblob(8))), created_by, created_at, expires_at,
                   coalesce(revoked_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), uses
            from invitations`.execute(db)
  await db.schema.dropTable('invitations').execute()
  await db.schema.alterTable('invitations_prev').renameTo('invitations').execute()
  await db.schema.createIndex('invitations_org_idx').on('invitations').column('org_id').execute()

  await sql`drop trigger if exists memberships_role_by_kind_insert`.execute(db)
  await sql`drop trigger if exists memberships_role_by_kind_update`.execute(db)
  await db.schema
    .createTable('memberships_prev')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner','member')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['user_id', 'org_id'])
    .execute()
  // Unconfirmed members are not carried back: the old schema would give them every right.
  await sql`insert into memberships_prev (user_id, org_id, role, created_at)
            select user_id, org_id, case when role = 'owner' then 'owner' else 'member' end, created_at
            from memberships where status = 'active'`.execute(db)
  await db.schema.dropTable('memberships').execute()
  await db.schema.alterTable('memberships_prev').renameTo('memberships').execute()
  await db.schema.createIndex('memberships_org_idx').on('memberships').column('org_id').execute()

  await db.schema.dropIndex('organisations_demo_idx').execute()
  await db.schema.dropIndex('organisations_uscc_idx').execute()
  await db.schema.dropIndex('organisations_uscc_verified_uq').execute()
  await db.schema.createIndex('organisations_uscc_uq').on('organisations').column('uscc').unique().execute()
  await db.schema.alterTable('users').dropColumn('is_demo').execute()
  await db.schema.alterTable('organisations').dropColumn('is_demo').execute()
  await db.schema.alterTable('organisations').dropColumn('revision').execute()
}
