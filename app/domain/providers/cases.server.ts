import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { withTransaction, type AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { FileStorage } from '../../utils/storage.server.js'
import type { Actor } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
import {
  attachFile,
  countFiles,
  deleteFile,
  deleteFilesOf,
  listFiles,
  prepareUpload,
  type PreparedUpload,
  type UploadedFile,
} from '../files/files.server.js'
import {
  getReferenceData,
  industryName,
  industryOptions,
  regionLabel,
  regionPickerData,
  scenarioName,
  scenarioOptions,
  type ReferenceData,
} from '../reference/reference.server.js'
import { PROVIDER_LIMITS } from './enums.js'
import { actingProviderId, auditFor, changeText, ownProvider } from './own-provider.server.js'
import type { MetricInput, TCaseInput } from './schema.js'
import { enqueueProviderChange } from './search-index.server.js'
import type { CaseFormChoices, CaseItem, CaseRow, MetricDirection, MetricItem } from './views.js'

/*
 * A provider's cases (案例): the client (or an anonymised description of it, 某汽车零部件
 * 企业), industry, scenarios, investment in 万元, year, what was done, and the measured
 * results as rows (name, before, after, unit: 不良品率 2.1 % → 0.6 %). Any active member
 * of the verified provider creates, edits and deletes them ('edit:provider-profile:own',
 * checked on the case's own organisation); each write is audited and re-indexes the
 * provider (the directory finds providers by words of their cases).
 *
 * A case is 自述 (self-reported) until a contract completed on the platform verifies
 * it: the contracts context calls markCaseVerified, and the case is 平台验证 from then on
 * (editing it later keeps the mark: it says the project was delivered through the platform).
 *
 * Two colleagues editing one case: the form carries the case's updated_at as its
 * version, and an edit made on an older one is refused (409), not merged.
 */

/** The file attachments' object type of a case (images: purpose 'case_image'). */
export const CASE_OBJECT_TYPE = 'provider_case'

/** How a measured result moved: (after − before) / |before| in percent, one decimal. */
export function metricChange(
  before: number | null,
  after: number,
): { changePercent: number | null; direction: MetricDirection | null } {
  if (before === null) return { changePercent: null, direction: null }
  const direction: MetricDirection = after > before ? 'up' : after < before ? 'down' : 'flat'
  if (before === 0) return { changePercent: null, direction }
  const percent = Math.round(((after - before) / Math.abs(before)) * 1000) / 10
  return { changePercent: Object.is(percent, -0) ? 0 : percent, direction }
}

type CaseDbRow = {
  id: number
  org_id: number
  title: string
  client_name: string
  client_anonymised: 0 | 1
  industry_code: string
  region_code: string | null
  investment_wan: number | null
  year: number
  summary: string
  verified_contract_id: number | null
  updated_at: string
}

const CASE_COLUMNS = [
  'id',
  'org_id',
  'title',
  'client_name',
  'client_anonymised',
  'industry_code',
  'region_code',
  'investment_wan',
  'year',
  'summary',
  'verified_contract_id',
  'updated_at',
] as const

/** Cases as pages show them: with their scenarios and metrics (two queries for any number of cases). */
async function toCaseItems(db: Kysely<DB>, ref: ReferenceData, rows: CaseDbRow[], locale: Locale): Promise<CaseItem[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [scenarios, metrics, images] = await Promise.all([
    db.selectFrom('case_scenarios').select(['case_id', 'scenario_code']).where('case_id', 'in', ids).execute(),
    db
      .selectFrom('case_metrics')
      .select(['case_id', 'name', 'before_value', 'after_value', 'unit'])
      .where('case_id', 'in', ids)
      .orderBy('case_id')
      .orderBy('seq')
      .execute(),
    listFiles(db, CASE_OBJECT_TYPE, ids),
  ])
  const scenariosOf = new Map<number, string[]>()
  for (const s of scenarios) scenariosOf.set(s.case_id, [...(scenariosOf.get(s.case_id) ?? []), s.scenario_code])
  const metricsOf = new Map<number, MetricItem[]>()
  for (const m of metrics) {
    const before = m.before_value === null ? null : Number(m.before_value)
    const after = Number(m.after_value)
    const item: MetricItem = { name: m.name, before, after, unit: m.unit, ...metricChange(before, after) }
    metricsOf.set(m.case_id, [...(metricsOf.get(m.case_id) ?? []), item])
  }
  const order = new Map(ref.scenarios.map((s, i) => [s.code, i]))
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    client: r.client_name,
    anonymised: r.client_anonymised === 1,
    industryCode: r.industry_code,
    industryName: industryName(ref, r.industry_code, locale) ?? r.industry_code,
    regionCode: r.region_code,
    regionLabel: r.region_code ? regionLabel(ref, r.region_code, locale) : null,
    investmentWan: r.investment_wan,
    year: r.year,
    summary: r.summary,
    scenarios: (scenariosOf.get(r.id) ?? [])
      .sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
      .map((code) => ({ code, name: scenarioName(ref, code, locale) ?? code })),
    metrics: metricsOf.get(r.id) ?? [],
    images: images.get(r.id) ?? [],
    verified: r.verified_contract_id !== null,
    updatedAt: r.updated_at,
  }))
}

