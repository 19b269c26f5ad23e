import ExcelJS from 'exceljs'
import { attachmentDisposition, XLSX_MIME } from '../spreadsheets/workbook.server.js'
import { sql } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/connection.js'
import { isPostgres } from '../../../db/dialect.js'
import type { Scenario } from '../../../db/types.js'
import type { SearchEngine } from '../../../search/engine.js'
import { DEFAULT_LOCALE, translator, type Locale } from '../../i18n/index.js'
import { reserve, type RateLimitRule } from '../../utils/rate-limit.server.js'
import type { Actor } from '../accounts/actor.js'
import { jurisdictionCodes } from '../reference/jurisdiction.js'
import {
  getReferenceData,
  refName,
  regionFilterOptions,
  regionLabel,
  regionPath,
  type ReferenceData,
  type RegionFilterOption,
} from '../reference/reference.server.js'
import { ensureProviderCellsIndex, PROVIDER_CELLS_INDEX, regionFilterValues } from './search-index.server.js'

/*
 * The capability map (服务商能力图谱, /providers/map): for a region, how many verified
 * providers cover each industry × scenario cell, and how many of them have proved it
 * with a platform-verified case, so an agency sees where supply is thin.
 *
 * Who covers a cell (the directory filters by the same rule, so a cell's link lists
 * exactly the providers it counts):
 * - the provider is a verified provider organisation;
 * - the industry is one it declares (provider_industries) or the industry of one of
 *   its cases; the scenario is one it declares (provider_scenarios) or a scenario of
 *   one of its cases;
 * - it serves the region: it serves the whole country, or one of the regions it
 *   declares (provider_regions) is the region itself, a region containing it (serving
 *   江苏省 covers 扬州市 and 宝应县) or a region inside it (serving 扬州市 only counts for
 *   扬州市's map and for 江苏省's: it works in Jiangsu, though not everywhere there);
 * - the whole country's map counts every verified provider.
 * "With platform-verified cases" in a cell: those with a verified case (a contract
 * completed on the platform) whose industry and one of whose scenarios are the cell's.
 * The totals: providers covering the region and the row's industry (any scenario), the
 * column's scenario (any industry), and the region at all.
 *
 * Counted by the search engine (capabilityGridFromIndex): each verified provider has
 * a lean document in the provider_cells index (search-index.server.ts) listing the
 * regions it covers and the cells it covers and proves, kept current by the outbox
 * like the directory's; a map is one search whose facets are the counts, kept by the
 * engine until the next provider change (on any instance). At 10 000 providers that
 * is a few milliseconds for a repeated map and ~0.1–0.3 s for the first after a change,
 * where counting from the tables each time took 0.1–0.7 s on SQLite and 0.1–1.5 s on
 * PostgreSQL (tests/integration/capability-map-scale.test.ts). The same counts from the
 * tables (computeCapabilityGrid) check the index's in the tests.
 */

export const SCENARIO_LINKS = ['factory_build', 'rd_design', 'production', 'production_mgmt', 'operations_mgmt'] as const
export type ScenarioLink = Scenario['link']

/** `region`: absent → the default (the agency's own region, else the whole country); '' or 'all' → the whole country. */
export const ZCapabilityMapParams = z.object({
  region: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? undefined : /^[0-9A-Z]{6}$/.test(v) ? v : 'all')),
  link: z
    .string()
    .optional()
    .transform((v) => ((SCENARIO_LINKS as readonly string[]).includes(v ?? '') ? (v as ScenarioLink) : undefined)),
})
export type TCapabilityMapParams = z.infer<typeof ZCapabilityMapParams>

export interface CapabilityGrid {
  /** Verified providers covering the region. */
  total: number
  /** Of those, how many have at least one platform-verified case. */
  proven: number
  /** industry code → scenario code → providers covering the cell. */
  providers: Map<string, Map<string, number>>
  /** industry code → scenario code → of those, providers with a verified case in the cell. */
  verified: Map<string, Map<string, number>>
  /** Providers covering the region and the industry (any scenario). */
  byIndustry: Map<string, number>
  /** Providers covering the region and the scenario (any industry). */
  byScenario: Map<string, number>
}

