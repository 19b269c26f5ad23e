import type { Insertable, Kysely } from 'kysely'
import type { ContractTemplatesTable, ContractTemplateVersionsTable, DB } from '../../../../db/types.js'
import type { ExchangeType, IdSpace, Reference, WriteContext } from '../exchange-type.server.js'
import { insertReturningIds, insertRows, unknownCode, unknownCodes } from '../exchange-type.server.js'
import { ZContractTemplateV1, type TContractTemplateV1, type TMilestoneV1 } from '../schemas/contract-template.v1.js'
import { ORGANISATION } from './organisation.server.js'

export const CONTRACT_TEMPLATE = 'contract_template'
const CHUNK = 500

export const contractTemplateSpace: IdSpace = {
  name: CONTRACT_TEMPLATE,
  table: 'contract_templates',
  exportPrefix: 'tpl',
  async loadFacts(db, ids) {
    const out = new Map<number, { official: boolean }>()
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await db
        .selectFrom('contract_templates')
        .select(['id', 'is_official'])
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute()
      for (const r of rows) out.set(r.id, { official: Number(r.is_official) === 1 })
    }
    return out
  },
}

/** The fields of a template's version, as columns (JSON lists as the app writes them). */
function versionColumns(t: TContractTemplateV1) {
  return {
    construction_days: t.constructionDays,
    technical_standards: JSON.stringify(t.technicalStandards),
    acceptance_standards: t.acceptanceStandards,
    quality_terms: t.qualityTerms,
    warranty_months: t.warrantyMonths,
    price_model: t.priceModel,
    // As the template form keeps them: a fixed price as min = max.
    price_min_wan: t.priceMinWan,
    price_max_wan: t.priceModel === 'fixed' ? t.priceMinWan : t.priceMaxWan,
    milestones: JSON.stringify(t.milestones.map((m) => ({ name: m.name, percent: m.percent, criteria: m.criteria }))),
    dispute_clause: t.disputeClause,
  }
}
type VersionColumns = ReturnType<typeof versionColumns>

/** A 0/1 column. */
function flag(on: boolean): 0 | 1 {
  return on ? 1 : 0
}

interface TemplateState {
  id: number
  org_id: number
  is_official: number
  title: string
  industry_code: string | null
  status: 'active' | 'archived'
  current_version: number
  scenarios: string[]
  version: VersionColumns & { id: number; in_use: number; derived_from_version_id: number | null }
  /** The template the current version derives from. */
  derivedFromTemplate: number | null
}

/** JSON text as a canonical string (PostgreSQL's jsonb hands it back re-spaced). */
function canonicalJson(text: string): string {
  return JSON.stringify(JSON.parse(text))
}

