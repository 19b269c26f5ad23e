import { describe, expect, it } from 'vitest'
import type { ReferenceData } from '../../app/domain/reference/reference.server.js'
import { can, isInJurisdiction, jurisdictionCodes, type MembershipView, type Viewer } from '../../app/utils/permissions.server.js'
import type { Region } from '../../db/types.js'

const regions: Region[] = [
  { code: '320000', name: '江苏省', level: 'province', parent_code: null },
  { code: '321000', name: '扬州市', level: 'city', parent_code: '320000' },
  { code: '321023', name: '宝应县', level: 'county', parent_code: '321000' },
  { code: '3210Z1', name: '扬州市生态科技新城', level: 'zone', parent_code: '321000' },
  { code: '320100', name: '南京市', level: 'city', parent_code: '320000' },
  { code: '620000', name: '甘肃省', level: 'province', parent_code: null },
]
const ref: ReferenceData = {
  industries: [],
  scenarios: [],
  provinces: regions.filter((r) => r.level === 'province'),
  regionsByCode: new Map(regions.map((r) => [r.code, r])),
  childrenByCode: new Map(
    ['320000', '321000'].map((p) => [p, regions.filter((r) => r.parent_code === p)] as const),
  ),
}

function viewerOf(org: Partial<MembershipView> | null): Viewer {
  const activeOrg: MembershipView | null = org && {
    orgId: 1,
    orgName: '测试',
    kind: 'enterprise',
    status: 'verified',
    role: 'owner',
    regionCode: '321023',
    agencyLevel: null,
    ...org,
  }
  return {
    user: { id: 1, name: '测试', phone: null, email: 'a@b.cn' },
    session: { idHash: 'x', userId: 1, activeOrgId: activeOrg?.orgId ?? null, createdAt: '', lastSeenAt: '', expiresAt: '', token: 't' },
    memberships: activeOrg ? [activeOrg] : [],
    activeOrg,
  }
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
})

describe('can', () => {
  it('grants nothing without an active organisation', () => {
    for (const p of ['read:org:own', 'audit:org:jurisdiction', 'bid:need:any'] as const) {
      expect(can(viewerOf(null), p, ref)).toBe(false)
    }
  })

  it('separates owners from members, and own organisation from others', () => {
    expect(can(viewerOf({ role: 'owner' }), 'manage:members:own', ref, { orgId: 1 })).toBe(true)
    expect(can(viewerOf({ role: 'member' }), 'manage:members:own', ref, { orgId: 1 })).toBe(false)
    expect(can(viewerOf({ role: 'owner' }), 'manage:members:own', ref, { orgId: 2 })).toBe(false)
    expect(can(viewerOf({ role: 'member' }), 'read:org:own', ref, { orgId: 1 })).toBe(true)
  })

  it('lets only verified organisations of the right kind publish, bid or read restricted needs', () => {
    expect(can(viewerOf({ kind: 'enterprise' }), 'publish:need:own', ref)).toBe(true)
    expect(can(viewerOf({ kind: 'enterprise', status: 'pending' }), 'publish:need:own', ref)).toBe(false)
    expect(can(viewerOf({ kind: 'provider' }), 'publish:need:own', ref)).toBe(false)
    expect(can(viewerOf({ kind: 'provider' }), 'bid:need:any', ref)).toBe(true)
    expect(can(viewerOf({ kind: 'provider', status: 'rejected' }), 'bid:need:any', ref)).toBe(false)
    expect(can(viewerOf({ kind: 'agency', regionCode: '321000' }), 'read:need:restricted', ref)).toBe(true)
    expect(can(viewerOf({ kind: 'enterprise' }), 'read:need:restricted', ref)).toBe(false)
  })

  it('lets an agency audit only inside its jurisdiction', () => {
    const city = viewerOf({ kind: 'agency', regionCode: '321000', agencyLevel: 'city' })
    expect(can(city, 'audit:org:jurisdiction', ref, { regionCode: '321023' })).toBe(true)
    expect(can(city, 'audit:org:jurisdiction', ref, { regionCode: '320100' })).toBe(false)
    expect(can(viewerOf({ kind: 'enterprise' }), 'audit:org:jurisdiction', ref, { regionCode: '321023' })).toBe(false)
    expect(can(viewerOf({ kind: 'agency', status: 'pending', regionCode: '321000' }), 'read:auditlog:jurisdiction', ref)).toBe(false)
  })
})
