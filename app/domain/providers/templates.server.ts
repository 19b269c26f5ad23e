import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, translator, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { parseForm } from '../../utils/forms.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import {
  getReferenceData,
  industryName,
  industryOptions,
  scenarioName,
  scenarioOptions,
  type ReferenceData,
} from '../reference/reference.server.js'
import { PROVIDER_LIMITS, type PriceModel, type TemplateStatus } from './enums.js'
import { diffTemplates, sameContent, type DiffSide } from './template-diff.js'
import { milestoneRows, parsePercent, ZTemplateInput, type TTemplateInput, type TTemplateListQuery } from './template-schema.js'
import {
  describePrice,
  MAX_TEMPLATES_PAGE,
  TEMPLATES_PAGE_SIZE,
  type Milestone,
  type OwnTemplateItem,
  type TemplateBaseRef,
  type TemplateContent,
  type TemplateDetail,
  type TemplateDiffField,
  type TemplateFields,
  type TemplateListItem,
  type TemplateVersionView,
} from './template-views.js'

export type { OwnTemplateItem, TemplateDetail, TemplateFields, TemplateListItem } from './template-views.js'
/** The schemas for loaders and actions: through this .server module, zod stays out of the browser bundle. */
export {
  ZOwnTemplateAction,
  ZTemplateDeriveQuery,
  ZTemplateEditMeta,
  ZTemplateListQuery,
  ZTemplatePageQuery,
} from './template-schema.js'

/*
 * Standard contract templates (标准合同, DOMAIN.md §4; Zhejiang 2022 §(五)): per industry
 * (optional) and scenarios, the clauses a project contract needs — construction period,
 * technical and acceptance standards, quality and warranty, price, payment milestones
 * whose percentages sum to exactly 100, dispute clause.
 *
 * Who: a verified agency's owners and reviewers publish official templates (官方范本,
 * is_official = 1: an agency's templates are always official, a provider's never); any
 * active member of a verified provider keeps the provider's own, blank or derived from
 * an official one (derived_from_version_id), and its page shows what differs from that
 * version. Permission 'manage:templates:own', checked on the template's organisation.
 *
 * Versions: a template's clauses live in its versions; `current_version` is the latest.
 * A version a bid or contract uses is frozen (in_use = 1, set by
 * markTemplateVersionInUse inside the bid's or contract's transaction): editing the
 * template then adds a new version and the old one stays, readable as `?version=N` (or
 * by its id, getTemplateVersion). Editing an unused current version changes it in place.
 * The title, industry and scenarios belong to the template, not to a version.
 *
 * Removal: a template none of whose versions is in use, and that no other template
 * derives from, may be deleted; otherwise it is archived (status 'archived'), which
 * takes it out of /templates but keeps it readable by its link (a bid may point at
 * it), marked 已归档. Archived templates are not edited; they can be restored.
 *
 * Public: /templates lists the active templates of verified organisations, official
 * ones first. A template's page is readable by anyone while its organisation is
 * verified (archived ones too, by link), and always by that organisation's members.
 */

/** The milestones' percentages must sum to exactly 100; the error shows the sum. */
export function assertMilestoneSum(milestones: readonly Pick<Milestone, 'percent'>[]): void {
  const sum = milestones.reduce((total, m) => total + m.percent, 0)
  if (sum !== 100) {
    throw new AppError('VALIDATION', 'template.v.milestoneSum', {
      params: { sum },
      fieldErrors: { milestones: 'template.v.milestoneSumField' },
    })
  }
}

/**
 * The template form, read: the schema's checks, and the milestone sum also when other
 * fields failed (so a person sees every problem in one round). When only the sum is
 * wrong, the error names the sum in its message (template.v.milestoneSum).
 */
export function parseTemplateForm(form: FormData): TTemplateInput {
  let input: TTemplateInput
  try {
    input = parseForm(ZTemplateInput, form)
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'VALIDATION' || error.fieldErrors.milestones) throw error
    const raw = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'))
    const percents = milestoneRows(raw).map((r) => parsePercent(r.percent))
    if (percents.length === 0 || percents.some((p) => p === null)) throw error
    const sum = percents.reduce<number>((total, p) => total + (p ?? 0), 0)
    if (sum === 100) throw error
    const fieldErrors = { ...error.fieldErrors, milestones: 'template.v.milestoneSumField' as const }
    throw new AppError('VALIDATION', 'errors.validation', { fieldErrors, params: { count: Object.keys(fieldErrors).length } })
  }
  assertMilestoneSum(input.milestones)
  return input
}

