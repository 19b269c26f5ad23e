/**
 * npx tsx tests/bench/dashboard.ts --db <file or postgres://…> [--runs 10]
 *
 * 数据看板 (/agency/dashboard) through its use case alone, on a seeded database at the
 * latest schema (e.g. `npm run seed -- --needs 100000 --db /tmp/pool.db`; nothing is
 * written but the providers' search index's settings, which the supply counts make sure of). Each line is one dashboard as an agency of the demo data opens
 * it, as `agencyDashboard` answers it: the needs by status, industry and scenario, the
 * diagnosis coverage, the contracts, supply against demand and the targets.
 *
 * Figures per call: CPU milliseconds of the process (median, worst) and wall milliseconds
 * (median), and the ratio of the wall median to the floor measured in the same run for
 * the same region: one raw count of its needs of the year (`select count(*) from needs
 * where region_code in (…) and status <> 'draft' and published_at in the year`), the
 * least a dashboard of it reads. The total is the needs the dashboard counted.
 */
import { sql } from 'kysely'
import { agencyDashboard } from '../../app/domain/dashboard/dashboard.server.js'
import { chinaYearBounds, ZDashboardQuery } from '../../app/domain/dashboard/schema.js'
import { createSearchEngine } from '../../search/index.js'
import type { SearchEngine } from '../../search/engine.js'
import { agencyActor, runUseCaseBench } from './use-case.js'

/** Agencies over the demo data's regions: Jiangsu (the most needs), Yangzhou, one county, and Gansu. */
const AGENCIES = [
  { label: 'Jiangsu (province)', region: '320000', actor: agencyActor('320000', 'province', 'viewer') },
  { label: 'Yangzhou (city)', region: '321000', actor: agencyActor('321000', 'city', 'viewer') },
  { label: 'Baoying (county)', region: '321023', actor: agencyActor('321023', 'county', 'viewer') },
  { label: 'Gansu (province)', region: '620000', actor: agencyActor('620000', 'province', 'viewer') },
]

const thisYear = new Date().getFullYear()
const PAGES: { label: string; query: Record<string, string> }[] = [
  { label: 'this year', query: {} },
  { label: 'last year', query: { year: String(thisYear - 1) } },
]

const { from, to } = chinaYearBounds(thisYear)
let engine: SearchEngine | null = null

await runUseCaseBench({
  script: 'dashboard.ts',
  defaultRuns: 10,
  writable: true,
  agencies: AGENCIES,
  pages: PAGES,
  parse: (query) => ZDashboardQuery.parse(query),
  floor: (db, regions) =>
    sql`select count(*) as n from needs where region_code in (${sql.join([...regions])}) and status <> 'draft'
        and published_at >= ${from} and published_at < ${to}`.execute(db),
  run: async ({ db, sqlite }, actor, query) => {
    engine ??= sqlite ? createSearchEngine({ kind: 'sqlite', sqlite }) : createSearchEngine({ kind: 'postgres', db })
    return (await agencyDashboard(db, engine, actor, query)).needs.total
  },
})
