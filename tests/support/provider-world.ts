import type { Database } from '../../db/connection.js'
import { onSearchOutboxCommitted } from '../../search/outbox.js'
import { PROVIDER_ENTITY_TYPE } from '../../app/domain/providers/search-index.server.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, signIn } from './factories.js'

/*
 * Providers' profile and cases tests: organisations with signed-in people, and what
 * their writes leave behind (audit rows, search outbox entries).
 */

export const db = (): Database => services().db

export interface Person {
  userId: number
  orgId: number
  cookie: string
}

/** Someone signed in for an organisation (a new one of `kind`, or `orgId`), as `role`. */
export async function person(
  o: {
    kind?: 'enterprise' | 'provider' | 'agency'
    status?: 'pending' | 'verified' | 'rejected'
    region?: string
    orgId?: number
    role?: 'owner' | 'member' | 'reviewer' | 'viewer'
    name?: string
  } = {},
): Promise<Person> {
  const orgId =
    o.orgId ??
    (await insertOrg(db(), {
      kind: o.kind ?? 'provider',
      status: o.status ?? 'verified',
      region: o.region ?? '321003',
      ...(o.kind === 'agency' ? { agencyLevel: 'city' as const } : {}),
    }))
  const user = await insertUser(db(), { name: o.name ?? '测试人员' })
  await addMember(db(), user.id, orgId, o.role ?? 'owner')
  const { cookie } = await signIn(db(), user.id, orgId)
  return { userId: user.id, orgId, cookie }
}

export const parse = (outcome: { body: string }) => JSON.parse(outcome.body)

export async function auditRows(action: string, objectType?: string, objectId?: number | string) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action as never)
    .$if(objectType !== undefined, (q) => q.where('object_type', '=', objectType!))
    .$if(objectId !== undefined, (q) => q.where('object_id', '=', String(objectId)))
    .orderBy('id')
    .execute()
}

/**
 * The provider ids enqueued for the search index, as committed: read from the outbox
 * when a commit notifies it, before the indexer (subscribed later, on the first
 * services() call) applies and removes the rows. Call at a test file's top level.
 */
export function watchProviderOutbox(): { seen: number[]; clear: () => void } {
  const seen: number[] = []
  onSearchOutboxCommitted(async () => {
    const rows = await services()
      .db.selectFrom('search_outbox')
      .select('entity_id')
      .where('entity_type', '=', PROVIDER_ENTITY_TYPE)
      .execute()
    for (const r of rows) seen.push(Number(r.entity_id))
  })
  return { seen, clear: () => void seen.splice(0) }
}

/** Rows of a table for an organisation (or a case), as a count. */
export async function countWhere(
  table:
    | 'provider_profiles'
    | 'provider_industries'
    | 'provider_scenarios'
    | 'provider_regions'
    | 'provider_qualifications'
    | 'provider_cases',
  orgId: number,
): Promise<number> {
  const row = await db()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