export interface CapabilityMap {
  /** null: the whole country. */
  region: { code: string; name: string } | null
  link: ScenarioLink | null
  industries: { code: string; name: string; total: number }[]
  scenarios: { code: string; name: string; link: ScenarioLink; total: number }[]
  /** providers[i][j]: industries[i] × scenarios[j]. */
  providers: number[][]
  verified: number[][]
  total: number
  proven: number
  /** The largest cell (the heat map's scale). */
  max: number
  regionOptions: RegionFilterOption[]
}

/** The region codes whose providers cover `code`: its ancestors, itself and every region below it. */
export function coveringRegionCodes(ref: ReferenceData, code: string): string[] {
  const ancestors = regionPath(ref, code)
    .map((r) => r.code)
    .slice(0, -1)
  return [...ancestors, ...jurisdictionCodes(ref, code)]
}

function bump(map: Map<string, Map<string, number>>, a: string, b: string, n: number): void {
  let row = map.get(a)
  if (!row) map.set(a, (row = new Map<string, number>()))
  row.set(b, (row.get(b) ?? 0) + n)
}

/** A list of codes aggregated into one string per provider: group_concat on SQLite, string_agg on PostgreSQL. */
function codeList(db: Database, column: string) {
  return isPostgres(db)
    ? sql<string | null>`string_agg(${sql.ref(column)}, ',')`
    : sql<string | null>`group_concat(${sql.ref(column)})`
}

/**
 * The verified providers covering a region (null: all of them), as a subquery of ids.
 * Driven by provider_regions' (region_code, org_id) index: the regions covering it
 * are few (its ancestors, itself and what lies below), the providers many.
 */
function eligibleProviders(db: Database, covering: readonly string[] | null) {
  const verified = db
    .selectFrom('organisations as o')
    .select('o.id')
    .where('o.kind', '=', 'provider')
    .where('o.status', '=', 'verified')
  if (!covering) return verified
  return verified.where('o.id', 'in', (eb) =>
    eb
      .selectFrom('provider_regions')
      .select('org_id as id')
      .where('region_code', 'in', [...covering])
      .union(eb.selectFrom('provider_profiles').select('org_id as id').where('nationwide', '=', 1)),
  )
}

/**
 * The counts for a region (null: the whole country), straight from the tables: one
 * row per provider covering the region with its industries and scenarios (declared
 * and of its cases) aggregated into lists, counted here into the grid (a provider
 * adds one to every cell of its industries × its scenarios), and the verified cells
 * grouped in SQL. Bounded by the region's providers and their lists, never by pairs
 * of rows. The reference the index's counts (capabilityGridFromIndex) are checked
 * against; pages count from the index.
 */
