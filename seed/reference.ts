import type { Database } from '../db/connection.js'
import industries from './reference/industries.json' with { type: 'json' }
import scenarios from './reference/scenarios.json' with { type: 'json' }
import { regionEnglishNames } from './region-english.js'
import { loadRegions } from './regions.js'

type ScenarioLink = 'factory_build' | 'rd_design' | 'production' | 'production_mgmt' | 'operations_mgmt'

export interface ReferenceCounts {
  regions: number
  industries: number
  scenarios: number
}

/**
 * Upserts regions, industries and scenarios, with their English names (regions'
 * are their pinyin, made here: seed/region-english.ts). Running it twice changes
 * nothing; a database from before the English names gets them on its next load.
 */
export async function loadReferenceData(db: Database): Promise<ReferenceCounts> {
  const regions = loadRegions()
  const english = regionEnglishNames(regions)
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < regions.length; i += 500) {
      const batch = regions.slice(i, i + 500).map((r) => ({
        code: r.code,
        name: r.name,
        name_en: english.get(r.code) ?? '',
        level: r.level,
        parent_code: r.parentCode,
      }))
      await trx
        .insertInto('regions')
        .values(batch)
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            name_en: eb.ref('excluded.name_en'),
            level: eb.ref('excluded.level'),
            parent_code: eb.ref('excluded.parent_code'),
          })),
        )
        .execute()
    }
    await trx
      .insertInto('industries')
      .values(industries.map((i) => ({ code: i.code, name: i.name, name_en: i.en, tags: JSON.stringify(i.tags) })))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          name_en: eb.ref('excluded.name_en'),
          tags: eb.ref('excluded.tags'),
        })),
      )
      .execute()
    await trx
      .insertInto('scenarios')
      .values(
        scenarios.map((s, index) => ({
          code: s.code,
          name: s.name,
          name_en: s.en,
          link: s.link as ScenarioLink,
          sort_order: index + 1,
        })),
      )
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          name_en: eb.ref('excluded.name_en'),
          link: eb.ref('excluded.link'),
          sort_order: eb.ref('excluded.sort_order'),
        })),
      )
      .execute()
  })
  return { regions: regions.length, industries: industries.length, scenarios: scenarios.length }
}
