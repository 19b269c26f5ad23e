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

  it("lets owners and reviewers run the agency's events, pool, evaluation and targets; viewers read and export", () => {
    const rights = (actor: Actor) => ({
      event: can(actor, ref, 'manage:event:own', { orgId: 1 }),
      otherAgencysEvent: can(actor, ref, 'manage:event:own', { orgId: 2 }),
      readEvent: can(actor, ref, 'read:event:jurisdiction', { regionCode: '321023' }),
      pool: can(actor, ref, 'manage:pool:own', { orgId: 1 }),
      evaluation: can(actor, ref, 'manage:evaluation:own', { orgId: 1 }),
      targets: can(actor, ref, 'manage:targets:own', { orgId: 1 }),
      actuals: can(actor, ref, 'report:target-actuals:jurisdiction', { regionCode: '321023' }),
      dashboard: can(actor, ref, 'read:dashboard:role'),
      exports: can(actor, ref, 'export:agency-lists:role'),
      imports: can(actor, ref, 'import:agency-lists:role'),
      join: can(actor, ref, 'join:event:role'),
    })
    const all = { event: true, otherAgencysEvent: false, readEvent: true, pool: true, evaluation: true, targets: true }
    const tail = { actuals: true, dashboard: true, exports: true, imports: true, join: false }
    expect(rights(agencyActor({ role: 'owner' }))).toEqual({ ...all, ...tail })
    expect(rights(agencyActor({ role: 'reviewer' }))).toEqual({ ...all, ...tail })
    expect(rights(agencyActor({ role: 'viewer' }))).toEqual({
      event: false,
      otherAgencysEvent: false,
      readEvent: true,
      pool: false,
      evaluation: false,
      targets: false,
      actuals: false,
      dashboard: true,
      exports: true,
      imports: false,
      join: false,
    })
    // Outside its jurisdiction an agency reads no event and reports no actuals.
    const elsewhere = agencyActor({ regionCode: '620000', agencyLevel: 'province' })
    expect(can(elsewhere, ref, 'read:event:jurisdiction', { regionCode: '321023' })).toBe(false)
    expect(can(elsewhere, ref, 'report:target-actuals:jurisdiction', { regionCode: '321023' })).toBe(false)
    // Any verified member of an agency over a district reads its targets (viewers too); nobody else.
    expect(can(agencyActor({ role: 'viewer' }), ref, 'read:targets:jurisdiction', { regionCode: '321023' })).toBe(true)
    expect(can(elsewhere, ref, 'read:targets:jurisdiction', { regionCode: '321023' })).toBe(false)
  })

  it('lets agency owners and reviewers review titles and run vouchers in their jurisdiction; viewers read (issue 16)', () => {
    const rights = (actor: Actor) => ({
      policyTools: can(actor, ref, 'read:policy-tools:role'),
      reviewTitle: can(actor, ref, 'review:title:jurisdiction', { regionCode: '321023' }),
      manageVoucher: can(actor, ref, 'manage:voucher:jurisdiction', { regionCode: '321023' }),
      readVoucher: can(actor, ref, 'read:voucher:jurisdiction', { regionCode: '321023' }),
    })
    const full = { policyTools: true, reviewTitle: true, manageVoucher: true, readVoucher: true }
    expect(rights(agencyActor({ role: 'owner' }))).toEqual(full)
    expect(rights(agencyActor({ role: 'reviewer' }))).toEqual(full)
    expect(rights(agencyActor({ role: 'viewer' }))).toEqual({ ...full, reviewTitle: false, manageVoucher: false })
    const elsewhere = agencyActor({ regionCode: '620000', agencyLevel: 'province' })
    expect(rights(elsewhere)).toEqual({ policyTools: true, reviewTitle: false, manageVoucher: false, readVoucher: false })
  })

  it("lets verified companies join events and only a provider's owner apply to a pool or appeal", () => {
    const company = (kind: 'enterprise' | 'provider', role: 'owner' | 'member') =>
      agencyActor({ orgId: 5, kind, role, agencyLevel: null })
    expect(can(company('enterprise', 'member'), ref, 'join:event:role')).toBe(true)
    expect(can(company('provider', 'member'), ref, 'join:event:role')).toBe(true)
    expect(can(company('provider', 'owner'), ref, 'apply:pool:own', { orgId: 5 })).toBe(true)
    expect(can(company('provider', 'member'), ref, 'apply:pool:own', { orgId: 5 })).toBe(false)
    expect(can(company('provider', 'owner'), ref, 'appeal:evaluation:own', { orgId: 6 })).toBe(false)
    expect(can(company('enterprise', 'owner'), ref, 'appeal:evaluation:own', { orgId: 5 })).toBe(false)
    expect(can(company('provider', 'owner'), ref, 'read:dashboard:role')).toBe(false)
    // Evaluations: read by any member of the agency (viewers too) or of the provider evaluated; nobody else.
    expect(can(agencyActor({ role: 'viewer' }), ref, 'read:evaluation:own', { orgId: 1 })).toBe(true)
    expect(can(company('provider', 'member'), ref, 'read:evaluation:own', { orgId: 5 })).toBe(true)
    expect(can(company('provider', 'member'), ref, 'read:evaluation:own', { orgId: 6 })).toBe(false)
    expect(can(company('enterprise', 'owner'), ref, 'read:evaluation:own', { orgId: 5 })).toBe(false)
  })

  it('offers agency roles to agencies and company roles to companies', () => {
    expect(rolesFor('agency')).toEqual(['owner', 'reviewer', 'viewer'])
    expect(rolesFor('enterprise')).toEqual(['owner', 'member'])
    expect(rolesFor('provider')).toEqual(['owner', 'member'])
  })
})