/** What zod cannot check: the industry and scenarios exist. */
function assertRefs(ref: ReferenceData, input: Pick<TemplateFields, 'industryCode' | 'scenarioCodes'>): void {
  const fieldErrors: Record<string, 'template.v.industry' | 'template.v.scenario'> = {}
  if (input.industryCode !== null && !ref.industriesByCode.has(input.industryCode)) fieldErrors.industry = 'template.v.industry'
  if (input.scenarioCodes.some((code) => !ref.scenariosByCode.has(code))) fieldErrors['scenarios[]'] = 'template.v.scenario'
  if (Object.keys(fieldErrors).length > 0) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors })
}

/** Whatever else a use case is handed (a test, a script): the same rules as the form. */
function assertContent(input: TemplateFields): void {
  if (input.milestones.length === 0 || input.milestones.length > PROVIDER_LIMITS.milestonesPerTemplate) {
    throw new AppError('VALIDATION', 'template.v.milestonesRequired', {
      fieldErrors: { milestones: 'template.v.milestonesRequired' },
    })
  }
  if (input.milestones.some((m) => !Number.isInteger(m.percent) || m.percent < 1 || m.percent > 100)) {
    throw new AppError('VALIDATION', 'template.v.milestonePercent', {
      fieldErrors: { milestones: 'template.v.milestonePercent' },
    })
  }
  assertMilestoneSum(input.milestones)
}

// ---------------------------------------------------------------------------------------
// Rows ⇄ views

interface VersionRow {
  id: number
  template_id: number
  version: number
  derived_from_version_id: number | null
  construction_days: number
  technical_standards: string
  acceptance_standards: string
  quality_terms: string
  warranty_months: number
  price_model: PriceModel
  price_min_wan: number | null
  price_max_wan: number | null
  milestones: string
  dispute_clause: string
  in_use: 0 | 1
  created_at: string
}

const VERSION_COLUMNS = [
  'v.id',
  'v.template_id',
  'v.version',
  'v.derived_from_version_id',
  'v.construction_days',
  'v.technical_standards',
  'v.acceptance_standards',
  'v.quality_terms',
  'v.warranty_months',
  'v.price_model',
  'v.price_min_wan',
  'v.price_max_wan',
  'v.milestones',
  'v.dispute_clause',
  'v.in_use',
  'v.created_at',
] as const

function parseJsonArray(text: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? (value as unknown[]) : []
  } catch {
    return []
  }
}

function parseMilestones(text: string): Milestone[] {
  return parseJsonArray(text).flatMap((m) => {
    if (!m || typeof m !== 'object') return []
    const { name, percent, criteria } = m as Record<string, unknown>
    return typeof name === 'string' && typeof percent === 'number'
      ? [{ name, percent, criteria: typeof criteria === 'string' ? criteria : '' }]
      : []
  })
}

function contentOf(row: VersionRow): TemplateContent {
  return {
    constructionDays: row.construction_days,
    technicalStandards: parseJsonArray(row.technical_standards).filter((s): s is string => typeof s === 'string'),
    acceptanceStandards: row.acceptance_standards,
    qualityTerms: row.quality_terms,
    warrantyMonths: row.warranty_months,
    priceModel: row.price_model,
    priceMinWan: row.price_min_wan,
    priceMaxWan: row.price_max_wan,
    milestones: parseMilestones(row.milestones),
    disputeClause: row.dispute_clause,
  }
}

function versionView(row: VersionRow): TemplateVersionView {
  return { id: row.id, version: row.version, inUse: row.in_use === 1, createdAt: String(row.created_at), ...contentOf(row) }
}

/**
 * A version's columns from its clauses (the demo data and imports write the same): JSON
 * arrays as compact text, milestones as { name, percent, criteria }.
 */
export function versionColumns(content: TemplateContent) {
  return {
    construction_days: content.constructionDays,
    technical_standards: JSON.stringify(content.technicalStandards),
    acceptance_standards: content.acceptanceStandards,
    quality_terms: content.qualityTerms,
    warranty_months: content.warrantyMonths,
    price_model: content.priceModel,
    price_min_wan: content.priceModel === 'quote' ? null : content.priceMinWan,
    price_max_wan: content.priceModel === 'quote' ? null : content.priceMaxWan,
    milestones: JSON.stringify(content.milestones.map((m) => ({ name: m.name, percent: m.percent, criteria: m.criteria }))),
    dispute_clause: content.disputeClause,
  }
}

