import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import { withTransaction } from '../../../db/transaction.js'
import { jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData } from '../reference/reference.server.js'
import type { ExchangeRecord } from './exchange-type.server.js'
import { ExchangeIds } from './ids.server.js'
import { ID_SPACES } from './registry.server.js'
import { CASE, readCases } from './types/case.server.js'
import { CONTRACT_TEMPLATE, readContractTemplates, templatesOf } from './types/contract-template.server.js'
import { ORGANISATION, readOrganisations } from './types/organisation.server.js'
import { readProviderProfiles } from './types/provider-profile.server.js'
import { DIAGNOSIS_REPORT, diagnosesOf, partiesOfDiagnoses, readDiagnosisReports } from './types/diagnosis-report.server.js'
import { readEnterpriseProfiles } from './types/enterprise-profile.server.js'
import { NEED, readNeeds } from './types/need.server.js'
import { BID, partiesOfBids, readBids } from './types/bid.server.js'
import { CONTRACT, partiesOfContracts, readContracts } from './types/contract.server.js'
import { readContractRatings } from './types/contract-rating.server.js'

/*
 * `npm run export` (app/cli/export.ts): organisations of one kind, with what belongs
 * to them, as an exchange file (docs/exchange.md) that `npm run import` reads back.
 * Providers come with their profiles, cases and templates, and the agencies and
 * official templates their templates derive from, so the file stands on its own.
 * Enterprises come with their archives, diagnosis reports and needs, and the providers
 * and agencies their diagnoses name.
 * Verified and pending organisations are exported; rejected applications are not.
 */

export const EXPORT_KINDS = ['provider', 'agency', 'enterprise'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]

export interface ExportSelection {
  kind: ExportKind
  /** Only organisations in this region and below. */
  regionCode?: string
}

export interface ExportPlan {
  /** Lines per type, in the order they come. */
  counts: Record<string, number>
  total: number
  records(): AsyncGenerator<ExchangeRecord>
}

const CHUNK = 500

async function selectedOrganisations(db: Kysely<DB>, selection: ExportSelection): Promise<number[]> {
  let regions: string[] | null = null
  if (selection.regionCode) {
    const ref = await getReferenceData(db)
    if (!ref.regionsByCode.has(selection.regionCode)) return []
    regions = jurisdictionCodes(ref, selection.regionCode)
  }
  const rows = await db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', selection.kind)
    .where('status', 'in', ['verified', 'pending'])
    .$if(regions !== null, (q) => q.where('region_code', 'in', regions!))
    .orderBy('id')
    .execute()
  return rows.map((r) => r.id)
}

async function countIn(
  db: Kysely<DB>,
  table: 'provider_profiles' | 'provider_cases' | 'enterprise_profiles' | 'needs',
  orgIds: readonly number[],
): Promise<number> {
  let n = 0
  for (let i = 0; i < orgIds.length; i += CHUNK) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', 'in', orgIds.slice(i, i + CHUNK))
      .executeTakeFirstOrThrow()
    n += Number(row.n)
  }
  return n
}

/** The needs of these enterprises, enterprise by enterprise in the order given, oldest first (as readNeeds writes them). */
async function needsOf(db: Kysely<DB>, orgIds: readonly number[]): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < orgIds.length; i += CHUNK) {
    const part = orgIds.slice(i, i + CHUNK)
    const order = new Map(part.map((id, k) => [id, k]))
    const rows = await db.selectFrom('needs').select(['id', 'org_id']).where('org_id', 'in', part).execute()
    rows.sort((a, b) => (order.get(a.org_id) ?? 0) - (order.get(b.org_id) ?? 0) || a.id - b.id)
    out.push(...rows.map((r) => r.id))
  }
  return out
}

async function countWhere(db: Kysely<DB>, table: 'bids' | 'contracts', needIds: readonly number[]): Promise<number> {
  let n = 0
  for (let i = 0; i < needIds.length; i += CHUNK) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('need_id', 'in', needIds.slice(i, i + CHUNK))
      .executeTakeFirstOrThrow()
    n += Number(row.n)
  }
  return n
}

