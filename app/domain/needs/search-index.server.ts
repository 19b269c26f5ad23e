import type { Kysely } from 'kysely'
import type { AfterCommit } from '../../../db/transaction.js'
import type { DB, Region } from '../../../db/types.js'
import type { IndexSettings, SearchDocument, SearchEngine } from '../../../search/engine.js'
import { ensureIndex, type IndexedType } from '../../../search/indexer.js'
import { enqueueSearchChange } from '../../../search/outbox.js'
import { NEED_VISIBILITIES, PUBLIC_NEED_STATUSES } from './schema.js'
import { isVisibleNeed } from './visibility.js'

/**
 * Needs in the search index: what a need's document holds, and the outbox calls a
 * use case makes when it changes anything a need's document shows.
 */

/** `search_outbox.entity_type` of needs. */
export const NEED_ENTITY_TYPE = 'need'

export const NEEDS_INDEX = 'needs'

export const NEEDS_INDEX_SETTINGS = {
  // publishedAt: saved searches count and announce the needs published since they were last checked (matching/saved-searches.server.ts).
  filterable: [
    'industry',
    'regions',
    'province',
    'city',
    'scenarios',
    'level',
    'status',
    'visibility',
    'budgetMin',
    'budgetMax',
    'publishedAt',
  ],
  sortable: ['publishedAt', 'budgetMax'],
} as const satisfies IndexSettings

const EXCERPT_CHARS = 120
/** SQLite's default limit on bound parameters is 32 766; stay far below it. */
const LOAD_CHUNK = 1000

export function needDocumentId(needId: number): string {
  return `need-${needId}`
}

/** The need id behind a document id, or null for another type's document. */
export function parseNeedDocumentId(docId: string): number | null {
  const m = /^need-(\d+)$/.exec(docId)
  return m ? Number(m[1]) : null
}

function excerpt(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim())
  return chars.length > EXCERPT_CHARS ? `${chars.slice(0, EXCERPT_CHARS).join('')}…` : chars.join('')
}

function parseTime(iso: string | null): Date | null {
  if (!iso) return null
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? null : new Date(ms)
}

/** Every region named by `codes` plus all their ancestors, keyed by code. */
async function loadRegionTree(db: Kysely<DB>, codes: Iterable<string>): Promise<Map<string, Region>> {
  const found = new Map<string, Region>()
  let wanted = [...new Set(codes)]
  // Province → city → county → zone: a handful of rounds at most.
  while (wanted.length > 0) {
    const rows = await db.selectFrom('regions').selectAll().where('code', 'in', wanted).execute()
    for (const r of rows) found.set(r.code, r)
    wanted = [...new Set(rows.map((r) => r.parent_code).filter((c): c is string => c !== null && !found.has(c)))]
  }
  return found
}

/** Root first: 江苏省, 扬州市, 宝应县. Stops at a cycle or a missing parent. */
function regionPath(tree: Map<string, Region>, code: string): Region[] {
  const path: Region[] = []
  const seen = new Set<string>()
  let current = tree.get(code)
  while (current && !seen.has(current.code)) {
    seen.add(current.code)
    path.unshift(current)
    current = current.parent_code ? tree.get(current.parent_code) : undefined
  }
  return path
}

/**
 * The search documents for these needs, in one round of queries per chunk.
 * A need maps to null when it must not be in the index (draft, withdrawn,
 * expired, gone, or its organisation not verified); the indexer deletes those. Only public fields go in:
 * no organisation id, no diagnosis report or weakness ids.
 */
export async function loadNeedDocuments(db: Kysely<DB>, ids: readonly number[]): Promise<Map<number, SearchDocument | null>> {
  const out = new Map<number, SearchDocument | null>()
  const unique = [...new Set(ids)]
  for (const id of unique) out.set(id, null)
  for (let i = 0; i < unique.length; i += LOAD_CHUNK) {
    await loadChunk(db, unique.slice(i, i + LOAD_CHUNK), out)
  }
  return out
}

