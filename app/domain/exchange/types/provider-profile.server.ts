import type { Insertable, Kysely } from 'kysely'
import type {
  DB,
  ProviderIndustriesTable,
  ProviderProfilesTable,
  ProviderQualificationsTable,
  ProviderRegionsTable,
  ProviderScenariosTable,
} from '../../../../db/types.js'
import type { ExchangeType, WriteContext } from '../exchange-type.server.js'
import { insertRows, unknownCodes } from '../exchange-type.server.js'
import { ZProviderProfileV1, type TProviderProfileV1, type TQualificationV1 } from '../schemas/provider-profile.v1.js'
import { ORGANISATION } from './organisation.server.js'

export const PROVIDER_PROFILE = 'provider_profile'
const CHUNK = 500

interface ProfileState {
  profile: { team_size: number | null; founded_year: number | null; nationwide: number; website: string } | null
  industries: string[]
  scenarios: string[]
  regions: string[]
  qualifications: TQualificationV1[]
}

function emptyState(): ProfileState {
  return { profile: null, industries: [], scenarios: [], regions: [], qualifications: [] }
}

/** Everything a profile line covers, for these organisations, as the database holds it. */
async function loadProfiles(db: Kysely<DB>, orgIds: readonly number[]): Promise<Map<number, ProfileState>> {
  const out = new Map<number, ProfileState>()
  const state = (id: number): ProfileState => {
    let s = out.get(id)
    if (!s) {
      s = emptyState()
      out.set(id, s)
    }
    return s
  }
  for (let i = 0; i < orgIds.length; i += CHUNK) {
    const part = orgIds.slice(i, i + CHUNK)
    for (const id of part) state(id)
    const profiles = await db
      .selectFrom('provider_profiles')
      .select(['org_id', 'team_size', 'founded_year', 'nationwide', 'website'])
      .where('org_id', 'in', part)
      .execute()
    for (const p of profiles) {
      state(p.org_id).profile = {
        team_size: p.team_size,
        founded_year: p.founded_year,
        nationwide: Number(p.nationwide),
        website: p.website,
      }
    }
    for (const r of await db
      .selectFrom('provider_industries')
      .select(['org_id', 'industry_code'])
      .where('org_id', 'in', part)
      .orderBy('industry_code')
      .execute())
      state(r.org_id).industries.push(r.industry_code)
    for (const r of await db
      .selectFrom('provider_scenarios')
      .select(['org_id', 'scenario_code'])
      .where('org_id', 'in', part)
      .orderBy('scenario_code')
      .execute())
      state(r.org_id).scenarios.push(r.scenario_code)
    for (const r of await db
      .selectFrom('provider_regions')
      .select(['org_id', 'region_code'])
      .where('org_id', 'in', part)
      .orderBy('region_code')
      .execute())
      state(r.org_id).regions.push(r.region_code)
    for (const q of await db
      .selectFrom('provider_qualifications')
      .select(['org_id', 'name', 'issuer', 'certificate_no', 'valid_from', 'valid_until'])
      .where('org_id', 'in', part)
      .orderBy('org_id')
      .orderBy('id')
      .execute()) {
      state(q.org_id).qualifications.push({
        name: q.name,
        issuer: q.issuer,
        certificateNo: q.certificate_no,
        validFrom: q.valid_from,
        validUntil: q.valid_until,
      })
    }
  }
  return out
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const set = new Set(a)
  return b.every((x) => set.has(x))
}

function sameQualifications(a: readonly TQualificationV1[], b: readonly TQualificationV1[]): boolean {
  return (
    a.length === b.length &&
    a.every((q, i) => {
      const o = b[i]!
      return (
        q.name === o.name &&
        q.issuer === o.issuer &&
        q.certificateNo === o.certificateNo &&
        q.validFrom === o.validFrom &&
        q.validUntil === o.validUntil
      )
    })
  )
}

