/**
 * npx tsx tests/bench/audit-queue.ts --db <file or postgres://…> [--runs 30]
 *
 * The agency review queue (/agency/audits) through its use case alone, on a seeded
 * database at the latest schema (e.g. a migrated copy of a tests/.bench/needs-*.db
 * that `npm run bench:http` seeded; the file is read, never written). Each line is one
 * page as an agency of the demo data opens it: the tab counts, the total and the page
 * of one status, as `listAuditQueue` answers them.
 *
 * Figures per call: CPU milliseconds of the process (median and the worst of the runs)
 * and wall milliseconds (median), and the ratio of the wall median to the floor measured
 * in the same run for the same agency: one raw count of its jurisdiction's organisations
 * (`select count(*) from organisations where region_code in (…)`). On PostgreSQL most of
 * the work is the server's, so read the wall time there.
 */
import { sql } from 'kysely'
import { listAuditQueue } from '../../app/domain/orgs/audit-queue.server.js'
import { ZAuditQueueParams } from '../../app/domain/orgs/schema.js'
import { agencyActor, runUseCaseBench } from './use-case.js'

/** Agencies of the demo data (seed/demo.ts): Jiangsu, Yangzhou and one of its counties. */
const AGENCIES = [
  { label: 'Yangzhou (city)', region: '321000', actor: agencyActor('321000', 'city', 'owner') },
  { label: 'Jiangsu (province)', region: '320000', actor: agencyActor('320000', 'province', 'owner') },
  { label: 'Baoying (county)', region: '321023', actor: agencyActor('321023', 'county', 'owner') },
]

const PAGES: { label: string; query: Record<string, string> }[] = [
  { label: 'pending', query: {} },
  { label: 'verified', query: { status: 'verified' } },
  { label: 'rejected', query: { status: 'rejected' } },
  { label: 'verified, page 10', query: { status: 'verified', page: '10' } },
  { label: 'pending, providers', query: { kind: 'provider' } },
  { label: 'verified, one county', query: { status: 'verified', region: '321084' } },
  // A search reads the jurisdiction's organisations (a name contains it): not bounded by the page.
  { label: 'search 智能', query: { q: '智能' } },
]

await runUseCaseBench({
  script: 'audit-queue.ts',
  defaultRuns: 30,
  agencies: AGENCIES,
  pages: PAGES,
  parse: (query) => ZAuditQueueParams.parse(query),
  floor: (db, regions) =>
    sql`select count(*) as n from organisations where region_code in (${sql.join([...regions])})`.execute(db),
  run: async ({ db }, actor, params) => (await listAuditQueue(db, actor, params)).queue.total,
})
