/**
 * npm run bench [-- --needs 100000] [--providers 10000] [--runs 50] [--seed 42]
 *
 * Builds a scratch database (migrations, reference data, demo needs), indexes it
 * with the SQLite FTS5 engine and times a fixed query mix through engine.search,
 * next to the bare FTS5 MATCH (count + top 20 by bm25) on the same index in the
 * same run. Prints figures only; nothing here passes or fails.
 *
 * "cold" drops the engine's count/facet cache before every call (as any index
 * write does); "warm" repeats the same query, as paging or a reload does.
 *
 * When PostgreSQL is available (tests/support/pg-server.ts: TEST_DATABASE_URL, or
 * Debian's binaries for a throwaway server; BENCH_PG=0 leaves it out), the same
 * documents are indexed into the PostgreSQL engine too, the same queries timed on
 * it, and its answers compared with FTS5's (tests/bench/pg-search.ts).
 *
 * Then matching (tests/bench/matching.ts): need → providers and provider → needs
 * beside the bare FTS5 queries they run, and fair exposure before and after
 * diversification. `--providers` sets how many providers the demo data holds.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Presets, SingleBar } from 'cli-progress'
import { NEED_FACETS } from '../../app/domain/needs/needs.server.js'
import { PUBLIC_NEED_STATUSES } from '../../app/domain/needs/schema.js'
import { NEEDS_INDEX, needsSearchIndex } from '../../app/domain/needs/search-index.server.js'
import { providersSearchIndex } from '../../app/domain/providers/search-index.server.js'
import { createDb } from '../../db/connection.js'
import { migrateToLatest } from '../../db/migrate.js'
import { generateDemo } from '../../seed/demo-writer.js'
import { loadReferenceData } from '../../seed/reference.js'
import type { SearchQuery } from '../../search/engine.js'
import { createFts5Engine, fts5Rank, fts5TableName, toMatchExpression } from '../../search/fts5-engine.js'
import { createIndexer } from '../../search/indexer.js'
import { benchMatching } from './matching.js'
import { compareAnswers, compareRandomQueries, openPgBench } from './pg-search.js'
import { ms, pad, time, type Timing } from './stats.js'

interface Args {
  needs: number
  providers: number
  runs: number
  seed: number
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { needs: 100_000, providers: 10_000, runs: 50, seed: 42 }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = Number(argv[i + 1])
    if (
      (flag === '--needs' || flag === '--providers' || flag === '--runs' || flag === '--seed') &&
      Number.isInteger(value) &&
      value >= 0
    ) {
      args[flag.slice(2) as keyof Args] = value
      i++
    } else {
      throw new Error(`usage: npm run bench -- [--needs N] [--providers N] [--runs N] [--seed N] (bad argument ${flag ?? ''})`)
    }
  }
  return args
}

/** Words an upgrade need is likely to contain, from very common to very rare. */
// prettier-ignore
const CANDIDATE_WORDS = [
  '数字化', '智能', '改造', '系统', '车间', '生产线', '设备', '数据', '平台', '质量', '检测', '诊断',
  '视觉检测', '追溯', '仓储', '物流', '排产', '能耗', '监测', '预测性维护', '数字孪生', '机器人', '工艺',
  '安全', '污染', '供应链', '协同', '柔性', '在线', '故障', '振动', '包装', '异物', '焊缝', '色差',
  '发酵', '灌装', '酿造', '纺纱', '印染', '精炼', '冲压', '注塑', '涂装', '装配', '锂电', '光伏',
  '芯片', '疫苗', '轮胎', '玻璃', '水泥', '钢铁', '船舶', '卷烟', '烘焙', '家具', '陶瓷', '造纸',
]

