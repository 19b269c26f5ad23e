import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Migrator } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import {
  getReferenceData,
  industryName,
  listChildRegions,
  regionFilterOptions,
  regionLabel,
  scenarioName,
} from '../../app/domain/reference/reference.server.js'
import { createDb } from '../../db/connection.js'
import { migrations } from '../../db/migrations/index.js'
import { services } from '../../app/web/services.server.js'
import { loadReferenceData } from '../../seed/reference.js'
import { TMP_DIR } from '../support/paths.js'

/* Reference data in English: the 2026-12-02T0600 migration, the reference load, the accessors. */

const files: string[] = []
afterAll(() => {
  for (const f of files) for (const s of ['', '-wal', '-shm']) fs.rmSync(f + s, { force: true })
})

describe('reference data in English', () => {
  it('has an English name for every region, industry and scenario', async () => {
    const { db } = services()
    for (const table of ['regions', 'industries', 'scenarios'] as const) {
      const empty = await db.selectFrom(table).select('code').where('name_en', '=', '').execute()
      expect(empty, table).toEqual([])
    }
    const ref = await getReferenceData(db)
    expect(industryName(ref, 'C34', 'en')).toBe('Manufacture of General-purpose Machinery')
    expect(industryName(ref, 'C34')).toBe('通用设备制造业')
    expect(scenarioName(ref, 'S402', 'en')).toBe('Fault diagnosis and predictive maintenance')
    expect(scenarioName(ref, 'S402', 'zh-CN')).toBe('故障诊断与预测性维护')
    expect(industryName(ref, 'C99', 'en')).toBeNull()
    // Addresses as each language writes them.
    expect(regionLabel(ref, '321023')).toBe('江苏省 扬州市 宝应县')
    expect(regionLabel(ref, '321023', 'en')).toBe('Baoying County, Yangzhou, Jiangsu')
    expect(await listChildRegions(db, '320000', 'en')).toContainEqual({ code: '321000', name: 'Yangzhou' })
    const options = regionFilterOptions(ref, '321000', {}, 'en')
    expect(options).toContainEqual({ code: '320000', name: 'Jiangsu', depth: 0, count: null })
    expect(options).toContainEqual({ code: '321023', name: 'Baoying County', depth: 2, count: null })
  })

  it('migrates up and down on a database that has reference data, which the next load names in English', async () => {
    const file = path.join(TMP_DIR, `migration-${crypto.randomUUID()}.db`)
    files.push(file)
    const { db, sqlite } = createDb(file)
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
      expect((await migrator.migrateTo('2026-12-02T0200-org-hardening')).error).toBeUndefined()
      sqlite.prepare("insert into regions (code, name, level, parent_code) values ('320000', '江苏省', 'province', null)").run()
      expect((await migrator.migrateTo('2026-12-02T0600-reference-english')).error).toBeUndefined()
      // Existing rows start without an English name (readers fall back to the Chinese) …
      expect(sqlite.prepare("select name_en from regions where code = '320000'").get()).toEqual({ name_en: '' })
      // … until the reference load, which every start runs, fills it in.
      await loadReferenceData(db)
      expect(sqlite.prepare("select name_en from regions where code = '320000'").get()).toEqual({ name_en: 'Jiangsu' })
      const down = await migrator.migrateDown()
      expect(down.error).toBeUndefined()
      expect(down.results?.[0]).toMatchObject({ migrationName: '2026-12-02T0600-reference-english', status: 'Success' })
      const columns = sqlite.prepare("select name from pragma_table_info('industries')").all() as { name: string }[]
      expect(columns.map((c) => c.name)).not.toContain('name_en')
    } finally {
      await db.destroy()
    }
  })
})
