import { describe, expect, it } from 'vitest'
import type { ActingOrg, Actor } from '../../app/domain/accounts/actor.js'
import { authorize, can } from '../../app/domain/accounts/authorization.js'
import {
  isInJurisdiction,
  jurisdictionCodes,
  narrowedJurisdiction,
  overseeingRegions,
} from '../../app/domain/reference/jurisdiction.js'
import type { ReferenceData } from '../../app/domain/reference/reference.server.js'
import { AppError } from '../../app/utils/errors.js'
import type { Region } from '../../db/types.js'

const regions: Region[] = [
  { code: '320000', name: '江苏省', name_en: '', level: 'province', parent_code: null },
  { code: '321000', name: '扬州市', name_en: '', level: 'city', parent_code: '320000' },
  { code: '321023', name: '宝应县', name_en: '', level: 'county', parent_code: '321000' },
  { code: '3210Z1', name: '扬州市生态科技新城', name_en: '', level: 'zone', parent_code: '321000' },
  { code: '320100', name: '南京市', name_en: '', level: 'city', parent_code: '320000' },
  { code: '620000', name: '甘肃省', name_en: '', level: 'province', parent_code: null },
]
const ref: ReferenceData = {
  industries: [],
  scenarios: [],
  provinces: regions.filter((r) => r.level === 'province'),
  regionsByCode: new Map(regions.map((r) => [r.code, r])),
  childrenByCode: new Map(['320000', '321000'].map((p) => [p, regions.filter((r) => r.parent_code === p)] as const)),
  industriesByCode: new Map(),
  scenariosByCode: new Map(),
}

function actorOf(org: Partial<ActingOrg> | null): Actor {
  const acting: ActingOrg | null = org && {
    orgId: 1,
    orgName: '测试',
    kind: 'enterprise',
    status: 'verified',
    role: 'owner',
    membership: 'active',
    regionCode: '321023',
    agencyLevel: null,
    ...org,
  }
  return { userId: 1, org: acting, regionCode: acting?.regionCode ?? null, ip: '203.0.113.7', contactVerified: true }
}

describe('jurisdiction', () => {
  it('covers the region itself and everything below it, nothing beside it', () => {
    expect(isInJurisdiction(ref, '321000', '321023')).toBe(true)
    expect(isInJurisdiction(ref, '321000', '3210Z1')).toBe(true)
    expect(isInJurisdiction(ref, '321000', '321000')).toBe(true)
    expect(isInJurisdiction(ref, '320000', '321023')).toBe(true)
    expect(isInJurisdiction(ref, '321000', '320100')).toBe(false)
    expect(isInJurisdiction(ref, '321023', '321000')).toBe(false)
    expect(isInJurisdiction(ref, '620000', '321023')).toBe(false)
    expect(jurisdictionCodes(ref, '321000').sort()).toEqual(['321000', '321023', '3210Z1'])
  })

  it('narrows only inside itself', () => {
    expect(narrowedJurisdiction(ref, '320000', '321000').sort()).toEqual(['321000', '321023', '3210Z1'])
    expect(narrowedJurisdiction(ref, '321000', '320100')).toEqual([])
    expect(narrowedJurisdiction(ref, '321000').length).toBe(3)
  })

  it('names the regions whose agencies oversee a region, nearest first', () => {
    expect(overseeingRegions(ref, '321023')).toEqual(['321023', '321000', '320000'])
    expect(overseeingRegions(ref, 'NOSUCH')).toEqual([])
    for (const agency of overseeingRegions(ref, '3210Z1')) expect(isInJurisdiction(ref, agency, '3210Z1')).toBe(true)
  })
})

