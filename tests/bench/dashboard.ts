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
import { jurisdictionCodes } from '../../app/domain/reference/jurisdiction.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import { createSearchEngine } from '../../search/index.js'
import { agencyActor, floorLine, HEADER, openBenchDatabase, pageLine, parseUseCaseArgs, timed } from './use-case.js'

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

async function main(): Promise<void> {
  const args = parseUseCaseArgs(process.argv.slice(2), 'dashboard.ts', 10)
  const opened = openBenchDatabase(args.db, true)
  const { db } = opened
  const engine = opened.sqlite
    ? createSearchEngine({ kind: 'sqlite', sqlite: opened.sqlite })
    : createSearchEngine({ kind: 'postgres', db })
  try {
    const ref = await getReferenceData(db)
    console.log(`${opened.where}, ${args.runs} runs per page`)
    console.log(HEADER)
    for (const agency of AGENCIES) {
      const regions = jurisdictionCodes(ref, agency.region)
      const { from, to } = chinaYearBounds(thisYear)
      const floor = floorLine(
        agency.label,
        'raw count',
        await timed(args.runs, () =>
          sql`select count(*) as n from needs where region_code in (${sql.join(regions)}) and status <> 'draft'
              and published_at >= ${from} and published_at < ${to}`.execute(db),
        ),
      )
      console.log(floor.line)
      for (const page of PAGES) {
        const query = ZDashboardQuery.parse(page.query)
        let total = 0
        const t = await timed(args.runs, async () => {
          total = (await agencyDashboard(db, engine, agency.actor, query)).needs.total
        })
        console.log(pageLine(agency.label, page.label, t, floor.wall, total))
      }
    }
  } finally {
    await opened.close()
  }
}

await main()
