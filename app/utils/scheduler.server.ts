import type { Database } from '../../db/connection.js'
import { PROCESS_HOLDER, releaseLease, renewLease, takeLease } from '../../db/leases.js'

/**
 * Scheduled jobs for any number of app instances on one database (issue 10): each
 * instance ticks every job's timer, and a tick runs the job only when it takes the
 * job's lease (db/leases.ts). After a run the lease is kept for the job's interval, so
 * however many instances tick, the job runs about once per interval, on one of them,
 * never on two at once. A run that lasts renews its lease; a holder that dies stops
 * renewing and the next instance takes the job over once the lease has run out.
 */

export interface ScheduledJob {
  /** The lease's name: one per job, at most 64 characters. */
  name: string
  /** How often the job should run (on one instance or another). */
  everyMs: number
  /** Longest a run may take before another instance may assume this one died (default 5 min). */
  leaseMs?: number
  run(): Promise<unknown>
}

export interface RunningScheduler {
  /** Stops the timers; awaits the runs under way. */
  stop(): Promise<void>
}

const DEFAULT_LEASE_MS = 5 * 60_000
/**
 * After a run the lease is kept for this share of the interval: a little less than
 * all of it, so the instance that ran it (ticking every interval) is not refused at
 * its own next tick.
 */
const KEEP_SHARE = 0.9

/**
 * Runs `job` once if this holder can take its lease: renews the lease meanwhile and
 * keeps it for most of `everyMs` afterwards. Returns whether it ran. A failing run is logged,
 * and its lease is released at once so another instance retries at its next tick.
 */
export async function runLeased(
  db: Database,
  job: ScheduledJob,
  holder: string = PROCESS_HOLDER,
  log: Pick<Console, 'error'> = console,
): Promise<boolean> {
  const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS
  if (!(await takeLease(db, job.name, holder, leaseMs))) return false
  const renew = setInterval(
    () => {
      renewLease(db, job.name, holder, leaseMs).catch((error: unknown) =>
        log.error(`job ${job.name}: renewing its lease failed`, error),
      )
    },
    Math.max(1_000, Math.floor(leaseMs / 3)),
  )
  renew.unref()
  let ok = false
  try {
    await job.run()
    ok = true
  } catch (error) {
    log.error(`job ${job.name} failed`, error)
  } finally {
    clearInterval(renew)
    await releaseLease(db, job.name, holder, { keepForMs: ok ? Math.floor(job.everyMs * KEEP_SHARE) : 0 }).catch(
      (error: unknown) => log.error(`job ${job.name}: releasing its lease failed`, error),
    )
  }
  return true
}

/**
 * Starts every job's timer (ticks at its interval, with a random first delay so that
 * instances started together do not all ask at once). Timers do not keep the process
 * alive. `stop()` ends them.
 */
export function startScheduler(db: Database, jobs: readonly ScheduledJob[], holder: string = PROCESS_HOLDER): RunningScheduler {
  const timers = new Set<NodeJS.Timeout>()
  const running = new Set<Promise<unknown>>()
  let stopped = false
  for (const job of jobs) {
    let busy = false
    const tick = () => {
      if (stopped || busy) return
      busy = true
      const run = runLeased(db, job, holder)
        .catch((error: unknown) => console.error(`job ${job.name}: could not take its lease`, error))
        .finally(() => {
          busy = false
          running.delete(run)
        })
      running.add(run)
    }
    const first = setTimeout(
      () => {
        timers.delete(first)
        tick()
        const every = setInterval(tick, job.everyMs)
        every.unref()
        timers.add(every)
      },
      Math.floor(Math.random() * Math.min(job.everyMs, 5_000)),
    )
    first.unref()
    timers.add(first)
  }
  return {
    async stop() {
      stopped = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
      await Promise.allSettled([...running])
    },
  }
}