/** A page of a provider's cases, newest year first, with how many it has and how many are verified. */
export async function casesOf(
  db: Database,
  ref: ReferenceData,
  orgId: number,
  { page = 1, pageSize = 10, locale = DEFAULT_LOCALE }: { page?: number; pageSize?: number; locale?: Locale } = {},
): Promise<{ cases: CaseItem[]; total: number; verified: number }> {
  const counts = await db
    .selectFrom('provider_cases')
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.count<number>('verified_contract_id').as('verified')])
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow()
  const rows = await db
    .selectFrom('provider_cases')
    .select(CASE_COLUMNS)
    .where('org_id', '=', orgId)
    .orderBy('year', 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  return { cases: await toCaseItems(db, ref, rows, locale), total: Number(counts.total), verified: Number(counts.verified) }
}

/** /provider/cases: the acting provider's cases, newest year first. */
export async function listOwnCases(
  db: Database,
  actor: Actor,
  locale: Locale = DEFAULT_LOCALE,
): Promise<{ name: string; cases: CaseRow[]; limit: number }> {
  const ref = await getReferenceData(db)
  const org = await ownProvider(db, actor, ref, actingProviderId(actor))
  const rows = await db
    .selectFrom('provider_cases as c')
    .select([
      'c.id',
      'c.title',
      'c.client_name',
      'c.client_anonymised',
      'c.industry_code',
      'c.year',
      'c.verified_contract_id',
      'c.updated_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('case_metrics as m')
        .select((m) => m.fn.countAll<number>().as('n'))
        .whereRef('m.case_id', '=', 'c.id')
        .as('metric_count'),
    )
    .where('c.org_id', '=', org.id)
    .orderBy('c.year', 'desc')
    .orderBy('c.id', 'desc')
    .execute()
  return {
    name: org.name,
    limit: PROVIDER_LIMITS.casesPerProvider,
    cases: rows.map((r) => ({
      id: r.id,
      title: r.title,
      client: r.client_name,
      anonymised: r.client_anonymised === 1,
      industryName: industryName(ref, r.industry_code, locale) ?? r.industry_code,
      year: r.year,
      metricCount: Number(r.metric_count ?? 0),
      verified: r.verified_contract_id !== null,
      updatedAt: r.updated_at,
    })),
  }
}

function formChoices(ref: ReferenceData, regionCode: string | null, locale: Locale): CaseFormChoices {
  return {
    industries: industryOptions(ref, locale),
    scenarios: scenarioOptions(ref, locale),
    regions: regionPickerData(ref, regionCode, locale),
  }
}

/** /provider/cases/new: what the form offers, once the actor may add cases. */
export async function getNewCaseForm(db: Database, actor: Actor, locale: Locale = DEFAULT_LOCALE): Promise<CaseFormChoices> {
  const ref = await getReferenceData(db)
  await ownProvider(db, actor, ref, actingProviderId(actor))
  return formChoices(ref, null, locale)
}

/** The case `id` as it is now, once the actor may edit its provider's cases. */
async function loadCaseForWrite(trx: Kysely<DB>, actor: Actor, ref: ReferenceData, id: number) {
  const row = await trx.selectFrom('provider_cases').select(CASE_COLUMNS).where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'errors.notFound')
  const org = await ownProvider(trx, actor, ref, row.org_id)
  return { row, org }
}

