import type { SerializeFrom } from '@remix-run/node'
import type { RewardStep } from '~/domain/policy/rewards.js'
import type { LocalText } from '~/domain/policy/rule-set.js'
import { useLocale, useT } from '~/i18n/use-t.js'

/*
 * The 梯度自评 page's pieces (issue 16): rule-set text in the reader's language and a reward
 * estimate's steps (the criteria use app/components/policy's CriterionList).
 */

/** A rule set's text in the reader's language. */
export function useLocalText(): (text: LocalText) => string {
  const locale = useLocale()
  return (text) => (locale === 'en' ? text.en : text.zh)
}

/** A reward estimate's steps: the standard, the caps with what was received, the extras. */
export function RewardSteps({ steps }: { steps: readonly SerializeFrom<RewardStep>[] }) {
  const t = useT()
  const local = useLocalText()
  return (
    <ol className="gradient-steps">
      {steps.map((s, i) => (
        <li key={i}>
          {t(`gradient.step.${s.kind}`, { amount: s.amountWan, cap: s.capWan ?? 0, received: s.receivedWan ?? 0 })}{' '}
          <span className="muted">{t('gradient.criterion.article', { article: local(s.article) })}</span>
        </li>
      ))}
    </ol>
  )
}
