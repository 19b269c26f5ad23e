import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Database } from '../../db/connection.js'
import { importExchangeFile, type ByteSource } from '../../app/domain/exchange/import.server.js'
import { loadNeedForMatching } from '../../app/domain/matching/data.server.js'
import { exposureShare, ndcgAt, recallAt } from '../../app/domain/matching/metrics.js'
import { matchProvidersForNeed } from '../../app/domain/matching/need-matches.server.js'
import type { ExclusionReason, ProviderForMatching } from '../../app/domain/matching/types.js'
import { DEFAULT_WEIGHTS } from '../../app/domain/matching/weights.js'
import { SEARCH_TYPES } from '../../app/domain/search-types.server.js'
import type { SearchEngine } from '../../search/engine.js'
import { createIndexer } from '../../search/indexer.js'

/*
 * The matching relevance evaluation (issue 13, item 7): the labelled set of
 * tests/fixtures/matching imported through the exchange importer (providers verified by
 * --mark-verified), the search indexes rebuilt, then for every need three orderings of
 * the same candidates — the ranking (matchProvidersForNeed, default weights, not
 * diversified), a text-only baseline (the candidates by text relevance, ties by org
 * id) and the diversified ranking — scored against the expert judgements with NDCG@5,
 * NDCG@10 and recall@10. `npm run eval:matching` (tests/eval/matching.ts) prints it;
 * tests/integration/matching-eval.test.ts asserts on it on both dialects.
 */

export const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/matching')
export const FIXTURE_FILES = ['providers.jsonl', 'needs.jsonl'] as const

const ORGANISATION_SPACE = 'organisation'
const NEED_SPACE = 'need'

export type Judgements = Record<string, Record<string, number>>

export const ORDERINGS = ['ranking', 'baseline', 'diversified'] as const
export type Ordering = (typeof ORDERINGS)[number]

export interface Scores {
  ndcg5: number
  ndcg10: number
  recall10: number
}

export interface NeedEval {
  needExternalId: string
  needId: number
  title: string
  /** Candidates the engine returned (before the hard filters). */
  candidates: number
  scores: Record<Ordering, Scores>
  /** Org ids, best first, per ordering. */
  lists: Record<Ordering, number[]>
  /** Grades by org id (0 omitted). */
  grades: Map<number, number>
  /** Judged providers (grade ≥ 1) dropped by the hard filters, with the reason. */
  excludedJudged: { orgId: number; reason: ExclusionReason }[]
  /** Judged providers (grade ≥ 1) the engine did not return at all. */
  notCandidates: number[]
  /** Per candidate: text relevance (for the analysis of misses). */
  textRelevance: Map<number, number>
  /** Per ranked provider: score and factor values (ranking, undiversified). */
  factors: Map<number, { score: number; values: Record<string, number> }>
}

export interface MatchingEvalReport {
  needs: NeedEval[]
  mean: Record<Ordering, Scores>
  /** Share of the top-5 slots held by the 10 most exposed providers, over all needs. */
  exposure: Record<Ordering, number>
  /** Org id → provider external id and name, for printing. */
  providers: Map<number, { externalId: string; name: string }>
}

/** The fixture's files as import sources. */
function fileSource(file: string): ByteSource {
  const size = fs.statSync(file).size
  return { name: path.basename(file), size, open: () => fs.createReadStream(file) }
}

export function readJudgements(dir = FIXTURE_DIR): Judgements {
  return JSON.parse(fs.readFileSync(path.join(dir, 'judgements.json'), 'utf8')) as Judgements
}

/**
 * Imports the fixture through the exchange importer, as `npm run import --
 * <file> --mark-verified --operator <account>` does (the operator: a user with a verified
 * contact), then rebuilds the search indexes. Throws with the importer's issues when a
 * line is refused.
 */
export async function loadMatchingFixture(
  db: Database,
  search: SearchEngine,
  operatorUserId: number,
  dir = FIXTURE_DIR,
): Promise<void> {
  for (const name of FIXTURE_FILES) {
    const result = await importExchangeFile(db, fileSource(path.join(dir, name)), {
      markVerified: true,
      operator: { userId: operatorUserId },
      source: name,
    })
    if (!result.ok) {
      const first = result.issues
        .slice(0, 5)
        .map((i) => `line ${i.line} ${i.path.join('.')}: ${i.key}`)
        .join('; ')
      throw new Error(`${name}: ${result.issueCount} import errors (${first})`)
    }
  }
  await createIndexer(db, search, SEARCH_TYPES).reindexAll()
}