/** /provider/cases/:id: the case and what its form offers. */
export async function getCaseForEdit(
  db: Database,
  actor: Actor,
  id: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<{ case: CaseItem; choices: CaseFormChoices }> {
  const ref = await getReferenceData(db)
  const { row } = await loadCaseForWrite(db, actor, ref, id)
  const [item] = await toCaseItems(db, ref, [row], locale)
  return { case: item!, choices: formChoices(ref, row.region_code, locale) }
}

/** What zod cannot check: the industry, scenarios and region exist. */
function assertCaseRefs(ref: ReferenceData, input: TCaseInput): void {
  const fieldErrors: Record<string, 'providers.v.caseIndustry' | 'providers.v.caseScenarios' | 'providers.v.caseRegion'> = {}
  if (!ref.industriesByCode.has(input.industry)) fieldErrors.industry = 'providers.v.caseIndustry'
  if (input.scenarios.some((s) => !ref.scenariosByCode.has(s))) fieldErrors['scenarios[]'] = 'providers.v.caseScenarios'
  if (input.region && !ref.regionsByCode.has(input.region)) fieldErrors.region = 'providers.v.caseRegion'
  const count = Object.keys(fieldErrors).length
  if (count === 1) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors })
  if (count > 1) throw new AppError('VALIDATION', 'errors.validation', { fieldErrors, params: { count } })
}

function caseColumns(input: TCaseInput) {
  return {
    title: input.title,
    client_name: input.client,
    client_anonymised: input.anonymised ? (1 as const) : (0 as const),
    industry_code: input.industry,
    region_code: input.region || null,
    investment_wan: input.investmentWan,
    year: input.year,
    summary: input.summary,
  }
}

async function writeCaseLists(trx: Kysely<DB>, caseId: number, scenarios: string[], metrics: MetricInput[]): Promise<void> {
  await trx.deleteFrom('case_scenarios').where('case_id', '=', caseId).execute()
  await trx.deleteFrom('case_metrics').where('case_id', '=', caseId).execute()
  if (scenarios.length) {
    await trx
      .insertInto('case_scenarios')
      .values(scenarios.map((scenario_code) => ({ case_id: caseId, scenario_code })))
      .execute()
  }
  if (metrics.length) {
    await trx
      .insertInto('case_metrics')
      .values(
        metrics.map((m, i) => ({
          case_id: caseId,
          seq: i + 1,
          name: m.name,
          before_value: m.before,
          after_value: m.after,
          unit: m.unit,
        })),
      )
      .execute()
  }
}

/** The images field of the case form. */
export const CASE_IMAGES_FIELD = 'images'

function tooManyImages(): AppError {
  return new AppError('VALIDATION', 'providers.e.tooManyImages', {
    params: { limit: PROVIDER_LIMITS.imagesPerCase },
    fieldErrors: { [CASE_IMAGES_FIELD]: 'providers.e.tooManyImages' },
  })
}

/**
 * Checks the uploaded images (type by content, size, decoding, the preview) before any
 * transaction: decoding photos takes time the database should not wait for.
 */
async function prepareImages(images: readonly UploadedFile[]): Promise<PreparedUpload[]> {
  if (images.length > PROVIDER_LIMITS.imagesPerCase) throw tooManyImages()
  const prepared: PreparedUpload[] = []
  for (const image of images) prepared.push(await prepareUpload('case_image', { ...image, field: CASE_IMAGES_FIELD }))
  return prepared
}

/** Attaches prepared images to a case, within the limit of images a case may have. */
async function attachImages(
  trx: Transaction<DB>,
  storage: FileStorage,
  actor: Actor,
  orgId: number,
  caseId: number,
  images: readonly PreparedUpload[],
): Promise<string[]> {
  if (images.length === 0) return []
  const existing = await countFiles(trx, CASE_OBJECT_TYPE, caseId)
  if (existing + images.length > PROVIDER_LIMITS.imagesPerCase) throw tooManyImages()
  const names: string[] = []
  for (const file of images) {
    const view = await attachFile(trx, storage, actor, {
      purpose: 'case_image',
      orgId,
      objectType: CASE_OBJECT_TYPE,
      objectId: caseId,
      file,
    })
    names.push(view.name)
  }
  return names
}

/** A metric as the audit log shows it: 不良品率 2.1→0.6 %. */
function metricText(m: { name: string; before: number | null; after: number; unit: string }): string {
  return `${m.name} ${m.before ?? '—'}→${m.after}${m.unit ? ` ${m.unit}` : ''}`
}

