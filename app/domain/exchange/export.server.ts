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

/**
 * What an export of `selection` holds, and the records themselves (read lazily, in
 * chunks). Every object written gets its external id here (kept in exchange_ids).
 */
export async function planExport(db: Kysely<DB>, selection: ExportSelection): Promise<ExportPlan> {
  const orgIds = await selectedOrganisations(db, selection)
  const enterprises = selection.kind === 'enterprise'
  const templates = enterprises ? { own: [], sources: [] } : await templatesOf(db, orgIds)
  const selected = new Set(orgIds)
  // Agencies whose official templates the selection's templates derive from, before them;
  // for enterprises, the diagnosers, recommended providers and agencies their diagnoses name.
  const named = enterprises ? await partiesOfDiagnoses(db, orgIds) : templates.sources.map((t) => t.orgId)
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
      }
    },
  }
}
