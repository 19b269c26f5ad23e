import type { Kysely } from 'kysely'
import type { DB } from '../../../../db/types.js'
import type { CrossCheck, ImportOptions } from '../exchange-type.server.js'
import type { ExchangeIds } from '../ids.server.js'
import type { ExchangeIssue } from '../issues.js'
import { ORGANISATION } from './organisation.server.js'

const CHUNK = 500

/*
 * Who acted, for the lines of bids, contracts and ratings (docs/exchange.md, "Who
 * acted"): the format carries organisations, not people. A bid is made, a contract
 * confirmed, a supervisor appointed, a rating given or replied by the organisation's first
 * active owner on this platform, else by the operator running the import; a line whose
 * organisation has neither is refused (`exchange.v.actorNeeded`).
 */

/** The first active owner of each organisation. */
export async function ownersOf(db: Kysely<DB>, orgIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  const ids = [...new Set(orgIds)]
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const r of await db
      .selectFrom('memberships')
      .select(['org_id', 'user_id'])
      .where('org_id', 'in', ids.slice(i, i + CHUNK))
      .where('role', '=', 'owner')
      .where('status', '=', 'active')
      .orderBy('org_id')
      .orderBy('user_id')
      .execute())
      if (!out.has(r.org_id)) out.set(r.org_id, r.user_id)
  }
  return out
}

/** The person acting for each organisation: its owner, else the operator; throws when neither (validation prevents it). */
export async function actorsFor(
  db: Kysely<DB>,
  options: ImportOptions,
  orgIds: readonly number[],
): Promise<(orgId: number) => number> {
  const owners = await ownersOf(db, orgIds)
  return (orgId) => {
    const id = owners.get(orgId) ?? options.operator?.userId
    if (id === undefined) throw new Error(`exchange: no one acts for organisation ${orgId}`)
    return id
  }
}

/**
 * The check behind actorsFor: each line names the organisations someone acted for; without
 * an operator, those not in the database or without an owner are reported at their line.
 */
export function actorChecks<R>(
  options: ImportOptions,
  actingOrgs: (record: R) => { path: (string | number)[]; organisation: string }[],
  extra?: CrossCheck<R>,
): CrossCheck<R> {
  const wanted: { line: number; path: (string | number)[]; organisation: string }[] = []
  return {
    add(record, line) {
      if (!options.operator) for (const a of actingOrgs(record)) wanted.push({ line, ...a })
      return extra?.add(record, line) ?? []
    },
    async finish(db, ids: ExchangeIds) {
      const issues: ExchangeIssue[] = [...((await extra?.finish(db, ids)) ?? [])]
      if (wanted.length === 0) return issues
      await ids.load(
        ORGANISATION,
        wanted.map((w) => w.organisation),
        db,
      )
      const owners = await ownersOf(
        db,
        wanted.map((w) => ids.get(ORGANISATION, w.organisation)).filter((id): id is number => id !== undefined),
      )
      for (const w of wanted) {
        const id = ids.get(ORGANISATION, w.organisation)
        if (id === undefined || !owners.has(id)) {
          issues.push({ line: w.line, path: w.path, key: 'exchange.v.actorNeeded', params: { id: w.organisation } })
        }
      }
      return issues
    },
  }
}

/** The earliest external id of each row in an id space (what an export gave it), for facts. */
export async function externalIdsOf(db: Kysely<DB>, space: string, entityIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>()
  const ids = [...new Set(entityIds)]
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const r of await db
      .selectFrom('exchange_ids')
      .select(['entity_id', 'external_id'])
      .where('type', '=', space)
      .where('entity_id', 'in', ids.slice(i, i + CHUNK))
      .orderBy('created_at')
      .orderBy('external_id')
      .execute())
      if (!out.has(Number(r.entity_id))) out.set(Number(r.entity_id), r.external_id)
  }
  return out
}

/** Hundredths of 万元 ↔ 万元 with two decimals. */
export const wanToX100 = (wan: number): number => Math.round(wan * 100)
export const x100ToWan = (x100: number): number => Number(x100) / 100

/** A timestamp column as the format writes it. */
export function isoOrNull(v: string | Date | null | undefined): string | null {
  return v === null || v === undefined ? null : new Date(v).toISOString()
}
