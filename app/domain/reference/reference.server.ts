import type { Database } from '../../../db/connection.js'
import type { Industry, Region, Scenario } from '../../../db/types.js'

export interface ReferenceData {
  industries: Industry[]
  scenarios: Scenario[]
  provinces: Region[]
  regionsByCode: Map<string, Region>
  childrenByCode: Map<string, Region[]>
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
  }
}

/**
 * The regions one level below `parent` (the provinces for ''), for cascading pickers.
 * An unknown code has none.
 */
export async function listChildRegions(db: Database, parent: string): Promise<{ code: string; name: string }[]> {
  const ref = await getReferenceData(db)
  const list = parent ? (ref.childrenByCode.get(parent) ?? []) : ref.provinces
  return list.map((r) => ({ code: r.code, name: r.name }))
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

export function regionLabel(ref: ReferenceData, code: string): string {
  return regionPath(ref, code)
    .map((r) => r.name)
    .join(' ')
}

export interface RegionPickerData {
  provinces: { code: string; name: string }[]
  initial: { codes: string[]; cities: { code: string; name: string }[]; counties: { code: string; name: string }[] }
}

/** What a province → city → county picker needs to show `code` (or nothing) selected. */
export function regionPickerData(ref: ReferenceData, code?: string | null): RegionPickerData {
  const pick = (r: Region) => ({ code: r.code, name: r.name })
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
): RegionFilterOption[] {
  const lineage = selected ? regionPath(ref, selected).map((r) => r.code) : []
  const options: RegionFilterOption[] = []
  for (const p of ref.provinces) {
    options.push({ code: p.code, name: p.name, depth: 0, count: counts.province?.[p.code] ?? null })
    if (lineage[0] !== p.code) continue
    for (const c of ref.childrenByCode.get(p.code) ?? []) {
      options.push({ code: c.code, name: c.name, depth: 1, count: counts.city?.[c.code] ?? null })
      if (lineage[1] !== c.code) continue
      for (const county of ref.childrenByCode.get(c.code) ?? []) {
        options.push({ code: county.code, name: county.name, depth: 2, count: null })
      }
    }
  }
  return options
}
