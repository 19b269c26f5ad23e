import { z } from 'zod'
import { SELF_ASSESSMENT_KINDS, type SelfAssessmentKind } from '../../../db/enums.js'

/*
 * Self-assessment questionnaires (自评估, issue 16 §2) as data: seed/reference/assessments/*.json,
 * checked against this schema. Pure: no I/O, no clock.
 *
 * - sme_digital (中小企业数字化水平): four weighted dimensions (数字化基础 / 经营 / 管理 / 成效);
 *   a dimension's score is the mean of its questions' option scores (0–100); the total is
 *   the weighted sum; the level is the highest whose minScore the total reaches (一级–四级).
 * - maturity (GB/T 39116): one dimension per level (规划级 … 引领级); a level is reached when
 *   its requirements average at least passScore and every lower level is reached. The row
 *   keeps at least level 1 (the table's check); `reached` 0 says level 1 is not yet met, and
 *   then the archive is not written.
 */

const ZText = z.object({ zh: z.string().min(1).max(400), en: z.string().min(1).max(400) })
export type LocalText = z.infer<typeof ZText>

const ZOption = z.object({ id: z.string().regex(/^[a-z]$/), score: z.number().min(0).max(100), label: ZText })
const ZQuestion = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  dimension: z.string().min(1).max(40),
  title: ZText,
  options: z.array(ZOption).min(2).max(8),
  advice: ZText,
})

export const ZQuestionnaire = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,50}$/),
    version: z.number().int().min(1).max(999),
    kind: z.enum(SELF_ASSESSMENT_KINDS),
    title: ZText,
    source: z.string().or(ZText),
    dimensions: z
      .array(z.object({ id: z.string().regex(/^[a-z0-9_]{1,40}$/), weight: z.number().min(0).max(100), title: ZText }))
      .min(1)
      .max(10),
    levels: z
      .array(z.object({ level: z.number().int().min(1).max(5), minScore: z.number().min(0).max(100), name: ZText }))
      .min(1)
      .max(5),
    passScore: z.number().min(0).max(100).optional(),
    questions: z.array(ZQuestion).min(1).max(60),
  })
  .superRefine((q, ctx) => {
    const dims = new Set(q.dimensions.map((d) => d.id))
    const weights = q.dimensions.reduce((s, d) => s + d.weight, 0)
    if (Math.abs(weights - 100) > 1e-9) ctx.addIssue({ code: 'custom', message: `weights sum to ${weights}, not 100` })
    const ids = new Set<string>()
    for (const question of q.questions) {
      if (ids.has(question.id)) ctx.addIssue({ code: 'custom', message: `question ${question.id} twice` })
      ids.add(question.id)
      if (!dims.has(question.dimension)) ctx.addIssue({ code: 'custom', message: `${question.id}: unknown dimension` })
      if (new Set(question.options.map((o) => o.id)).size !== question.options.length) {
        ctx.addIssue({ code: 'custom', message: `${question.id}: option ids repeat` })
      }
    }
    for (const d of dims) {
      if (!q.questions.some((x) => x.dimension === d)) ctx.addIssue({ code: 'custom', message: `dimension ${d} has no question` })
    }
    const levels = q.levels.map((l) => l.level)
    if (levels.some((l, i) => l !== i + 1)) ctx.addIssue({ code: 'custom', message: 'levels must be 1, 2, … in order' })
    if (q.levels.some((l, i) => i > 0 && l.minScore <= q.levels[i - 1]!.minScore && q.kind === 'sme_digital')) {
      ctx.addIssue({ code: 'custom', message: 'minScore must rise with the level' })
    }
    if (q.kind === 'maturity' && (q.passScore === undefined || q.dimensions.length !== q.levels.length)) {
      ctx.addIssue({ code: 'custom', message: 'maturity: passScore and one dimension per level' })
    }
  })
export type Questionnaire = z.infer<typeof ZQuestionnaire>

/** Reads a questionnaire; a malformed one is refused with its origin and problems. */
export function parseQuestionnaire(raw: unknown, origin: string): Questionnaire {
  const result = ZQuestionnaire.safeParse(raw)
  if (!result.success) {
    throw new Error(`${origin}: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`)
  }
  return result.data
}

