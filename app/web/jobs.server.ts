import { sweepSignInGuards } from '../domain/accounts/sign-in-guard.server.js'
import { flagLateMilestones } from '../domain/contracts/late.server.js'
import { flagExpiredQualifications } from '../domain/evaluation/qualification-expiry.server.js'
import { notifySavedSearches } from '../domain/matching/saved-searches.server.js'
import { scheduleDelivery } from '../domain/messaging/outbox.server.js'
import { runSpreadsheetTasks } from '../domain/spreadsheets/tasks.server.js'
import { expireNeeds } from '../domain/needs/expiry.server.js'
import { enqueueProvidersWithValidityChange } from '../domain/providers/search-index.server.js'
import { sweepRateLimitEvents } from '../utils/rate-limit.server.js'
import { getEnv } from '../utils/env.server.js'
import { startScheduler, type RunningScheduler, type ScheduledJob } from '../utils/scheduler.server.js'
import type { AppServices } from './services.server.js'

/**
 * The app's scheduled jobs. Every instance starts them; each job's lease
 * (app/utils/scheduler.server.ts, db/leases.ts) lets one instance run it at a time, about
 * once per interval whatever the number of instances.
 *
 * - search-outbox: applies outbox rows nobody flushed (an engine that was down, a
 *   crashed instance's claims once their lease has run out). Writes flush right after
 *   their commit; this is the safety net.
 * - message-outbox: sends what is pending (retries after a failed send, a crashed
 *   instance's messages) and clears mailbox messages past their use.
 * - sweeps: forgets rate-limit attempts older than any window and sign-in guards nobody
 *   touched for a day.
 * - provider-validity: re-indexes the providers whose qualifications began or expired
 *   lately (a date passing changes what the directory finds them by, with no write).
 * - need-expiry: published needs whose deadline (投标截止) has passed become expired and
 *   leave the hall (app/domain/needs/expiry.server.ts; also `npm run needs:expire`).
 * - saved-search-notify: e-mails providers the needs newly published that their saved
 *   searches find (app/domain/matching/saved-searches.server.ts; also `npm run needs:notify`).
 *   It searches, so it needs the engine: without one (tests) it is left out.
 * - milestone-late: flags the milestones of active contracts past their due date, once,
 *   and tells both parties (app/domain/contracts/late.server.ts; also `npm run contracts:late`).
 * - qualification-expiry: flags each provider qualification past its validity once, tells the
 *   provider and lists it for the agencies over it (app/domain/evaluation/qualification-expiry.server.ts).
 * - spreadsheet-tasks: runs an agency's queued Excel exports and imports one at a time
 *   (app/domain/spreadsheets/tasks.server.ts), writing progress as it goes; each task also
 *   holds its own lease, so a task whose instance died is taken over.
 */
export function scheduledJobs({
  db,
  indexer,
  search,
}: Pick<AppServices, 'db' | 'indexer'> & Partial<Pick<AppServices, 'search'>>): ScheduledJob[] {
  return [
    { name: 'search-outbox', everyMs: 10_000, leaseMs: 5 * 60_000, run: () => indexer.processOutbox() },
    { name: 'message-outbox', everyMs: 30_000, leaseMs: 10 * 60_000, run: () => scheduleDelivery(db) },
    {
      name: 'sweeps',
      everyMs: 10 * 60_000,
      run: async () => {
        await sweepRateLimitEvents(db)
        await sweepSignInGuards(db)
      },
    },
    { name: 'provider-validity', everyMs: 6 * 60 * 60_000, run: () => enqueueProvidersWithValidityChange(db) },
    { name: 'need-expiry', everyMs: 60 * 60_000, leaseMs: 30 * 60_000, run: () => expireNeeds(db) },
    { name: 'milestone-late', everyMs: 60 * 60_000, leaseMs: 30 * 60_000, run: () => flagLateMilestones(db) },
    {
      name: 'qualification-expiry',
      everyMs: 6 * 60 * 60_000,
      leaseMs: 30 * 60_000,
      run: () => flagExpiredQualifications(db),
    },
    { name: 'spreadsheet-tasks', everyMs: 3_000, leaseMs: 5 * 60_000, run: () => runSpreadsheetTasks(db) },
    ...(search
      ? [
          {
            name: 'saved-search-notify',
            everyMs: 15 * 60_000,
            leaseMs: 10 * 60_000,
            run: () => notifySavedSearches(db, search, new Date(), { baseUrl: getEnv().PUBLIC_URL }),
          },
        ]
      : []),
  ]
}

/** Starts the jobs (server start-up); `stop()` on shutdown. */
export function startScheduledJobs(services: Pick<AppServices, 'db' | 'indexer' | 'search'>): RunningScheduler {
  return startScheduler(services.db, scheduledJobs(services))
}
