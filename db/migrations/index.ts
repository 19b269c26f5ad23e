import type { Migration } from 'kysely'
import type { SqlDialect } from '../dialect.js'
import * as m20261122T0100 from './2026-11-22T0100-foundation.js'
import * as m20261122T0200 from './2026-11-22T0200-accounts.js'
import * as m20261123T0100 from './2026-11-23T0100-search-outbox-types.js'
import * as m20261202T0100 from './2026-12-02T0100-account-recovery.js'
import * as m20261202T0200 from './2026-12-02T0200-org-hardening.js'
import * as m20261202T0300 from './2026-12-02T0300-postgres-baseline.js'
import * as m20261202T0400 from './2026-12-02T0400-audit-queue-index.js'
import * as m20261202T0500 from './2026-12-02T0500-instances.js'
import * as m20261202T0600 from './2026-12-02T0600-reference-english.js'
import * as m20261202T0700 from './2026-12-02T0700-search-index-versions.js'
import * as m20261202T0900 from './2026-12-02T0900-providers.js'
import * as m20261202T0950 from './2026-12-02T0950-exchange.js'
import * as m20261202T0960 from './2026-12-02T0960-org-status-counts.js'
import * as m20261203T0100 from './2026-12-03T0100-enterprises.js'
import * as m20261203T0140 from './2026-12-03T0140-need-weakness-unique.js'
import * as m20261203T0200 from './2026-12-03T0200-matching.js'
import * as m20261203T0300 from './2026-12-03T0300-notifications.js'
import * as m20261203T0310 from './2026-12-03T0310-bids.js'
import * as m20261203T0400 from './2026-12-03T0400-contracts.js'
import * as m20261203T0500 from './2026-12-03T0500-events.js'
import * as m20261203T0530 from './2026-12-03T0530-provider-pool.js'
import * as m20261203T0560 from './2026-12-03T0560-spreadsheet-tasks.js'
import * as m20261203T0510 from './2026-12-03T0510-event-review.js'
import * as m20261203T0520 from './2026-12-03T0520-event-meetings.js'
import * as m20261203T0550 from './2026-12-03T0550-district-targets.js'
import * as m20261203T0540 from './2026-12-03T0540-evaluations.js'
import * as m20261203T0570 from './2026-12-03T0570-dashboard-indexes.js'
import * as m20261203T0600 from './2026-12-03T0600-policy-tools.js'
import * as m20261203T0610 from './2026-12-03T0610-service-vouchers.js'
import * as m20261203T0620 from './2026-12-03T0620-project-pool-indexes.js'
import * as m20261203T0700 from './2026-12-03T0700-title-review-links.js'
import * as m20261203T0800 from './2026-12-03T0800-event-intent-live-key.js'
import * as m20261204T0100 from './2026-12-04T0100-need-scenario-counts.js'

// Static maps (not a folder scan) so the bundled server can migrate too.
// Decision record 006: one migration set from the PostgreSQL baseline on.

/** SQLite's history before PostgreSQL existed: frozen, SQLite only. */
const SQLITE_HISTORY: Record<string, Migration> = {
  '2026-11-22T0100-foundation': m20261122T0100,
  '2026-11-22T0200-accounts': m20261122T0200,
  '2026-11-23T0100-search-outbox-types': m20261123T0100,
  '2026-12-02T0100-account-recovery': m20261202T0100,
  '2026-12-02T0200-org-hardening': m20261202T0200,
}

/** PostgreSQL starts from the schema SQLite's history ends in (tests/integration/schema-equivalence.pg.test.ts). */
const POSTGRES_BASELINE: Record<string, Migration> = {
  '2026-12-02T0300-postgres-baseline': m20261202T0300,
}

/**
 * Every migration after the baseline runs on both dialects: portable schema-builder
 * calls, with `dialectOf(db)` branches (db/dialect.ts) only where SQL must differ
 * (triggers, partial indexes, CHECKs using SQLite functions). Names sort after
 * '2026-12-02T0300'.
 */
const SHARED: Record<string, Migration> = {
  '2026-12-02T0400-audit-queue-index': m20261202T0400,
  '2026-12-02T0500-instances': m20261202T0500,
  '2026-12-02T0600-reference-english': m20261202T0600,
  '2026-12-02T0700-search-index-versions': m20261202T0700,
  '2026-12-02T0900-providers': m20261202T0900,
  '2026-12-02T0950-exchange': m20261202T0950,
  '2026-12-02T0960-org-status-counts': m20261202T0960,
  '2026-12-03T0100-enterprises': m20261203T0100,
  '2026-12-03T0140-need-weakness-unique': m20261203T0140,
  '2026-12-03T0200-matching': m20261203T0200,
  '2026-12-03T0300-notifications': m20261203T0300,
  '2026-12-03T0310-bids': m20261203T0310,
  '2026-12-03T0400-contracts': m20261203T0400,
  '2026-12-03T0500-events': m20261203T0500,
  '2026-12-03T0530-provider-pool': m20261203T0530,
  '2026-12-03T0560-spreadsheet-tasks': m20261203T0560,
  '2026-12-03T0510-event-review': m20261203T0510,
  '2026-12-03T0520-event-meetings': m20261203T0520,
  '2026-12-03T0550-district-targets': m20261203T0550,
  '2026-12-03T0540-evaluations': m20261203T0540,
  '2026-12-03T0570-dashboard-indexes': m20261203T0570,
  '2026-12-03T0600-policy-tools': m20261203T0600,
  '2026-12-03T0610-service-vouchers': m20261203T0610,
  '2026-12-03T0620-project-pool-indexes': m20261203T0620,
  '2026-12-03T0700-title-review-links': m20261203T0700,
  '2026-12-03T0800-event-intent-live-key': m20261203T0800,
  '2026-12-04T0100-need-scenario-counts': m20261204T0100,
}

export function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return dialect === 'postgres' ? { ...POSTGRES_BASELINE, ...SHARED } : { ...SQLITE_HISTORY, ...SHARED }
}

/** SQLite's migrations (the tests of the frozen SQLite history use this). */
export const migrations: Record<string, Migration> = migrationsFor('sqlite')
