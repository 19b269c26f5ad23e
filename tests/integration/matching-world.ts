import { actorFor, type Actor } from '../../app/domain/accounts/actor.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertNeed, insertOrg, insertUser, signIn, type NeedOverrides } from '../support/factories.js'
import { indexNow, insertProvider, type ProviderSpec } from './provider-directory-fixtures.js'

/*
 * Need → providers tests (issue 13, slice C1): an enterprise with a need, providers in
 * the search index, people signed in for them, and the actor a use case takes.
 */

export const db = () => services().db

export interface Person {
  userId: number
  orgId: number
  cookie: string
  actor: Actor
}

/** Someone signed in for `orgId` as `role`, with an e-mail when asked (announcements go to owners' e-mail). */
export async function personOf(
  orgId: number,
  role: 'owner' | 'member' | 'reviewer' | 'viewer' = 'owner',
  email?: string,
): Promise<Person> {
  const user = await insertUser(db(), email ? { name: '测试人员', email } : { name: '测试人员' })
  await addMember(db(), user.id, orgId, role)
  const { cookie } = await signIn(db(), user.id, orgId)
  const org = await db().selectFrom('organisations').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow()
  const actor = actorFor(
    user.id,
    {
      orgId,
      orgName: org.name,
      kind: org.kind,
      status: org.status,
      role,
      membership: 'active',
      regionCode: org.region_code,
      agencyLevel: org.agency_level,
    },
    '203.0.113.7',
    true,
  )
  return { userId: user.id, orgId, cookie, actor }
}

export async function enterpriseWithNeed(need: NeedOverrides = {}, region = '321023') {
  const orgId = await insertOrg(db(), { kind: 'enterprise', region })
  const owner = await personOf(orgId)
  const needId = await insertNeed(db(), orgId, { region, ...need })
  return { orgId, owner, needId }
}

export async function agency(region: string, role: 'owner' | 'reviewer' | 'viewer' = 'owner') {
  const orgId = await insertOrg(db(), {
    kind: 'agency',
    region,
    agencyLevel: region.endsWith('0000') ? 'province' : region.endsWith('00') ? 'city' : 'county',
  })
  return personOf(orgId, role)
}

/** Providers written and indexed (the outbox flushed before returning). */
export async function indexedProviders(specs: ProviderSpec[]): Promise<number[]> {
  const ids: number[] = []
  for (const spec of specs) ids.push(await insertProvider(db(), spec))
  await indexNow(db(), ids)
  await services().indexer.processOutbox()
  return ids
}

/** A provider fit for the default need (C34, S401: 设备联网与数据采集). */
export const fitting = (name: string, extra: Partial<ProviderSpec> = {}): ProviderSpec => ({
  name,
  kinds: ['integrator'],
  description: '设备联网、数据采集与工业互联网平台建设。',
  industries: ['C34'],
  scenarios: ['S401'],
  regions: ['321000'],
  ...extra,
})
