/**
 * A throwaway PostgreSQL server from the command line (tests/support/pg-server.ts).
 *
 *   npx tsx tests/support/pg-server-cli.ts
 *     starts one, creates an empty database, prints TEST_DATABASE_URL (the server's
 *     maintenance database, for tools that create their own databases) and
 *     DATABASE_URL (the new database), and waits; Ctrl-C stops it and deletes it.
 *
 *   npx tsx tests/support/pg-server-cli.ts [--var NAME] -- <command> [args…]
 *     runs the command with both variables set, then tears the server down and
 *     exits with the command's status. `--var NAME` passes the new database's URL
 *     as NAME instead of DATABASE_URL (`--var E2E_DATABASE_URL -- npm run test:e2e`
 *     runs the end-to-end journeys on PostgreSQL: playwright.config.ts).
 *
 * With TEST_DATABASE_URL already set, nothing is started: the database is created
 * on that server and dropped afterwards.
 */
import { spawn } from 'node:child_process'
import { createTestDatabase, pgServerFromEnv } from './pg-server.js'

async function main(): Promise<number> {
  const argv = process.argv.slice(2)
  const dash = argv.indexOf('--')
  const command = dash >= 0 ? argv.slice(dash + 1) : []
  const options = dash >= 0 ? argv.slice(0, dash) : argv
  let variable = 'DATABASE_URL'
  if (options[0] === '--var' && options.length === 2 && /^[A-Z_][A-Z0-9_]*$/.test(options[1] ?? '')) variable = options[1]!
  else if (options.length > 0) variable = ''
  if ((dash >= 0 && command.length === 0) || (dash < 0 && argv.length > 0) || !variable) {
    console.error('usage: tsx tests/support/pg-server-cli.ts [[--var NAME] -- <command> [args…]]')
    return 2
  }
  const server = await pgServerFromEnv()
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined
  try {
    database = await createTestDatabase(server.adminUrl, 'dev')
    const env = { ...process.env, TEST_DATABASE_URL: server.adminUrl, [variable]: database.url }
    if (command.length === 0) {
      console.log(`TEST_DATABASE_URL=${server.adminUrl}`)
      console.log(`DATABASE_URL=${database.url}`)
      if (server.dataDir) console.log(`# data directory ${server.dataDir}; Ctrl-C stops the server and deletes it`)
      // Signal listeners alone do not keep Node running.
      const keepAlive = setInterval(() => undefined, 1 << 30)
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve())
        process.once('SIGTERM', () => resolve())
      })
      clearInterval(keepAlive)
      return 0
    }
    const [program, ...args] = command as [string, ...string[]]
    const child = spawn(program, args, { stdio: 'inherit', env })
    const forward = (signal: NodeJS.Signals) => child.kill(signal)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    return await new Promise<number>((resolve) => {
      child.on('error', (error) => {
        console.error(error.message)
        resolve(127)
      })
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
    })
  } finally {
    await database?.drop().catch((error: unknown) => console.error('dropping the database failed', error))
    await server.stop()
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
