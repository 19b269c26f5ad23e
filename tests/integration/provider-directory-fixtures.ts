import type { Database } from '../../db/connection.js'
import { enqueueProviderChange } from '../../app/domain/providers/search-index.server.js'
import { withTransaction } from '../../db/transaction.js'
import { insertOrg } from '../support/factories.js'

/**
 * Providers with profiles and cases written straight into the tables (the profile
 * slice's use cases are tested on their own), for the directory and capability map
 * tests. `indexNow` enqueues them and commits: services() flushes the outbox.
 */

export interface CaseSpec {
  title?: string
  client?: string
  anonymised?: boolean
  industry: string
  scenarios: string[]
  summary?: string
  metrics?: string[]
  verified?: boolean
  year?: number
}

export interface ProviderSpec {
  name?: string
  region?: string
  status?: 'pending' | 'verified' | 'rejected'
  kinds?: string[]
  description?: string
  /** No profile row at all when false. */
  profile?: boolean
  teamSize?: number | null
  nationwide?: boolean
  industries?: string[]
  scenarios?: string[]
  regions?: string[]
  qualifications?: { name: string; validFrom?: string | null; validUntil?: string | null }[]
  cases?: CaseSpec[]
  updatedAt?: string
}

export async function insertProvider(db: Database, spec: ProviderSpec = {}): Promise<number> {
  const now = spec.updatedAt ?? new Date().toISOString()
  const orgId = await insertOrg(db, {
    kind: 'provider',
    name: spec.name,
    region: spec.region ?? '321003',
    status: spec.status ?? 'verified',
  })
  await db
    .updateTable('organisations')
    .set({
      provider_kinds: JSON.stringify(spec.kinds ?? ['integrator']),
      description: spec.description ?? '',
      updated_at: now,
      created_at: now,
      submitted_at: now,
    })
    .where('id', '=', orgId)
    .execute()
  if (spec.profile !== false) {
    await db
      .insertInto('provider_profiles')
      .values({
        org_id: orgId,
        team_size: spec.teamSize === undefined ? 20 : spec.teamSize,
        founded_year: 2010,
        nationwide: spec.nationwide ? 1 : 0,
        updated_at: now,
      })
      .execute()
  }
  for (const code of spec.industries ?? [])
    await db.insertInto('provider_industries').values({ org_id: orgId, industry_code: code }).execute()
  for (const code of spec.scenarios ?? [])
    await db.insertInto('provider_scenarios').values({ org_id: orgId, scenario_code: code }).execute()
  for (const code of spec.regions ?? [])
    await db.insertInto('provider_regions').values({ org_id: orgId, region_code: code }).execute()
  for (const q of spec.qualifications ?? []) {
    await db
      .insertInto('provider_qualifications')
      .values({
        org_id: orgId,
        name: q.name,
        valid_from: q.validFrom ?? null,
        valid_until: q.validUntil ?? null,
        created_at: now,
      })
      .execute()
  }
  let n = 0
  for (const c of spec.cases ?? []) {
    n += 1
    const row = await db
      .insertInto('provider_cases')
      .values({
        org_id: orgId,
        title: c.title ?? `案例第${n}号项目`,
        client_name: c.client ?? '扬州某机械有限公司',
        client_anonymised: c.anonymised ? 1 : 0,
        industry_code: c.industry,
        year: c.year ?? 2024,
        summary: c.summary ?? '完成产线改造。',
        verified_contract_id: c.verified ? 1 : null,
        verified_at: c.verified ? now : null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const code of c.scenarios)
      await db.insertInto('case_scenarios').values({ case_id: row.id, scenario_code: code }).execute()
    let seq = 0
    for (const name of c.metrics ?? []) {
      seq += 1
      await db
        .insertInto('case_metrics')
        .values({ case_id: row.id, seq, name, before_value: 2.1, after_value: 0.6, unit: '%' })
        .execute()
    }
  }
  return orgId
}

/** Enqueues these providers' documents and commits: the outbox is flushed into the index after the commit. */
export async function indexNow(db: Database, orgIds: readonly number[]): Promise<void> {
  await withTransaction(db, async (trx, afterCommit) => {
    for (const id of orgIds) await enqueueProviderChange(trx, afterCommit, id)
  })
}
