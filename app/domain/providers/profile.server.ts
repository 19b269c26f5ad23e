import type { Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale, type MessageKey } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import {
  getReferenceData,
  industryName,
  industryOptions,
  refName,
  regionLabel,
  regionPath,
  scenarioName,
  scenarioOptions,
  type ReferenceData,
} from '../reference/reference.server.js'
import { casesOf } from './cases.server.js'
import type { ProviderKind } from './enums.js'
import {
  actingProviderId,
  auditFor,
  changeText,
  ownProvider,
  PROVIDER_ORG_COLUMNS,
  type ProviderOrg,
} from './own-provider.server.js'
import { qualificationsOf } from './qualifications.server.js'
import type { TProviderProfileInput } from './schema.js'
import { enqueueProviderChange } from './search-index.server.js'
import type {
  CodeName,
  Completeness,
  CompletenessItem,
  ProviderProfileEdit,
  ProviderPublicProfile,
  RegionItem,
  TemplateLink,
} from './views.js'

/*
 * A verified provider's capability profile (能力画像) and its public page.
 *
 * What the provider is (its kinds) was audited at onboarding and stays on
 * `organisations`: changed only at /org/edit, which sends the organisation back to
 * review. Its contact person, phone and description are its own words, also on
 * `organisations`, which /org/edit saves at once for owners ('update:org:own'); the
 * profile form offers them to owners under the same rule and writes them the same way
 * (before → after in the log as org.profile_updated, no review). The rest (team size,
 * founding year, web address, industries, scenarios and regions served, or 全国) is the
 * profile proper, kept in provider_profiles and its lists; any active member of the
 * verified provider edits it ('edit:provider-profile:own').
 *
 * The form names the profile revision it was filled in on; an edit made on an older one
 * is refused (409) instead of overwriting a colleague's. A save that changes nothing
 * writes nothing.
 *
 * The public page shows a verified provider to everyone (anything else is 404, to
 * everyone, its members too). Its contact person and phone only to those signed in for
 * a verified organisation (and to its own members): enterprises and agencies that may
 * deal with it reach it; harvesting phone numbers takes an audited organisation.
 */

/** A provider's profile as stored: revision 0 and nothing filled in while none was saved. */
interface StoredProfile {
  revision: number
  teamSize: number | null
  foundedYear: number | null
  website: string
  nationwide: boolean
  industries: string[]
  scenarios: string[]
  regions: string[]
}

async function loadProfile(db: Kysely<DB>, orgId: number): Promise<StoredProfile> {
  const [row, industries, scenarios, regions] = await Promise.all([
    db
      .selectFrom('provider_profiles')
      .select(['revision', 'team_size', 'founded_year', 'website', 'nationwide'])
      .where('org_id', '=', orgId)
      .executeTakeFirst(),
    db.selectFrom('provider_industries').select('industry_code').where('org_id', '=', orgId).orderBy('industry_code').execute(),
    db.selectFrom('provider_scenarios').select('scenario_code').where('org_id', '=', orgId).orderBy('scenario_code').execute(),
    db.selectFrom('provider_regions').select('region_code').where('org_id', '=', orgId).orderBy('region_code').execute(),
  ])
  return {
    revision: row?.revision ?? 0,
    teamSize: row?.team_size ?? null,
    foundedYear: row?.founded_year ?? null,
    website: row?.website ?? '',
    nationwide: Number(row?.nationwide ?? 0) === 1,
    industries: industries.map((r) => r.industry_code),
    scenarios: scenarios.map((r) => r.scenario_code),
    regions: regions.map((r) => r.region_code),
  }
}

const byScenarioOrder = (ref: ReferenceData) => {
  const order = new Map(ref.scenarios.map((s, i) => [s.code, i]))
  return (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0)
}

function industryItems(ref: ReferenceData, codes: string[], locale: Locale): CodeName[] {
  return codes.map((code) => ({ code, name: industryName(ref, code, locale) ?? code }))
}

