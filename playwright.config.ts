import { defineConfig } from '@playwright/test'

const PORT = Number(process.env.E2E_PORT ?? 3100)
// Apart from tests/.tmp, which vitest's global setup wipes.
const DATABASE_PATH = `tests/.e2e/${PORT}/duijie.db`
// A run on its own port (E2E_PORT) builds, and keeps its results, in its own folder too, so two
// runs at once never share build/, test-results/ or the report. REMIX_BUILD_DIR chooses another
// build folder; it must lie inside the checkout (the server build resolves node_modules from there).
const OWN = process.env.E2E_PORT ? `tests/.e2e/${PORT}` : null
const BUILD_DIR = process.env.REMIX_BUILD_DIR ?? (OWN ? `${OWN}/build` : undefined)
// The journeys on PostgreSQL (`npm run test:pg:e2e`): E2E_DATABASE_URL names an empty database
// (tests/support/pg-server-cli.ts makes one on a throwaway server); the server migrates and seeds
// it and searches with PostgreSQL's engine. Unset: SQLite at DATABASE_PATH. Only this variable
// chooses: a DATABASE_URL in the shell never reaches the test server.
const DATABASE_URL = process.env.E2E_DATABASE_URL ?? ''

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: OWN ? `${OWN}/test-results` : 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI
    ? [['list']]
    : [['list'], ['html', { open: 'never', outputFolder: OWN ? `${OWN}/playwright-report` : 'playwright-report' }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      // Without these Chromium stalls on this machine's closed network.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'desktop', use: { viewport: { width: 1280, height: 900 } } }],
  webServer: {
    // A fresh database with demo data, the production build, the real server.
    command: `rm -f ${DATABASE_PATH} ${DATABASE_PATH}-wal ${DATABASE_PATH}-shm && npm run build && tsx seed/prepare.ts && npm run serve`,
    url: `http://localhost:${PORT}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORT: String(PORT),
      DATABASE_PATH,
      DATABASE_URL,
      // On PostgreSQL, its own search engine (parseEnv reads an empty value as unset).
      ...(DATABASE_URL ? { SEARCH_ENGINE: '' } : {}),
      DEMO_NEEDS: '400',
      NODE_ENV: 'production',
      // The recovery journey reads its code on /dev/mailbox: on in production only when
      // asked for like this (never on a real server: anyone could read anyone's codes).
      DEV_MAILBOX: '1',
      ...(BUILD_DIR ? { REMIX_BUILD_DIR: BUILD_DIR } : {}),
    },
  },
})
