import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { DB } from '../../../db/types.js'
import { FACTS, GRADIENT_FACT_KEYS, SCENARIO_LINKS, type FactKey, type Facts } from './facts.js'

/*
 * What the platform knows of an enterprise, as the facts a rule set tests (facts.ts):
 * the 一企一档 indicators, the latest 中小企业数字化水平 self-assessment and the 梯度自评
 * answers. Three indexed reads. A fact nobody entered is absent (unknown), never false.
 */

const GRADIENT_VALUE: Record<'boolean' | 'amount_wan' | 'count' | 'links' | 'percent' | 'level', z.ZodType> = {
  boolean: z.boolean(),
  amount_wan: z.number().min(0).max(10_000_000),
  count: z.number().int().min(0).max(1000),
  percent: z.number().min(0).max(100),
  level: z.number().int().min(1).max(5),
  links: z.array(z.enum(SCENARIO_LINKS)).max(SCENARIO_LINKS.length),
}

/** The stored 梯度自评 answers: fact key → value (or null: not answered). Unknown keys are refused. */
export const gradientAnswersSchema = z
  .object(
    Object.fromEntries(GRADIENT_FACT_KEYS.map((k) => [k, GRADIENT_VALUE[FACTS[k].kind].nullable().optional()])) as Record<
      FactKey,
      z.ZodOptional<z.ZodNullable<z.ZodType>>
    >,
  )
  .strict()
export type GradientAnswers = Partial<Record<FactKey, unknown>>

/** Parses stored answers; a row that no longer fits (a fact removed) keeps what still does. */
export function parseGradientAnswers(json: string): Facts {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return {}
  }
  if (!raw || typeof raw !== 'object') return {}
  const facts: Facts = {}
  for (const key of GRADIENT_FACT_KEYS) {
    const v = (raw as Record<string, unknown>)[key]
    const parsed = GRADIENT_VALUE[FACTS[key].kind].safeParse(v)
    if (v !== null && v !== undefined && parsed.success) (facts as Record<string, unknown>)[key] = parsed.data
  }
  return facts
}

export interface EnterpriseFacts {
  facts: Facts
  /** When each source was last written (null: never). */
  archiveUpdatedAt: string | null
  assessmentAt: string | null
  gradientUpdatedAt: string | null
  gradientRevision: number | null
}

export async function enterpriseFacts(db: Kysely<DB>, orgId: number): Promise<EnterpriseFacts> {
  const [profile, assessment, gradient] = await Promise.all([
    db.selectFrom('enterprise_profiles').selectAll().where('org_id', '=', orgId).executeTakeFirst(),
    db
      .selectFrom('self_assessments')
      .select(['level', 'created_at'])
      .where('org_id', '=', orgId)
      .where('kind', '=', 'sme_digital')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db.selectFrom('gradient_answers').selectAll().where('org_id', '=', orgId).executeTakeFirst(),
  ])
  const facts: Facts = gradient ? parseGradientAnswers(gradient.answers) : {}
  if (profile) {
    const pct = ['rd_tools_pct', 'equipment_nc_pct', 'key_process_nc_pct', 'mgmt_digital_pct', 'mes_coverage_pct'] as const
    for (const k of pct) if (profile[k] !== null) facts[k] = Number(profile[k])
    if (profile.maturity_level !== null) facts.maturity_level = profile.maturity_level
    if (profile.size_band !== null) facts.is_sme = profile.size_band !== 'large'
  }
  // 中小企业数字化水平 counts for 中小微企业 only (第十二条（三）1): a large enterprise's result is not a fact.
  if (assessment && facts.is_sme !== false) facts.sme_digital_level = assessment.level
  return {
    facts,
    archiveUpdatedAt: profile ? String(profile.updated_at) : null,
    assessmentAt: assessment ? String(assessment.created_at) : null,
    gradientUpdatedAt: gradient ? String(gradient.updated_at) : null,
    gradientRevision: gradient ? gradient.revision : null,
  }
}
