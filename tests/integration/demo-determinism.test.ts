import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/connection'
import { generateDemo, type GenerateDemoOptions } from '../../seed/demo-writer'

// The per-file database is a fresh copy of the migrated template with reference
// data; copy it before anything writes to get more fresh databases.
const source = process.env.DATABASE_PATH ?? ''
const files: string[] = []

function freshCopy(): string {
  const file = path.join(path.dirname(source), `demo-det-${crypto.randomUUID()}.db`)
  fs.copyFileSync(source, file)
  files.push(file)
  return file
}

async function run(opts: GenerateDemoOptions) {
  const { db, sqlite } = createDb(freshCopy())
  try {
    const result = await generateDemo(db, sqlite, opts)
    const dump = (table: string, order: string) => sqlite.prepare(`select * from ${table} order by ${order}`).all()
    return {
      result,
      needs: dump('needs', 'id'),
      scenarios: dump('need_scenarios', 'need_id, scenario_code'),
      organisations: dump('organisations', 'id'),
    }
  } finally {
    await db.destroy()
  }
}

afterAll(() => {
  for (const f of files) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(f + suffix, { force: true })
})

describe('generateDemo determinism', () => {
  it('same seed into two fresh databases → identical rows and records', async () => {
    const a = await run({ needs: 1500, seed: 42 })
    const b = await run({ needs: 1500, seed: 42 })
    expect(a.needs).toHaveLength(1500)
    expect(b.needs).toEqual(a.needs)
    expect(b.scenarios).toEqual(a.scenarios)
    expect(b.organisations).toEqual(a.organisations)
    expect(b.result).toEqual(a.result)
  })

  it('the default seed is stable too, and a different seed gives different data', async () => {
    const a = await run({ needs: 300 })
    const b = await run({ needs: 300 })
    const c = await run({ needs: 300, seed: 43 })
    expect(b.needs).toEqual(a.needs)
    expect(c.needs).not.toEqual(a.needs)
    expect(c.organisations).not.toEqual(a.organisations)
  })

  it('moves the timeline with `now` and nothing else', async () => {
    const a = await run({ needs: 200, seed: 5 })
    const b = await run({ needs: 200, seed: 5, now: new Date('2027-11-01T00:00:00.000Z') })
    const strip = (rows: unknown[]) =>
      rows.map((r) => {
        const { created_at: _c, updated_at: _u, published_at: _p, expected_start: _e, ...rest } = r as Record<string, unknown>
        return rest
      })
    expect(strip(b.needs)).toEqual(strip(a.needs))
    const maxCreated = (rows: unknown[]) =>
      rows
        .map((r) => String((r as { created_at: string }).created_at))
        .sort()
        .at(-1) ?? ''
    expect(maxCreated(b.needs) > '2027-01-01').toBe(true)
    expect(maxCreated(a.needs) < '2026-11-01').toBe(true)
  })
})