/** 'sme-digital-2024@1': what a row's `questionnaire` column names. */
export function questionnaireKey(q: Pick<Questionnaire, 'id' | 'version'>): string {
  return `${q.id}@${q.version}`
}

export type Answers = Record<string, string>

export interface Improvement {
  questionId: string
  dimension: string
  score: number
}

export interface AssessmentResult {
  kind: SelfAssessmentKind
  /** 0–100, one decimal. */
  score: number
  /** What the row keeps (1…). */
  level: number
  /** maturity: the highest level reached (0: not level 1 yet); sme_digital: = level. */
  reached: number
  /** Dimension id → 0–100, one decimal. */
  dimensions: Record<string, number>
  /** What to improve first (at most five). */
  improvements: Improvement[]
}

const round1 = (n: number) => Math.round(n * 10) / 10

/** The answers' problems: question id → 'missing' | 'unknown'. Empty: complete. */
export function answerProblems(q: Questionnaire, answers: Answers): Record<string, 'missing' | 'unknown'> {
  const problems: Record<string, 'missing' | 'unknown'> = {}
  for (const question of q.questions) {
    const a = answers[question.id]
    if (!a) problems[question.id] = 'missing'
    else if (!question.options.some((o) => o.id === a)) problems[question.id] = 'unknown'
  }
  return problems
}

/** Scores complete answers (check `answerProblems` first: a missing answer throws). */
export function scoreAssessment(q: Questionnaire, answers: Answers): AssessmentResult {
  const scoreOf = new Map<string, number>()
  for (const question of q.questions) {
    const option = question.options.find((o) => o.id === answers[question.id])
    if (!option) throw new Error(`${question.id}: no valid answer`)
    scoreOf.set(question.id, option.score)
  }
  const dimensions: Record<string, number> = {}
  let weighted = 0
  for (const d of q.dimensions) {
    const scores = q.questions.filter((x) => x.dimension === d.id).map((x) => scoreOf.get(x.id)!)
    const mean = scores.reduce((s, v) => s + v, 0) / scores.length
    dimensions[d.id] = round1(mean)
    weighted += (mean * d.weight) / 100
  }
  const score = round1(weighted)
  let reached: number
  if (q.kind === 'maturity') {
    reached = 0
    for (const [i, d] of q.dimensions.entries()) {
      if ((dimensions[d.id] ?? 0) >= (q.passScore ?? 100)) reached = i + 1
      else break
    }
  } else {
    reached = q.levels.filter((l) => score >= l.minScore).reduce((m, l) => Math.max(m, l.level), 1)
  }
  const weightOf = new Map(q.dimensions.map((d, i) => [d.id, { weight: d.weight, order: i }]))
  const perDimension = new Map<string, number>()
  for (const x of q.questions) perDimension.set(x.dimension, (perDimension.get(x.dimension) ?? 0) + 1)
  const candidates = q.questions
    .map((x) => ({ questionId: x.id, dimension: x.dimension, score: scoreOf.get(x.id)! }))
    .filter((c) => c.score < 100)
  const improvements =
    q.kind === 'maturity'
      ? // The next level's gaps first, then the levels above it.
        candidates
          .filter((c) => weightOf.get(c.dimension)!.order >= reached || c.score < (q.passScore ?? 100))
          .sort((a, b) => weightOf.get(a.dimension)!.order - weightOf.get(b.dimension)!.order || a.score - b.score)
      : // The largest gain in the total first.
        candidates.sort((a, b) => {
          const gain = (c: typeof a) => (weightOf.get(c.dimension)!.weight / perDimension.get(c.dimension)!) * (100 - c.score)
          return gain(b) - gain(a) || a.score - b.score
        })
  return { kind: q.kind, score, level: Math.max(1, reached), reached, dimensions, improvements: improvements.slice(0, 5) }
}

/** maturity: the highest level reached from a stored row's dimensions (0: not level 1). */
export function reachedFromDimensions(q: Questionnaire, dimensions: Record<string, number>, level: number): number {
  if (q.kind !== 'maturity') return level
  let reached = 0
  for (const [i, d] of q.dimensions.entries()) {
    if ((dimensions[d.id] ?? 0) >= (q.passScore ?? 100)) reached = i + 1
    else break
  }
  return reached
}

export function localText(text: LocalText | string, locale: string): string {
  if (typeof text === 'string') return text
  return locale === 'en' ? text.en : text.zh
}
