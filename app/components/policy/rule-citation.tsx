import type { LocalText } from '~/domain/policy/rule-set.js'
import { useLocale, useT } from '~/i18n/use-t.js'
import { localText } from './labels.js'

/**
 * Where a rule comes from: "依据：甘工信发〔2025〕152号 第十二条（三）".
 * Props: `article` — the article (LocalText from the rule set); `document` — optional, the
 * rule set's document number (give it when the page shows rules of several sets);
 * `className` — defaults to "muted".
 */
export function RuleCitation({
  article,
  document,
  className = 'muted',
}: {
  article: LocalText
  document?: LocalText
  className?: string
}) {
  const t = useT()
  const locale = useLocale()
  const text = document
    ? t('policy.citation', { document: localText(locale, document), article: localText(locale, article) })
    : t('policy.citation.short', { article: localText(locale, article) })
  return <small className={className}>{text}</small>
}
