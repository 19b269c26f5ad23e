import type { SerializeFrom } from '@remix-run/node'
import { Form } from '@remix-run/react'
import { InputField } from '~/components/form.js'
import { EstimateNotice } from '~/components/policy/estimate-notice.js'
import { ExpiredPolicyNotice } from '~/components/policy/expired-policy-notice.js'
import type { NeedEstimate } from '~/domain/gradient/views.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { useLocalText } from './results.js'

/*
 * 补助测算（估算） on the enterprise's own need page (issue 16 §4): a GET form for the
 * assumed investment and each measure with its rule — basis × rate, threshold, cap, article —
 * under an estimate notice, an expired policy marked as such.
 */
export function NeedEstimateSection({ estimate, error }: { estimate: SerializeFrom<NeedEstimate>; error: string | null }) {
  const t = useT()
  const message = useMessage()
  const local = useLocalText()
  return (
    <section className="card section" aria-labelledby="estimate-title" aria-describedby="estimate-notice">
      <h2 id="estimate-title">{t('gradient.need.title')}</h2>
      <EstimateNotice id="estimate-notice" />
      <p className="muted">{t('gradient.need.lead', { budget: estimate.budgetMaxWan })}</p>
      <Form method="get" preventScrollReset noValidate className="form-inline">
        <InputField
          id="investment"
          name="investment"
          inputMode="decimal"
          label={t('gradient.need.investment')}
          hint={t('gradient.need.investment.hint')}
          defaultValue={String(estimate.investmentWan)}
          error={error ? message(error) : undefined}
        />
        <button type="submit" className="button-secondary">
          {t('gradient.need.recalculate')}
        </button>
      </Form>
      {estimate.sets.length === 0 ? <p className="empty-state">{t('gradient.need.none')}</p> : null}
      {estimate.sets.map((s) => (
        <div key={s.ruleSet.id}>
          <h3>
            {local(s.ruleSet.name)}{' '}
            <span className="muted">{t('gradient.need.document', { document: local(s.ruleSet.document) })}</span>
          </h3>
          {s.ruleSet.expired ? <ExpiredPolicyNotice validUntil={s.ruleSet.validUntil ?? ''} /> : null}
          <ul>
            {s.measures.map((m) => (
              <li key={m.id}>
                <strong>{local(m.name)}</strong>
                <ul>
                  {m.basisWan !== null ? (
                    <li>{t('gradient.need.basis', { basis: m.basisWan, rate: m.ratePct, share: m.shareWan })}</li>
                  ) : null}
                  <li>{t('gradient.need.threshold', { min: m.minBasisWan })}</li>
                  <li>{t('gradient.need.cap', { cap: m.capWan })}</li>
                  <li>{t('gradient.need.article', { article: local(m.article) })}</li>
                  <li>
                    <strong>
                      {m.reason === 'eligible'
                        ? t(m.capped ? 'gradient.need.result.capped' : 'gradient.need.result.eligible', { amount: m.amountWan })
                        : t(`gradient.need.result.${m.reason}`, { min: m.minBasisWan })}
                    </strong>
                  </li>
                </ul>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  )
}