async function countRatings(db: Kysely<DB>, needIds: readonly number[]): Promise<number> {
  let n = 0
  for (let i = 0; i < needIds.length; i += CHUNK) {
    const row = await db
      .selectFrom('contract_ratings as r')
      .innerJoin('contracts as c', 'c.id', 'r.contract_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('c.need_id', 'in', needIds.slice(i, i + CHUNK))
      .executeTakeFirstOrThrow()
    n += Number(row.n)
  }
  return n
}

/** Templates by id (those bids propose) and the official templates they derive from (the sources come first on export). */
async function templatesById(db: Kysely<DB>, templateIds: readonly number[]) {
  const own: { id: number; orgId: number; official: boolean }[] = []
  const sourceIds = new Set<number>()
  for (let i = 0; i < templateIds.length; i += CHUNK) {
    for (const r of await db
      .selectFrom('contract_templates as t')
      .innerJoin('contract_template_versions as v', (j) =>
        j.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'),
      )
      .leftJoin('contract_template_versions as sv', 'sv.id', 'v.derived_from_version_id')
      .select(['t.id', 't.org_id', 't.is_official', 'sv.template_id as source'])
      .where('t.id', 'in', templateIds.slice(i, i + CHUNK))
      .execute()) {
      own.push({ id: r.id, orgId: r.org_id, official: Number(r.is_official) === 1 })
      if (r.source !== null) sourceIds.add(r.source)
    }
  }
  const ownIds = new Set(own.map((t) => t.id))
  const missing = [...sourceIds].filter((id) => !ownIds.has(id)).sort((x, y) => x - y)
  const sources: { id: number; orgId: number }[] = []
  for (let i = 0; i < missing.length; i += CHUNK) {
    for (const r of await db
      .selectFrom('contract_templates')
      .select(['id', 'org_id'])
      .where('id', 'in', missing.slice(i, i + CHUNK))
      .orderBy('id')
      .execute())
      sources.push({ id: r.id, orgId: r.org_id })
  }
  return { own, sources }
}

/**
 * What an export of `selection` holds, and the records themselves (read lazily, in
 * chunks). Every object written gets its external id here (kept in exchange_ids).
 */
export async function planExport(db: Kysely<DB>, selection: ExportSelection): Promise<ExportPlan> {
  const orgIds = await selectedOrganisations(db, selection)
  const enterprises = selection.kind === 'enterprise'
  // Enterprises' needs, with their bids and contracts: the bidders, the templates they
  // proposed (and the official ones those derive from), supervisors and appointing agencies.
  const needIds = enterprises ? await needsOf(db, orgIds) : []
  const bidParties = enterprises ? await partiesOfBids(db, needIds) : { orgIds: [], templateIds: [] }
  const templates = enterprises ? await templatesById(db, bidParties.templateIds) : await templatesOf(db, orgIds)
  const selected = new Set(orgIds)
  // Agencies whose official templates the selection's templates derive from, before them;
  // for enterprises, the diagnosers, recommended providers and agencies their diagnoses name.
  const named = enterprises
    ? [
        ...(await partiesOfDiagnoses(db, orgIds)),
        ...bidParties.orgIds,
        ...(await partiesOfContracts(db, needIds)),
        ...templates.sources.map((t) => t.orgId),
        ...templates.own.map((t) => t.orgId),
      ]
    : templates.sources.map((t) => t.orgId)
  const sourceOwners = [...new Set(named)].filter((id) => !selected.has(id)).sort((a, b) => a - b)
  const allOrgs = [...sourceOwners, ...orgIds]
  const diagnosisIds = enterprises ? await diagnosesOf(db, orgIds) : []
  const own = [...templates.own].sort((a, b) => Number(b.official) - Number(a.official) || a.orgId - b.orgId || a.id - b.id)
  const templateIds = [...templates.sources.map((t) => t.id), ...own.map((t) => t.id)]

  const ids = new ExchangeIds(db, ID_SPACES)
  const now = new Date().toISOString()
  const { orgExternal, templateExternal, diagnosisExternal } = await withTransaction(db, async (trx) => ({
    orgExternal: await ids.assign(trx, ORGANISATION, allOrgs, now),
    templateExternal: await ids.assign(trx, CONTRACT_TEMPLATE, templateIds, now),
    diagnosisExternal: await ids.assign(trx, DIAGNOSIS_REPORT, diagnosisIds, now),
  }))
  const providers = selection.kind === 'provider'
  const counts: Record<string, number> = {
    organisation: allOrgs.length,
    provider_profile: providers ? await countIn(db, 'provider_profiles', orgIds) : 0,
    case: providers ? await countIn(db, 'provider_cases', orgIds) : 0,
    contract_template: templateIds.length,
    enterprise_profile: enterprises ? await countIn(db, 'enterprise_profiles', orgIds) : 0,
    diagnosis_report: diagnosisIds.length,
    need: enterprises ? await countIn(db, 'needs', orgIds) : 0,
    bid: enterprises ? await countWhere(db, 'bids', needIds) : 0,
    contract: enterprises ? await countWhere(db, 'contracts', needIds) : 0,
    contract_rating: enterprises ? await countRatings(db, needIds) : 0,
  }
  return {
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    async *records() {
      yield* readOrganisations(db, allOrgs, orgExternal)
      if (providers) {
        yield* readProviderProfiles(db, orgIds, orgExternal)
        yield* readCases(db, orgIds, orgExternal, (caseIds) => ids.assign(db, CASE, caseIds, now))
      }
      yield* readContractTemplates(db, templateIds, templateExternal, orgExternal)
      if (enterprises) {
        yield* readEnterpriseProfiles(db, orgIds, orgExternal)
        yield* readDiagnosisReports(db, diagnosisIds, diagnosisExternal, orgExternal)
        yield* readNeeds(db, orgIds, orgExternal, diagnosisExternal, (needIds) => ids.assign(db, NEED, needIds, now))
        const needExternal = await ids.assign(db, NEED, needIds, now)
        yield* readBids(db, needIds, needExternal, orgExternal, templateExternal, (bidIds) => ids.assign(db, BID, bidIds, now))
        const contractIds: number[] = []
        for await (const c of readContracts(db, needIds, {
          need: needExternal,
          org: orgExternal,
          bid: (bidIds) => ids.assign(db, BID, bidIds, now),
          contract: async (cIds) => {
            contractIds.push(...cIds)
            return ids.assign(db, CONTRACT, cIds, now)
          },
        }))
          yield c
        yield* readContractRatings(db, contractIds, await ids.assign(db, CONTRACT, contractIds, now))
      }
    },
  }
}