/** Target share of indexed documents a word of each class should match. */
const CLASS_TARGETS = [
  ['rare', 0.002],
  ['medium', 0.03],
  ['common', 0.3],
] as const

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duijie-bench-'))
  const file = path.join(dir, 'bench.db')
  const { db, sqlite } = createDb(file)
  let pg: Awaited<ReturnType<typeof openPgBench>> = null
  try {
    console.log(
      `对接 search bench — ${args.needs} needs, ${args.providers} providers, ${args.runs} runs per class, scratch db ${file}`,
    )
    console.log(
      `node ${process.version}, SQLite ${String(sqlite.prepare('select sqlite_version()').pluck().get())}, ${os.cpus()[0]?.model ?? 'cpu'}\n`,
    )

    let t = performance.now()
    await migrateToLatest(db)
    await loadReferenceData(db)
    console.log(`migrate + reference data   ${((performance.now() - t) / 1000).toFixed(1)} s`)

    const bar = new SingleBar(
      { format: '{task} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: true },
      Presets.shades_classic,
    )
    t = performance.now()
    bar.start(args.needs, 0, { task: 'demo data ' })
    await generateDemo(db, sqlite, {
      needs: args.needs,
      providers: args.providers,
      seed: args.seed,
      onProgress: (done) => bar.update(done),
    })
    bar.stop()
    console.log(`demo data                  ${((performance.now() - t) / 1000).toFixed(1)} s`)

    const engine = createFts5Engine(sqlite)
    t = performance.now()
    bar.start(args.needs, 0, { task: 'reindex   ' })
    const indexed = await createIndexer(db, engine, [needsSearchIndex]).reindexAll({
      onProgress: (done, total) => {
        bar.setTotal(total)
        bar.update(done)
      },
    })
    bar.stop()
    const reindexSeconds = (performance.now() - t) / 1000
    sqlite.pragma('wal_checkpoint(TRUNCATE)')
    console.log(
      `reindexAll                 ${reindexSeconds.toFixed(1)} s (${indexed} documents, ${Math.round(indexed / reindexSeconds)} docs/s)`,
    )
    console.log(`database size              ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MiB\n`)

    bar.start(args.needs, 0, { task: 'PostgreSQL' })
    pg = await openPgBench(db, needsSearchIndex, (done, total) => {
      bar.setTotal(total)
      bar.update(done)
    })
    bar.stop()
    if (pg) {
      console.log(
        `PostgreSQL reindexAll      ${pg.reindexSeconds.toFixed(1)} s (${Math.round(indexed / pg.reindexSeconds)} docs/s), index table ${(pg.bytes / 1024 / 1024).toFixed(0)} MiB\n`,
      )
    }

    // Bare FTS5: the floor every text query is compared with.
    const fts = fts5TableName(NEEDS_INDEX)
    const rawCount = sqlite.prepare(`SELECT count(*) FROM ${fts} WHERE ${fts} MATCH ?`).pluck()
    const rawTop = sqlite.prepare(
      `SELECT rowid, ${fts5Rank(NEEDS_INDEX)} AS score FROM ${fts} WHERE ${fts} MATCH ? ORDER BY score LIMIT 20`,
    )
    const raw = (match: string) => {
      rawCount.get(match)
      rawTop.all(match)
    }
    // Bare table: the floor for browsing without text.
    const statuses = PUBLIC_NEED_STATUSES.map((s) => `'${s}'`).join(', ')
    const tableCount = sqlite
      .prepare(`SELECT count(*) FROM needs WHERE status IN (${statuses}) AND visibility = 'public'`)
      .pluck()
    const tableTop = sqlite.prepare(
      `SELECT id, title FROM needs WHERE status IN (${statuses}) AND visibility = 'public' ORDER BY published_at DESC LIMIT 20`,
    )

    // Pick each class's words by how many documents they actually match.
    const df = CANDIDATE_WORDS.map((word) => {
      const match = toMatchExpression(word)
      return { word, match: match ?? '', count: match ? (rawCount.get(match) as number) : 0 }
    }).filter((w) => w.count > 0)
    const used = new Set<string>()
    const classes = CLASS_TARGETS.map(([name, share]) => {
      const target = Math.max(1, share * indexed)
      const words = df
        .filter((w) => !used.has(w.word))
        .sort((a, b) => Math.abs(Math.log(a.count / target)) - Math.abs(Math.log(b.count / target)))
        .slice(0, 2)
      for (const w of words) used.add(w.word)
      return { name, words }
    })

    const province =
      (sqlite
        .prepare(
          `SELECT text FROM search_attrs WHERE idx = ? AND field = 'province' AND text IS NOT NULL GROUP BY text ORDER BY count(*) DESC LIMIT 1`,
        )
        .pluck()
        .get(NEEDS_INDEX) as string | undefined) ?? '320000'
    const mediumWords = classes.find((c) => c.name === 'medium')?.words ?? []

    // Any write bumps the index generation, which invalidates cached counts and facets.
    const dropCaches = () => engine.delete(NEEDS_INDEX, ['bench-no-such-document'])

    interface Row {
      name: string
      detail: string
      cold: Timing
      warm: Timing
      floor: Timing
      floorName: string
      total: number
      /** The PostgreSQL engine on the same queries, and whether its answers matched FTS5's. */
      pg?: { cold: Timing; warm: Timing; floor: Timing | null; check: string }
    }
    const rows: Row[] = []
    const warmup = Math.min(5, args.runs)

    // The PostgreSQL engine on the same queries: its answers against FTS5's, then timings.
    const measurePg = async (
      queries: readonly SearchQuery[],
      floor: ((i: number) => Promise<void>) | null,
    ): Promise<Row['pg']> => {
      if (!pg) return undefined
      const onPg = pg.engine
      const pickQuery = (i: number) => queries[i % queries.length] as SearchQuery
      const problems: string[] = []
      for (const query of queries) {
        const problem = compareAnswers(
          query,
          needsSearchIndex.settings,
          await engine.search(NEEDS_INDEX, query),
          await onPg.search(NEEDS_INDEX, query),
        )
        if (problem) problems.push(problem)
      }
      return {
        cold: await time(
          args.runs,
          warmup,
          (i) => onPg.search(NEEDS_INDEX, pickQuery(i)),
          () => onPg.delete(NEEDS_INDEX, ['bench-no-such-document']),
        ),
        warm: await time(args.runs, warmup, (i) => onPg.search(NEEDS_INDEX, pickQuery(Math.floor(i / 10)))),
        floor: floor ? await time(args.runs, warmup, floor) : null,
        check: problems.length === 0 ? 'same' : problems.join('; '),
      }
    }

    for (const { name, words } of classes) {
      if (words.length === 0) continue
      const queries: SearchQuery[] = words.map((w) => ({ text: w.word, pageSize: 20 }))
      const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T
      const run = (i: number) => engine.search(NEEDS_INDEX, pick(queries, i))
      const cold = await time(args.runs, warmup, run, dropCaches)
      const warm = await time(args.runs, warmup, (i) => engine.search(NEEDS_INDEX, pick(queries, Math.floor(i / 10))))
      const floor = await time(args.runs, warmup, (i) => raw(pick(words, i).match))
      const total = (await engine.search(NEEDS_INDEX, pick(queries, 0))).total
      rows.push({
        name,
        detail: words.map((w) => `${w.word}(${w.count})`).join(' '),
        cold,
        warm,
        floor,
        floorName: 'FTS5 MATCH',
        total,
        pg: await measurePg(queries, (i) => pg!.rawText(pick(words, i).word)),
      })
    }

    const filteredQueries: SearchQuery[] = mediumWords.map((w) => ({
      text: w.word,
      filters: { visibility: ['public'], province: [province] },
      ranges: { budgetMax: { min: 100 } },
      facets: NEED_FACETS,
      pageSize: 20,
    }))
    if (filteredQueries.length > 0) {
      const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T
      rows.push({
        name: 'filtered',
        detail: `medium word + province ${province} + public + budgetMax≥100 + ${NEED_FACETS.length} facets`,
        cold: await time(args.runs, warmup, (i) => engine.search(NEEDS_INDEX, pick(filteredQueries, i)), dropCaches),
        warm: await time(args.runs, warmup, (i) => engine.search(NEEDS_INDEX, pick(filteredQueries, Math.floor(i / 10)))),
        floor: await time(args.runs, warmup, (i) => raw(pick(mediumWords, i).match)),
        floorName: 'FTS5 MATCH',
        total: (await engine.search(NEEDS_INDEX, pick(filteredQueries, 0))).total,
        pg: await measurePg(filteredQueries, (i) => pg!.rawText(pick(mediumWords, i).word)),
      })
    }

    const browse: SearchQuery = {
      filters: { visibility: ['public'] },
      facets: NEED_FACETS,
      sort: { by: 'publishedAt', direction: 'desc' },
      pageSize: 20,
    }
    rows.push({
      name: 'browse',
      detail: `no text, public, newest first, ${NEED_FACETS.length} facets`,
      cold: await time(args.runs, warmup, () => engine.search(NEEDS_INDEX, browse), dropCaches),
      warm: await time(args.runs, warmup, () => engine.search(NEEDS_INDEX, browse)),
      floor: await time(args.runs, warmup, () => {
        tableCount.get()
        tableTop.all()
      }),
      floorName: 'needs table',
      total: (await engine.search(NEEDS_INDEX, browse)).total,
      pg: await measurePg([browse], null),
    })

    console.log(
      `${pad('class', 10)}${pad('hits', 8)}${pad('cold p50', 10)}${pad('p95', 8)}${pad('warm p50', 10)}${pad('floor p50', 11)}${pad('p95', 8)}${pad('cold/floor', 12)}floor, query`,
    )
    for (const r of rows) {
      console.log(
        `${pad(r.name, 10)}${pad(String(r.total), 8)}${pad(ms(r.cold.p50), 10)}${pad(ms(r.cold.p95), 8)}${pad(ms(r.warm.p50), 10)}${pad(ms(r.floor.p50), 11)}${pad(ms(r.floor.p95), 8)}${pad(`${(r.cold.p50 / r.floor.p50).toFixed(1)}×`, 12)}${r.floorName}, ${r.detail}`,
      )
    }
    console.log(
      '\nmilliseconds. cold: caches dropped before each call; warm: the same query repeated (paging, reload);\nfloor: the same work done by a bare query in this run (FTS5 MATCH count + top 20 by bm25, or the needs table).',
    )

    if (pg) {
      console.log(
        `\nPostgreSQL engine, same queries\n${pad('class', 10)}${pad('hits', 8)}${pad('cold p50', 10)}${pad('p95', 8)}${pad('warm p50', 10)}${pad('floor p50', 11)}${pad('vs FTS5 cold', 14)}answers`,
      )
      for (const r of rows) {
        if (!r.pg) continue
        console.log(
          `${pad(r.name, 10)}${pad(String(r.total), 8)}${pad(ms(r.pg.cold.p50), 10)}${pad(ms(r.pg.cold.p95), 8)}${pad(ms(r.pg.warm.p50), 10)}${pad(r.pg.floor ? ms(r.pg.floor.p50) : '–', 11)}${pad(`${(r.pg.cold.p50 / r.cold.p50).toFixed(1)}×`, 14)}${r.pg.check}`,
        )
      }
      console.log(
        "floor: a bare tsquery (count + top 20 by ts_rank_cd). answers: totals, facets and attribute-ordered pages equal to FTS5's.",
      )
      const checked = await compareRandomQueries(
        engine,
        pg.engine,
        NEEDS_INDEX,
        needsSearchIndex.settings,
        CANDIDATE_WORDS,
        300,
        args.seed,
      )
      console.log(
        `random queries (filters, ranges, facets, sorts, pages up to 60) compared with FTS5: ${checked.compared}, differences: ${checked.differences.length}`,
      )
      for (const d of checked.differences.slice(0, 10)) console.log(`  ${d}`)
    }

    t = performance.now()
    const providerDocs = await createIndexer(db, engine, [providersSearchIndex]).reindexAll()
    console.log(`\nproviders reindexAll       ${((performance.now() - t) / 1000).toFixed(1)} s (${providerDocs} documents)`)
    await benchMatching({ db, sqlite, engine, runs: args.runs, seed: args.seed })
  } finally {
    await pg?.close()
    await db.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