async function loadTemplates(db: Kysely<DB>, by: 'id' | 'org_id', keys: readonly number[]): Promise<TemplateState[]> {
  const out: TemplateState[] = []
  for (let i = 0; i < keys.length; i += CHUNK) {
    const part = keys.slice(i, i + CHUNK)
    const rows = await db
      .selectFrom('contract_templates as t')
      .innerJoin('contract_template_versions as v', (j) =>
        j.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'),
      )
      .leftJoin('contract_template_versions as d', 'd.id', 'v.derived_from_version_id')
      .select([
        't.id',
        't.org_id',
        't.is_official',
        't.title',
        't.industry_code',
        't.status',
        't.current_version',
        'v.id as version_id',
        'v.in_use',
        'v.derived_from_version_id',
        'd.template_id as derived_template_id',
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
      ])
      .where(`t.${by}`, 'in', part)
      .orderBy('t.org_id')
      .orderBy('t.id')
      .execute()
    if (rows.length === 0) continue
    const byId = new Map<number, TemplateState>()
    for (const r of rows) {
      const state: TemplateState = {
        id: r.id,
        org_id: r.org_id,
        is_official: Number(r.is_official),
        title: r.title,
        industry_code: r.industry_code,
        status: r.status,
        current_version: r.current_version,
        scenarios: [],
        version: {
          id: r.version_id,
          in_use: Number(r.in_use),
          derived_from_version_id: r.derived_from_version_id,
          construction_days: r.construction_days,
          technical_standards: canonicalJson(r.technical_standards),
          acceptance_standards: r.acceptance_standards,
          quality_terms: r.quality_terms,
          warranty_months: r.warranty_months,
          price_model: r.price_model,
          price_min_wan: r.price_min_wan,
          price_max_wan: r.price_max_wan,
          milestones: canonicalJson(r.milestones),
          dispute_clause: r.dispute_clause,
        },
        derivedFromTemplate: r.derived_template_id ?? null,
      }
      byId.set(r.id, state)
      out.push(state)
    }
    const ids = [...byId.keys()]
    for (let j = 0; j < ids.length; j += CHUNK) {
      for (const s of await db
        .selectFrom('contract_template_scenarios')
        .select(['template_id', 'scenario_code'])
        .where('template_id', 'in', ids.slice(j, j + CHUNK))
        .orderBy('scenario_code')
        .execute())
        byId.get(s.template_id)?.scenarios.push(s.scenario_code)
    }
  }
  return out
}

/** The current version's id of each template. */
async function currentVersionIds(db: Kysely<DB>, templateIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  const unique = [...new Set(templateIds)]
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .selectFrom('contract_templates as t')
      .innerJoin('contract_template_versions as v', (j) =>
        j.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'),
      )
      .select(['t.id', 'v.id as version_id'])
      .where('t.id', 'in', unique.slice(i, i + CHUNK))
      .execute()
    for (const r of rows) out.set(r.id, r.version_id)
  }
  return out
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const set = new Set(a)
  return b.every((x) => set.has(x))
}

/** The clauses `wanted` gives, compared with those of a version row. */
function sameVersion(wanted: VersionColumns, row: VersionColumns): boolean {
  return (Object.keys(wanted) as (keyof VersionColumns)[]).every((k) => wanted[k] === row[k])
}