function scenarioItems(ref: ReferenceData, codes: string[], locale: Locale): CodeName[] {
  return [...codes].sort(byScenarioOrder(ref)).map((code) => ({ code, name: scenarioName(ref, code, locale) ?? code }))
}

function regionItems(ref: ReferenceData, codes: string[], locale: Locale): RegionItem[] {
  return codes.map((code) => ({ code, label: regionLabel(ref, code, locale) }))
}

/** The things the completeness meter counts, besides the profile itself. */
interface Counts {
  qualifications: number
  cases: number
  casesWithMetrics: number
  templates: number
}

async function countsOf(db: Kysely<DB>, orgId: number): Promise<Counts> {
  const [qualifications, cases, withMetrics, templates] = await Promise.all([
    db
      .selectFrom('provider_qualifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('provider_cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('provider_cases as c')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('c.org_id', '=', orgId)
      .where((eb) => eb.exists(eb.selectFrom('case_metrics as m').select('m.id').whereRef('m.case_id', '=', 'c.id')))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('contract_templates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow(),
  ])
  return {
    qualifications: Number(qualifications.n),
    cases: Number(cases.n),
    casesWithMetrics: Number(withMetrics.n),
    templates: Number(templates.n),
  }
}

/**
 * How complete a profile is: what is filled in, what is missing, and where each is
 * filled in (a link to the field). Every item weighs the same.
 */
export function completenessOf(
  org: Pick<ProviderOrg, 'provider_kinds' | 'description' | 'contact_name' | 'contact_phone'>,
  profile: StoredProfile,
  counts: Counts,
): Completeness {
  const kinds = JSON.parse(org.provider_kinds) as string[]
  const items: CompletenessItem[] = [
    { key: 'kinds', filled: kinds.length > 0, href: '/org/edit' },
    { key: 'description', filled: org.description.trim().length > 0, href: '/provider/profile#description' },
    {
      key: 'contact',
      filled: org.contact_name.trim().length > 0 && org.contact_phone.trim().length > 0,
      href: '/provider/profile#contactName',
    },
    { key: 'teamSize', filled: profile.teamSize !== null, href: '/provider/profile#teamSize' },
    { key: 'foundedYear', filled: profile.foundedYear !== null, href: '/provider/profile#foundedYear' },
    { key: 'industries', filled: profile.industries.length > 0, href: '/provider/profile#industries' },
    { key: 'scenarios', filled: profile.scenarios.length > 0, href: '/provider/profile#scenarios' },
    { key: 'regions', filled: profile.nationwide || profile.regions.length > 0, href: '/provider/profile#regions' },
    { key: 'qualifications', filled: counts.qualifications > 0, href: '/provider/qualifications#qualification-form' },
    { key: 'cases', filled: counts.cases > 0, href: '/provider/cases/new' },
    { key: 'caseMetrics', filled: counts.casesWithMetrics > 0, href: '/provider/cases' },
    { key: 'templates', filled: counts.templates > 0, href: '/org/templates/new' },
  ]
  const filled = items.filter((i) => i.filled).length
  return { percent: Math.round((filled / items.length) * 100), items }
}

/** /provider/profile: the acting provider's profile, the form's choices and how complete it is. */
export async function getProviderProfileForEdit(
  db: Database,
  actor: Actor,
  locale: Locale = DEFAULT_LOCALE,
): Promise<ProviderProfileEdit> {
  const ref = await getReferenceData(db)
  const org = await ownProvider(db, actor, ref, actingProviderId(actor))
  const [profile, counts] = await Promise.all([loadProfile(db, org.id), countsOf(db, org.id)])
  return {
    orgId: org.id,
    name: org.name,
    kinds: JSON.parse(org.provider_kinds) as ProviderKind[],
    canEditContact: can(actor, ref, 'update:org:own', { orgId: org.id }),
    revision: profile.revision,
    teamSize: profile.teamSize,
    foundedYear: profile.foundedYear,
    website: profile.website,
    nationwide: profile.nationwide,
    industries: profile.industries,
    scenarios: profile.scenarios,
    regions: regionItems(ref, profile.regions, locale),
    contactName: org.contact_name,
    contactPhone: org.contact_phone,
    description: org.description,
    choices: {
      industries: industryOptions(ref, locale),
      scenarios: scenarioOptions(ref, locale),
      provinces: ref.provinces.map((p) => ({ code: p.code, name: refName(p, locale) })),
    },
    completeness: completenessOf(org, profile, counts),
  }
}

type FieldErrors = Record<string, MessageKey>

/** What zod cannot check: every code names an existing industry, scenario or region. */
function assertProfileRefs(ref: ReferenceData, input: TProviderProfileInput): void {
  const fieldErrors: FieldErrors = {}
  if (input.industries.some((c) => !ref.industriesByCode.has(c))) fieldErrors['industries[]'] = 'providers.v.industries'
  if (input.scenarios.some((c) => !ref.scenariosByCode.has(c))) fieldErrors['scenarios[]'] = 'providers.v.scenarios'
  if (input.regions.some((c) => !ref.regionsByCode.has(c))) fieldErrors['regions[]'] = 'providers.v.regions'
  const count = Object.keys(fieldErrors).length
  if (count === 1) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors })
  if (count > 1) throw new AppError('VALIDATION', 'errors.validation', { fieldErrors, params: { count } })
}