async function scenarioCodesOf(db: Database | Transaction<DB>, templateIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>()
  if (templateIds.length === 0) return out
  const rows = await db
    .selectFrom('contract_template_scenarios as ts')
    .innerJoin('scenarios as s', 's.code', 'ts.scenario_code')
    .select(['ts.template_id', 's.code'])
    .where('ts.template_id', 'in', [...templateIds])
    .orderBy('ts.template_id')
    .orderBy('s.sort_order')
    .execute()
  for (const r of rows) {
    const list = out.get(r.template_id)
    if (list) list.push(r.code)
    else out.set(r.template_id, [r.code])
  }
  return out
}

/** A field's value in the reader's language, for the list of differences. */
function describer(locale: Locale) {
  const t = translator(locale)
  return (field: TemplateDiffField, side: DiffSide): string => {
    switch (field) {
      case 'industry':
        return side.industryName ?? t('template.industry.any')
      case 'scenarios':
        return side.scenarioNames.join(t('list.separator'))
      case 'constructionDays':
        return t('template.days', { days: side.constructionDays })
      case 'warrantyMonths':
        return t('template.months', { months: side.warrantyMonths })
      case 'price':
        return describePrice(t, locale, side)
      case 'acceptanceStandards':
        return side.acceptanceStandards
      case 'qualityTerms':
        return side.qualityTerms
      case 'disputeClause':
        return side.disputeClause
    }
  }
}

// ---------------------------------------------------------------------------------------
// Reading

/** Public templates: active, of a verified organisation. */
/**
 * Templates drive the query and each one's organisation is found by its key: a CROSS
 * JOIN keeps SQLite from starting at every verified organisation (tens of thousands)
 * and looking for templates of each (4–5 ms per /templates request at 10 000 providers);
 * PostgreSQL plans a CROSS JOIN with a join condition as any inner join.
 */
function publicTemplates(db: Database) {
  return db
    .selectFrom('contract_templates as t')
    .crossJoin('organisations as o')
    .whereRef('o.id', '=', 't.org_id')
    .innerJoin('contract_template_versions as v', (j) =>
      j.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'),
    )
    .where('t.status', '=', 'active')
    .where('o.status', '=', 'verified')
}

interface ListRow {
  id: number
  title: string
  is_official: 0 | 1
  status: TemplateStatus
  org_id: number
  org_name: string
  industry_code: string | null
  construction_days: number
  warranty_months: number
  price_model: PriceModel
  price_min_wan: number | null
  price_max_wan: number | null
  current_version: number
  updated_at: string
}

const LIST_COLUMNS = [
  't.id',
  't.title',
  't.is_official',
  't.status',
  't.org_id',
  'o.name as org_name',
  't.industry_code',
  'v.construction_days',
  'v.warranty_months',
  'v.price_model',
  'v.price_min_wan',
  'v.price_max_wan',
  't.current_version',
  't.updated_at',
] as const

async function toListItems(db: Database, ref: ReferenceData, rows: ListRow[], locale: Locale): Promise<TemplateListItem[]> {
  const scenarios = await scenarioCodesOf(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    isOfficial: r.is_official === 1,
    status: r.status,
    orgId: r.org_id,
    orgName: r.org_name,
    industryName: r.industry_code ? industryName(ref, r.industry_code, locale) : null,
    scenarioNames: (scenarios.get(r.id) ?? []).map((code) => scenarioName(ref, code, locale) ?? code),
    constructionDays: r.construction_days,
    warrantyMonths: r.warranty_months,
    priceModel: r.price_model,
    priceMinWan: r.price_min_wan,
    priceMaxWan: r.price_max_wan,
    currentVersion: r.current_version,
    updatedAt: String(r.updated_at),
  }))
}

export interface TemplateCatalogue {
  items: TemplateListItem[]
  total: number
  page: number
  pageCount: number
  industries: { code: string; name: string }[]
  scenarios: { code: string; name: string; link: string }[]
}

/** /templates: public templates, official ones first, then the most recently updated; by industry and scenario. */
export async function browseTemplates(
  db: Database,
  query: TTemplateListQuery,
  locale: Locale = DEFAULT_LOCALE,
): Promise<TemplateCatalogue> {
  const ref = await getReferenceData(db)
  const filtered = publicTemplates(db)
    .$if(query.industry !== undefined, (q) => q.where('t.industry_code', '=', query.industry!))
    .$if(query.scenario !== undefined, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('contract_template_scenarios as ts')
            .select('ts.template_id')
            .whereRef('ts.template_id', '=', 't.id')
            .where('ts.scenario_code', '=', query.scenario!),
        ),
      ),
    )
  const countRow = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  const total = Number(countRow?.n ?? 0)
  const pageCount = Math.min(MAX_TEMPLATES_PAGE, Math.max(1, Math.ceil(total / TEMPLATES_PAGE_SIZE)))
  const page = Math.min(query.page, pageCount)
  const rows = (await filtered
    .select(LIST_COLUMNS)
    .orderBy('t.is_official', 'desc')
    .orderBy('t.updated_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(TEMPLATES_PAGE_SIZE)
    .offset((page - 1) * TEMPLATES_PAGE_SIZE)
    .execute()) as ListRow[]
  return {
    items: await toListItems(db, ref, rows, locale),
    total,
    page,
    pageCount,
    industries: industryOptions(ref, locale),
    scenarios: scenarioOptions(ref, locale),
  }
}

