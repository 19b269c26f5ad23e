import type { Database } from '../../../db/connection.js'
import type { GradientTitle } from '../../../db/enums.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import type { AuditDetailValue } from '../audit/audit-log.server.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { loadArchive, writeArchiveFields } from '../enterprises/archive.server.js'
import { auditFor, ownEnterprise } from '../enterprises/own-enterprise.server.js'
import { currentYearInChina } from '../enterprises/schema.js'
import { enterpriseFacts, gradientAnswersSchema, parseGradientAnswers } from '../policy/facts.server.js'
import type { FactKey, Facts, FactValue } from '../policy/facts.js'
import {
  applicationOptions,
  evaluateLevels,
  titleValidity,
  type ApplicationOption,
  type LevelResult,
  type TitleValidity,
} from '../policy/gradient.js'
import { rulesForRegion } from '../policy/region-rules.server.js'
import { estimateRewards, type RewardEstimate } from '../policy/rewards.js'
import type { RuleSet } from '../policy/rule-set.js'
import { titlesForPolicy } from '../policy/titles.server.js'
import { getReferenceData, regionLabel } from '../reference/reference.server.js'
import type { TGradientAnswersInput } from './schema.js'
import type { RuleSetSummary } from './views.js'

export type { RuleSetSummary } from './views.js'

/*
 * 梯度自评 (issue 16 §3–4) for the acting enterprise: its facts (一企一档, the latest
 * 自评估, the questionnaire) evaluated against its region's gradient rule set — each
 * level's criteria met / missed (by how much) / unknown, the levels it may apply for now
 * and why, its titles' validity and review dates, and the reward each level could bring
 * under the cumulative caps. The evaluation is the policy engine's (app/domain/policy);
 * this file gathers the inputs, checks who asks, and saves the questionnaire.
 */

export interface HeldTitleView extends TitleValidity {
  id: number | null
  rewardWan: number | null
}

export interface SelfCheck {
  enterprise: { name: string; region: string }
  today: string
  /** null: no gradient rule set covers the enterprise's region. */
  ruleSet: RuleSetSummary | null
  levels: LevelResult[]
  options: ApplicationOption[]
  titles: HeldTitleView[]
  rewards: RewardEstimate[]
  /** Rewards recorded for the titles of this rule set's levels (万元). */
  receivedWan: number
  /** Whether the questionnaire was ever saved, and when each source was last written. */
  sources: { archiveUpdatedAt: string | null; assessmentAt: string | null; gradientUpdatedAt: string | null }
}

function summary(set: RuleSet, expired: readonly string[]): RuleSetSummary {
  return {
    id: set.id,
    name: set.name,
    document: set.document,
    issuer: set.issuer,
    validUntil: set.valid_until,
    expired: expired.includes(set.id),
  }
}

/** /enterprise/gradient: the acting enterprise's self-check on `today` (China). */
export async function getSelfCheck(db: Database, actor: Actor, today: string): Promise<SelfCheck> {
  const ref = await getReferenceData(db)
  const org = await ownEnterprise(db, actor, ref)
  const rules = rulesForRegion(ref, org.region_code, today)
  const enterprise = { name: org.name, region: regionLabel(ref, org.region_code) }
  const [known, titles] = await Promise.all([enterpriseFacts(db, org.id), titlesForPolicy(db, org.id)])
  const sources = {
    archiveUpdatedAt: known.archiveUpdatedAt,
    assessmentAt: known.assessmentAt,
    gradientUpdatedAt: known.gradientUpdatedAt,
  }
  const set = rules.gradient
  if (!set) {
    return { enterprise, today, ruleSet: null, levels: [], options: [], titles: [], rewards: [], receivedWan: 0, sources }
  }
  const levelsOfSet = new Set<GradientTitle>((set.levels ?? []).map((l) => l.level))
  const ours = titles.filter((t) => levelsOfSet.has(t.title))
  // 优秀场景 applications this year: the enterprise's answer, or the titles won this year if more.
  const year = today.slice(0, 4)
  const wonThisYear = ours.filter((t) => t.title === 'excellent_scenario' && t.awardedOn.startsWith(year)).length
  const answered =
    typeof known.facts.scenario_applications_this_year === 'number' ? known.facts.scenario_applications_this_year : 0
  const applications: Partial<Record<GradientTitle, number>> = { excellent_scenario: Math.max(answered, wonThisYear) }
  return {
    enterprise,
    today,
    ruleSet: summary(set, rules.expired),
    levels: evaluateLevels(set, known.facts),
    options: applicationOptions(set, ours, applications, today),
    titles: ours.map((t) => ({ ...titleValidity(set, t, today), id: t.id ?? null, rewardWan: t.rewardWan ?? null })),
    rewards: estimateRewards(set, ours),
    receivedWan: Math.round(ours.reduce((s, t) => s + (t.rewardWan ?? 0) * 100, 0)) / 100,
    sources,
  }
}

// ---- the questionnaire ----

/** The form's fields and the facts they answer (MES coverage lives in the archive). */
export const ANSWER_FIELDS = {
  pdmInUse: 'pdm_in_use',
  erpInUse: 'erp_in_use',
  lineInvestmentWan: 'line_investment_wan',
  safetyRecordClean: 'safety_record_clean',
  links: 'links_covered',
  qualityTraceability: 'quality_traceability',
  scenarioInGuide: 'scenario_in_guide',
  scenarioMonthsRunning: 'scenario_months_running',
  scenarioEffectMeasured: 'scenario_effect_measured',
  scenarioApplicationsThisYear: 'scenario_applications_this_year',
} as const satisfies Record<string, FactKey>
export type AnswerField = keyof typeof ANSWER_FIELDS
export const ANSWER_FIELD_NAMES = Object.keys(ANSWER_FIELDS) as AnswerField[]