/** Regions without those another chosen region already covers (扬州市 with 江苏省 chosen). */
function withoutCovered(ref: ReferenceData, codes: string[]): string[] {
  const chosen = new Set(codes)
  return codes
    .filter((code) =>
      regionPath(ref, code)
        .slice(0, -1)
        .every((ancestor) => !chosen.has(ancestor.code)),
    )
    .sort()
}

const sameList = (a: readonly string[], b: readonly string[]) => [...a].sort().join(',') === [...b].sort().join(',')

function profileStale(): AppError {
  return new AppError('CONFLICT', 'providers.e.profileStale')
}

/** The contact fields of the form and the organisation's columns they change. */
const CONTACT_COLUMNS = { contactName: 'contact_name', contactPhone: 'contact_phone', description: 'description' } as const

/**
 * Saves the acting provider's profile. Contact and description (owners only) are
 * written on the organisation as /org/edit writes them; the rest on the profile. The
 * profile's revision goes up with any change the form makes, so a colleague's form
 * filled in before it is refused.
 */
export async function saveProviderProfile(
  db: Database,
  actor: Actor,
  input: TProviderProfileInput,
): Promise<{ changed: string[]; revision: number }> {
  const ref = await getReferenceData(db)
  try {
    return await withTransaction(db, async (trx, afterCommit) => {
      const org = await ownProvider(trx, actor, ref, actingProviderId(actor))
      assertProfileRefs(ref, input)
      const before = await loadProfile(trx, org.id)
      if (input.revision !== before.revision) throw profileStale()
      const after: StoredProfile = {
        revision: before.revision + 1,
        teamSize: input.teamSize,
        foundedYear: input.foundedYear,
        website: input.siteUrl,
        nationwide: input.nationwide,
        industries: input.industries,
        scenarios: input.scenarios,
        regions: input.nationwide ? [] : withoutCovered(ref, input.regions),
      }

      const changes: Record<string, string> = {}
      if (before.teamSize !== after.teamSize) changes.teamSize = changeText(before.teamSize, after.teamSize)
      if (before.foundedYear !== after.foundedYear) changes.foundedYear = changeText(before.foundedYear, after.foundedYear)
      if (before.website !== after.website) changes.website = changeText(before.website, after.website)
      if (before.nationwide !== after.nationwide) changes.nationwide = changeText(before.nationwide, after.nationwide)
      for (const list of ['industries', 'scenarios', 'regions'] as const) {
        if (!sameList(before[list], after[list]))
          changes[list] = changeText(before[list].join(','), [...after[list]].sort().join(','))
      }

      const contactChanges: Record<string, string> = {}
      const contactSet: Partial<Record<(typeof CONTACT_COLUMNS)[keyof typeof CONTACT_COLUMNS], string>> = {}
      for (const [field, column] of Object.entries(CONTACT_COLUMNS)) {
        const value = input[field as keyof typeof CONTACT_COLUMNS]
        if (value === undefined || value === org[column]) continue
        contactChanges[field] = changeText(org[column], value)
        contactSet[column] = value
      }

      const changed = [...Object.keys(changes), ...Object.keys(contactChanges)]
      if (changed.length === 0) return { changed, revision: before.revision }

      const now = new Date().toISOString()
      if (Object.keys(contactChanges).length > 0) {
        // The organisation's own words: its owners' to change, as on /org/edit.
        authorize(actor, ref, 'update:org:own', { orgId: org.id })
        const result = await trx
          .updateTable('organisations')
          .set({ ...contactSet, updated_at: now })
          .where('id', '=', org.id)
          .where('status', '=', 'verified')
          .where('revision', '=', org.revision)
          .executeTakeFirst()
        if (Number(result.numUpdatedRows) !== 1) throw new AppError('INVALID_STATE', 'org.error.notVerified')
        await recordAudit(trx, {
          action: 'org.profile_updated',
          ...auditFor(actor, org),
          objectType: 'organisation',
          objectId: org.id,
          detail: { revision: org.revision, changed: Object.keys(contactChanges).join(','), ...contactChanges },
        })
      }

      const columns = {
        team_size: after.teamSize,
        founded_year: after.foundedYear,
        website: after.website,
        nationwide: after.nationwide ? (1 as const) : (0 as const),
        updated_at: now,
        revision: after.revision,
      }
      if (before.revision === 0) {
        // Two first saves at once: the primary key refuses the second (caught below as stale).
        await trx
          .insertInto('provider_profiles')
          .values({ org_id: org.id, ...columns })
          .execute()
      } else {
        const result = await trx
          .updateTable('provider_profiles')
          .set(columns)
          .where('org_id', '=', org.id)
          .where('revision', '=', before.revision)
          .executeTakeFirst()
        if (Number(result.numUpdatedRows) !== 1) throw profileStale()
      }
      await replaceList(trx, 'provider_industries', 'industry_code', org.id, before.industries, after.industries)
      await replaceList(trx, 'provider_scenarios', 'scenario_code', org.id, before.scenarios, after.scenarios)
      await replaceList(trx, 'provider_regions', 'region_code', org.id, before.regions, after.regions)
      if (Object.keys(changes).length > 0) {
        await recordAudit(trx, {
          action: 'provider.profile_updated',
          ...auditFor(actor, org),
          objectType: 'organisation',
          objectId: org.id,
          detail: { revision: after.revision, changed: Object.keys(changes).join(','), ...changes },
        })
      }
      await enqueueProviderChange(trx, afterCommit, org.id)
      return { changed, revision: after.revision }
    })
  } catch (error) {
    if (uniqueViolation(error)) throw profileStale()
    throw error
  }
}