/** A provider's public templates, newest first, for its profile page (/providers/:id). */
export async function listPublicTemplatesOfOrg(
  db: Database,
  orgId: number,
  locale: Locale = DEFAULT_LOCALE,
  limit = 20,
): Promise<TemplateListItem[]> {
  const ref = await getReferenceData(db)
  const rows = (await publicTemplates(db)
    .where('t.org_id', '=', orgId)
    .select(LIST_COLUMNS)
    .orderBy('t.updated_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(limit)
    .execute()) as ListRow[]
  return toListItems(db, ref, rows, locale)
}

async function loadTemplate(db: Database | Transaction<DB>, id: number) {
  return db
    .selectFrom('contract_templates as t')
    .innerJoin('organisations as o', 'o.id', 't.org_id')
    .select([
      't.id',
      't.org_id',
      't.is_official',
      't.title',
      't.industry_code',
      't.status',
      't.current_version',
      't.updated_at',
      'o.name as org_name',
      'o.kind as org_kind',
      'o.status as org_status',
    ])
    .where('t.id', '=', id)
    .executeTakeFirst()
}

async function loadVersion(db: Database | Transaction<DB>, templateId: number, version: number): Promise<VersionRow | undefined> {
  return await db
    .selectFrom('contract_template_versions as v')
    .select(VERSION_COLUMNS)
    .where('v.template_id', '=', templateId)
    .where('v.version', '=', version)
    .executeTakeFirst()
}

/** The version a template derives from, with its template (and that one's industry and scenarios, for the difference). */
async function loadBase(db: Database, versionId: number) {
  const row = (await db
    .selectFrom('contract_template_versions as v')
    .innerJoin('contract_templates as t', 't.id', 'v.template_id')
    .innerJoin('organisations as o', 'o.id', 't.org_id')
    .select([
      ...VERSION_COLUMNS,
      't.title',
      't.is_official',
      't.status',
      't.industry_code',
      'o.name as org_name',
      'o.status as org_status',
    ])
    .where('v.id', '=', versionId)
    .executeTakeFirst()) as
    | (VersionRow & {
        title: string
        is_official: 0 | 1
        status: TemplateStatus
        industry_code: string | null
        org_name: string
        org_status: string
      })
    | undefined
  return row
}

/** May the actor read this template: its organisation is verified, or the actor belongs to it. */
function mayRead(actor: Actor | null, t: { org_id: number; org_status: string }): boolean {
  return t.org_status === 'verified' || actor?.org?.orgId === t.org_id
}

/**
 * A template's page: its current version, or `version` (an older one); its versions; the
 * version it derives from and what differs. NOT_FOUND when the actor may not read it
 * (mayRead) or the version does not exist.
 */
export async function getTemplatePage(
  db: Database,
  actor: Actor | null,
  id: number,
  version: number | undefined,
  locale: Locale = DEFAULT_LOCALE,
): Promise<TemplateDetail> {
  const ref = await getReferenceData(db)
  const t = await loadTemplate(db, id)
  if (!t || !mayRead(actor, t)) throw new AppError('NOT_FOUND', 'template.e.notFound')
  const shownRow = await loadVersion(db, id, version ?? t.current_version)
  if (!shownRow) throw new AppError('NOT_FOUND', 'template.e.versionNotFound')
  const versions = await db
    .selectFrom('contract_template_versions')
    .select(['version', 'created_at', 'in_use'])
    .where('template_id', '=', id)
    .orderBy('version', 'desc')
    .execute()
  const codes = (await scenarioCodesOf(db, [id])).get(id) ?? []
  const scenarios = codes.map((code) => ({ code, name: scenarioName(ref, code, locale) ?? code }))
  const shown = versionView(shownRow)
  const industry = t.industry_code ? industryName(ref, t.industry_code, locale) : null

  let base: TemplateBaseRef | null = null
  let diff: TemplateDetail['diff'] = []
  if (shownRow.derived_from_version_id !== null) {
    const b = await loadBase(db, shownRow.derived_from_version_id)
    if (b) {
      base = {
        templateId: b.template_id,
        versionId: b.id,
        version: b.version,
        title: b.title,
        orgName: b.org_name,
        isOfficial: b.is_official === 1,
        archived: b.status === 'archived',
      }
      const baseCodes = (await scenarioCodesOf(db, [b.template_id])).get(b.template_id) ?? []
      diff = diffTemplates(
        {
          ...contentOf(b),
          industryName: b.industry_code ? industryName(ref, b.industry_code, locale) : null,
          scenarioNames: baseCodes.map((code) => scenarioName(ref, code, locale) ?? code),
        },
        { ...shown, industryName: industry, scenarioNames: scenarios.map((s) => s.name) },
        describer(locale),
      )
    }
  }

  const canManage = can(actor, ref, 'manage:templates:own', { orgId: t.org_id })
  const ownOrg = actor?.org?.orgId
  const canDerive =
    t.is_official === 1 &&
    t.status === 'active' &&
    t.org_status === 'verified' &&
    ownOrg !== undefined &&
    ownOrg !== t.org_id &&
    can(actor, ref, 'manage:templates:own', { orgId: ownOrg })

  return {
    id: t.id,
    title: t.title,
    isOfficial: t.is_official === 1,
    status: t.status,
    orgId: t.org_id,
    orgName: t.org_name,
    orgKind: t.org_kind,
    industryCode: t.industry_code,
    industryName: industry,
    scenarios,
    currentVersion: t.current_version,
    versions: versions.map((v) => ({ version: v.version, createdAt: String(v.created_at), inUse: v.in_use === 1 })),
    shown,
    base,
    diff,
    updatedAt: String(t.updated_at),
    canManage,
    canDerive,
  }
}

/**
 * One version by its id, whatever its template's status (a bid or contract names the
 * version it used and reads it back here), or null.
 */
export async function getTemplateVersion(
  db: Database | Transaction<DB>,
  versionId: number,
): Promise<{ templateId: number; orgId: number; title: string; status: TemplateStatus; version: TemplateVersionView } | null> {
  const row = await db
    .selectFrom('contract_template_versions as v')
    .innerJoin('contract_templates as t', 't.id', 'v.template_id')
    .select([...VERSION_COLUMNS, 't.org_id', 't.title', 't.status'])
    .where('v.id', '=', versionId)
    .executeTakeFirst()
  if (!row) return null
  return { templateId: row.template_id, orgId: row.org_id, title: row.title, status: row.status, version: versionView(row) }
}

export interface OwnTemplates {
  items: OwnTemplateItem[]
  /** The organisation's templates are official (an agency's). */
  official: boolean
  limit: number
}

/** The acting organisation's templates (any status), for its workspace; needs 'manage:templates:own'. */
export async function listOwnTemplates(db: Database, actor: Actor, locale: Locale = DEFAULT_LOCALE): Promise<OwnTemplates> {
  const ref = await getReferenceData(db)
  const org = authorize(actor, ref, 'manage:templates:own', { orgId: actor.org?.orgId ?? 0 })
  const rows = (await db
    .selectFrom('contract_templates as t')
    .innerJoin('organisations as o', 'o.id', 't.org_id')
    .innerJoin('contract_template_versions as v', (j) =>
      j.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'),
    )
    .select(LIST_COLUMNS)
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom('contract_template_versions as u')
            .select('u.id')
            .whereRef('u.template_id', '=', 't.id')
            .where('u.in_use', '=', 1),
        )
        .as('in_use'),
      eb
        .exists(
          eb
            .selectFrom('contract_template_versions as d')
            .innerJoin('contract_template_versions as mine', 'mine.id', 'd.derived_from_version_id')
            .select('d.id')
            .whereRef('mine.template_id', '=', 't.id')
            .whereRef('d.template_id', '<>', 't.id'),
        )
        .as('referenced'),
      eb
        .selectFrom('contract_template_versions as b')
        .innerJoin('contract_templates as bt', 'bt.id', 'b.template_id')
        .select('bt.title')
        .whereRef('b.id', '=', 'v.derived_from_version_id')
        .as('base_title'),
    ])
    .where('t.org_id', '=', org.orgId)
    .orderBy('t.status')
    .orderBy('t.updated_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(PROVIDER_LIMITS.templatesPerOrg)
    .execute()) as (ListRow & { in_use: unknown; referenced: unknown; base_title: string | null })[]
  const items = await toListItems(db, ref, rows, locale)
  return {
    items: items.map((item, i) => ({
      ...item,
      inUse: truthy(rows[i]!.in_use),
      referenced: truthy(rows[i]!.referenced),
      baseTitle: rows[i]!.base_title,
    })),
    official: org.kind === 'agency',
    limit: PROVIDER_LIMITS.templatesPerOrg,
  }
}

