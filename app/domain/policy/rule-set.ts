import { z } from 'zod'
import { GRADIENT_TITLES, type GradientTitle } from '../../../db/enums.js'
import { FACTS, FACT_KEYS, SCENARIO_LINKS, type FactKey } from './facts.js'

/*
 * A policy rule set as data (issue 16 §1): criteria, thresholds, amounts, caps, validity,
 * the regions it applies to, its source document and articles. Files live in
 * seed/reference/policies/*.json and are checked against this schema when loaded
 * (catalogue.server.ts); the evaluators (gradient.ts, rewards.ts, measures.ts) are pure
 * functions of a parsed set. Money is in 万元; every rule names the article it comes from.
 */

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
/** Every text a user reads, in both dialects. */
/** Han characters and full-width punctuation: an English reader gets none of them (the footer's language promise). */
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/
export const localText = z
  .object({
    zh: z.string().min(1).max(300),
    en: z
      .string()
      .min(1)
      .max(300)
      .refine((v) => !CJK.test(v), 'English text with Chinese characters or punctuation'),
  })
  .strict()
export type LocalText = z.infer<typeof localText>

const factKey = z.enum(FACT_KEYS as [FactKey, ...FactKey[]])

const threshold = z
  .object({
    id: z.string().regex(/^[a-z0-9_]{1,40}$/),
    fact: factKey,
    op: z.enum(['gte', 'lte', 'eq', 'includes_all']),
    value: z.union([z.number(), z.boolean(), z.array(z.enum(SCENARIO_LINKS)).min(1)]),
    label: localText,
    article: localText,
  })
  .strict()
  .superRefine((c, ctx) => {
    const kind = FACTS[c.fact].kind
    const ok =
      kind === 'boolean'
        ? c.op === 'eq' && typeof c.value === 'boolean'
        : kind === 'links'
          ? c.op === 'includes_all' && Array.isArray(c.value)
          : (c.op === 'gte' || c.op === 'lte' || c.op === 'eq') && typeof c.value === 'number'
    if (!ok)
      ctx.addIssue({
        code: 'custom',
        message: `criterion ${c.id}: ${c.op} ${JSON.stringify(c.value)} does not fit fact ${c.fact} (${kind})`,
      })
  })
export type Threshold = z.infer<typeof threshold>

/** A criterion is a threshold, or met when any of its alternatives is (成熟度二级 或 中小企业数字化水平二级). */
const criterion = z.union([
  threshold,
  z
    .object({
      id: z.string().regex(/^[a-z0-9_]{1,40}$/),
      any_of: z.array(threshold).min(2).max(5),
      label: localText,
      article: localText,
    })
    .strict(),
])
export type Criterion = z.infer<typeof criterion>

const title = z.enum(GRADIENT_TITLES as unknown as [GradientTitle, ...GradientTitle[]])

const level = z
  .object({
    level: title,
    /** Who evaluates: the rule set's issuer evaluates `criteria`; a level the ministry evaluates has none. */
    evaluated_by: z.enum(['issuer', 'ministry']),
    criteria: z.array(criterion).max(30),
    article: localText,
    note: localText.optional(),
  })
  .strict()
export type LevelRules = z.infer<typeof level>

const application = z
  .object({
    /** The ladder applied for level by level, lowest first. */
    ladder: z.array(title).min(1),
    /** A first application may pick any of these. */
    first_any_of: z.array(title).min(1),
    /** Levels one may hold more than once (优秀场景: one per scenario). */
    repeatable: z.array(title),
    /** At most this many applications for a level per calendar year. */
    per_year: z.array(z.object({ level: title, max: z.number().int().min(1) }).strict()),
    /** After a revocation: no application for this many years, then from the level below. */
    ban_years_after_revocation: z.number().int().min(0).max(10),
    article: localText,
    revocation_article: localText,
  })
  .strict()

const validity = z
  .object({
    years: z.number().int().min(1).max(10),
    review_months_before: z.number().int().min(0).max(24),
    article: localText,
  })
  .strict()

const rewards = z
  .object({
    /** The highest standard per level (最高 … 万元). */
    amounts: z.array(z.object({ level: title, max_wan: z.number().min(0) }).strict()),
    /** Cumulative across these levels: earlier awards are deducted, the sum never exceeds cap_wan. */
    cumulative: z
      .object({ levels: z.array(title).min(1), cap_wan: z.number().min(0), article: localText })
      .strict()
      .nullable(),
    /** A level's own cumulative cap (优秀场景 ≤ 100万 in all). */
    level_caps: z.array(z.object({ level: title, cap_wan: z.number().min(0), article: localText }).strict()),
    /** Paid on top, outside the cumulative cap (卓越级 +100万, 领航级 +200万). */
    extras: z.array(z.object({ level: title, max_wan: z.number().min(0), article: localText }).strict()),
    /** No reward for a title won after a revocation (取消后再获评不再给予资金奖励). */
    none_after_revocation: z.boolean(),
    article: localText,
    revocation_article: localText,
  })
  .strict()

