/**
 * Matching's part of `npm run bench` (issue 13, item 8 and item 3): over the scratch
 * database run.ts built (needs and providers indexed in the FTS5 engine),
 *
 * - need → providers: p50/p95 of what /needs/:id/matches computes (the need loaded, its
 *   weights, one 'any' engine query for 200 candidates, their data loaded, ranked and
 *   diversified), beside the bare FTS5 query it runs (the same OR expression, top 200 by
 *   bm25 over the providers' table) — the ratio is the cost of everything but the engine;
 * - provider → needs: the same for 推荐需求;
 * - fair exposure: over every open need of the county with the most of them, the share of
 *   top-5 slots held by the 10 most exposed providers without and with diversification,
 *   and what it costs in relevance (the mean score of the top-5 slots).
 *
 * Figures only; nothing here passes or fails.
 */
import type BetterSqlite3 from 'better-sqlite3'
import type { Database } from '../../db/connection.js'
import { loadNeedForMatching, loadProviderForMatching } from '../../app/domain/matching/data.server.js'
import { DIVERSIFY_BAND } from '../../app/domain/matching/diversify.js'
import { exposureShare } from '../../app/domain/matching/metrics.js'
import { candidatesForNeed, matchProvidersForNeed, needQueryText } from '../../app/domain/matching/need-matches.server.js'
import { rankProviders } from '../../app/domain/matching/rank.js'
import { providerQueryText, recommendNeedsForProvider } from '../../app/domain/matching/recommended-needs.server.js'
import type { NeedForMatching } from '../../app/domain/matching/types.js'
import { weightsForRegion } from '../../app/domain/matching/weights.server.js'
import { NEEDS_INDEX } from '../../app/domain/needs/search-index.server.js'
import { PROVIDERS_INDEX } from '../../app/domain/providers/search-index.server.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import type { SearchEngine } from '../../search/engine.js'
import { fts5Rank, fts5TableName, matchOfPlan } from '../../search/fts5-engine.js'
import { anyPruningApplies, planOfWords, pruneAnyTerms, segmentQuery, termsOfPlan } from '../../search/tokenizer.js'
import { ms, pad, time } from './stats.js'

/** Deterministic sample of `n` items (a simple LCG over the seed). */
function sample<T>(items: readonly T[], n: number, seed: number): T[] {
  const pool = [...items]
  let state = seed >>> 0 || 1
  const out: T[] = []
  while (out.length < n && pool.length > 0) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    const [picked] = pool.splice(state % pool.length, 1)
    if (picked !== undefined) out.push(picked)
  }
  return out
}

/** Most open needs one exposure run ranks (each costs one candidate query). */
const EXPOSURE_CAP = 1500