async function externalIds(db: Database, space: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('exchange_ids').select(['external_id', 'entity_id']).where('type', '=', space).execute()
  return new Map(rows.map((r) => [r.external_id, Number(r.entity_id)]))
}

/** The text-only baseline: candidates by text relevance, best first, ties by org id. */
export function textBaseline(candidates: readonly ProviderForMatching[]): number[] {
  return [...candidates].sort((a, b) => b.textRelevance - a.textRelevance || a.orgId - b.orgId).map((c) => c.orgId)
}

function scoresOf(list: readonly number[], grades: ReadonlyMap<number, number>): Scores {
  return { ndcg5: ndcgAt(5, list, grades), ndcg10: ndcgAt(10, list, grades), recall10: recallAt(10, list, grades) }
}

function meanOf(needs: readonly NeedEval[], ordering: Ordering): Scores {
  const n = Math.max(1, needs.length)
  const sum = (f: (s: Scores) => number) => needs.reduce((a, e) => a + f(e.scores[ordering]), 0) / n
  return { ndcg5: sum((s) => s.ndcg5), ndcg10: sum((s) => s.ndcg10), recall10: sum((s) => s.recall10) }
}

/** Runs the three orderings for every judged need of an imported fixture. */
export async function evaluateMatching(
  db: Database,
  search: SearchEngine,
  judgements: Judgements = readJudgements(),
): Promise<MatchingEvalReport> {
  const orgIds = await externalIds(db, ORGANISATION_SPACE)
  const needIds = await externalIds(db, NEED_SPACE)
  const providers = new Map<number, { externalId: string; name: string }>()
  const orgRows = await db.selectFrom('organisations').select(['id', 'name']).where('kind', '=', 'provider').execute()
  const nameOf = new Map(orgRows.map((o) => [Number(o.id), o.name]))
  for (const [externalId, id] of orgIds) {
    if (nameOf.has(id)) providers.set(id, { externalId, name: nameOf.get(id)! })
  }

  const needs: NeedEval[] = []
  for (const [needExternalId, judged] of Object.entries(judgements)) {
    const needId = needIds.get(needExternalId)
    if (needId === undefined) throw new Error(`judgements name need ${needExternalId}, not imported`)
    const need = await loadNeedForMatching(db, needId)
    if (!need) throw new Error(`need ${needExternalId} (${needId}) not loadable for matching`)
    const grades = new Map<number, number>()
    for (const [providerExternalId, grade] of Object.entries(judged)) {
      const orgId = orgIds.get(providerExternalId)
      if (orgId === undefined) throw new Error(`judgements of ${needExternalId} name ${providerExternalId}, not imported`)
      if (grade > 0) grades.set(orgId, grade)
    }

    const ranked = await matchProvidersForNeed(db, search, need, { weights: DEFAULT_WEIGHTS, diversify: false })
    const diversified = await matchProvidersForNeed(db, search, need, { weights: DEFAULT_WEIGHTS, diversify: true })
    const lists: Record<Ordering, number[]> = {
      ranking: ranked.ranked.map((r) => r.orgId),
      baseline: textBaseline(ranked.candidates),
      diversified: diversified.ranked.map((r) => r.orgId),
    }
    const candidateIds = new Set(ranked.candidates.map((c) => c.orgId))
    needs.push({
      needExternalId,
      needId,
      title: need.title,
      candidates: ranked.candidates.length,
      scores: {
        ranking: scoresOf(lists.ranking, grades),
        baseline: scoresOf(lists.baseline, grades),
        diversified: scoresOf(lists.diversified, grades),
      },
      lists,
      grades,
      excludedJudged: ranked.excluded.filter((e) => grades.has(e.orgId)),
      notCandidates: [...grades.keys()].filter((id) => !candidateIds.has(id)),
      textRelevance: new Map(ranked.candidates.map((c) => [c.orgId, c.textRelevance])),
      factors: new Map(
        ranked.ranked.map((r) => [
          r.orgId,
          { score: r.score, values: Object.fromEntries(r.factors.map((f) => [f.factor, f.value])) },
        ]),
      ),
    })
  }
  const mean = {
    ranking: meanOf(needs, 'ranking'),
    baseline: meanOf(needs, 'baseline'),
    diversified: meanOf(needs, 'diversified'),
  }
  const exposure = {
    ranking: exposureShare(needs.map((n) => n.lists.ranking)),
    baseline: exposureShare(needs.map((n) => n.lists.baseline)),
    diversified: exposureShare(needs.map((n) => n.lists.diversified)),
  }
  return { needs, mean, exposure, providers }
}

