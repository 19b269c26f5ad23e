/** Nearest-rank percentile of an already sorted list (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN
}

export interface Timing {
  p50: number
  p95: number
}

/**
 * Runs `fn` `warmup` times untimed, then `runs` times, and returns p50/p95 in
 * milliseconds. `before` runs untimed ahead of every call (to drop caches).
 */
export async function time(runs: number, warmup: number, fn: (i: number) => unknown, before?: () => unknown): Promise<Timing> {
  for (let i = 0; i < warmup; i++) {
    await before?.()
    await fn(i)
  }
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    await before?.()
    const start = process.hrtime.bigint()
    await fn(i)
    samples.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  samples.sort((a, b) => a - b)
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) }
}

export function ms(n: number): string {
  return Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '–'
}

export function pad(text: string, width: number): string {
  // CJK characters take two columns in a terminal.
  let cols = 0
  for (const ch of text) cols += /[\u1100-\uffff]/u.test(ch) ? 2 : 1
  return text + ' '.repeat(Math.max(0, width - cols))
}