export async function benchMatching(options: {
  db: Database
  sqlite: BetterSqlite3.Database
  engine: SearchEngine
  runs: number
  seed: number
}): Promise<void> {
  const { db, sqlite, engine, runs, seed } = options
  const ref = await getReferenceData(db)
  const warmup = Math.min(5, runs)

  const published = sqlite
    .prepare(`SELECT id FROM needs WHERE status = 'published' AND visibility = 'public' ORDER BY id`)
    .pluck()
    .all() as number[]
  const providers = sqlite
    .prepare(
      `SELECT o.id FROM organisations o JOIN provider_profiles p ON p.org_id = o.id
       WHERE o.kind = 'provider' AND o.status = 'verified' ORDER BY o.id`,
    )
    .pluck()
    .all() as number[]
  const providerCount = await engine.count(PROVIDERS_INDEX)
  console.log(
    `\nmatching — ${published.length} published needs, ${providers.length} verified providers (${providerCount} in the providers index)`,
  )
  if (published.length === 0 || providers.length === 0) {
    console.log('nothing to match')
    return
  }

  // The bare FTS5 queries the two directions run: the OR of the words the engine keeps
  // (search/tokenizer.ts pruneAnyTerms: words most documents hold are left out), top 200 by bm25.
  const rawCount = (index: string) => {
    const fts = fts5TableName(index)
    return sqlite.prepare(`SELECT count(*) FROM ${fts} WHERE ${fts} MATCH ?`).pluck()
  }
  const anyExpression = async (index: string, text: string): Promise<string> => {
    const plan = planOfWords(segmentQuery(text, 'any'))
    const terms = termsOfPlan(plan)
    const docCount = await engine.count(index)
    if (!anyPruningApplies(terms, docCount)) return matchOfPlan(plan, 'any') ?? ''
    const count = rawCount(index)
    const docs = terms.map((term) => count.get(`"${term.replaceAll('"', '""')}"`) as number)
    return (
      matchOfPlan(
        pruneAnyTerms(terms, docs, docCount).map((t) => [t]),
        'any',
      ) ?? ''
    )
  }
  const rawTop = (index: string) => {
    const fts = fts5TableName(index)
    return sqlite.prepare(`SELECT rowid, ${fts5Rank(index)} AS score FROM ${fts} WHERE ${fts} MATCH ? ORDER BY score LIMIT 200`)
  }
  const rawProviders = rawTop(PROVIDERS_INDEX)
  const rawNeeds = rawTop(NEEDS_INDEX)

  // need → providers
  const needIds = sample(published, Math.max(runs, 20), seed)
  const needTexts = new Map<number, string>()
  for (const id of needIds) {
    const need = await loadNeedForMatching(db, id)
    const text = sqlite.prepare('SELECT description, expected_results FROM needs WHERE id = ?').get(id) as {
      description: string
      expected_results: string
    }
    if (need) needTexts.set(id, await anyExpression(PROVIDERS_INDEX, needQueryText(ref, need, text)))
  }
  const pickNeed = (i: number) => needIds[i % needIds.length] as number
  const needPage = async (i: number) => {
    const need = await loadNeedForMatching(db, pickNeed(i))
    if (!need) return
    const { weights } = await weightsForRegion(db, need.region.code)
    await matchProvidersForNeed(db, engine, need, { weights, diversify: true })
  }
  const needFloor = (i: number) => {
    const match = needTexts.get(pickNeed(i))
    if (match) rawProviders.all(match)
  }
  const needTiming = await time(runs, warmup, needPage)
  const needFloorTiming = await time(runs, warmup, needFloor)

  // provider → needs
  const providerIds = sample(providers, Math.max(runs, 20), seed + 1)
  const providerTexts = new Map<number, string>()
  for (const id of providerIds) {
    const provider = await loadProviderForMatching(db, id)
    if (provider) providerTexts.set(id, await anyExpression(NEEDS_INDEX, await providerQueryText(db, ref, provider)))
  }
  const pickProvider = (i: number) => providerIds[i % providerIds.length] as number
  const providerTiming = await time(runs, warmup, (i) => recommendNeedsForProvider(db, engine, pickProvider(i)))
  const providerFloorTiming = await time(runs, warmup, (i) => {
    const match = providerTexts.get(pickProvider(i))
    if (match) rawNeeds.all(match)
  })

  console.log(`${pad('direction', 22)}${pad('p50', 9)}${pad('p95', 9)}${pad('floor p50', 11)}${pad('p95', 9)}ratio p50 / p95`)
  for (const [name, t, f] of [
    ['need → providers', needTiming, needFloorTiming],
    ['provider → needs', providerTiming, providerFloorTiming],
  ] as const) {
    console.log(
      `${pad(name, 22)}${pad(ms(t.p50), 9)}${pad(ms(t.p95), 9)}${pad(ms(f.p50), 11)}${pad(ms(f.p95), 9)}${(t.p50 / f.p50).toFixed(1)}× / ${(t.p95 / f.p95).toFixed(1)}×`,
    )
  }
  console.log(
    'milliseconds, cold: each call is a different need or provider. floor: the bare FTS5 query it runs (the OR of the words the engine keeps, top 200 by bm25).',
  )

  // Fair exposure over the county with the most open needs.
  const county = sqlite
    .prepare(
      `SELECT region_code FROM needs WHERE status = 'published' AND visibility = 'public'
       GROUP BY region_code ORDER BY count(*) DESC, region_code LIMIT 1`,
    )
    .pluck()
    .get() as string
  const inCounty = sqlite
    .prepare(`SELECT id FROM needs WHERE status = 'published' AND visibility = 'public' AND region_code = ? ORDER BY id`)
    .pluck()
    .all(county) as number[]
  const ranked = inCounty.slice(0, EXPOSURE_CAP)
  const before: number[][] = []
  // The default band, and twice it: what a wider band buys and costs.
  const bands = [DIVERSIFY_BAND, DIVERSIFY_BAND * 2]
  const after = bands.map(() => ({ lists: [] as number[][], score: 0, changed: 0 }))
  let scoreBefore = 0
  let slots = 0
  const started = performance.now()
  for (const id of ranked) {
    const need: NeedForMatching | null = await loadNeedForMatching(db, id)
    if (!need) continue
    const { weights } = await weightsForRegion(db, need.region.code)
    const candidates = await candidatesForNeed(db, engine, need)
    const plain = rankProviders(need, candidates, weights, { diversify: false }).ranked.slice(0, 5)
    before.push(plain.map((r) => r.orgId))
    scoreBefore += plain.reduce((s, r) => s + r.score, 0)
    slots += plain.length
    bands.forEach((band, b) => {
      const diverse = rankProviders(need, candidates, weights, { diversify: true, band }).ranked.slice(0, 5)
      const into = after[b]!
      into.lists.push(diverse.map((r) => r.orgId))
      into.score += diverse.reduce((s, r) => s + r.score, 0)
      if (plain.some((r, i) => diverse[i]?.orgId !== r.orgId)) into.changed++
    })
  }
  const seconds = (performance.now() - started) / 1000
  const name = ref.regionsByCode.get(county)?.name ?? county
  console.log(
    `\nfair exposure — ${name} (${county}): ${ranked.length} of ${inCounty.length} open needs ranked in ${seconds.toFixed(1)} s`,
  )
  if (slots > 0) {
    console.log(
      `${pad('order', 26)}${pad('top-5 share of the 10 most exposed', 38)}${pad('mean top-5 score', 18)}lists reordered`,
    )
    console.log(
      `${pad('no diversification', 26)}${pad(`${(exposureShare(before) * 100).toFixed(1)} %`, 38)}${pad((scoreBefore / slots).toFixed(2), 18)}–`,
    )
    bands.forEach((band, b) => {
      const a = after[b]!
      const cost = ((a.score - scoreBefore) / scoreBefore) * 100
      console.log(
        `${pad(`band ${band} points${band === DIVERSIFY_BAND ? ' (default)' : ''}`, 26)}${pad(`${(exposureShare(a.lists) * 100).toFixed(1)} %`, 38)}${pad(`${(a.score / slots).toFixed(2)} (${cost.toFixed(2)} %)`, 18)}${a.changed} of ${before.length}`,
      )
    })
    console.log(
      'the relevance lost is the mean score given up per top-5 slot; the eval (npm run eval:matching) prints it as NDCG.',
    )
  }
}