/** Adds a case to the acting provider, with the images uploaded along (purpose 'case_image'). */
export async function createCase(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  input: TCaseInput,
  images: readonly UploadedFile[] = [],
): Promise<{ id: number }> {
  const ref = await getReferenceData(db)
  assertCaseRefs(ref, input)
  // Who may, before the images are decoded.
  await ownProvider(db, actor, ref, actingProviderId(actor))
  const prepared = await prepareImages(images)
  return withTransaction(db, async (trx, afterCommit) => {
    const org = await ownProvider(trx, actor, ref, actingProviderId(actor))
    const { n } = await trx
      .selectFrom('provider_cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow()
    if (Number(n) >= PROVIDER_LIMITS.casesPerProvider) {
      throw new AppError('VALIDATION', 'providers.e.tooManyCases', { params: { limit: PROVIDER_LIMITS.casesPerProvider } })
    }
    const now = new Date().toISOString()
    const row = await trx
      .insertInto('provider_cases')
      .values({ org_id: org.id, ...caseColumns(input), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await writeCaseLists(trx, row.id, input.scenarios, input.metrics)
    const imageNames = await attachImages(trx, storage, actor, org.id, row.id, prepared)
    await recordAudit(trx, {
      action: 'provider.case_created',
      ...auditFor(actor, org),
      objectType: CASE_OBJECT_TYPE,
      objectId: row.id,
      detail: {
        title: input.title,
        client: input.client,
        anonymised: input.anonymised,
        year: input.year,
        metrics: input.metrics.map(metricText).join('; ') || null,
        images: imageNames.join(', ') || null,
      },
    })
    await enqueueProviderChange(trx, afterCommit, org.id)
    return { id: row.id }
  })
}

function caseStale(): AppError {
  return new AppError('CONFLICT', 'providers.e.caseStale')
}

/** A timestamp after `previous`: the version an edit leaves behind always differs from the one it replaced. */
function nextTimestamp(previous: string): string {
  const now = Date.now()
  const before = Date.parse(previous)
  return new Date(Number.isNaN(before) || now > before ? now : before + 1).toISOString()
}

/** Changes a case; `version` is the updated_at the form was filled in on. */
export async function updateCase(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  id: number,
  version: string,
  input: TCaseInput,
  images: readonly UploadedFile[] = [],
): Promise<{ changed: string[] }> {
  const ref = await getReferenceData(db)
  let prepared: PreparedUpload[] = []
  if (images.length > 0) {
    // Who may, before the images are decoded.
    await loadCaseForWrite(db, actor, ref, id)
    prepared = await prepareImages(images)
  }
  return withTransaction(db, async (trx, afterCommit) => {
    const { row, org } = await loadCaseForWrite(trx, actor, ref, id)
    assertCaseRefs(ref, input)
    if (row.updated_at !== version) throw caseStale()
    const [current] = await toCaseItems(trx, ref, [row], DEFAULT_LOCALE)
    const next = caseColumns(input)
    const changes: Record<string, string> = {}
    const scalar = {
      title: 'title',
      client: 'client_name',
      anonymised: 'client_anonymised',
      industry: 'industry_code',
      region: 'region_code',
      investmentWan: 'investment_wan',
      year: 'year',
      summary: 'summary',
    } as const
    for (const [field, column] of Object.entries(scalar)) {
      if ((row[column] ?? null) !== (next[column] ?? null)) changes[field] = changeText(row[column], next[column])
    }
    const scenariosBefore = current!.scenarios.map((s) => s.code)
    if ([...scenariosBefore].sort().join(',') !== [...input.scenarios].sort().join(',')) {
      changes.scenarios = changeText(scenariosBefore.join(','), input.scenarios.join(','))
    }
    const metricsBefore = current!.metrics.map(metricText).join('; ')
    const metricsAfter = input.metrics.map(metricText).join('; ')
    if (metricsBefore !== metricsAfter) changes.metrics = changeText(metricsBefore, metricsAfter)
    const imageNames = await attachImages(trx, storage, actor, org.id, row.id, prepared)
    if (imageNames.length) changes.images = `+ ${imageNames.join(', ')}`
    const changed = Object.keys(changes)
    if (changed.length === 0) return { changed }
    const result = await trx
      .updateTable('provider_cases')
      .set({ ...next, updated_at: nextTimestamp(row.updated_at) })
      .where('id', '=', row.id)
      .where('updated_at', '=', row.updated_at)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw caseStale()
    await writeCaseLists(trx, row.id, input.scenarios, input.metrics)
    await recordAudit(trx, {
      action: 'provider.case_updated',
      ...auditFor(actor, org),
      objectType: CASE_OBJECT_TYPE,
      objectId: row.id,
      detail: { title: input.title, changed: changed.join(','), ...changes },
    })
    await enqueueProviderChange(trx, afterCommit, org.id)
    return { changed }
  })
}

/**
 * Deletes a case with its scenarios, metrics and files. With `apply: false` it only
 * checks that the actor may (what the confirmation step asks on) and writes nothing.
 */
export async function deleteCase(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  id: number,
  { apply = true }: { apply?: boolean } = {},
): Promise<void> {
  const ref = await getReferenceData(db)
  if (!apply) {
    await loadCaseForWrite(db, actor, ref, id)
    return
  }
  await withTransaction(db, async (trx, afterCommit) => {
    const { row, org } = await loadCaseForWrite(trx, actor, ref, id)
    await trx.deleteFrom('case_scenarios').where('case_id', '=', row.id).execute()
    await trx.deleteFrom('case_metrics').where('case_id', '=', row.id).execute()
    await deleteFilesOf(trx, storage, CASE_OBJECT_TYPE, row.id)
    await trx.deleteFrom('provider_cases').where('id', '=', row.id).execute()
    await recordAudit(trx, {
      action: 'provider.case_deleted',
      ...auditFor(actor, org),
      objectType: CASE_OBJECT_TYPE,
      objectId: row.id,
      detail: { title: row.title, client: row.client_name, year: row.year, verified: row.verified_contract_id !== null },
    })
    await enqueueProviderChange(trx, afterCommit, org.id)
  })
}

/**
 * Removes one image of a case (the case's version moves on: an open form of it is
 * stale). With `apply: false` it only checks that the actor may, writing nothing.
 */
export async function removeCaseImage(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  caseId: number,
  fileId: number,
  { apply = true }: { apply?: boolean } = {},
): Promise<void> {
  const ref = await getReferenceData(db)
  if (!apply) {
    await loadCaseForWrite(db, actor, ref, caseId)
    return
  }
  await withTransaction(db, async (trx, afterCommit) => {
    const { row, org } = await loadCaseForWrite(trx, actor, ref, caseId)
    const file = await trx
      .selectFrom('files')
      .select('name')
      .where('id', '=', fileId)
      .where('object_type', '=', CASE_OBJECT_TYPE)
      .where('object_id', '=', row.id)
      .executeTakeFirst()
    await deleteFile(trx, storage, actor, fileId, { objectType: CASE_OBJECT_TYPE, objectId: row.id })
    await trx
      .updateTable('provider_cases')
      .set({ updated_at: nextTimestamp(row.updated_at) })
      .where('id', '=', row.id)
      .execute()
    await recordAudit(trx, {
      action: 'provider.case_updated',
      ...auditFor(actor, org),
      objectType: CASE_OBJECT_TYPE,
      objectId: row.id,
      detail: { title: row.title, changed: 'images', images: `− ${file?.name ?? fileId}` },
    })
    await enqueueProviderChange(trx, afterCommit, org.id)
  })
}

/**
 * For the contracts context: the contract `contractId`, completed on the platform,
 * verifies the case (平台验证). Call inside the transaction that completes the
 * contract, after checking the case is the provider's and the contract its; a case
 * verified already keeps its first contract. Audited; re-indexes the provider.
 * Returns false when there is no such case or it was verified already.
 */
export async function markCaseVerified(
  trx: Kysely<DB>,
  afterCommit: AfterCommit,
  caseId: number,
  contractId: number,
): Promise<boolean> {
  const row = await trx
    .selectFrom('provider_cases as c')
    .innerJoin('organisations as o', 'o.id', 'c.org_id')
    .select(['c.id', 'c.org_id', 'c.title', 'c.verified_contract_id', 'o.region_code'])
    .where('c.id', '=', caseId)
    .executeTakeFirst()
  if (!row || row.verified_contract_id !== null) return false
  const now = new Date().toISOString()
  const result = await trx
    .updateTable('provider_cases')
    .set({ verified_contract_id: contractId, verified_at: now })
    .where('id', '=', caseId)
    .where('verified_contract_id', 'is', null)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return false
  await recordAudit(trx, {
    action: 'provider.case_verified',
    // No person: the completed contract is what verifies it.
    regionCode: row.region_code,
    objectType: CASE_OBJECT_TYPE,
    objectId: caseId,
    detail: { title: row.title, orgId: row.org_id, contractId },
  })
  await enqueueProviderChange(trx, afterCommit, row.org_id)
  return true
}