async function loadChunk(db: Kysely<DB>, ids: number[], out: Map<number, SearchDocument | null>): Promise<void> {
  const needs = await db
    .selectFrom('needs as n')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .innerJoin('industries as i', 'i.code', 'n.industry_code')
    .select([
      'n.id',
      'n.title',
      'n.description',
      'n.expected_results',
      'n.industry_code',
      'i.name as industry_name',
      'n.region_code',
      'n.target_level',
      'n.budget_min_wan',
      'n.budget_max_wan',
      'n.visibility',
      'n.status',
      'n.published_at',
      'o.name as org_name',
    ])
    .where('n.id', 'in', ids)
    // Restricted needs are indexed too; searches filter on the visibility attribute.
    .where(isVisibleNeed(NEED_VISIBILITIES))
    .execute()
  if (needs.length === 0) return

  const scenarioRows = await db
    .selectFrom('need_scenarios as ns')
    .innerJoin('scenarios as s', 's.code', 'ns.scenario_code')
    .select(['ns.need_id', 's.code', 's.name'])
    .where(
      'ns.need_id',
      'in',
      needs.map((n) => n.id),
    )
    .orderBy('ns.need_id')
    .orderBy('s.sort_order')
    .execute()
  const scenariosByNeed = new Map<number, { code: string; name: string }[]>()
  for (const r of scenarioRows) {
    const list = scenariosByNeed.get(r.need_id) ?? []
    list.push({ code: r.code, name: r.name })
    scenariosByNeed.set(r.need_id, list)
  }

  const regions = await loadRegionTree(
    db,
    needs.map((n) => n.region_code),
  )

  for (const n of needs) {
    const path = regionPath(regions, n.region_code)
    const province = path.find((r) => r.level === 'province')
    const city = path.find((r) => r.level === 'city')
    const scenarios = scenariosByNeed.get(n.id) ?? []
    const scenarioNames = scenarios.map((s) => s.name)
    const publishedAt = parseTime(n.published_at)

    const attributes: SearchDocument['attributes'] = {
      industry: n.industry_code,
      regions: path.length > 0 ? path.map((r) => r.code) : [n.region_code],
      scenarios: scenarios.map((s) => s.code),
      level: n.target_level,
      status: n.status,
      visibility: n.visibility,
      budgetMin: n.budget_min_wan,
      budgetMax: n.budget_max_wan,
    }
    if (province) attributes.province = province.code
    if (city) attributes.city = city.code
    if (publishedAt) attributes.publishedAt = Math.floor(publishedAt.getTime() / 1000)

    out.set(n.id, {
      id: needDocumentId(n.id),
      title: n.title,
      body: [n.description, n.expected_results, scenarioNames.join(' '), n.industry_name, n.org_name]
        .filter((part) => part.length > 0)
        .join('\n'),
      attributes,
      display: {
        title: n.title,
        orgName: n.org_name,
        industryName: n.industry_name,
        regionName: path.map((r) => r.name).join(' '),
        // Codes beside the names, so a page in another language names them from the reference data.
        industryCode: n.industry_code,
        regionCode: n.region_code,
        scenarioCodes: scenarios.map((s) => s.code).join(','),
        level: n.target_level,
        status: n.status,
        budgetMinWan: n.budget_min_wan,
        budgetMaxWan: n.budget_max_wan,
        publishedAt: publishedAt ? publishedAt.toISOString() : null,
        scenarioNames: scenarioNames.join('、'),
        excerpt: excerpt(n.description),
      },
    })
  }
}

/** Candidates for a rebuild: needs in a listed status (loadNeedDocuments decides the rest). */
function candidates(db: Kysely<DB>) {
  return db.selectFrom('needs').where('status', 'in', PUBLIC_NEED_STATUSES)
}

export const needsSearchIndex: IndexedType = {
  entityType: NEED_ENTITY_TYPE,
  index: NEEDS_INDEX,
  settings: NEEDS_INDEX_SETTINGS,
  // 2: documents carry industryCode, regionCode and scenarioCodes beside the names.
  documentVersion: 2,
  documentId: needDocumentId,
  loadDocuments: loadNeedDocuments,
  async listIds(db, afterId, limit) {
    const rows = await candidates(db).select('id').where('id', '>', afterId).orderBy('id').limit(limit).execute()
    return rows.map((r) => r.id)
  },
  async countIds(db) {
    const row = await candidates(db)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst()
    return Number(row?.n ?? 0)
  },
}

/** Applies the needs index settings once per engine object; call before searching. */
export function ensureNeedsIndex(engine: SearchEngine): Promise<void> {
  return ensureIndex(engine, needsSearchIndex)
}

/** Call inside the transaction that changes the need (or its scenarios …). */
export function enqueueNeedChange(trx: Kysely<DB>, afterCommit: AfterCommit, needId: number): Promise<void> {
  return enqueueSearchChange(trx, afterCommit, NEED_ENTITY_TYPE, needId)
}

/**
 * Call inside the transaction that changes what an organisation's needs show or
 * whether they may be shown (its status after an audit, its name).
 */
export async function enqueueNeedsOfOrg(trx: Kysely<DB>, afterCommit: AfterCommit, orgId: number): Promise<void> {
  const needs = await trx.selectFrom('needs').select('id').where('org_id', '=', orgId).orderBy('id').execute()
  for (const n of needs) await enqueueNeedChange(trx, afterCommit, n.id)
}
