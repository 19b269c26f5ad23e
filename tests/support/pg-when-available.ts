/**
 * `npm test`'s last step: the PostgreSQL run (`npm run test:pg`: the integration suite,
 * then the end-to-end journeys) when PostgreSQL is at hand — Debian's server binaries
 * (/usr/lib/postgresql/<version>/bin, or PG_BIN) or a TEST_DATABASE_URL — and otherwise
 * a message saying it was skipped and how to get it. TEST_PG=require makes a missing
 * PostgreSQL an error (a CI that must run both); TEST_PG=skip leaves the run out.
 */
import { spawnSync } from 'node:child_process'
import { pgUnavailableReason } from './pg-server.js'

const mode = process.env.TEST_PG ?? 'auto'
if (!['auto', 'require', 'skip'].includes(mode)) {
  console.error(`TEST_PG must be auto, require or skip (got "${mode}")`)
  process.exit(2)
}
const reason = mode === 'skip' ? 'TEST_PG=skip' : pgUnavailableReason()
if (reason) {
  const lines = [
    '',
    `PostgreSQL run skipped (${reason}).`,
    'Everything above ran on SQLite. To run it on PostgreSQL too: apt-get install postgresql (Debian 12: PostgreSQL 15),',
    'or set TEST_DATABASE_URL to a server this account may create databases on; then npm test, or npm run test:pg alone.',
    '',
  ]
  if (mode === 'require') {
    console.error(lines.join('\n').replace('skipped', 'required but unavailable'))
    process.exit(1)
  }
  console.log(lines.join('\n'))
  process.exit(0)
}
const started = Date.now()
const run = spawnSync('npm', ['run', 'test:pg'], { stdio: 'inherit' })
console.log(`\nPostgreSQL run: ${run.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`)
process.exit(run.status ?? 1)