const measure = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('percent'),
      id: z.string().regex(/^[a-z0-9_]{1,40}$/),
      name: localText,
      /** What the percentage is of. `project_investment`: a need's 智能制造设备、软件和技术服务 investment. */
      basis: z.enum(['project_investment', 'platform_investment', 'product_sales', 'park_investment']),
      basis_label: localText,
      min_basis_wan: z.number().min(0),
      rate_pct: z.number().gt(0).max(100),
      cap_wan: z.number().min(0),
      article: localText,
    })
    .strict(),
  z
    .object({
      kind: z.literal('fixed'),
      id: z.string().regex(/^[a-z0-9_]{1,40}$/),
      name: localText,
      /** Amounts per case (诊断: 产业链 50, 工厂 20, 车间 5, 监理 0.5). */
      amounts: z
        .array(z.object({ case: z.string().regex(/^[a-z0-9_]{1,40}$/), label: localText, max_wan: z.number().min(0) }).strict())
        .min(1),
      article: localText,
    })
    .strict(),
])
export type Measure = z.infer<typeof measure>

export const ruleSetSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{3,60}$/),
    version: z.number().int().min(1),
    name: localText,
    /** 文号 and issuer, e.g. 甘工信发〔2025〕152号, 甘肃省工业和信息化厅. */
    document: localText,
    issuer: localText,
    issued_on: date,
    valid_from: date,
    /** null: until replaced. */
    valid_until: date.nullable(),
    /** GB/T 2260 codes (or local codes): the set applies to enterprises in these regions and below. */
    regions: z.array(z.string().regex(/^\d{6}$/)).min(1),
    levels: z.array(level).optional(),
    application: application.optional(),
    validity: validity.optional(),
    rewards: rewards.optional(),
    measures: z.array(measure).optional(),
    /** Where this set was written from: a seed file, a URL. */
    source: z.string().max(300),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.valid_until !== null && s.valid_until < s.valid_from)
      ctx.addIssue({ code: 'custom', message: `${s.id}: valid_until before valid_from` })
    const hasGradient = !!(s.levels || s.application || s.validity || s.rewards)
    if (hasGradient && !(s.levels && s.application && s.validity && s.rewards))
      ctx.addIssue({ code: 'custom', message: `${s.id}: a gradient needs levels, application, validity and rewards together` })
    if (!hasGradient && !s.measures) ctx.addIssue({ code: 'custom', message: `${s.id}: neither a gradient nor measures` })
    const ids = new Set<string>()
    for (const l of s.levels ?? [])
      for (const c of l.criteria) {
        if (ids.has(`${l.level}.${c.id}`))
          ctx.addIssue({ code: 'custom', message: `${s.id}: duplicate criterion ${l.level}.${c.id}` })
        ids.add(`${l.level}.${c.id}`)
      }
    const measureIds = new Set<string>()
    for (const m of s.measures ?? []) {
      if (measureIds.has(m.id)) ctx.addIssue({ code: 'custom', message: `${s.id}: duplicate measure ${m.id}` })
      measureIds.add(m.id)
    }
  })
export type RuleSet = z.infer<typeof ruleSetSchema>

/** Parses one rule set; throws with every problem listed (a bad file must never half-load). */
export function parseRuleSet(data: unknown, origin = 'rule set'): RuleSet {
  const parsed = ruleSetSchema.safeParse(data)
  if (!parsed.success) throw new Error(`${origin}: ${describeIssues(parsed.error.issues, []).join('; ')}`)
  return parsed.data
}

/**
 * Each problem as "path: message". A criterion is a union (threshold or any_of): zod says only
 * "Invalid input" for it, so the problems of the closest alternative (the fewest) are given.
 */
function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): string[] {
  return issues.flatMap((i) => {
    const at = [...prefix, ...i.path]
    if (i.code === 'invalid_union' && i.errors.length > 0) {
      const closest = [...i.errors].sort((a, b) => a.length - b.length)[0]!
      if (closest.length > 0) return describeIssues(closest, at)
    }
    return [`${at.map(String).join('.')}: ${i.message}`]
  })
}

/**
 * The sets for an enterprise in a region on a day: those whose regions include the region
 * or one above it (`regionPath`: the region and every region over it) and that had come
 * into force by then; of several versions of one id, the highest in force. A set past its
 * valid_until is still returned (an expired policy is shown, marked, for reference):
 * `isCurrent` tells. Pure.
 */
export function ruleSetsForRegion(sets: readonly RuleSet[], regionPath: readonly string[], today: string): RuleSet[] {
  const best = new Map<string, RuleSet>()
  for (const s of sets) {
    if (!s.regions.some((r) => regionPath.includes(r))) continue
    if (today < s.valid_from) continue
    const held = best.get(s.id)
    if (!held || held.version < s.version) best.set(s.id, s)
  }
  return [...best.values()].sort((a, b) => a.id.localeCompare(b.id))
}

/** In force on `today` (valid_until is the last day). */
export function isCurrent(set: RuleSet, today: string): boolean {
  return today >= set.valid_from && (set.valid_until === null || today <= set.valid_until)
}
