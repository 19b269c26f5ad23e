import { describe, expect, it } from 'vitest'
import type { ActingOrg, Actor } from '../../app/domain/accounts/actor.js'
import { can, PERMISSION_SCOPES, type Permission } from '../../app/domain/accounts/authorization.js'
import { rolesFor } from '../../app/domain/orgs/schema.js'
import type { ReferenceData } from '../../app/domain/reference/reference.server.js'
import type { Region } from '../../db/types.js'

const regions: Region[] = [
  { code: '321000', name: '扬州市', name_en: '', level: 'city', parent_code: null },
  { code: '321023', name: '宝应县', name_en: '', level: 'county', parent_code: '321000' },
]
const ref: ReferenceData = {
  industries: [],
  scenarios: [],
  provinces: [],
  regionsByCode: new Map(regions.map((r) => [r.code, r])),
  childrenByCode: new Map([['321000', regions.filter((r) => r.parent_code === '321000')]]),
  industriesByCode: new Map(),
  scenariosByCode: new Map(),
}

function agencyActor(org: Partial<ActingOrg>): Actor {
  const acting: ActingOrg = {
    orgId: 1,
    orgName: '扬州市工业和信息化局',
    kind: 'agency',
    status: 'verified',
    role: 'owner',
    membership: 'active',
    regionCode: '321000',
    agencyLevel: 'city',
    ...org,
  }
  return { userId: 1, org: acting, regionCode: acting.regionCode, ip: '203.0.113.7', contactVerified: true }
}

const review = (actor: Actor) => ({
  queue: can(actor, ref, 'review:orgs:role'),
  decide: can(actor, ref, 'audit:org:jurisdiction', { regionCode: '321023' }),
  log: can(actor, ref, 'read:auditlog:role'),
  members: can(actor, ref, 'manage:members:own', { orgId: 1 }),
})

describe('agency roles', () => {
  it('owners and reviewers review, viewers read the log, nobody unconfirmed does anything', () => {
    expect(review(agencyActor({ role: 'owner' }))).toEqual({ queue: true, decide: true, log: true, members: true })
    expect(review(agencyActor({ role: 'reviewer' }))).toEqual({ queue: true, decide: true, log: true, members: false })
    expect(review(agencyActor({ role: 'viewer' }))).toEqual({ queue: false, decide: false, log: true, members: false })
    expect(review(agencyActor({ role: 'viewer', membership: 'pending' }))).toEqual({
      queue: false,
      decide: false,
      log: false,
      members: false,
    })
  })

  it('leaves a pending member nothing but seeing the organisation itself', () => {
    const pending = agencyActor({ role: 'reviewer', membership: 'pending' })
    for (const permission of Object.keys(PERMISSION_SCOPES) as Permission[]) {
      const scope = PERMISSION_SCOPES[permission]
      const target = scope === 'own' ? { orgId: 1 } : scope === 'jurisdiction' ? { regionCode: '321023' } : undefined
      const allowed = (can as (...args: unknown[]) => boolean)(pending, ref, permission, ...(target ? [target] : []))
      expect(allowed, permission).toBe(permission === 'read:org:own')
    }
  })

  it('offers agency roles to agencies and company roles to companies', () => {
    expect(rolesFor('agency')).toEqual(['owner', 'reviewer', 'viewer'])
    expect(rolesFor('enterprise')).toEqual(['owner', 'member'])
    expect(rolesFor('provider')).toEqual(['owner', 'member'])
  })
})