async function writeTemplates(ctx: WriteContext, batch: readonly { line: number; record: TContractTemplateV1 }[]): Promise<void> {
  const { trx, ids, now, options } = ctx
  const createdBy = options.operator?.userId ?? null
  await ids.load(
    CONTRACT_TEMPLATE,
    batch.flatMap((b) => (b.record.derivedFrom ? [b.record.externalId, b.record.derivedFrom] : [b.record.externalId])),
    trx,
  )
  await ids.load(
    ORGANISATION,
    batch.map((b) => b.record.owner),
    trx,
  )
  const sources = await currentVersionIds(
    trx,
    batch.flatMap((b) => (b.record.derivedFrom ? [ids.require(CONTRACT_TEMPLATE, b.record.derivedFrom)] : [])),
  )
  const mappedIds = batch
    .map((b) => ids.get(CONTRACT_TEMPLATE, b.record.externalId))
    .filter((id): id is number => id !== undefined)
  const current = new Map((await loadTemplates(trx, 'id', mappedIds)).map((t) => [t.id, t]))
  // Scenarios and first versions of the batch's templates, written at its end.
  const scenarios: { template_id: number; scenario_code: string }[] = []
  const versions: Insertable<ContractTemplateVersionsTable>[] = []
  const created: {
    record: TContractTemplateV1
    template: Omit<Insertable<ContractTemplatesTable>, 'created_at' | 'updated_at'>
    version: VersionColumns
    sourceVersion: number | null
  }[] = []

  for (const { record } of batch) {
    const orgId = ids.require(ORGANISATION, record.owner)
    const sourceTemplate = record.derivedFrom ? ids.require(CONTRACT_TEMPLATE, record.derivedFrom) : null
    const sourceVersion = sourceTemplate === null ? null : (sources.get(sourceTemplate) ?? null)
    const template = {
      org_id: orgId,
      is_official: flag(record.official),
      title: record.title,
      industry_code: record.industryCode,
      status: record.status,
    }
    const version = versionColumns(record)
    const was = current.get(ids.get(CONTRACT_TEMPLATE, record.externalId) ?? 0)
    if (!was) {
      created.push({ record, template, version, sourceVersion })
      continue
    }
    const templateChanged =
      was.org_id !== template.org_id ||
      was.is_official !== template.is_official ||
      was.title !== template.title ||
      was.industry_code !== template.industry_code ||
      was.status !== template.status
    const scenariosChanged = !sameSet(was.scenarios, record.scenarios)
    // Derived from the same template as before counts as unchanged, whichever of its versions.
    const sourceChanged = was.derivedFromTemplate !== sourceTemplate
    const versionChanged = sourceChanged || !sameVersion(version, was.version)
    if (!templateChanged && !scenariosChanged && !versionChanged) {
      ctx.count(CONTRACT_TEMPLATE, 'unchanged')
      continue
    }
    let currentVersion = was.current_version
    if (versionChanged) {
      const derived = sourceChanged ? sourceVersion : was.version.derived_from_version_id
      if (was.version.in_use === 1) {
        // A version a bid or contract uses never changes: the edit is a new version.
        currentVersion += 1
        await trx
          .insertInto('contract_template_versions')
          .values({
            template_id: was.id,
            version: currentVersion,
            derived_from_version_id: derived,
            ...version,
            created_by: createdBy,
            created_at: now,
          })
          .execute()
      } else {
        await trx
          .updateTable('contract_template_versions')
          .set({ ...version, derived_from_version_id: derived })
          .where('id', '=', was.version.id)
          .execute()
      }
    }
    await trx
      .updateTable('contract_templates')
      .set({ ...template, current_version: currentVersion, updated_at: now })
      .where('id', '=', was.id)
      .execute()
    if (scenariosChanged) {
      await trx.deleteFrom('contract_template_scenarios').where('template_id', '=', was.id).execute()
      for (const code of record.scenarios) scenarios.push({ template_id: was.id, scenario_code: code })
    }
    ctx.count(CONTRACT_TEMPLATE, 'updated')
  }
  const newIds = await insertReturningIds(
    trx,
    'contract_templates',
    created.map(({ template }) => ({ ...template, current_version: 1, created_at: now, updated_at: now })),
  )
  created.forEach(({ record, version, sourceVersion }, i) => {
    const id = newIds[i]!
    for (const code of record.scenarios) scenarios.push({ template_id: id, scenario_code: code })
    versions.push({
      template_id: id,
      version: 1,
      derived_from_version_id: sourceVersion,
      ...version,
      created_by: createdBy,
      created_at: now,
    })
    ids.stage(CONTRACT_TEMPLATE, record.externalId, id, now)
    ctx.count(CONTRACT_TEMPLATE, 'created')
  })
  await insertRows(trx, 'contract_template_scenarios', scenarios)
  await insertRows(trx, 'contract_template_versions', versions)
}

export const contractTemplateType: ExchangeType<TContractTemplateV1> = {
  type: CONTRACT_TEMPLATE,
  current: 1,
  schemas: { 1: ZContractTemplateV1 },
  key: (t) => t.externalId,
  defines: (t) => ({ space: CONTRACT_TEMPLATE, externalId: t.externalId, facts: { official: t.official } }),
  references: (t) => {
    const refs: Reference[] = [
      {
        path: ['owner'],
        space: ORGANISATION,
        externalId: t.owner,
        expect: t.official
          ? { facts: { kind: 'agency' }, key: 'exchange.v.officialOwner' }
          : { facts: { kind: 'provider' }, key: 'exchange.v.templateOwner' },
      },
    ]
    if (t.derivedFrom) {
      refs.push({
        path: ['derivedFrom'],
        space: CONTRACT_TEMPLATE,
        externalId: t.derivedFrom,
        expect: { facts: { official: true }, key: 'exchange.v.derivedNotOfficial' },
      })
    }
    return refs
  },
  checkCodes: (t, ref, line) => [
    ...unknownCode(line, ['industryCode'], t.industryCode, ref.industriesByCode, 'exchange.v.unknownIndustry'),
    ...unknownCodes(line, ['scenarios'], t.scenarios, ref.scenariosByCode, 'exchange.v.unknownScenario'),
  ],
  // Official templates first: a provider's template names the version it derives from.
  phase: (t) => (t.derivedFrom ? 2 : 1),
  write: writeTemplates,
}