export interface AnswersForEdit {
  enterprise: { name: string }
  /** The answers saved, by form field (null: not answered). */
  answers: Record<AnswerField, FactValue | null>
  linksAnswered: boolean
  revision: number
  mesCoveragePct: number | null
  archiveRevision: number
  updatedAt: string | null
  /** Whether the region has gradient rules at all (the page says so when not). */
  hasRules: boolean
}

function byField(facts: Facts): Record<AnswerField, FactValue | null> {
  return Object.fromEntries(ANSWER_FIELD_NAMES.map((f) => [f, facts[ANSWER_FIELDS[f]] ?? null])) as Record<
    AnswerField,
    FactValue | null
  >
}

/** /enterprise/gradient/answers: the questionnaire as saved. */
export async function getAnswersForEdit(db: Database, actor: Actor, today: string): Promise<AnswersForEdit> {
  const ref = await getReferenceData(db)
  const org = await ownEnterprise(db, actor, ref)
  const [row, archive] = await Promise.all([
    db.selectFrom('gradient_answers').selectAll().where('org_id', '=', org.id).executeTakeFirst(),
    loadArchive(db, org.id),
  ])
  const facts = row ? parseGradientAnswers(row.answers) : {}
  return {
    enterprise: { name: org.name },
    answers: byField(facts),
    linksAnswered: facts.links_covered !== undefined,
    revision: row?.revision ?? 0,
    mesCoveragePct: archive.mesCoveragePct,
    archiveRevision: archive.revision,
    updatedAt: row ? String(row.updated_at) : null,
    hasRules: rulesForRegion(ref, org.region_code, today).gradient !== null,
  }
}

function stale(): AppError {
  return new AppError('CONFLICT', 'gradient.e.stale')
}

const same = (a: FactValue | null, b: FactValue | null) => JSON.stringify(a) === JSON.stringify(b)

/**
 * Saves the questionnaire, made on `input.revision` of the answers (else 409), and MES
 * coverage into the archive (一企一档) with the archive's own revision check and audit.
 * Returns the fields changed (none: nothing written).
 */
export async function saveGradientAnswers(
  db: Database,
  actor: Actor,
  input: TGradientAnswersInput,
): Promise<{ changed: string[] }> {
  const ref = await getReferenceData(db)
  try {
    return await withTransaction(db, async (trx) => {
      const org = await ownEnterprise(trx, actor, ref)
      const now = new Date().toISOString()
      const changed: string[] = []

      // The answers.
      const row = await trx.selectFrom('gradient_answers').selectAll().where('org_id', '=', org.id).executeTakeFirst()
      const revision = row?.revision ?? 0
      if (input.revision !== revision) throw stale()
      const before = byField(row ? parseGradientAnswers(row.answers) : {})
      const after: Record<AnswerField, FactValue | null> = {
        pdmInUse: input.pdmInUse,
        erpInUse: input.erpInUse,
        lineInvestmentWan: input.lineInvestmentWan,
        safetyRecordClean: input.safetyRecordClean,
        links: input.linksAnswered ? input.links : before.links,
        qualityTraceability: input.qualityTraceability,
        scenarioInGuide: input.scenarioInGuide,
        scenarioMonthsRunning: input.scenarioMonthsRunning,
        scenarioEffectMeasured: input.scenarioEffectMeasured,
        scenarioApplicationsThisYear: input.scenarioApplicationsThisYear,
      }
      const changes: Record<string, [AuditDetailValue, AuditDetailValue]> = {}
      for (const f of ANSWER_FIELD_NAMES) {
        if (!same(before[f], after[f])) changes[f] = [before[f], after[f]]
      }
      if (Object.keys(changes).length > 0) {
        const stored = Object.fromEntries(
          ANSWER_FIELD_NAMES.filter((f) => after[f] !== null).map((f) => [ANSWER_FIELDS[f], after[f]]),
        )
        const answers = JSON.stringify(gradientAnswersSchema.parse(stored))
        if (!row) {
          // Two first saves at once: the primary key refuses the second (caught below as stale).
          await trx
            .insertInto('gradient_answers')
            .values({ org_id: org.id, answers, revision: 1, updated_by: actor.userId, updated_at: now })
            .execute()
        } else {
          const result = await trx
            .updateTable('gradient_answers')
            .set({ answers, revision: revision + 1, updated_by: actor.userId, updated_at: now })
            .where('org_id', '=', org.id)
            .where('revision', '=', revision)
            .executeTakeFirst()
          if (Number(result.numUpdatedRows) !== 1) throw stale()
        }
        await recordAudit(trx, {
          action: 'gradient.answers_saved',
          ...auditFor(actor, org),
          objectType: 'gradient_answers',
          objectId: org.id,
          detail: { revision: revision + 1, changes },
        })
        changed.push(...Object.keys(changes))
      }

      // MES coverage: the archive's field, written as the archive writes it.
      const archive = await loadArchive(trx, org.id)
      if (archive.mesCoveragePct !== input.mesCoveragePct) {
        // A figure names the year it describes (the archive's form asks for it too).
        const year = archive.indicatorsYear ?? (input.mesCoveragePct !== null ? currentYearInChina() : null)
        await writeArchiveFields(
          trx,
          actor,
          org,
          { mesCoveragePct: input.mesCoveragePct, indicatorsYear: year },
          { revision: input.archiveRevision, before: archive, stale },
        )
        changed.push('mesCoveragePct')
      }
      return { changed }
    })
  } catch (error) {
    if (uniqueViolation(error)) throw stale()
    throw error
  }
}