/** EXISTS comes back as 1/0 on SQLite and as a boolean (1/0 through db/postgres.ts) on PostgreSQL. */
function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't'
}

export interface TemplateFormData {
  values: TemplateFields
  base: TemplateBaseRef | null
  /** Editing: the template, its current version and whether saving makes a new one. */
  editing: { id: number; currentVersion: number; inUse: boolean; status: TemplateStatus } | null
  official: boolean
  industries: { code: string; name: string }[]
  scenarios: { code: string; name: string; link: string }[]
}

const BLANK: TemplateFields = {
  title: '',
  industryCode: null,
  scenarioCodes: [],
  constructionDays: 90,
  technicalStandards: [],
  acceptanceStandards: '',
  qualityTerms: '',
  warrantyMonths: 12,
  priceModel: 'range',
  priceMinWan: null,
  priceMaxWan: null,
  milestones: [],
  disputeClause: '',
}

/**
 * The version a new template may derive from: a version of an official template of a
 * verified organisation that is still active (an archived one was withdrawn).
 */
async function loadDerivableBase(db: Database, versionId: number) {
  const b = await loadBase(db, versionId)
  if (!b || b.is_official !== 1 || b.org_status !== 'verified') throw new AppError('NOT_FOUND', 'template.e.baseNotFound')
  if (b.status !== 'active') throw new AppError('INVALID_STATE', 'template.e.baseArchived')
  return b
}

