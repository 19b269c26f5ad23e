import fs from 'node:fs'
import path from 'node:path'

/**
 * How the benches seed a database with the build's own generator (seed/cli.ts): the
 * needs asked for and, where the build's generator knows providers (issue 11 on), one
 * provider per ten needs — 10 000 at 100 000 needs, the directory's and the capability
 * map's benchmark size — or BENCH_PROVIDERS (`--providers N` sets it).
 */
export function providersFor(needs: number): number {
  const raw = process.env.BENCH_PROVIDERS
  if (raw !== undefined) {
    const n = Number(raw)
    if (!Number.isInteger(n) || n < 0) throw new Error(`BENCH_PROVIDERS must be an integer ≥ 0, got ${raw}`)
    return n
  }
  return Math.round(needs / 10)
}

/** Does the build's seed CLI take --providers (an older commit benchmarked with --ref may not)? */
export function seedKnowsProviders(buildDir: string): boolean {
  try {
    return fs.readFileSync(path.join(buildDir, 'seed/cli.ts'), 'utf8').includes("'--providers'")
  } catch {
    return false
  }
}

/** The tag a seeded database's file or name carries, so a cached one is reused only for the same data. */
export function seedTag(buildDir: string, needs: number): string {
  return seedKnowsProviders(buildDir) ? `needs-${needs}-providers-${providersFor(needs)}` : `needs-${needs}`
}

/** node arguments running the build's seed CLI for `needs` into `db` (a file or a postgres:// URL). */
export function seedCliArgs(buildDir: string, needs: number, seed: number, db: string): string[] {
  const args = ['--import', 'tsx', 'seed/cli.ts', '--needs', String(needs), '--seed', String(seed), '--db', db]
  if (seedKnowsProviders(buildDir)) args.push('--providers', String(providersFor(needs)))
  return args
}
