import type { CriterionResult, LevelResult } from '~/domain/policy/gradient.js'
import { useLocale, useT } from '~/i18n/use-t.js'
import {
  formatAmount,
  formatFactValue,
  formatRequirement,
  linkLabel,
  localText,
  statusBadgeClass,
  statusLabel,
} from './labels.js'
import { RuleCitation } from './rule-citation.js'

/**
 * The criteria of one level as a list: each with its status (已满足 / 未满足 / 待补充信息),
 * the label from the rule set, what the enterprise has, what is required, the gap when missed
 * (差 10% / 尚缺环节：生产管理) and the article. An any_of criterion lists its alternatives.
 * Props: `results` — `evaluateLevels(set, facts)[i].criteria` (or evaluateCriterion results);
 * `emptyText` — optional text when the level has none (default: 此级没有可自评的条件).
 * Status is in words as well as colour; the list reads in order by keyboard and screen reader.
 */
export function CriterionList({ results, emptyText }: { results: readonly CriterionResult[]; emptyText?: string }) {
  const t = useT()
  if (results.length === 0) return <p className="muted">{emptyText ?? t('policy.criterion.empty')}</p>
  return (
    <ul className="criterion-list" style={{ listStyle: 'none', paddingLeft: 0 }}>
      {results.map((r) => (
        <li key={r.id} style={{ marginBottom: '0.75rem' }}>
          <CriterionItem result={r} />
        </li>
      ))}
    </ul>
  )
}

function CriterionItem({ result: r }: { result: CriterionResult }) {
  const t = useT()
  const locale = useLocale()
  return (
    <>
      <span className={statusBadgeClass(r.status)}>{statusLabel(t, r.status)}</span> <span>{localText(locale, r.label)}</span>
      {r.alternatives ? (
        <div style={{ paddingLeft: '1rem' }}>
          <small>{t('policy.criterion.anyOf')}</small>
          <ul style={{ listStyle: 'none', paddingLeft: 0 }}>
            {r.alternatives.map((a) => (
              <li key={a.id}>
                <span className={statusBadgeClass(a.status)}>{statusLabel(t, a.status)}</span> {localText(locale, a.label)}{' '}
                <CriterionFacts result={a} />
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <div>
          <CriterionFacts result={r} />
        </div>
      )}
      <RuleCitation article={r.article} />
    </>
  )
}

/** "现状：60% · 要求：≥ 70% · 差 10%". */
function CriterionFacts({ result: r }: { result: CriterionResult }) {
  const t = useT()
  const parts = [t('policy.criterion.actual', { value: formatFactValue(t, r.fact, r.actual) }), formatRequirement(t, r)]
  if (r.status === 'missed' && r.missingLinks?.length)
    parts.push(
      t('policy.criterion.missingLinks', {
        links: r.missingLinks.map((l) => linkLabel(t, l)).join(t('policy.detail.listSeparator')),
      }),
    )
  else if (r.status === 'missed' && r.gap !== null) parts.push(t('policy.criterion.gap', { gap: formatAmount(t, r.fact, r.gap) }))
  return <small>{parts.join(' · ')}</small>
}

/**
 * A level's heading line: its name, its status badge, and who evaluates it.
 * Props: `result` — one LevelResult of evaluateLevels. Put <CriterionList> under it.
 */
export function LevelStatusLine({ result }: { result: LevelResult }) {
  const t = useT()
  return (
    <p>
      <span className={statusBadgeClass(result.status)}>{statusLabel(t, result.status)}</span>{' '}
      <small className="muted">{t(`policy.evaluatedBy.${result.evaluatedBy}`)}</small>
    </p>
  )
}