/** Writes the difference between two lists of a provider's served codes. */
async function replaceList(
  trx: Kysely<DB>,
  table: 'provider_industries' | 'provider_scenarios' | 'provider_regions',
  column: 'industry_code' | 'scenario_code' | 'region_code',
  orgId: number,
  before: readonly string[],
  after: readonly string[],
): Promise<void> {
  const gone = before.filter((c) => !after.includes(c))
  const added = [...new Set(after.filter((c) => !before.includes(c)))]
  if (gone.length) {
    await trx
      .deleteFrom(table)
      .where('org_id', '=', orgId)
      .where(column as never, 'in', gone as never)
      .execute()
  }
  if (added.length) {
    await trx
      .insertInto(table)
      .values(added.map((code) => ({ org_id: orgId, [column]: code }) as never))
      .execute()
  }
}

/** The provider's active standard contract templates (标准合同), newest first; their pages are the templates context's. */
async function templatesOf(db: Kysely<DB>, ref: ReferenceData, orgId: number, locale: Locale): Promise<TemplateLink[]> {
  const rows = await db
    .selectFrom('contract_templates')
    .select(['id', 'title', 'is_official', 'industry_code', 'current_version', 'updated_at'])
    .where('org_id', '=', orgId)
    .where('status', '=', 'active')
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(50)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    isOfficial: Number(r.is_official) === 1,
    industryName: r.industry_code ? (industryName(ref, r.industry_code, locale) ?? r.industry_code) : null,
    version: r.current_version,
    updatedAt: r.updated_at,
  }))
}