async function writeProfiles(ctx: WriteContext, batch: readonly { line: number; record: TProviderProfileV1 }[]): Promise<void> {
  const { trx, ids, now } = ctx
  await ids.load(
    ORGANISATION,
    batch.map((b) => b.record.organisation),
    trx,
  )
  const current = await loadProfiles(
    trx,
    batch.map((b) => ids.require(ORGANISATION, b.record.organisation)),
  )
  // New rows of the batch, written at its end in multi-row statements.
  const profiles: Insertable<ProviderProfilesTable>[] = []
  const industries: Insertable<ProviderIndustriesTable>[] = []
  const scenarios: Insertable<ProviderScenariosTable>[] = []
  const regions: Insertable<ProviderRegionsTable>[] = []
  const qualifications: Insertable<ProviderQualificationsTable>[] = []
  for (const { record } of batch) {
    const orgId = ids.require(ORGANISATION, record.organisation)
    const was = current.get(orgId) ?? emptyState()
    const profile = {
      org_id: orgId,
      team_size: record.teamSize,
      founded_year: record.foundedYear,
      nationwide: record.nationwide ? 1 : 0,
      website: record.website,
      updated_at: now,
    } satisfies Insertable<ProviderProfilesTable>
    let changed = false
    if (!was.profile) {
      profiles.push(profile)
      changed = true
    } else if (
      was.profile.team_size !== profile.team_size ||
      was.profile.founded_year !== profile.founded_year ||
      was.profile.nationwide !== profile.nationwide ||
      was.profile.website !== profile.website
    ) {
      const { org_id: _org, ...columns } = profile
      await trx
        .updateTable('provider_profiles')
        .set((eb) => ({ ...columns, revision: eb('revision', '+', 1) }))
        .where('org_id', '=', orgId)
        .execute()
      changed = true
    }
    // A list that differs is replaced (an unchanged one is left alone, rows and ids).
    if (!sameSet(was.industries, record.industries)) {
      if (was.industries.length) await trx.deleteFrom('provider_industries').where('org_id', '=', orgId).execute()
      for (const code of record.industries) industries.push({ org_id: orgId, industry_code: code })
      changed = true
    }
    if (!sameSet(was.scenarios, record.scenarios)) {
      if (was.scenarios.length) await trx.deleteFrom('provider_scenarios').where('org_id', '=', orgId).execute()
      for (const code of record.scenarios) scenarios.push({ org_id: orgId, scenario_code: code })
      changed = true
    }
    if (!sameSet(was.regions, record.regions)) {
      if (was.regions.length) await trx.deleteFrom('provider_regions').where('org_id', '=', orgId).execute()
      for (const code of record.regions) regions.push({ org_id: orgId, region_code: code })
      changed = true
    }
    if (!sameQualifications(was.qualifications, record.qualifications)) {
      if (was.qualifications.length) await trx.deleteFrom('provider_qualifications').where('org_id', '=', orgId).execute()
      for (const q of record.qualifications) {
        qualifications.push({
          org_id: orgId,
          name: q.name,
          issuer: q.issuer,
          certificate_no: q.certificateNo,
          valid_from: q.validFrom,
          valid_until: q.validUntil,
          created_at: now,
        })
      }
      changed = true
    }
    if (changed) ctx.providerChanged(orgId)
    ctx.count(PROVIDER_PROFILE, !was.profile ? 'created' : changed ? 'updated' : 'unchanged')
  }
  await insertRows(trx, 'provider_profiles', profiles)
  await insertRows(trx, 'provider_industries', industries)
  await insertRows(trx, 'provider_scenarios', scenarios)
  await insertRows(trx, 'provider_regions', regions)
  await insertRows(trx, 'provider_qualifications', qualifications)
}

export const providerProfileType: ExchangeType<TProviderProfileV1> = {
  type: PROVIDER_PROFILE,
  current: 1,
  schemas: { 1: ZProviderProfileV1 },
  key: (p) => p.organisation,
  references: (p) => [
    {
      path: ['organisation'],
      space: ORGANISATION,
      externalId: p.organisation,
      expect: { facts: { kind: 'provider' }, key: 'exchange.v.notProvider' },
    },
  ],
  checkCodes: (p, ref, line) => [
    ...unknownCodes(line, ['industries'], p.industries, ref.industriesByCode, 'exchange.v.unknownIndustry'),
    ...unknownCodes(line, ['scenarios'], p.scenarios, ref.scenariosByCode, 'exchange.v.unknownScenario'),
    ...unknownCodes(line, ['regions'], p.regions, ref.regionsByCode, 'exchange.v.unknownRegion'),
  ],
  phase: () => 1,
  write: writeProfiles,
}

// ---------------------------------------------------------------- reading (export)

/** The profiles of these providers (those that have one), in the order of `orgIds`. */
export async function* readProviderProfiles(
  db: Kysely<DB>,
  orgIds: readonly number[],
  externalIds: ReadonlyMap<number, string>,
): AsyncGenerator<TProviderProfileV1> {
  for (let i = 0; i < orgIds.length; i += CHUNK) {
    const part = orgIds.slice(i, i + CHUNK)
    const states = await loadProfiles(db, part)
    for (const id of part) {
      const s = states.get(id)
      if (!s?.profile) continue
      yield {
        type: 'provider_profile',
        version: 1,
        organisation: externalIds.get(id) ?? '',
        teamSize: s.profile.team_size,
        foundedYear: s.profile.founded_year,
        website: s.profile.website,
        nationwide: s.profile.nationwide === 1,
        industries: s.industries,
        scenarios: s.scenarios,
        regions: s.regions,
        qualifications: s.qualifications,
      }
    }
  }
}