describe('can', () => {
  it('grants nothing without an active organisation', () => {
    expect(can(actorOf(null), ref, 'read:org:own', { orgId: 1 })).toBe(false)
    expect(can(actorOf(null), ref, 'audit:org:jurisdiction', { regionCode: '321023' })).toBe(false)
    expect(can(actorOf(null), ref, 'bid:need:role')).toBe(false)
    expect(can(null, ref, 'review:orgs:role')).toBe(false)
  })

  it('decides own permissions on the object, never on the active organisation alone', () => {
    expect(can(actorOf({ role: 'owner' }), ref, 'manage:members:own', { orgId: 1 })).toBe(true)
    expect(can(actorOf({ role: 'member' }), ref, 'manage:members:own', { orgId: 1 })).toBe(false)
    // An owner of organisation 1 is not an owner of organisation 2's objects.
    expect(can(actorOf({ role: 'owner' }), ref, 'manage:members:own', { orgId: 2 })).toBe(false)
    expect(can(actorOf({ role: 'member' }), ref, 'read:org:own', { orgId: 1 })).toBe(true)
    expect(can(actorOf({ role: 'member' }), ref, 'read:org:own', { orgId: 2 })).toBe(false)
  })

  it('lets only verified organisations of the right kind publish, bid or read restricted needs', () => {
    expect(can(actorOf({ kind: 'enterprise' }), ref, 'publish:need:own', { orgId: 1 })).toBe(true)
    expect(can(actorOf({ kind: 'enterprise' }), ref, 'publish:need:own', { orgId: 9 })).toBe(false)
    expect(can(actorOf({ kind: 'enterprise', status: 'pending' }), ref, 'publish:need:own', { orgId: 1 })).toBe(false)
    expect(can(actorOf({ kind: 'provider' }), ref, 'publish:need:own', { orgId: 1 })).toBe(false)
    expect(can(actorOf({ kind: 'provider' }), ref, 'bid:need:role')).toBe(true)
    expect(can(actorOf({ kind: 'provider', status: 'rejected' }), ref, 'bid:need:role')).toBe(false)
    expect(can(actorOf({ kind: 'agency', regionCode: '321000' }), ref, 'read:need-restricted:role')).toBe(true)
    expect(can(actorOf({ kind: 'enterprise' }), ref, 'read:need-restricted:role')).toBe(false)
  })

  it('lets an agency audit only inside its jurisdiction', () => {
    const city = actorOf({ kind: 'agency', regionCode: '321000', agencyLevel: 'city' })
    expect(can(city, ref, 'audit:org:jurisdiction', { regionCode: '321023' })).toBe(true)
    expect(can(city, ref, 'audit:org:jurisdiction', { regionCode: '320100' })).toBe(false)
    expect(can(actorOf({ kind: 'enterprise' }), ref, 'audit:org:jurisdiction', { regionCode: '321023' })).toBe(false)
    expect(can(actorOf({ kind: 'agency', status: 'pending', regionCode: '321000' }), ref, 'read:auditlog:role')).toBe(false)
    expect(can(city, ref, 'review:orgs:role')).toBe(true)
  })
})

describe('authorize', () => {
  it('returns the acting organisation, or throws FORBIDDEN naming the permission', () => {
    expect(authorize(actorOf({}), ref, 'read:org:own', { orgId: 1 }).orgId).toBe(1)
    try {
      authorize(actorOf({}), ref, 'read:org:own', { orgId: 2 })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('FORBIDDEN')
      expect((error as AppError).detail.permission).toBe('read:org:own')
    }
  })

  it('cannot be asked about an own or jurisdiction permission without the object (type-level)', () => {
    // @ts-expect-error — the object's organisation is required
    expect(() => authorize(actorOf({}), ref, 'manage:members:own')).toThrow()
    // @ts-expect-error — the object's region is required
    expect(can(actorOf({ kind: 'agency' }), ref, 'audit:org:jurisdiction')).toBe(false)
    // @ts-expect-error — role permissions take no object
    expect(can(actorOf({ kind: 'provider' }), ref, 'bid:need:role', { orgId: 1 })).toBe(true)
  })
})
