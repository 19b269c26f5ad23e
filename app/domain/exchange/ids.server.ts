import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import type { IdSpace } from './exchange-type.server.js'

/** Rows per IN (…) list: far below SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * External ids (exchange_ids) ↔ rows, cached for one import or export. A mapping
 * whose row is gone (deleted in the app since) counts as no mapping: the importer then
 * creates the object again and points the id at the new row.
 */
export class ExchangeIds {
  private readonly known = new Map<string, Map<string, number | null>>()
  /** Mappings staged by a writer, written by flush() in multi-row statements. */
  private staged: { type: string; external_id: string; entity_id: number; created_at: string }[] = []

  constructor(
    private readonly db: Kysely<DB>,
    private readonly spaces: ReadonlyMap<string, IdSpace>,
  ) {}

  private space(name: string): IdSpace {
    const space = this.spaces.get(name)
    if (!space) throw new Error(`unknown exchange id space ${name}`)
    return space
  }

  private cache(space: string): Map<string, number | null> {
    let map = this.known.get(space)
    if (!map) {
      map = new Map()
      this.known.set(space, map)
    }
    return map
  }

  /** Reads the rows of these external ids that are not cached yet (through `db`, or a transaction). */
  async load(space: string, externalIds: Iterable<string>, db: Kysely<DB> = this.db): Promise<void> {
    const { table } = this.space(space)
    const cache = this.cache(space)
    const wanted = [...new Set(externalIds)].filter((id) => !cache.has(id))
    for (const part of chunks(wanted)) {
      const rows = await db
        .selectFrom('exchange_ids as x')
        .innerJoin(`${table} as t` as 'organisations as t', 't.id', 'x.entity_id')
        .select(['x.external_id', 'x.entity_id'])
        .where('x.type', '=', space)
        .where('x.external_id', 'in', part)
        .execute()
      for (const id of part) cache.set(id, null)
      for (const r of rows) cache.set(r.external_id, Number(r.entity_id))
    }
  }

  /** The row an external id names (after load), or undefined. */
  get(space: string, externalId: string): number | undefined {
    return this.cache(space).get(externalId) ?? undefined
  }

  /** The row an external id names; throws when it names none (the validation let a dangling reference through). */
  require(space: string, externalId: string): number {
    const id = this.get(space, externalId)
    if (id === undefined) throw new Error(`exchange: ${space} ${externalId} was not resolved`)
    return id
  }

  /**
   * Points an external id at a row (a new object, or one whose earlier row is gone): at
   * once for get(), in the database at the next flush().
   */
  stage(space: string, externalId: string, entityId: number, now: string): void {
    this.space(space)
    this.cache(space).set(externalId, entityId)
    this.staged.push({ type: space, external_id: externalId, entity_id: entityId, created_at: now })
  }

  /** Writes the staged mappings (call before the transaction ends). */
  async flush(db: Kysely<DB>): Promise<void> {
    const rows = this.staged
    this.staged = []
    for (const part of chunks(rows)) {
      await db
        .insertInto('exchange_ids')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['type', 'external_id']).doUpdateSet((eb) => ({ entity_id: eb.ref('excluded.entity_id') })),
        )
        .execute()
    }
  }

  /**
   * The external id of each row, for an export: the earliest one given to it, or a new
   * one (`dj-org-12`, with `-2`, `-3` … should another row hold that already), stored so
   * the next export and any re-import name the same row.
   */
  async assign(db: Kysely<DB>, space: string, entityIds: readonly number[], now: string): Promise<Map<number, string>> {
    const { exportPrefix } = this.space(space)
    const out = new Map<number, string>()
    for (const part of chunks([...new Set(entityIds)])) {
      const rows = await db
        .selectFrom('exchange_ids')
        .select(['entity_id', 'external_id'])
        .where('type', '=', space)
        .where('entity_id', 'in', part)
        .orderBy('created_at')
        .orderBy('external_id')
        .execute()
      for (const r of rows) if (!out.has(Number(r.entity_id))) out.set(Number(r.entity_id), r.external_id)
      const missing = part.filter((id) => !out.has(id))
      if (missing.length === 0) continue
      const proposed = new Map(missing.map((id) => [id, `dj-${exportPrefix}-${id}`]))
      const taken = new Set(
        (
          await db
            .selectFrom('exchange_ids')
            .select('external_id')
            .where('type', '=', space)
            .where('external_id', 'in', [...proposed.values()])
            .execute()
        ).map((r) => r.external_id),
      )
      for (const [id, candidate] of proposed) {
        let ext = candidate
        for (let n = 2; taken.has(ext); n++) {
          ext = `${candidate}-${n}`
          if (!taken.has(ext)) {
            const row = await db
              .selectFrom('exchange_ids')
              .select('external_id')
              .where('type', '=', space)
              .where('external_id', '=', ext)
              .executeTakeFirst()
            if (row) taken.add(ext)
          }
        }
        taken.add(ext)
        out.set(id, ext)
      }
      const values = missing.map((id) => ({ type: space, external_id: out.get(id)!, entity_id: id, created_at: now }))
      await db.insertInto('exchange_ids').values(values).execute()
    }
    return out
  }
}
