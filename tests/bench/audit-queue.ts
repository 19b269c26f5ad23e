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
 * and wall milliseconds (median); on PostgreSQL most of the work is the server's, so
 * read the wall time there.
 */
import { performance } from 'node:perf_hooks'
import type { Actor } from '../../app/domain/accounts/actor.js'
import { listAuditQueue } from '../../app/domain/orgs/audit-queue.server.js'
import { ZAuditQueueParams } from '../../app/domain/orgs/schema.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import { openDatabase } from '../../db/open.js'
import { isPostgresUrl } from '../../db/postgres.js'
import { pad, percentile } from './stats.js'

interface Args {
  db: string
  runs: number
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { db: '', runs: 30 }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = argv[++i]
    if (flag === '--db' && value) args.db = value
    else if (flag === '--runs' && value) args.runs = Number(value)
    else throw new Error(`usage: npx tsx tests/bench/audit-queue.ts --db <file|url> [--runs N] (bad argument ${flag ?? ''})`)
  }
  if (!args.db) throw new Error('--db is required')
  if (!Number.isInteger(args.runs) || args.runs <= 0) throw new Error('--runs takes a positive integer')
  return args
}

/** An owner of a verified agency of this region: what the queue's permission asks for. */
function agencyActor(regionCode: string, level: 'province' | 'city' | 'county'): Actor {
  return {
    userId: 1,
    org: {
      orgId: 1,
      orgName: 'bench',
      kind: 'agency',
      status: 'verified',
      role: 'owner',
      membership: 'active',
      regionCode,
      agencyLevel: level,
    },
    regionCode,
    ip: '127.0.0.1',
    contactVerified: true,
  }
}

/** Agencies of the demo data (seed/demo.ts): Jiangsu, Yangzhou and one of its counties. */
const AGENCIES = [
  { label: 'Yangzhou (city)', actor: agencyActor('321000', 'city') },
  { label: 'Jiangsu (province)', actor: agencyActor('320000', 'province') },
  { label: 'Baoying (county)', actor: agencyActor('321023', 'county') },
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

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const opened = openDatabase(
    isPostgresUrl(args.db) ? { dialect: 'postgres', url: args.db } : { dialect: 'sqlite', file: args.db },
    { readonly: true },
  )
  const { db } = opened
  try {
    await getReferenceData(db)
    console.log(`${opened.where}, ${args.runs} runs per page`)
    console.log(`${pad('agency', 20)} ${pad('page', 22)} ${pad('cpu p50', 8)} ${pad('cpu max', 8)} ${pad('wall p50', 9)} total`)
    for (const agency of AGENCIES) {
      for (const page of PAGES) {
        const params = ZAuditQueueParams.parse(page.query)
        const run = () => listAuditQueue(db, agency.actor, params)
        for (let i = 0; i < 3; i++) await run()
        const cpu: number[] = []
        const wall: number[] = []
        let total = 0
        for (let i = 0; i < args.runs; i++) {
          const c = process.cpuUsage()
          const w = performance.now()
          total = (await run()).queue.total
          wall.push(performance.now() - w)
          const d = process.cpuUsage(c)
          cpu.push((d.user + d.system) / 1000)
        }
        cpu.sort((a, b) => a - b)
        wall.sort((a, b) => a - b)
        console.log(
          `${pad(agency.label, 20)} ${pad(page.label, 22)} ${pad(percentile(cpu, 50).toFixed(2), 8)} ${pad(
            (cpu.at(-1) ?? 0).toFixed(2),
            8,
          )} ${pad(percentile(wall, 50).toFixed(2), 9)} ${total}`,
        )
      }
    }
  } finally {
    await opened.close()
  }
}

await main()
