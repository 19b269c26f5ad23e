/**
 * A small deterministic PRNG for demo data: sfc32 seeded through splitmix32, so
 * the same seed gives the same sequence on every platform and Node version
 * (Math.random is never used by the seeders).
 */

function splitmix32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    const mix = splitmix32(seed)
    this.a = mix()
    this.b = mix()
    this.c = mix()
    this.d = mix()
    // Warm up so nearby seeds diverge quickly.
    for (let i = 0; i < 12; i++) this.nextUint32()
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0
    this.c = (this.c + t) >>> 0
    return t
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`int(${min}, ${max}): need integers with min <= max`)
    }
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** One element, uniformly. Throws on an empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list')
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** One element with probability proportional to its weight (weights ≥ 0, sum > 0). */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, w] of entries) total += w
    if (!(total > 0)) throw new RangeError('weighted pick needs a positive total weight')
    let r = this.next() * total
    for (const [value, w] of entries) {
      r -= w
      if (r < 0) return value
    }
    // Floating-point leftovers: return the last entry with a positive weight.
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]
      if (e && e[1] > 0) return e[0]
    }
    throw new RangeError('unreachable')
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const tmp = out[i] as T
      out[i] = out[j] as T
      out[j] = tmp
    }
    return out
  }

  /** n distinct elements (fewer if the list is shorter), in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const out = items.slice()
    const k = Math.max(0, Math.min(n, out.length))
    // Partial Fisher–Yates: only the first k positions are needed.
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.next() * (out.length - i))
      const tmp = out[i] as T
      out[i] = out[j] as T
      out[j] = tmp
    }
    return out.slice(0, k)
  }

  /** An independent generator derived from this one (for sub-streams). */
  fork(): Rng {
    return new Rng(this.nextUint32())
  }
}

export function createRng(seed: number): Rng {
  return new Rng(seed)
}
