import { sql, type Kysely } from 'kysely'
import { withTransaction, type AfterCommit } from '../../../db/transaction.js'
import type { DB, Region } from '../../../db/types.js'
import type { IndexSettings, SearchDocument, SearchEngine } from '../../../search/engine.js'
import { ensureIndex, type IndexedType } from '../../../search/indexer.js'
import { enqueueSearchChange } from '../../../search/outbox.js'

/**
 * Providers in the search index: one document per provider organisation, holding its
 * profile and its cases (the directory finds a provider by words of its cases).
 */

/** `search_outbox.entity_type` of providers; the entity id is the organisation's id. */
export const PROVIDER_ENTITY_TYPE = 'provider'
/** The capability map's documents of the same organisations (a second, lean index). */
export const PROVIDER_CELLS_ENTITY_TYPE = 'provider_cells'

/**
 * Call inside the transaction that changes anything a provider's document shows: its
 * organisation (name, status, kinds, region), profile, served industries, scenarios,
 * regions, qualifications, or any of its cases.
 */
export async function enqueueProviderChange(trx: Kysely<DB>, afterCommit: AfterCommit, orgId: number): Promise<void> {
  await enqueueSearchChange(trx, afterCommit, PROVIDER_ENTITY_TYPE, orgId)
  await enqueueSearchChange(trx, afterCommit, PROVIDER_CELLS_ENTITY_TYPE, orgId)
}

export const PROVIDERS_INDEX = 'providers'

export const PROVIDERS_INDEX_SETTINGS = {
  filterable: ['kinds', 'industries', 'scenarios', 'regions', 'seat', 'qualifications', 'proven'],
  // The first is the order without words: most recently updated first.
  sortable: ['updatedAt', 'caseCount', 'verifiedCaseCount', 'teamSize'],
} as const satisfies IndexSettings

/**
 * The capability map's index: per provider only what the map counts (no words): the
 * regions it covers as in the directory, its industries and scenarios, every cell
 * (industry × scenario) it covers and those a verified case proves. Kept apart from
 * the directory's documents, whose facet counts would otherwise go through ~40 cells
 * a provider on every search.
 */
export const PROVIDER_CELLS_INDEX = 'provider_cells'

export const PROVIDER_CELLS_INDEX_SETTINGS = {
  filterable: ['regions', 'industries', 'scenarios', 'proven', 'cells', 'provenCells'],
  sortable: [],
} as const satisfies IndexSettings

/** The `regions` value of a provider that serves the whole country. */
export const NATIONWIDE = 'nationwide'
/** The `regions` value saying a region is served whole (not only a part of it): `=320000`. */
export function wholeRegionValue(code: string): string {
  return `=${code}`
}

const EXCERPT_CHARS = 120
/** A case adds at most this much of its summary to the words a provider is found by. */
const CASE_SUMMARY_CHARS = 600
/** The words of one provider's document, at most (200 cases with long summaries stay searchable, bounded). */
const BODY_CHARS = 40_000
/** Ids per round of queries (each query keeps to the chunk's organisations by a join, not a long IN list of cases). */
const LOAD_CHUNK = 500

/** A cell of the capability map as an attribute value: `C34:S305` (an industry × a scenario). */
export function cellValue(industry: string, scenario: string): string {
  return `${industry}:${scenario}`
}

export function providerDocumentId(orgId: number): string {
  return `provider-${orgId}`
}

export function providerCellsDocumentId(orgId: number): string {
  return `cells-${orgId}`
}

/** The organisation id behind a document id, or null for another type's document. */
export function parseProviderDocumentId(docId: string): number | null {
  const m = /^provider-(\d+)$/.exec(docId)
  return m ? Number(m[1]) : null
}

/**
 * A qualification's name as documents hold it and filters ask for it: compatibility
 * forms folded (full-width letters, digits and the ideographic space: ＩＳＯ９００１ → ISO9001),
 * runs of blanks made one space, trimmed.
 */
export function normaliseQualification(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, ' ').trim()
}

/** Today's calendar date in China (YYYY-MM-DD): validity dates are Chinese calendar days. */
export function chinaToday(now = new Date()): string {
  // sv-SE writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(now)
}

/** A qualification counts on `today` when it has begun and not expired (open bounds count). */
export function isCurrentQualification(q: { valid_from: string | null; valid_until: string | null }, today: string): boolean {
  const from = q.valid_from ? String(q.valid_from).slice(0, 10) : null
  const until = q.valid_until ? String(q.valid_until).slice(0, 10) : null
  return (from === null || from <= today) && (until === null || until >= today)
}

