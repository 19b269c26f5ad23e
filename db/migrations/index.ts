import type { Migration } from 'kysely'
import * as m20261122T0100 from './2026-11-22T0100-foundation.js'
import * as m20261122T0200 from './2026-11-22T0200-accounts.js'
import * as m20261123T0100 from './2026-11-23T0100-search-outbox-types.js'
import * as m20261202T0100 from './2026-12-02T0100-account-recovery.js'
import * as m20261202T0200 from './2026-12-02T0200-org-hardening.js'

// A static map (not a folder scan) so the bundled server can migrate too.
export const migrations: Record<string, Migration> = {
  '2026-11-22T0100-foundation': m20261122T0100,
  '2026-11-22T0200-accounts': m20261122T0200,
  '2026-11-23T0100-search-outbox-types': m20261123T0100,
  '2026-12-02T0100-account-recovery': m20261202T0100,
  '2026-12-02T0200-org-hardening': m20261202T0200,
}
