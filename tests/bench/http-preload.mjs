/**
 * Preloaded into the server the HTTP bench starts (`node --import <this file>`), so
 * the server's own code stays untouched. Measures inside the server process and
 * answers the bench over the IPC channel it was forked with:
 *
 *   { type: 'reset' }                  start a measurement window
 *   { type: 'read' }                   → event-loop delay (max, p99, mean), CPU time
 *                                         and event-loop utilisation since 'reset'
 *   { type: 'profile-start' }          start V8's CPU profiler (as `--cpu-prof` does)
 *   { type: 'profile-stop', file }     stop it and write a .cpuprofile to `file`, frames
 *                                       annotated with their source file and line when the
 *                                       server runs with --enable-source-maps
 *
 * Each message carries an `id` that the answer repeats. SIGTERM exits normally, so a
 * whole-run `--cpu-prof` profile is written too.
 */
import fs from 'node:fs'
import { Session } from 'node:inspector/promises'
import { findSourceMap } from 'node:module'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'

const RESOLUTION_MS = 5

const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
delay.enable()
let cpuAt = process.cpuUsage()
let eluAt = performance.eventLoopUtilization()
let session = null

async function handle(message) {
  switch (message.type) {
    case 'reset':
      delay.reset()
      cpuAt = process.cpuUsage()
      eluAt = performance.eventLoopUtilization()
      return {}
    case 'read': {
      const cpu = process.cpuUsage(cpuAt)
      const elu = performance.eventLoopUtilization(eluAt)
      // The histogram records how late a timer of RESOLUTION_MS fired: the longest
      // stretch the loop could not turn is about max + RESOLUTION_MS.
      return {
        maxDelayMs: delay.max / 1e6,
        p99DelayMs: delay.count > 0 ? delay.percentile(99) / 1e6 : 0,
        meanDelayMs: delay.count > 0 ? delay.mean / 1e6 : 0,
        cpuMs: (cpu.user + cpu.system) / 1000,
        utilisation: elu.utilization,
        rssMiB: process.memoryUsage().rss / 1024 / 1024,
      }
    }
    case 'profile-start':
      if (!session) {
        session = new Session()
        session.connect()
      }
      await session.post('Profiler.enable')
      await session.post('Profiler.setSamplingInterval', { interval: 250 })
      await session.post('Profiler.start')
      return {}
    case 'profile-stop': {
      const { profile } = await session.post('Profiler.stop')
      annotate(profile)
      fs.writeFileSync(message.file, JSON.stringify(profile))
      return { file: message.file }
    }
    default:
      return { error: `unknown message ${String(message.type)}` }
  }
}

/**
 * Adds each frame's source position (originalSource, originalLine, 0-based) where the
 * process has a source map for its file: the bundled build and the TypeScript tsx
 * compiles on the fly. Needs `--enable-source-maps`; without it frames stay as they are.
 */
function annotate(profile) {
  const maps = new Map()
  for (const node of profile.nodes) {
    const frame = node.callFrame
    if (!frame.url || frame.url.includes('/node_modules/') || !frame.url.startsWith('file:')) continue
    let map = maps.get(frame.url)
    if (map === undefined) {
      try {
        map = findSourceMap(frame.url) ?? null
      } catch {
        map = null
      }
      maps.set(frame.url, map)
    }
    if (!map) continue
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber)
    if (entry && entry.originalSource) {
      frame.originalSource = entry.originalSource
      frame.originalLine = entry.originalLine
    }
  }
}

if (process.send) {
  process.on('message', (message) => {
    if (!message || typeof message !== 'object' || !('type' in message)) return
    handle(message).then(
      (answer) => process.send?.({ id: message.id, ...answer }),
      (error) => process.send?.({ id: message.id, error: String(error?.stack ?? error) }),
    )
  })
  // The IPC channel must not keep a server that stopped listening alive.
  process.channel?.unref()
}

process.on('SIGTERM', () => process.exit(0))
