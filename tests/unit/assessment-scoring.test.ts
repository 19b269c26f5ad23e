import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadQuestionnairesFrom } from '../../app/domain/assessment/assessments.server.js'
import {
  answerProblems,
  parseQuestionnaire,
  scoreAssessment,
  type Questionnaire,
} from '../../app/domain/assessment/questionnaire.js'

/*
 * The self-assessment questionnaires (seed/reference/assessments) and their scoring:
 * weighted dimensions and the level thresholds of the SME digital level, the
 * "highest level whose requirements are met" of the GB/T 39116 maturity self-check.
 */

const all = loadQuestionnairesFrom(path.resolve('seed/reference/assessments'))
const sme = all.find((q) => q.kind === 'sme_digital')!
const maturity = all.find((q) => q.kind === 'maturity')!

/** Every question answered with the option scoring `score` (the data's options: 0/40/70/100 and 0/50/80/100). */
function answering(q: Questionnaire, pick: (questionId: string, dimension: string) => number) {
  return Object.fromEntries(
    q.questions.map((x) => {
      const want = pick(x.id, x.dimension)
      const option = x.options.find((o) => o.score === want)
      if (!option) throw new Error(`${x.id} has no option scoring ${want}`)
      return [x.id, option.id]
    }),
  )
}

describe('the questionnaires as data', () => {
  it('loads both kinds, with the four SME dimensions weighted to 100', () => {
    expect(all.map((q) => q.kind).sort()).toEqual(['maturity', 'sme_digital'])
    expect(sme.dimensions.map((d) => d.id)).toEqual(['basics', 'operations', 'management', 'results'])
    expect(sme.dimensions.reduce((s, d) => s + d.weight, 0)).toBe(100)
    expect(maturity.levels).toHaveLength(5)
  })

  it('refuses a malformed questionnaire with its name and the problem', () => {
    const broken = { ...sme, dimensions: sme.dimensions.map((d) => ({ ...d, weight: 10 })) }
    expect(() => parseQuestionnaire(broken, 'bad.json')).toThrow(/bad\.json: .*weights sum to 40/)
    const unknownDim = { ...sme, questions: [{ ...sme.questions[0]!, dimension: 'nowhere' }, ...sme.questions.slice(1)] }
    expect(() => parseQuestionnaire(unknownDim, 'dim.json')).toThrow(/dim\.json: .*unknown dimension/)
  })
})

describe('SME digital level', () => {
  it.each([
    // [label, score per dimension, total, level]
    ['all lowest', { basics: 0, operations: 0, management: 0, results: 0 }, 0, 1],
    ['all 40 → exactly 二级', { basics: 40, operations: 40, management: 40, results: 40 }, 40, 2],
    ['operations 40, the rest 0 → 14 → 一级', { basics: 0, operations: 40, management: 0, results: 0 }, 14, 1],
    ['all 70 → 三级', { basics: 70, operations: 70, management: 70, results: 70 }, 70, 3],
    [
      'basics 100, ops 70, mgmt 70, results 100 → 25 + 24.5 + 14 + 20 = 83.5 → 四级',
      { basics: 100, operations: 70, management: 70, results: 100 },
      83.5,
      4,
    ],
    ['all 100', { basics: 100, operations: 100, management: 100, results: 100 }, 100, 4],
  ] as const)('%s', (_label, perDim, total, level) => {
    const r = scoreAssessment(
      sme,
      answering(sme, (_id, d) => perDim[d as keyof typeof perDim]),
    )
    expect(r.score).toBe(total)
    expect(r.level).toBe(level)
    expect(r.reached).toBe(level)
    expect(r.dimensions).toEqual(perDim)
  })

  it('a dimension is the mean of its questions, and what to improve first is the largest gain in the total', () => {
    // equipment 100, systems 40, security 70 → basics 70; everything else 100.
    const picks: Record<string, number> = { equipment: 100, systems: 40, security: 70 }
    const r = scoreAssessment(
      sme,
      answering(sme, (id) => picks[id] ?? 100),
    )
    expect(r.dimensions.basics).toBe(70)
    expect(r.score).toBe(92.5) // 25 × 0.7 + 75
    expect(r.improvements.map((i) => i.questionId)).toEqual(['systems', 'security'])
  })

  it('names the questions not answered or answered with an unknown option', () => {
    const answers = answering(sme, () => 40)
    delete answers.equipment
    answers.systems = 'z'
    expect(answerProblems(sme, answers)).toEqual({ equipment: 'missing', systems: 'unknown' })
    expect(() => scoreAssessment(sme, answers)).toThrow()
  })
})

describe('GB/T 39116 maturity self-check', () => {
  const byLevel = (scores: number[]) => answering(maturity, (_id, d) => scores[Number(d.replace('level', '')) - 1]!)
  it.each([
    ['nothing met: below level 1 (kept as 1, reached 0)', [50, 100, 100, 100, 100], 1, 0],
    ['level 1 at exactly 80: 一级', [80, 50, 0, 0, 0], 1, 1],
    ['levels 1–3 met, 4 at 50: 三级', [100, 80, 80, 50, 0], 3, 3],
    ['a gap at level 2 stops the count even with 3–5 full', [100, 50, 100, 100, 100], 1, 1],
    ['all met: 五级', [100, 100, 100, 100, 80], 5, 5],
  ] as const)('%s', (_label, scores, level, reached) => {
    const r = scoreAssessment(maturity, byLevel([...scores]))
    expect(r.level).toBe(level)
    expect(r.reached).toBe(reached)
  })

  it('improvements: the next level gaps first, never a level already reached', () => {
    const r = scoreAssessment(maturity, byLevel([100, 80, 50, 0, 0]))
    expect(r.reached).toBe(2)
    expect(r.improvements.map((i) => i.dimension)).toEqual(['level3', 'level3', 'level4', 'level4', 'level5'])
  })
})