const f3 = (n: number) => n.toFixed(3)

/** The report as the command prints it: the table of means, then the worst needs of the ranking. */
export function formatReport(report: MatchingEvalReport, worst = 5): string[] {
  const out: string[] = []
  const label = (id: number) => {
    const p = report.providers.get(id)
    return p ? p.externalId.replace(/^mp-/, '') : `#${id}`
  }
  out.push(`匹配相关性评测 / matching relevance: ${report.needs.length} needs, ${report.providers.size} providers`)
  out.push('')
  out.push('ordering      NDCG@5  NDCG@10  recall@10  top-5 exposure of 10 most shown')
  for (const o of ORDERINGS) {
    const m = report.mean[o]
    out.push(`${o.padEnd(12)}  ${f3(m.ndcg5)}   ${f3(m.ndcg10)}    ${f3(m.recall10)}     ${f3(report.exposure[o])}`)
  }
  const d = report.mean.ranking.ndcg10 - report.mean.baseline.ndcg10
  out.push('')
  out.push(`ranking − baseline NDCG@10: ${d >= 0 ? '+' : ''}${f3(d)}`)
  const wins = report.needs.filter((n) => n.scores.ranking.ndcg10 > n.scores.baseline.ndcg10 + 1e-9).length
  const losses = report.needs.filter((n) => n.scores.ranking.ndcg10 < n.scores.baseline.ndcg10 - 1e-9).length
  out.push(`per need: ranking better on ${wins}, worse on ${losses}, equal on ${report.needs.length - wins - losses}`)
  out.push('')
  out.push(`worst ${worst} needs of the ranking (NDCG@10):`)
  const sorted = [...report.needs].sort((a, b) => a.scores.ranking.ndcg10 - b.scores.ranking.ndcg10)
  for (const n of sorted.slice(0, worst)) {
    out.push(
      `- ${n.needExternalId} ${n.title}: ranking ${f3(n.scores.ranking.ndcg10)}, baseline ${f3(n.scores.baseline.ndcg10)} (${n.candidates} candidates)`,
    )
    const top = n.lists.ranking.slice(0, 5).map((id) => {
      const fx = n.factors.get(id)
      const v = fx?.values
      const parts = v
        ? `${fx.score.toFixed(1)}: text ${f3(v.text ?? 0)} scen ${f3(v.scenario ?? 0)} ind ${f3(v.industry ?? 0)} reg ${f3(v.region ?? 0)}`
        : ''
      return `${label(id)}[g${n.grades.get(id) ?? 0}] ${parts}`
    })
    out.push(`    top 5: ${top.join(' | ')}`)
    const missing = [...n.grades]
      .filter(([id, g]) => g >= 2 && !n.lists.ranking.slice(0, 10).includes(id))
      .map(([id, g]) => {
        const at = n.lists.ranking.indexOf(id)
        const ex = n.excludedJudged.find((e) => e.orgId === id)
        const where = n.notCandidates.includes(id)
          ? 'not a candidate (text did not match)'
          : ex
            ? `excluded: ${ex.reason}`
            : `at ${at + 1}, text ${f3(n.textRelevance.get(id) ?? 0)}`
        return `${label(id)}[g${g}] ${where}`
      })
    if (missing.length > 0) out.push(`    relevant outside the top 10: ${missing.join('; ')}`)
  }
  const excluded = report.needs.flatMap((n) => n.excludedJudged.map((e) => `${n.needExternalId}: ${label(e.orgId)} ${e.reason}`))
  if (excluded.length > 0) {
    out.push('')
    out.push(`judged providers dropped by the hard filters (${excluded.length}):`)
    for (const line of excluded) out.push(`- ${line}`)
  }
  return out
}