function baseRef(b: NonNullable<Awaited<ReturnType<typeof loadBase>>>): TemplateBaseRef {
  return {
    templateId: b.template_id,
    versionId: b.id,
    version: b.version,
    title: b.title,
    orgName: b.org_name,
    isOfficial: b.is_official === 1,
    archived: b.status === 'archived',
  }
}

/**
 * The new-template form: blank, or filled with the official version `fromVersionId`
 * (deriving). Needs 'manage:templates:own' on the acting organisation.
 */
export async function getNewTemplateForm(
  db: Database,
  actor: Actor,
  fromVersionId: number | undefined,
  locale: Locale = DEFAULT_LOCALE,
): Promise<TemplateFormData> {
  const ref = await getReferenceData(db)
  const org = authorize(actor, ref, 'manage:templates:own', { orgId: actor.org?.orgId ?? 0 })
  let values = BLANK
  let base: TemplateBaseRef | null = null
  if (fromVersionId !== undefined) {
    const b = await loadDerivableBase(db, fromVersionId)
    const codes = (await scenarioCodesOf(db, [b.template_id])).get(b.template_id) ?? []
    values = { title: b.title, industryCode: b.industry_code, scenarioCodes: codes, ...contentOf(b) }
    base = baseRef(b)
  }
  return { values, base, editing: null, official: org.kind === 'agency', ...choices(ref, locale) }
}

function choices(ref: ReferenceData, locale: Locale) {
  return { industries: industryOptions(ref, locale), scenarios: scenarioOptions(ref, locale) }
}