function excerpt(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim())
  return chars.length > EXCERPT_CHARS ? `${chars.slice(0, EXCERPT_CHARS).join('')}…` : chars.join('')
}

function clip(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length > max ? chars.slice(0, max).join('') : text
}

function epochSeconds(iso: string | null | undefined): number | null {
  if (!iso) return null
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000)
}

function parseKinds(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : []
  } catch {
    return []
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** Every region with its parent, as far as `codes` and their ancestors and children reach. */
interface RegionIndex {
  parentOf: Map<string, string | null>
  levelOf: Map<string, string>
  nameOf: Map<string, string>
  citiesOf: Map<string, string[]>
}

async function loadRegionIndex(db: Kysely<DB>, codes: Iterable<string>): Promise<RegionIndex> {
  const index: RegionIndex = { parentOf: new Map(), levelOf: new Map(), nameOf: new Map(), citiesOf: new Map() }
  const add = (rows: Pick<Region, 'code' | 'parent_code' | 'level' | 'name'>[]) => {
    for (const r of rows) {
      index.parentOf.set(r.code, r.parent_code)
      index.levelOf.set(r.code, r.level)
      index.nameOf.set(r.code, r.name)
    }
  }
  let wanted = [...new Set(codes)]
  while (wanted.length > 0) {
    const rows = await db
      .selectFrom('regions')
      .select(['code', 'parent_code', 'level', 'name'])
      .where('code', 'in', wanted)
      .execute()
    add(rows)
    wanted = [...new Set(rows.map((r) => r.parent_code).filter((c): c is string => c !== null && !index.parentOf.has(c)))]
  }
  // A province served whole covers its cities: they are its children one level down.
  const provinces = [...index.levelOf].filter(([, level]) => level === 'province').map(([code]) => code)
  if (provinces.length > 0) {
    const cities = await db
      .selectFrom('regions')
      .select(['code', 'parent_code', 'level', 'name'])
      .where('parent_code', 'in', provinces)
      .where('level', '=', 'city')
      .execute()
    add(cities)
    for (const c of cities) if (c.parent_code) push(index.citiesOf, c.parent_code, c.code)
  }
  return index
}

/** Root first: 江苏省, 扬州市, 宝应县. */
function pathOf(index: RegionIndex, code: string): string[] {
  const path: string[] = []
  const seen = new Set<string>()
  let current: string | null | undefined = code
  while (current && index.parentOf.has(current) && !seen.has(current)) {
    seen.add(current)
    path.unshift(current)
    current = index.parentOf.get(current)
  }
  return path
}

/**
 * The `regions` attribute: what a filter on a region finds. A provider covers a
 * region it serves, every region above one it serves (a filter on 江苏省 finds one
 * serving 扬州市: it works in Jiangsu) and every region below one it serves (serving
 * 江苏省 covers 扬州市) — the rule of the capability map (capability-map.server.ts).
 * So the document holds each served region, its ancestors, the cities of a served
 * province (a county filter asks for its city and province served whole, `=code`,
 * below) and `=code` for each region served whole; a nationwide provider holds only
 * NATIONWIDE, which every region filter asks for too.
 */
export function coveredRegionValues(index: RegionIndex, served: readonly string[], nationwide: boolean): string[] {
  if (nationwide) return [NATIONWIDE]
  const out = new Set<string>()
  for (const code of served) {
    const path = pathOf(index, code)
    for (const ancestor of path.length > 0 ? path : [code]) out.add(ancestor)
    for (const city of index.citiesOf.get(code) ?? []) out.add(city)
    out.add(wholeRegionValue(code))
  }
  return [...out]
}

/**
 * The filter values that find the providers covering `path` (a region and its
 * ancestors, root first; coveredRegionValues): the region itself, NATIONWIDE, and for
 * a region below city level, its ancestors served whole.
 */
export function regionFilterValues(path: readonly string[]): string[] {
  const code = path.at(-1)
  if (!code) return []
  const values = [code, NATIONWIDE]
  // A province or a city is in the document of every provider serving above it (the
  // cities of a served province are listed); deeper regions ask for their ancestors served whole.
  if (path.length > 2) for (const ancestor of path.slice(0, -1)) values.push(wholeRegionValue(ancestor))
  return values
}

interface CaseRow {
  id: number
  org_id: number
  title: string
  client_name: string
  industry_code: string
  summary: string
  verified_at: string | null
  updated_at: string
}

/**
 * The search documents of these provider organisations, in one round of queries per
 * chunk. An organisation maps to null (its document is deleted) unless it is a
 * verified provider. Only what the public profile shows goes in: no contact, no
 * private files.
 */
export function loadProviderDocuments(
  db: Kysely<DB>,
  ids: readonly number[],
  now = new Date(),
): Promise<Map<number, SearchDocument | null>> {
  return loadDocuments(db, ids, 'directory', chinaToday(now))
}

/** The capability map's documents of these organisations (PROVIDER_CELLS_INDEX); null unless a verified provider. */
export function loadProviderCellDocuments(db: Kysely<DB>, ids: readonly number[]): Promise<Map<number, SearchDocument | null>> {
  return loadDocuments(db, ids, 'cells', chinaToday())
}

type Shape = 'directory' | 'cells'

async function loadDocuments(
  db: Kysely<DB>,
  ids: readonly number[],
  shape: Shape,
  today: string,
): Promise<Map<number, SearchDocument | null>> {
  const out = new Map<number, SearchDocument | null>()
  const unique = [...new Set(ids)]
  for (const id of unique) out.set(id, null)
  for (let i = 0; i < unique.length; i += LOAD_CHUNK) {
    await loadChunk(db, unique.slice(i, i + LOAD_CHUNK), out, shape, today)
  }
  return out
}

async function loadChunk(
  db: Kysely<DB>,
  ids: number[],
  out: Map<number, SearchDocument | null>,
  shape: Shape,
  today: string,
): Promise<void> {
  // The map's documents hold no words: what only the text needs is not read for them.
  const words = shape === 'directory'
  const orgs = await db
    .selectFrom('organisations as o')
    .leftJoin('provider_profiles as p', 'p.org_id', 'o.id')
    .select([
      'o.id',
      'o.name',
      'o.region_code',
      'o.description',
      'o.provider_kinds',
      'o.updated_at as org_updated_at',
      'o.reviewed_at',
      'o.created_at',
      'p.team_size',
      'p.founded_year',
      'p.nationwide',
      'p.updated_at as profile_updated_at',
    ])
    .where('o.id', 'in', ids)
    .where('o.kind', '=', 'provider')
    .where('o.status', '=', 'verified')
    .execute()
  if (orgs.length === 0) return
  const orgIds = orgs.map((o) => o.id)

  const [industryRows, scenarioRows, regionRows, qualificationRows, cases, caseScenarioRows, metricRows] = await Promise.all([
    db
      .selectFrom('provider_industries')
      .select(['org_id', 'industry_code as code'])
      .where('org_id', 'in', orgIds)
      .orderBy('org_id')
      .orderBy('industry_code')
      .execute(),
    db
      .selectFrom('provider_scenarios as ps')
      .innerJoin('scenarios as s', 's.code', 'ps.scenario_code')
      .select(['ps.org_id', 's.code', 's.name'])
      .where('ps.org_id', 'in', orgIds)
      .orderBy('ps.org_id')
      .orderBy('s.sort_order')
      .execute(),
    db
      .selectFrom('provider_regions')
      .select(['org_id', 'region_code as code'])
      .where('org_id', 'in', orgIds)
      .orderBy('org_id')
      .orderBy('region_code')
      .execute(),
    words
      ? db
          .selectFrom('provider_qualifications')
          .select(['org_id', 'name', 'valid_from', 'valid_until'])
          .where('org_id', 'in', orgIds)
          .orderBy('org_id')
          .orderBy('id')
          .execute()
      : [],
    db
      .selectFrom('provider_cases')
      .select(['id', 'org_id', 'title', 'client_name', 'industry_code', 'summary', 'verified_at', 'updated_at'])
      .where('org_id', 'in', orgIds)
      // Platform-verified first, then the newest: what a clipped body keeps.
      .orderBy('org_id')
      .orderBy(sql`case when verified_at is null then 1 else 0 end`)
      .orderBy('year', 'desc')
      .orderBy('id')
      .execute() as Promise<CaseRow[]>,
    db
      .selectFrom('case_scenarios as cs')
      .innerJoin('provider_cases as c', 'c.id', 'cs.case_id')
      .innerJoin('scenarios as s', 's.code', 'cs.scenario_code')
      .select(['cs.case_id', 's.code', 's.name'])
      .where('c.org_id', 'in', orgIds)
      .orderBy('cs.case_id')
      .orderBy('s.sort_order')
      .execute(),
    words
      ? db
          .selectFrom('case_metrics as m')
          .innerJoin('provider_cases as c', 'c.id', 'm.case_id')
          .select(['m.case_id', 'm.name'])
          .where('c.org_id', 'in', orgIds)
          .orderBy('m.case_id')
          .orderBy('m.seq')
          .execute()
      : [],
  ])

  const industriesOf = new Map<number, string[]>()
  for (const r of industryRows) push(industriesOf, r.org_id, r.code)
  const scenariosOf = new Map<number, { code: string; name: string }[]>()
  for (const r of scenarioRows) push(scenariosOf, r.org_id, { code: r.code, name: r.name })
  const regionsOf = new Map<number, string[]>()
  for (const r of regionRows) push(regionsOf, r.org_id, r.code)
  const qualificationsOf = new Map<number, string[]>()
  for (const q of qualificationRows) {
    if (isCurrentQualification(q, today)) push(qualificationsOf, q.org_id, normaliseQualification(q.name))
  }
  const casesOf = new Map<number, CaseRow[]>()
  for (const c of cases) push(casesOf, c.org_id, c)
  const caseScenarios = new Map<number, { code: string; name: string }[]>()
  for (const r of caseScenarioRows) push(caseScenarios, r.case_id, { code: r.code, name: r.name })
  const metricsOf = new Map<number, string[]>()
  for (const m of metricRows) push(metricsOf, m.case_id, m.name)

  const industryNames = new Map(
    (await db.selectFrom('industries').select(['code', 'name']).execute()).map((i) => [i.code, i.name] as const),
  )
  const regions = await loadRegionIndex(db, [...orgs.map((o) => o.region_code), ...regionRows.map((r) => r.code)])

  for (const o of orgs) {
    const orgCases = casesOf.get(o.id) ?? []
    const nationwide = o.nationwide === 1
    const served = regionsOf.get(o.id) ?? []
    const servedIndustries = industriesOf.get(o.id) ?? []
    const servedScenarios = scenariosOf.get(o.id) ?? []
    const industries = new Set(servedIndustries)
    const scenarios = new Map(servedScenarios.map((s) => [s.code, s.name]))
    for (const c of orgCases) {
      industries.add(c.industry_code)
      for (const s of caseScenarios.get(c.id) ?? []) scenarios.set(s.code, s.name)
    }
    const qualifications = [...new Set(qualificationsOf.get(o.id) ?? [])]
    const verifiedCases = orgCases.filter((c) => c.verified_at !== null).length
    const covered = coveredRegionValues(regions, served, nationwide)
    if (!words) {
      // The capability map's cells: every industry × every scenario it covers, and those a verified case proves.
      const cells: string[] = []
      for (const industry of industries) for (const scenario of scenarios.keys()) cells.push(cellValue(industry, scenario))
      const provenCells = new Set<string>()
      for (const c of orgCases) {
        if (c.verified_at === null) continue
        for (const s of caseScenarios.get(c.id) ?? []) provenCells.add(cellValue(c.industry_code, s.code))
      }
      out.set(o.id, {
        id: providerCellsDocumentId(o.id),
        title: '',
        body: '',
        attributes: {
          regions: covered,
          industries: [...industries],
          scenarios: [...scenarios.keys()],
          proven: verifiedCases > 0 ? 'yes' : 'no',
          cells,
          provenCells: [...provenCells],
        },
        display: {},
      })
      continue
    }
    const kinds = parseKinds(o.provider_kinds)
    const seat = pathOf(regions, o.region_code)
    const updatedAt = Math.max(
      ...[o.org_updated_at, o.reviewed_at, o.created_at, o.profile_updated_at, ...orgCases.map((c) => c.updated_at)]
        .map(epochSeconds)
        .filter((n): n is number => n !== null),
      0,
    )

    const caseTexts = orgCases.map((c) =>
      [
        c.title,
        // An anonymised case holds its description (某汽车零部件企业) where the client's name would be.
        c.client_name,
        clip(c.summary, CASE_SUMMARY_CHARS),
        (metricsOf.get(c.id) ?? []).join(' '),
        (caseScenarios.get(c.id) ?? []).map((s) => s.name).join(' '),
        industryNames.get(c.industry_code) ?? '',
      ]
        .filter((part) => part.length > 0)
        .join(' '),
    )
    const body = clip(
      [
        o.description,
        qualifications.join(' '),
        [...scenarios.values()].join(' '),
        servedIndustries.map((code) => industryNames.get(code) ?? '').join(' '),
        ...caseTexts,
      ]
        .filter((part) => part.length > 0)
        .join('\n'),
      BODY_CHARS,
    )

    const attributes: SearchDocument['attributes'] = {
      kinds,
      industries: [...industries],
      scenarios: [...scenarios.keys()],
      regions: covered,
      seat: seat.length > 0 ? seat : [o.region_code],
      qualifications,
      proven: verifiedCases > 0 ? 'yes' : 'no',
      caseCount: orgCases.length,
      verifiedCaseCount: verifiedCases,
      updatedAt,
    }
    if (o.team_size !== null) attributes.teamSize = o.team_size

    out.set(o.id, {
      id: providerDocumentId(o.id),
      title: o.name,
      body,
      attributes,
      display: {
        name: o.name,
        // Codes beside the Chinese names: a page in another language names them from the reference data.
        regionCode: o.region_code,
        regionName: seat.map((code) => regions.nameOf.get(code) ?? '').join(' '),
        kinds: kinds.join(','),
        industryCodes: servedIndustries.join(','),
        scenarioCodes: [...servedScenarios.map((s) => s.code)].join(','),
        scenarioNames: servedScenarios.map((s) => s.name).join('、'),
        nationwide: nationwide ? 1 : 0,
        servedRegionCodes: served.slice(0, 20).join(','),
        qualifications: qualifications.slice(0, 5).join('、'),
        caseCount: orgCases.length,
        verifiedCaseCount: verifiedCases,
        teamSize: o.team_size,
        foundedYear: o.founded_year,
        excerpt: excerpt(o.description),
        updatedAt: updatedAt > 0 ? new Date(updatedAt * 1000).toISOString() : null,
      },
    })
  }
}

/** Candidates for a rebuild: verified providers (loadProviderDocuments decides the rest). */
function candidates(db: Kysely<DB>) {
  return db.selectFrom('organisations').where('kind', '=', 'provider').where('status', '=', 'verified')
}

export const providersSearchIndex: IndexedType = {
  entityType: PROVIDER_ENTITY_TYPE,
  index: PROVIDERS_INDEX,
  settings: PROVIDERS_INDEX_SETTINGS,
  documentVersion: 1,
  documentId: providerDocumentId,
  loadDocuments: (db, ids) => loadProviderDocuments(db, ids),
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

export const providerCellsSearchIndex: IndexedType = {
  ...providersSearchIndex,
  entityType: PROVIDER_CELLS_ENTITY_TYPE,
  index: PROVIDER_CELLS_INDEX,
  settings: PROVIDER_CELLS_INDEX_SETTINGS,
  documentVersion: 1,
  documentId: providerCellsDocumentId,
  loadDocuments: loadProviderCellDocuments,
}

/** Applies the providers index settings once per engine object; call before searching. */
export function ensureProvidersIndex(engine: SearchEngine): Promise<void> {
  return ensureIndex(engine, providersSearchIndex)
}

/** Applies the capability map's index settings once per engine object. */
export function ensureProviderCellsIndex(engine: SearchEngine): Promise<void> {
  return ensureIndex(engine, providerCellsSearchIndex)
}

/**
 * A qualification's validity starts or ends with the calendar, not with a write: the
 * scheduled job calls this to re-index the providers whose qualifications began today
 * or ended in the last `days` days (a missed day is caught up; a repeat is harmless).
 */
export async function enqueueProvidersWithValidityChange(
  db: Kysely<DB>,
  { now = new Date(), days = 3 }: { now?: Date; days?: number } = {},
): Promise<number> {
  const today = chinaToday(now)
  const since = chinaToday(new Date(now.getTime() - days * 86_400_000))
  const rows = await db
    .selectFrom('provider_qualifications')
    .select('org_id')
    .distinct()
    .where((eb) =>
      eb.or([
        eb.and([eb('valid_until', '>=', since), eb('valid_until', '<', today)]),
        eb.and([eb('valid_from', '>', since), eb('valid_from', '<=', today)]),
      ]),
    )
    .execute()
  if (rows.length === 0) return 0
  await withTransaction(db, async (trx, afterCommit) => {
    for (const r of rows) await enqueueProviderChange(trx, afterCommit, r.org_id)
  })
  return rows.length
}