export async function computeCapabilityGrid(
  db: Database,
  ref: ReferenceData,
  regionCode: string | null,
): Promise<CapabilityGrid> {
  const covering = regionCode ? coveringRegionCodes(ref, regionCode) : null
  const eligible = eligibleProviders(db, covering)
  const [providers, verifiedCells] = await Promise.all([
    eligible
      .select((eb) => [
        eb
          .selectFrom('provider_industries as x')
          .select(codeList(db, 'x.industry_code').as('l'))
          .whereRef('x.org_id', '=', 'o.id')
          .as('declaredIndustries'),
        eb
          .selectFrom('provider_cases as x')
          .select(codeList(db, 'x.industry_code').as('l'))
          .whereRef('x.org_id', '=', 'o.id')
          .as('caseIndustries'),
        eb
          .selectFrom('provider_scenarios as x')
          .select(codeList(db, 'x.scenario_code').as('l'))
          .whereRef('x.org_id', '=', 'o.id')
          .as('declaredScenarios'),
        eb
          .selectFrom('provider_cases as c')
          .innerJoin('case_scenarios as cs', 'cs.case_id', 'c.id')
          .select(codeList(db, 'cs.scenario_code').as('l'))
          .whereRef('c.org_id', '=', 'o.id')
          .as('caseScenarios'),
        eb
          .exists(
            eb
              .selectFrom('provider_cases as c')
              .select('c.id')
              .whereRef('c.org_id', '=', 'o.id')
              .where('c.verified_at', 'is not', null),
          )
          .as('proven'),
      ])
      .execute(),
    db
      .selectFrom('provider_cases as c')
      .innerJoin('case_scenarios as cs', 'cs.case_id', 'c.id')
      .select([
        'c.industry_code as industry',
        'cs.scenario_code as scenario',
        (eb) => eb.fn.count<number>('c.org_id').distinct().as('n'),
      ])
      .where('c.verified_at', 'is not', null)
      .where('c.org_id', 'in', eligible)
      .groupBy(['c.industry_code', 'cs.scenario_code'])
      .execute(),
  ])

  // Codes as bit positions: 31 industries and 24 scenarios fit a 32-bit mask each.
  const industries = ref.industries.map((i) => i.code).slice(0, 32)
  const scenarios = ref.scenarios.map((s) => s.code).slice(0, 32)
  const industryBit = new Map(industries.map((code, i) => [code, i]))
  const scenarioBit = new Map(scenarios.map((code, i) => [code, i]))
  const maskOf = (bits: Map<string, number>, ...lists: (string | null | undefined)[]) => {
    let mask = 0
    for (const list of lists) {
      if (!list) continue
      for (const code of list.split(',')) {
        const bit = bits.get(code)
        if (bit !== undefined) mask |= 1 << bit
      }
    }
    return mask >>> 0
  }
  // Providers with the same industries and scenarios add to the same cells: count each combination once.
  const combinations = new Map<string, number>()
  let proven = 0
  for (const p of providers) {
    if (p.proven === true || Number(p.proven) === 1) proven += 1
    const key = `${maskOf(industryBit, p.declaredIndustries, p.caseIndustries)}:${maskOf(scenarioBit, p.declaredScenarios, p.caseScenarios)}`
    combinations.set(key, (combinations.get(key) ?? 0) + 1)
  }
  const grid: CapabilityGrid = {
    total: providers.length,
    proven,
    providers: new Map(),
    verified: new Map(),
    byIndustry: new Map(),
    byScenario: new Map(),
  }
  const bitsOf = (mask: number, codes: readonly string[]) => codes.filter((_, bit) => (mask >>> bit) & 1)
  for (const [key, n] of combinations) {
    const [imask, smask] = key.split(':').map(Number) as [number, number]
    const rowCodes = bitsOf(imask, industries)
    const columnCodes = bitsOf(smask, scenarios)
    for (const code of rowCodes) grid.byIndustry.set(code, (grid.byIndustry.get(code) ?? 0) + n)
    for (const code of columnCodes) grid.byScenario.set(code, (grid.byScenario.get(code) ?? 0) + n)
    for (const i of rowCodes) for (const s of columnCodes) bump(grid.providers, i, s, n)
  }
  for (const c of verifiedCells) bump(grid.verified, c.industry, c.scenario, Number(c.n))
  return grid
}

/**
 * The counts for a region (null: the whole country) from the providers index: one
 * search filtered by the directory's region rule, whose facets are the cells
 * (`cells`, `provenCells`), the row and column totals (`industries`, `scenarios`)
 * and the providers with verified cases (`proven`). The engine keeps facets per
 * index generation, so a repeated map costs a lookup until a provider changes.
 */
export async function capabilityGridFromIndex(
  engine: SearchEngine,
  ref: ReferenceData,
  regionCode: string | null,
): Promise<CapabilityGrid> {
  await ensureProviderCellsIndex(engine)
  const filters: Record<string, string[]> = {}
  if (regionCode) filters.regions = regionFilterValues(regionPath(ref, regionCode).map((r) => r.code))
  const found = await engine.search(PROVIDER_CELLS_INDEX, {
    filters,
    facets: ['cells', 'provenCells', 'industries', 'scenarios', 'proven'],
    pageSize: 1,
  })
  const cells = (facet: Record<string, number> | undefined) => {
    const out = new Map<string, Map<string, number>>()
    for (const [value, n] of Object.entries(facet ?? {})) {
      const [industry, scenario] = value.split(':')
      if (industry && scenario) bump(out, industry, scenario, n)
    }
    return out
  }
  return {
    total: found.total,
    proven: found.facets.proven?.yes ?? 0,
    providers: cells(found.facets.cells),
    verified: cells(found.facets.provenCells),
    byIndustry: new Map(Object.entries(found.facets.industries ?? {})),
    byScenario: new Map(Object.entries(found.facets.scenarios ?? {})),
  }
}

