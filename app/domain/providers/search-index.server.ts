import type { Kysely } from 'kysely'
import type { AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { enqueueSearchChange } from '../../../search/outbox.js'

/**
 * Providers in the search index: one document per provider organisation, holding its
 * profile and its cases (the directory finds a provider by words of its cases).
 */

/** `search_outbox.entity_type` of providers; the entity id is the organisation's id. */
export const PROVIDER_ENTITY_TYPE = 'provider'

/**
 * Call inside the transaction that changes anything a provider's document shows: its
 * organisation (name, status, kinds, region), profile, served industries, scenarios,
 * regions, qualifications, or any of its cases.
 */
export function enqueueProviderChange(trx: Kysely<DB>, afterCommit: AfterCommit, orgId: number): Promise<void> {
  return enqueueSearchChange(trx, afterCommit, PROVIDER_ENTITY_TYPE, orgId)
}
