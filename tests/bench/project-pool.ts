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
import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import type { Actor } from '../../app/domain/accounts/actor.js'
import { projectPool } from '../../app/domain/project-pool/pool.server.js'
import { POOL_NEED_STATUSES, ZProjectPoolQuery } from '../../app/domain/project-pool/schema.js'
import { jurisdictionCodes } from '../../app/domain/reference/jurisdiction.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import { openDatabase } from '../../db/open.js'
import { isPostgresUrl } from '../../db/postgres.js'
import { pad, percentile } from './stats.js'

interface Args {
  db: string
  runs: number
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { db: '', runs: 20 }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = argv[++i]
    if (flag === '--db' && value) args.db = value
    else if (flag === '--runs' && value) args.runs = Number(value)
    else throw new Error(`usage: npx tsx tests/bench/project-pool.ts --db <file|url> [--runs N] (bad argument ${flag ?? ''})`)
  }
  if (!args.db) throw new Error('--db is required')
  if (!Number.isInteger(args.runs) || args.runs <= 0) throw new Error('--runs takes a positive integer')
  return args
}

/** A viewer of a verified agency of this region: the pool's permission asks no more. */
function agencyActor(regionCode: string, level: 'province' | 'city' | 'county'): Actor {
  return {
    userId: 1,
    org: {
      orgId: 1,
      orgName: 'bench',
      kind: 'agency',
      status: 'verified',
      role: 'viewer',
      membership: 'active',
      regionCode,
      agencyLevel: level,
    },
    regionCode,
    ip: '127.0.0.1',
    contactVerified: true,
  }
}

/** Agencies over the demo data's regions: Jiangsu (the most needs), Yangzhou, one county, and Gansu (a gradient rule set). */
const AGENCIES = [
  { label: 'Jiangsu (province)', region: '320000', actor: agencyActor('320000', 'province') },
  { label: 'Yangzhou (city)', region: '321000', actor: agencyActor('321000', 'city') },
  { label: 'Baoying (county)', region: '321023', actor: agencyActor('321023', 'county') },
  { label: 'Gansu (province)', region: '620000', actor: agencyActor('620000', 'province') },
]

const PAGES: { label: string; query: Record<string, string> }[] = [
  { label: 'all', query: {} },
  { label: 'page 500', query: { page: '500' } },
  { label: '智能工厂', query: { level: 'smart_factory' } },
  { label: 'contracted', query: { status: 'contracted' } },
  { label: 'this year', query: { year: String(new Date().getFullYear()) } },
  { label: 'last year, page 50', query: { year: String(new Date().getFullYear() - 1), page: '50' } },
]

async function timed(runs: number, fn: () => Promise<unknown>): Promise<{ cpu: number[]; wall: number[] }> {
  for (let i = 0; i < 3; i++) await fn()
  const cpu: number[] = []
  const wall: number[] = []
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage()
    const w = performance.now()
    await fn()
    wall.push(performance.now() - w)
    const d = process.cpuUsage(c)
    cpu.push((d.user + d.system) / 1000)
  }
  return { cpu: cpu.sort((a, b) => a - b), wall: wall.sort((a, b) => a - b) }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const opened = openDatabase(
    isPostgresUrl(args.db) ? { dialect: 'postgres', url: args.db } : { dialect: 'sqlite', file: args.db },
    { readonly: true },
  )
  const { db } = opened
  const today = new Date().toISOString().slice(0, 10)
  try {
    const ref = await getReferenceData(db)
    console.log(`${opened.where}, ${args.runs} runs per page`)
    console.log(
      `${pad('agency', 20)} ${pad('page', 20)} ${pad('cpu p50', 8)} ${pad('cpu max', 8)} ${pad('wall p50', 9)} ${pad('× floor', 8)} total`,
    )
    for (const agency of AGENCIES) {
      const regions = jurisdictionCodes(ref, agency.region)
      const floor = await timed(args.runs, () =>
        sql`select count(*) as n from needs where region_code in (${sql.join(regions)}) and status in (${sql.join([
          ...POOL_NEED_STATUSES,
        ])})`.execute(db),
      )
      const floorWall = percentile(floor.wall, 50)
      console.log(
        `${pad(agency.label, 20)} ${pad('floor: raw count', 20)} ${pad('', 8)} ${pad('', 8)} ${pad(floorWall.toFixed(2), 9)}`,
      )
      for (const page of PAGES) {
        const params = ZProjectPoolQuery.parse(page.query)
        let total = 0
        const { cpu, wall } = await timed(args.runs, async () => {
          total = (await projectPool(db, agency.actor, params, today)).total
        })
        const p50 = percentile(wall, 50)
        console.log(
          `${pad(agency.label, 20)} ${pad(page.label, 20)} ${pad(percentile(cpu, 50).toFixed(2), 8)} ${pad(
            (cpu.at(-1) ?? 0).toFixed(2),
            8,
          )} ${pad(p50.toFixed(2), 9)} ${pad((p50 / Math.max(floorWall, 0.01)).toFixed(1), 8)} ${total}`,
        )
      }
    }
  } finally {
    await opened.close()
  }
}

await main()