/** The region a map shows when the URL names none: a confirmed agency member's own region, else the whole country. */
function defaultRegion(actor: Actor | null): string | null {
  const org = actor?.org
  return org && org.kind === 'agency' && org.status === 'verified' && org.membership === 'active' ? org.regionCode : null
}

/**
 * The capability map for anyone (visitors too: it shows counts of public directory
 * entries). An unknown region shows the whole country.
 */
export async function getCapabilityMap(
  db: Database,
  engine: SearchEngine,
  actor: Actor | null,
  params: TCapabilityMapParams,
  locale: Locale = DEFAULT_LOCALE,
): Promise<CapabilityMap> {
  const ref = await getReferenceData(db)
  const asked = params.region === undefined ? defaultRegion(actor) : params.region === 'all' ? null : params.region
  const regionCode = asked && ref.regionsByCode.has(asked) ? asked : null
  const grid = await capabilityGridFromIndex(engine, ref, regionCode)
  const scenarios = ref.scenarios.filter((s) => !params.link || s.link === params.link)
  const providers = ref.industries.map((i) => scenarios.map((s) => grid.providers.get(i.code)?.get(s.code) ?? 0))
  const verified = ref.industries.map((i) => scenarios.map((s) => grid.verified.get(i.code)?.get(s.code) ?? 0))
  return {
    region: regionCode ? { code: regionCode, name: regionLabel(ref, regionCode, locale) } : null,
    link: params.link ?? null,
    industries: ref.industries.map((i) => ({ code: i.code, name: refName(i, locale), total: grid.byIndustry.get(i.code) ?? 0 })),
    scenarios: scenarios.map((s) => ({
      code: s.code,
      name: refName(s, locale),
      link: s.link,
      total: grid.byScenario.get(s.code) ?? 0,
    })),
    providers,
    verified,
    total: grid.total,
    proven: grid.proven,
    max: Math.max(0, ...providers.flat()),
    regionOptions: regionFilterOptions(ref, regionCode ?? undefined, {}, locale),
  }
}

/** The file name of a map's export, without the extension: 服务商能力图谱-江苏省扬州市 (-生产作业 for one link). */
export function capabilityMapFileName(map: CapabilityMap, locale: Locale = DEFAULT_LOCALE): string {
  const t = translator(locale)
  const region = map.region ? map.region.name.replace(/[\s,]+/g, locale === 'en' ? '-' : '') : t('map.region.all')
  const name = t('map.xlsx.fileName', { region })
  // A map of one link of the value chain says which.
  return map.link ? `${name}-${t(`link.${map.link}`).replace(/\s+/g, '-')}` : name
}

/**
 * The map as an Excel workbook (exceljs): the grid of providers per cell with the row
 * and column totals, the grid of providers with verified cases, and the totals per
 * industry and per scenario as a list. Headers in the reader's language (Chinese by default).
 */