// ---------------------------------------------------------------- reading (export)

function parseList<T>(text: string): T[] {
  const v = JSON.parse(text) as unknown
  return Array.isArray(v) ? (v as T[]) : []
}

/** These templates as lines (their current version), in the order of `templateIds`. */
export async function* readContractTemplates(
  db: Kysely<DB>,
  templateIds: readonly number[],
  templateExternalIds: ReadonlyMap<number, string>,
  orgExternalIds: ReadonlyMap<number, string>,
): AsyncGenerator<TContractTemplateV1> {
  for (let i = 0; i < templateIds.length; i += CHUNK) {
    const part = templateIds.slice(i, i + CHUNK)
    const byId = new Map((await loadTemplates(db, 'id', part)).map((t) => [t.id, t]))
    for (const id of part) {
      const t = byId.get(id)
      if (!t) continue
      const v = t.version
      yield {
        type: 'contract_template',
        version: 1,
        externalId: templateExternalIds.get(t.id) ?? '',
        owner: orgExternalIds.get(t.org_id) ?? '',
        official: t.is_official === 1,
        title: t.title,
        industryCode: t.industry_code,
        scenarios: t.scenarios,
        status: t.status,
        derivedFrom: t.derivedFromTemplate === null ? null : (templateExternalIds.get(t.derivedFromTemplate) ?? null),
        constructionDays: v.construction_days,
        technicalStandards: parseList<string>(v.technical_standards),
        acceptanceStandards: v.acceptance_standards,
        qualityTerms: v.quality_terms,
        warrantyMonths: v.warranty_months,
        priceModel: v.price_model,
        priceMinWan: v.price_min_wan,
        priceMaxWan: v.price_max_wan,
        milestones: parseList<TMilestoneV1>(v.milestones).map((m) => ({
          name: m.name,
          percent: m.percent,
          criteria: m.criteria ?? '',
        })),
        disputeClause: v.dispute_clause,
      }
    }
  }
}

/** Templates of these owners, and the official templates their current versions derive from. */
export async function templatesOf(
  db: Kysely<DB>,
  orgIds: readonly number[],
): Promise<{ own: { id: number; orgId: number; official: boolean }[]; sources: { id: number; orgId: number }[] }> {
  const own: { id: number; orgId: number; official: boolean }[] = []
  const sourceIds = new Set<number>()
  for (const t of await loadTemplates(db, 'org_id', orgIds)) {
    own.push({ id: t.id, orgId: t.org_id, official: t.is_official === 1 })
    if (t.derivedFromTemplate !== null) sourceIds.add(t.derivedFromTemplate)
  }
  const ownIds = new Set(own.map((t) => t.id))
  const missing = [...sourceIds].filter((id) => !ownIds.has(id))
  const sources: { id: number; orgId: number }[] = []
  for (let i = 0; i < missing.length; i += CHUNK) {
    const rows = await db
      .selectFrom('contract_templates')
      .select(['id', 'org_id'])
      .where('id', 'in', missing.slice(i, i + CHUNK))
      .orderBy('id')
      .execute()
    for (const r of rows) sources.push({ id: r.id, orgId: r.org_id })
  }
  return { own, sources }
}
