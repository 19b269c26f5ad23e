import type { Database } from '../../../db/connection.js'
import type { Industry, Region, Scenario } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'

export interface ReferenceData {
  industries: Industry[]
  scenarios: Scenario[]
  provinces: Region[]
  regionsByCode: Map<string, Region>
  childrenByCode: Map<string, Region[]>
  industriesByCode: Map<string, Industry>
  scenariosByCode: Map<string, Scenario>
}

/*
 * Reference data in the reader's language: every accessor that hands a name to a page
 * takes the request's locale (default Chinese). English names are the GB/T titles for
 * industries, idiomatic terms for scenarios and pinyin for regions (seed/reference.ts);
 * a row without one (a database the reference load has not reached yet) keeps its
 * Chinese name.
 */

/** A region's, industry's or scenario's name in `locale`. */
export function refName(row: { name: string; name_en: string }, locale: Locale = DEFAULT_LOCALE): string {
  return locale === 'en' && row.name_en ? row.name_en : row.name
}

/** An industry's name by its code (C34), or null for an unknown code. */
export function industryName(ref: ReferenceData, code: string, locale: Locale = DEFAULT_LOCALE): string | null {
  const row = ref.industriesByCode.get(code)
  return row ? refName(row, locale) : null
}

/** A scenario's name by its code (S402), or null for an unknown code. */
export function scenarioName(ref: ReferenceData, code: string, locale: Locale = DEFAULT_LOCALE): string | null {
  const row = ref.scenariosByCode.get(code)
  return row ? refName(row, locale) : null
}

/** The industries, for a select: code and name in `locale`. */
export function industryOptions(ref: ReferenceData, locale: Locale = DEFAULT_LOCALE): { code: string; name: string }[] {
  return ref.industries.map((i) => ({ code: i.code, name: refName(i, locale) }))
}

/** The scenarios with their link of the value chain, for a select. */
export function scenarioOptions(
  ref: ReferenceData,
  locale: Locale = DEFAULT_LOCALE,
): { code: string; name: string; link: Scenario['link'] }[] {
  return ref.scenarios.map((s) => ({ code: s.code, name: refName(s, locale), link: s.link }))
}

// Reference tables only change when the seed runs, so one read per process is enough.
const cache = new WeakMap<Database, Promise<ReferenceData>>()

export function getReferenceData(db: Database): Promise<ReferenceData> {
  let pending = cache.get(db)
  if (!pending) {
    pending = loadReference(db)
    cache.set(db, pending)
    pending.catch(() => cache.delete(db))
  }
  return pending
}

async function loadReference(db: Database): Promise<ReferenceData> {
  const [industries, scenarios, regions] = await Promise.all([
    db.selectFrom('industries').selectAll().orderBy('code').execute(),
    db.selectFrom('scenarios').selectAll().orderBy('sort_order').execute(),
    db.selectFrom('regions').selectAll().orderBy('code').execute(),
  ])
  const regionsByCode = new Map(regions.map((r) => [r.code, r]))
  const childrenByCode = new Map<string, Region[]>()
  for (const r of regions) {
    if (!r.parent_code) continue
    const list = childrenByCode.get(r.parent_code) ?? []
    list.push(r)
    childrenByCode.set(r.parent_code, list)
  }
  return {
    industries,
    scenarios,
    provinces: regions.filter((r) => r.level === 'province'),
    regionsByCode,
    childrenByCode,
    industriesByCode: new Map(industries.map((i) => [i.code, i])),
    scenariosByCode: new Map(scenarios.map((s) => [s.code, s])),
  }
}

/**
 * The regions one level below `parent` (the provinces for ''), for cascading pickers.
 * An unknown code has none.
 */
export async function listChildRegions(
  db: Database,
  parent: string,
  locale: Locale = DEFAULT_LOCALE,
): Promise<{ code: string; name: string }[]> {
  const ref = await getReferenceData(db)
  const list = parent ? (ref.childrenByCode.get(parent) ?? []) : ref.provinces
  return list.map((r) => ({ code: r.code, name: refName(r, locale) }))
}

/** Province → … → the region itself. */
export function regionPath(ref: ReferenceData, code: string): Region[] {
  const path: Region[] = []
  let current = ref.regionsByCode.get(code)
  while (current) {
    path.unshift(current)
    current = current.parent_code ? ref.regionsByCode.get(current.parent_code) : undefined
  }
  return path
}

/**
 * A region with its ancestors, as each language writes an address: 江苏省 扬州市 宝应县
 * (largest first), Baoying County, Yangzhou, Jiangsu (smallest first).
 */
export function regionLabel(ref: ReferenceData, code: string, locale: Locale = DEFAULT_LOCALE): string {
  const names = regionPath(ref, code).map((r) => refName(r, locale))
  return locale === 'en' ? names.reverse().join(', ') : names.join(' ')
}

export interface RegionPickerData {
  provinces: { code: string; name: string }[]
  initial: { codes: string[]; cities: { code: string; name: string }[]; counties: { code: string; name: string }[] }
}

/** What a province → city → county picker needs to show `code` (or nothing) selected. */
export function regionPickerData(ref: ReferenceData, code?: string | null, locale: Locale = DEFAULT_LOCALE): RegionPickerData {
  const pick = (r: Region) => ({ code: r.code, name: refName(r, locale) })
  const codes = code ? regionPath(ref, code).map((r) => r.code) : []
  return {
    provinces: ref.provinces.map(pick),
    initial: {
      codes,
      cities: codes[0] ? (ref.childrenByCode.get(codes[0]) ?? []).map(pick) : [],
      counties: codes[1] ? (ref.childrenByCode.get(codes[1]) ?? []).map(pick) : [],
    },
  }
}

export interface RegionFilterOption {
  code: string
  name: string
  /** 0 province, 1 city, 2 county: how far the option is indented. */
  depth: number
  count: number | null
}

/**
 * Options for a single region select that narrows step by step: every province,
 * then the cities of the province in view, then the counties of the city in view,
 * with the counts the search facets give for provinces and cities.
 */
export function regionFilterOptions(
  ref: ReferenceData,
  selected: string | undefined,
  counts: { province?: Record<string, number>; city?: Record<string, number> },
  locale: Locale = DEFAULT_LOCALE,
): RegionFilterOption[] {
  const lineage = selected ? regionPath(ref, selected).map((r) => r.code) : []
  const options: RegionFilterOption[] = []
  for (const p of ref.provinces) {
    options.push({ code: p.code, name: refName(p, locale), depth: 0, count: counts.province?.[p.code] ?? null })
    if (lineage[0] !== p.code) continue
    for (const c of ref.childrenByCode.get(p.code) ?? []) {
      options.push({ code: c.code, name: refName(c, locale), depth: 1, count: counts.city?.[c.code] ?? null })
      if (lineage[1] !== c.code) continue
      for (const county of ref.childrenByCode.get(c.code) ?? []) {
        options.push({ code: county.code, name: refName(county, locale), depth: 2, count: null })
      }
    }
  }
  return options
}