export async function capabilityMapWorkbook(
  map: CapabilityMap,
  locale: Locale = DEFAULT_LOCALE,
  now = new Date(),
): Promise<Uint8Array<ArrayBuffer>> {
  const t = translator(locale)
  const regionName = map.region?.name ?? t('map.region.all')
  const workbook = new ExcelJS.Workbook()
  workbook.creator = t('app.fullName')
  workbook.created = now

  const gridSheet = (name: string, title: string, values: number[][], withTotals: boolean) => {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 2, ySplit: 3 }] })
    sheet.addRow([title]).font = { bold: true, size: 14 }
    sheet.addRow([t('map.xlsx.generated', { time: now.toISOString().slice(0, 16).replace('T', ' ') }) + ' UTC'])
    const header = sheet.addRow([
      t('map.xlsx.code'),
      t('map.table.industry'),
      ...map.scenarios.map((s) => s.name),
      ...(withTotals ? [t('map.table.total')] : []),
    ])
    header.font = { bold: true }
    header.alignment = { wrapText: true, vertical: 'middle' }
    map.industries.forEach((industry, i) => {
      sheet.addRow([industry.code, industry.name, ...values[i]!, ...(withTotals ? [industry.total] : [])])
    })
    if (withTotals) {
      const totalRow = sheet.addRow(['', t('map.table.total'), ...map.scenarios.map((s) => s.total), map.total])
      totalRow.font = { bold: true }
    }
    sheet.getColumn(1).width = 8
    sheet.getColumn(2).width = 30
    for (let c = 3; c <= map.scenarios.length + 3; c += 1) sheet.getColumn(c).width = 12
    return sheet
  }

  gridSheet(t('map.xlsx.grid'), t('map.xlsx.title', { region: regionName }), map.providers, true)
  gridSheet(t('map.xlsx.verified'), t('map.xlsx.verifiedTitle', { region: regionName }), map.verified, false)

  const totals = workbook.addWorksheet(t('map.xlsx.totals'))
  totals.addRow([t('map.xlsx.title', { region: regionName })]).font = { bold: true, size: 14 }
  totals.addRow([t('map.xlsx.all'), map.total])
  totals.addRow([t('map.summary', { region: regionName, total: map.total, proven: map.proven })])
  totals.addRow([])
  totals.addRow([t('map.xlsx.kind'), t('map.xlsx.code'), t('map.xlsx.name'), t('map.xlsx.providers')]).font = { bold: true }
  for (const i of map.industries) totals.addRow([t('map.xlsx.kind.industry'), i.code, i.name, i.total])
  for (const s of map.scenarios) totals.addRow([t('map.xlsx.kind.scenario'), s.code, s.name, s.total])
  totals.addRow([])
  totals.addRow([t('map.rule')])
  totals.getColumn(1).width = 10
  totals.getColumn(2).width = 10
  totals.getColumn(3).width = 34
  totals.getColumn(4).width = 12

  const written = await workbook.xlsx.writeBuffer()
  const bytes = new Uint8Array(new ArrayBuffer(written.byteLength))
  bytes.set(new Uint8Array(written))
  return bytes
}

/** Exports per client (a signed-in person, else an address): building a workbook costs tens of milliseconds. */
export const MAP_EXPORT_LIMIT: RateLimitRule = { limit: 20, windowMs: 10 * 60_000 }

export { attachmentDisposition, XLSX_MIME } from '../spreadsheets/workbook.server.js'

/**
 * /providers/map.xlsx: the map the same query shows, as a workbook, for anyone within
 * MAP_EXPORT_LIMIT (429 past it). Returns the bytes and the headers of the download.
 */
export async function exportCapabilityMap(
  db: Database,
  engine: SearchEngine,
  actor: Actor | null,
  params: TCapabilityMapParams,
  ip: string,
  locale: Locale = DEFAULT_LOCALE,
): Promise<{ body: Uint8Array<ArrayBuffer>; headers: Record<string, string> }> {
  await reserve(db, [{ key: `map-export:${actor ? `user:${actor.userId}` : `ip:${ip}`}`, rule: MAP_EXPORT_LIMIT }])
  const map = await getCapabilityMap(db, engine, actor, params, locale)
  const body = await capabilityMapWorkbook(map, locale)
  const ascii = `provider-capability-map-${map.region?.code ?? 'china'}${map.link ? `-${map.link}` : ''}.xlsx`
  return {
    body,
    headers: {
      'Content-Type': XLSX_MIME,
      'Content-Disposition': attachmentDisposition(`${capabilityMapFileName(map, locale)}.xlsx`, ascii),
      'Content-Length': String(body.length),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  }
}
