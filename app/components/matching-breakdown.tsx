import type { FactorScore } from '~/domain/matching/types.js'
import { DIVERSIFY_BAND } from '~/domain/matching/diversify.js'
import { useMessage, useT } from '~/i18n/use-t.js'

/*
 * A match score and its breakdown (issue 13): the score as a number and a bar, and per
 * factor its name, weight, value and points, neutral ones (no data yet) marked. The
 * breakdown folds into a <details>: open and close it with the keyboard, and without
 * scripts it works the same.
 */

const onePlace = (n: number) => (Math.round(n * 10) / 10).toFixed(1)

export function ScoreBar({ score, label }: { score: number; label?: string }) {
  const t = useT()
  const width = Math.max(0, Math.min(100, score))
  return (
    <span className="match-score">
      <span className="match-score-value">
        {label ? <span className="visually-hidden">{label} </span> : null}
        {t('matching.score', { score: onePlace(score) })}
      </span>
      <span className="match-score-bar" aria-hidden="true">
        <span style={{ width: `${width}%` }} />
      </span>
    </span>
  )
}

/** The sentence behind a factor's value (slice B's reason keys), in the reader's language. */
export function useFactorReason() {
  const message = useMessage()
  return (f: FactorScore) => message(f.reason.key, f.reason.params)
}

export function FactorTable({ factors, caption }: { factors: readonly FactorScore[]; caption: string }) {
  const t = useT()
  const message = useMessage()
  const reason = useFactorReason()
  const total = factors.reduce((s, f) => s + f.points, 0)
  return (
    <table className="data match-factors">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('matching.breakdown.factor')}</th>
          <th scope="col">{t('matching.breakdown.weight')}</th>
          <th scope="col">{t('matching.breakdown.value')}</th>
          <th scope="col">{t('matching.breakdown.points')}</th>
        </tr>
      </thead>
      <tbody>
        {factors.map((f) => (
          <tr key={f.factor} className={f.neutral ? 'is-neutral' : undefined}>
            <th scope="row">
              {message(`matching.factor.${f.factor}`)}
              {f.neutral ? <span className="badge badge-neutral">{t('matching.breakdown.neutral')}</span> : null}
              <span className="match-reason">{reason(f)}</span>
            </th>
            <td data-label={t('matching.breakdown.weight')}>{f.weight}</td>
            <td data-label={t('matching.breakdown.value')}>{t('matching.percent', { value: Math.round(f.value * 100) })}</td>
            <td data-label={t('matching.breakdown.points')}>{onePlace(f.points)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('matching.breakdown.total')}</th>
          <td>{factors.reduce((s, f) => s + f.weight, 0)}</td>
          <td />
          <td>{onePlace(total)}</td>
        </tr>
      </tfoot>
    </table>
  )
}

/** The folded breakdown of one provider's score. */
export function Breakdown({ factors, name }: { factors: readonly FactorScore[]; name: string }) {
  const t = useT()
  const neutral = factors.filter((f) => f.neutral).length
  return (
    <details className="match-breakdown">
      <summary>
        {t('matching.breakdown.show')}
        <span className="visually-hidden" data-i18n-data>
          {' '}
          {name}
        </span>
        {neutral > 0 ? <span className="muted"> {t('matching.breakdown.neutralCount', { count: neutral })}</span> : null}
      </summary>
      <FactorTable factors={factors} caption={t('matching.breakdown.caption', { name })} />
      <p className="muted small">{t('matching.breakdown.note')}</p>
    </details>
  )
}

/** The factors that carried the most points (non-neutral first), for "why first". */
export function leadingFactors(factors: readonly FactorScore[], count = 3): FactorScore[] {
  return [...factors]
    .filter((f) => f.points > 0)
    .sort((a, b) => Number(a.neutral) - Number(b.neutral) || b.points - a.points || a.factor.localeCompare(b.factor))
    .slice(0, count)
}

/** 为什么排第一: the top provider's leading factors, and its lead over the second. */
export function WhyFirst({
  name,
  score,
  factors,
  runnerUp,
}: {
  name: string
  score: number
  factors: readonly FactorScore[]
  runnerUp: { name: string; score: number; factors: readonly FactorScore[] } | null
}) {
  const t = useT()
  const message = useMessage()
  const reason = useFactorReason()
  const leads = leadingFactors(factors)
  // Where it beats the runner-up most: the factors with the biggest gain in points.
  const gains = runnerUp
    ? factors
        .map((f) => ({ f, gain: f.points - (runnerUp.factors.find((g) => g.factor === f.factor)?.points ?? 0) }))
        .filter((g) => g.gain > 0.05)
        .sort((a, b) => b.gain - a.gain)
        .slice(0, 2)
    : []
  return (
    <section className="card section why-first" aria-labelledby="why-first-title">
      <h2 id="why-first-title">{t('matching.whyFirst.title')}</h2>
      <p>
        <strong data-i18n-data>{name}</strong> {t('matching.whyFirst.lead', { score: onePlace(score) })}
      </p>
      <ul>
        {leads.map((f) => (
          <li key={f.factor}>
            {t('matching.whyFirst.factor', { factor: message(`matching.factor.${f.factor}`), points: onePlace(f.points) })}{' '}
            <span className="muted">{reason(f)}</span>
          </li>
        ))}
      </ul>
      {runnerUp ? (
        <p className="muted">
          {gains.length > 0 && score > runnerUp.score
            ? t('matching.whyFirst.overSecond', {
                gap: onePlace(score - runnerUp.score),
                factors: gains.map((g) => message(`matching.factor.${g.f.factor}`)).join(t('list.separator')),
              })
            : // Diversified within a band: the first may score a little below the second.
              t('matching.whyFirst.tie', { gap: onePlace(Math.abs(score - runnerUp.score)), band: DIVERSIFY_BAND })}
        </p>
      ) : null}
    </section>
  )
}