/** The edit form of one's own template, at its current version. */
export async function getTemplateEditForm(
  db: Database,
  actor: Actor,
  templateId: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<TemplateFormData> {
  const ref = await getReferenceData(db)
  const t = await loadTemplate(db, templateId)
  if (!t) throw new AppError('NOT_FOUND', 'template.e.notFound')
  authorize(actor, ref, 'manage:templates:own', { orgId: t.org_id })
  const row = await loadVersion(db, templateId, t.current_version)
  if (!row) throw new AppError('NOT_FOUND', 'template.e.versionNotFound')
  const codes = (await scenarioCodesOf(db, [templateId])).get(templateId) ?? []
  const b = row.derived_from_version_id !== null ? await loadBase(db, row.derived_from_version_id) : undefined
  return {
    values: { title: t.title, industryCode: t.industry_code, scenarioCodes: codes, ...contentOf(row) },
    base: b ? baseRef(b) : null,
    editing: { id: t.id, currentVersion: t.current_version, inUse: row.in_use === 1, status: t.status },
    official: t.is_official === 1,
    ...choices(ref, locale),
  }
}

// ---------------------------------------------------------------------------------------
// Writing

async function replaceScenarios(trx: Transaction<DB>, templateId: number, codes: readonly string[]): Promise<void> {
  await trx.deleteFrom('contract_template_scenarios').where('template_id', '=', templateId).execute()
  if (codes.length > 0) {
    await trx
      .insertInto('contract_template_scenarios')
      .values(codes.map((scenario_code) => ({ template_id: templateId, scenario_code })))
      .execute()
  }
}

/**
 * A new template of the acting organisation: official when it is an agency's (owners
 * and reviewers), the provider's own otherwise; blank or derived from an official
 * template's version (`derivedFromVersionId`). Version 1.
 */
export async function createTemplate(
  db: Database,
  actor: Actor,
  input: TemplateFields,
  options: { derivedFromVersionId?: number } = {},
): Promise<{ templateId: number }> {
  const ref = await getReferenceData(db)
  const org = authorize(actor, ref, 'manage:templates:own', { orgId: actor.org?.orgId ?? 0 })
  assertRefs(ref, input)
  assertContent(input)
  const base = options.derivedFromVersionId !== undefined ? await loadDerivableBase(db, options.derivedFromVersionId) : null
  const isOfficial = org.kind === 'agency' ? 1 : 0
  const now = new Date().toISOString()
  return withTransaction(db, async (trx) => {
    const count = await trx
      .selectFrom('contract_templates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', org.orgId)
      .executeTakeFirst()
    if (Number(count?.n ?? 0) >= PROVIDER_LIMITS.templatesPerOrg) {
      throw new AppError('CONFLICT', 'template.e.tooMany', { params: { limit: PROVIDER_LIMITS.templatesPerOrg } })
    }
    const template = await trx
      .insertInto('contract_templates')
      .values({
        org_id: org.orgId,
        is_official: isOfficial,
        title: input.title,
        industry_code: input.industryCode,
        status: 'active',
        current_version: 1,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await replaceScenarios(trx, template.id, input.scenarioCodes)
    const version = await trx
      .insertInto('contract_template_versions')
      .values({
        template_id: template.id,
        version: 1,
        derived_from_version_id: base?.id ?? null,
        ...versionColumns(input),
        created_by: actor.userId,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      action: 'template.created',
      ...auditActor(actor),
      objectType: 'contract_template',
      objectId: template.id,
      detail: {
        title: input.title,
        official: isOfficial === 1,
        versionId: version.id,
        derivedFromVersionId: base?.id ?? null,
      },
    })
    return { templateId: template.id }
  })
}

export interface TemplateSaved {
  /** The version the template's current version is now. */
  version: number
  /** A new version was made (the previous one is in use). */
  newVersion: boolean
  /** Anything changed at all. */
  changed: boolean
}

/** A template the actor's organisation owns, or FORBIDDEN (NOT_FOUND when there is none). */
async function ownTemplate(db: Database, actor: Actor, templateId: number) {
  const ref = await getReferenceData(db)
  const t = await loadTemplate(db, templateId)
  if (!t) throw new AppError('NOT_FOUND', 'template.e.notFound')
  authorize(actor, ref, 'manage:templates:own', { orgId: t.org_id })
  return { t, ref }
}

/**
 * Saves one's own template. Its current version is changed in place while no bid or
 * contract uses it; once one does (in_use = 1), a new version is made and becomes the
 * current one, and the old one stays as it was. `baseVersion` is the version the form
 * showed: a save over a newer one is refused (someone else saved meanwhile).
 */
export async function updateTemplate(
  db: Database,
  actor: Actor,
  templateId: number,
  input: TemplateFields,
  baseVersion: number,
): Promise<TemplateSaved> {
  const { t, ref } = await ownTemplate(db, actor, templateId)
  if (t.status !== 'active') throw new AppError('INVALID_STATE', 'template.e.archived')
  assertRefs(ref, input)
  assertContent(input)
  const now = new Date().toISOString()
  return withTransaction(db, async (trx) => {
    // Writers of one template take turns: this no-op update locks its row (PostgreSQL) or the database (SQLite).
    const locked = await trx
      .updateTable('contract_templates')
      .set((eb) => ({ current_version: eb.ref('current_version') }))
      .where('id', '=', templateId)
      .returning(['current_version', 'status', 'title', 'industry_code'])
      .executeTakeFirst()
    if (!locked) throw new AppError('NOT_FOUND', 'template.e.notFound')
    if (locked.status !== 'active') throw new AppError('INVALID_STATE', 'template.e.archived')
    if (locked.current_version !== baseVersion) throw new AppError('CONFLICT', 'template.e.stale')
    const current = await loadVersion(trx, templateId, locked.current_version)
    if (!current) throw new AppError('NOT_FOUND', 'template.e.versionNotFound')
    const codesBefore = (await scenarioCodesOf(trx, [templateId])).get(templateId) ?? []
    const templateChanged =
      locked.title !== input.title ||
      locked.industry_code !== input.industryCode ||
      JSON.stringify([...codesBefore].sort()) !== JSON.stringify([...input.scenarioCodes].sort())
    const contentChanged = !sameContent(contentOf(current), input)
    if (!templateChanged && !contentChanged) return { version: current.version, newVersion: false, changed: false }

    let version = current.version
    let newVersion = false
    if (contentChanged) {
      // In place only while unused: a version marked in use meanwhile is left alone (0 rows).
      const inPlace =
        current.in_use === 0
          ? await trx
              .updateTable('contract_template_versions')
              .set(versionColumns(input))
              .where('id', '=', current.id)
              .where('in_use', '=', 0)
              .executeTakeFirst()
          : null
      if (!inPlace || Number(inPlace.numUpdatedRows) === 0) {
        version = current.version + 1
        newVersion = true
        await trx
          .insertInto('contract_template_versions')
          .values({
            template_id: templateId,
            version,
            derived_from_version_id: current.derived_from_version_id,
            ...versionColumns(input),
            created_by: actor.userId,
            created_at: now,
          })
          .execute()
      }
    }
    await trx
      .updateTable('contract_templates')
      .set({ title: input.title, industry_code: input.industryCode, current_version: version, updated_at: now })
      .where('id', '=', templateId)
      .execute()
    if (templateChanged) await replaceScenarios(trx, templateId, input.scenarioCodes)
    await recordAudit(trx, {
      action: newVersion ? 'template.versioned' : 'template.updated',
      ...auditActor(actor),
      objectType: 'contract_template',
      objectId: templateId,
      detail: { title: input.title, version, previousVersion: current.version },
    })
    return { version, newVersion, changed: true }
  })
}

/**
 * Marks a template version as used by a bid or contract: from now on it never changes
 * (editing the template makes a new version). Call inside the bid's or contract's
 * transaction; idempotent. It does not judge whether the template may still be
 * proposed (an archived one, say): the caller decides (getTemplateVersion tells it).
 * NOT_FOUND for an unknown version.
 */
export async function markTemplateVersionInUse(
  trx: Transaction<DB>,
  versionId: number,
): Promise<{ templateId: number; version: number }> {
  const row = await trx
    .updateTable('contract_template_versions')
    .set({ in_use: 1 })
    .where('id', '=', versionId)
    .returning(['template_id', 'version'])
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'template.e.versionNotFound')
  return { templateId: row.template_id, version: row.version }
}

/** Takes one's template out of /templates; it stays readable by its link, marked 已归档. */
export async function archiveTemplate(db: Database, actor: Actor, templateId: number): Promise<void> {
  await setStatus(db, actor, templateId, 'archived')
}

/** Puts an archived template back on /templates. */
export async function restoreTemplate(db: Database, actor: Actor, templateId: number): Promise<void> {
  await setStatus(db, actor, templateId, 'active')
}

async function setStatus(db: Database, actor: Actor, templateId: number, status: TemplateStatus): Promise<void> {
  const { t } = await ownTemplate(db, actor, templateId)
  if (t.status === status) return
  await withTransaction(db, async (trx) => {
    await trx
      .updateTable('contract_templates')
      .set({ status, updated_at: new Date().toISOString() })
      .where('id', '=', templateId)
      .execute()
    await recordAudit(trx, {
      action: status === 'archived' ? 'template.archived' : 'template.restored',
      ...auditActor(actor),
      objectType: 'contract_template',
      objectId: templateId,
      detail: { title: t.title },
    })
  })
}

/**
 * Deletes one's template with its versions — only while none is in use and no other
 * template derives from it (INVALID_STATE: archive it instead).
 */
export async function deleteTemplate(db: Database, actor: Actor, templateId: number): Promise<void> {
  const { t } = await ownTemplate(db, actor, templateId)
  await withTransaction(db, async (trx) => {
    const used = await trx
      .selectFrom('contract_template_versions')
      .select('id')
      .where('template_id', '=', templateId)
      .where('in_use', '=', 1)
      .executeTakeFirst()
    if (used) throw new AppError('INVALID_STATE', 'template.e.inUseNoDelete')
    const derived = await trx
      .selectFrom('contract_template_versions as d')
      .innerJoin('contract_template_versions as mine', 'mine.id', 'd.derived_from_version_id')
      .select('d.id')
      .where('mine.template_id', '=', templateId)
      .where('d.template_id', '<>', templateId)
      .executeTakeFirst()
    if (derived) throw new AppError('INVALID_STATE', 'template.e.referencedNoDelete')
    await trx.deleteFrom('contract_templates').where('id', '=', templateId).execute()
    await recordAudit(trx, {
      action: 'template.deleted',
      ...auditActor(actor),
      objectType: 'contract_template',
      objectId: templateId,
      detail: { title: t.title },
    })
  })
}
