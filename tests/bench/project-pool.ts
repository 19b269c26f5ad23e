/**
 * npx tsx tests/bench/project-pool.ts --db <file or postgres://…> [--runs 20]
 *
 * 项目培育库 (/agency/project-pool) through its use case alone, on a seeded database at
 * the latest schema (e.g. `npm run seed -- --needs 100000 --db /tmp/pool.db`, or a
 * migrated copy of a tests/.bench/needs-*.db that `npm run bench:http` seeded; the file is
 * read, never written). Each line is one page as an agency of the demo data opens it,
 * as `projectPool` answers it: the counts per level, the page of 20 projects with their
 * contracts and readiness.
 *
 * Figures per call: CPU milliseconds of the process (median, worst) and wall milliseconds
 * (median), and the ratio of the wall median to the floor measured in the same run for
 * the same agency: one raw count of its jurisdiction's projects (`select count(*) from
 * needs where region_code in (…) and status in (…)`), the least any page of it reads.
 * On PostgreSQL most of the work is the server's: read the wall time there.
 */
import { sql } from 'kysely'
import { projectPool } from '../../app/domain/project-pool/pool.server.js'
import { POOL_NEED_STATUSES, ZProjectPoolQuery } from '../../app/domain/project-pool/schema.js'
import { agencyActor, runUseCaseBench } from './use-case.js'

/** Agencies over the demo data's regions: Jiangsu (the most needs), Yangzhou, one county, and Gansu (a gradient rule set). */
const AGENCIES = [
  { label: 'Jiangsu (province)', region: '320000', actor: agencyActor('320000', 'province', 'viewer') },
  { label: 'Yangzhou (city)', region: '321000', actor: agencyActor('321000', 'city', 'viewer') },
  { label: 'Baoying (county)', region: '321023', actor: agencyActor('321023', 'county', 'viewer') },
  { label: 'Gansu (province)', region: '620000', actor: agencyActor('620000', 'province', 'viewer') },
]

const PAGES: { label: string; query: Record<string, string> }[] = [
  { label: 'all', query: {} },
  { label: 'page 500', query: { page: '500' } },
  { label: '智能工厂', query: { level: 'smart_factory' } },
  { label: 'contracted', query: { status: 'contracted' } },
  { label: 'this year', query: { year: String(new Date().getFullYear()) } },
  { label: 'last year, page 50', query: { year: String(new Date().getFullYear() - 1), page: '50' } },
]

const today = new Date().toISOString().slice(0, 10)

await runUseCaseBench({
  script: 'project-pool.ts',
  defaultRuns: 20,
  agencies: AGENCIES,
  pages: PAGES,
  parse: (query) => ZProjectPoolQuery.parse(query),
  floor: (db, regions) =>
    sql`select count(*) as n from needs where region_code in (${sql.join([...regions])}) and status in (${sql.join([
      ...POOL_NEED_STATUSES,
    ])})`.execute(db),
  run: async ({ db }, actor, params) => (await projectPool(db, actor, params, today)).total,
})
