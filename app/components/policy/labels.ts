import type { GradientTitle } from '~/domain/enterprises/enums.js'
import { FACTS, type FactKey, type FactValue, type ScenarioLink } from '~/domain/policy/facts.js'
import type { ApplicationOption, CriterionResult, CriterionStatus, TitleState } from '~/domain/policy/gradient.js'
import type { MeasureEstimate } from '~/domain/policy/measures.js'
import type { RewardStep } from '~/domain/policy/rewards.js'
import type { LocalText } from '~/domain/policy/rule-set.js'
import type { Locale, Translate } from '~/i18n/index.js'

/*
 * Words for the policy engine's results (issue 16), shared by every page that shows them
 * (gradient self-check, titles, project pool, need estimates, /policies). Each takes the
 * page's `t` (useT()) so server and client agree. Keys live in app/i18n/messages/policy.ts.
 */

/** A rule set's text (LocalText) in the reader's language. */
export function localText(locale: Locale, text: LocalText): string {
  return locale === 'en' ? text.en : text.zh
}

export const levelLabel = (t: Translate, level: GradientTitle) => t(`policy.level.${level}`)
export const statusLabel = (t: Translate, status: CriterionStatus | 'not_evaluated') => t(`policy.criterionStatus.${status}`)
export const linkLabel = (t: Translate, link: ScenarioLink) => t(`policy.link.${link}`)
export const factLabel = (t: Translate, fact: FactKey) => t(`policy.fact.${fact}`)
export const factSourceLabel = (t: Translate, fact: FactKey) => t(`policy.factSource.${FACTS[fact].source}`)
export const titleStateLabel = (t: Translate, state: TitleState) => t(`policy.titleState.${state}`)

/** The badge class for a status (existing badge colours: green, red, amber, grey). */
export function statusBadgeClass(status: CriterionStatus | 'not_evaluated'): string {
  return status === 'met'
    ? 'badge badge-verified'
    : status === 'missed'
      ? 'badge badge-rejected'
      : status === 'unknown'
        ? 'badge badge-pending'
        : 'badge badge-neutral'
}

type Unit = 'percent' | 'level' | 'amount_wan' | 'months' | 'count'

/** The unit a numeric fact is counted in (null: boolean or links). */
export function factUnit(fact: FactKey): Unit | null {
  const kind = FACTS[fact].kind
  if (kind === 'boolean' || kind === 'links') return null
  if (kind === 'count') return fact === 'scenario_months_running' ? 'months' : 'count'
  return kind
}

/** A number with its fact's unit: 70%, 2级, 1000万元, 3个月. */
export function formatAmount(t: Translate, fact: FactKey, n: number): string {
  const unit = factUnit(fact)
  const num = Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '')
  return unit ? `${num}${t(`policy.factUnit.${unit}`)}` : num
}

/** A fact's value as a reader sees it; null is "not given". */
export function formatFactValue(t: Translate, fact: FactKey, value: FactValue | null | undefined): string {
  if (value === null || value === undefined) return t('policy.value.unknown')
  if (typeof value === 'boolean') return value ? t('policy.value.yes') : t('policy.value.no')
  if (typeof value === 'number') return formatAmount(t, fact, value)
  return value.length ? value.map((l) => linkLabel(t, l)).join(t('policy.detail.listSeparator')) : t('policy.value.none')
}

/** "≥ 70%", "= 是", "包含 生产作业、生产管理". */
export function formatRequirement(t: Translate, r: Pick<CriterionResult, 'fact' | 'op' | 'required'>): string {
  return t('policy.criterion.required', { op: t(`policy.op.${r.op}`), value: formatFactValue(t, r.fact, r.required) })
}

/** Why a level may (not) be applied for now. */
export function applicationReasonText(t: Translate, o: Pick<ApplicationOption, 'reason' | 'limit' | 'until'>): string {
  return t(`policy.reason.${o.reason}`, { limit: o.limit ?? '', until: o.until ?? '' })
}

/** One step of a reward estimate, with its cap and what was received (万元). */
export function rewardStepText(t: Translate, s: RewardStep): string {
  return t(`policy.rewardStep.${s.kind}`, { cap: s.capWan ?? '', received: s.receivedWan ?? '' })
}

/** Why a subsidy measure applies or not. */
export function measureReasonText(t: Translate, m: Pick<MeasureEstimate, 'reason' | 'minBasisWan'>): string {
  return t(`policy.measureReason.${m.reason}`, { min: m.minBasisWan })
}