/** Cases per page of /providers/:id. */
export const PUBLIC_CASES_PAGE_SIZE = 10

/**
 * /providers/:id: a verified provider's profile, a page of its cases, its templates and
 * rating summary; for its own members, how complete it is. Anything but a verified
 * provider is NOT_FOUND, for everyone.
 */
export async function getPublicProviderProfile(
  db: Database,
  actor: Actor | null,
  orgId: number,
  { page = 1, locale = DEFAULT_LOCALE }: { page?: number; locale?: Locale } = {},
): Promise<ProviderPublicProfile> {
  const org = await db.selectFrom('organisations').select(PROVIDER_ORG_COLUMNS).where('id', '=', orgId).executeTakeFirst()
  if (!org || org.kind !== 'provider' || org.status !== 'verified') throw new AppError('NOT_FOUND', 'errors.notFound')
  const ref = await getReferenceData(db)
  const own = can(actor, ref, 'edit:provider-profile:own', { orgId: org.id })
  const { count } = await db
    .selectFrom('provider_cases')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('org_id', '=', org.id)
    .executeTakeFirstOrThrow()
  const pageCount = Math.max(1, Math.ceil(Number(count) / PUBLIC_CASES_PAGE_SIZE))
  const casesPage = Math.min(page, pageCount)
  const [profile, qualifications, cases, templates, counts] = await Promise.all([
    loadProfile(db, org.id),
    qualificationsOf(db, org.id),
    casesOf(db, ref, org.id, { page: casesPage, pageSize: PUBLIC_CASES_PAGE_SIZE, locale }),
    templatesOf(db, ref, org.id, locale),
    own ? countsOf(db, org.id) : Promise.resolve(null),
  ])
  const verifiedViewer = actor?.org?.status === 'verified' && actor.org.membership === 'active'
  const showContact = own || verifiedViewer
  return {
    id: org.id,
    name: org.name,
    regionLabel: regionLabel(ref, org.region_code, locale),
    kinds: JSON.parse(org.provider_kinds) as ProviderKind[],
    description: org.description,
    contact: showContact ? { name: org.contact_name, phone: org.contact_phone } : null,
    contactHidden: showContact ? null : actor ? 'verifiedOnly' : 'signIn',
    teamSize: profile.teamSize,
    foundedYear: profile.foundedYear,
    website: profile.website,
    nationwide: profile.nationwide,
    industries: industryItems(ref, profile.industries, locale),
    scenarios: scenarioItems(ref, profile.scenarios, locale),
    regions: regionItems(ref, profile.regions, locale),
    qualifications,
    cases: cases.cases,
    casesPage,
    casesPageCount: pageCount,
    caseCount: cases.total,
    verifiedCaseCount: cases.verified,
    templates,
    rating: { count: 0, average: null },
    own,
    completeness: counts ? completenessOf(org, profile, counts) : null,
  }
}
