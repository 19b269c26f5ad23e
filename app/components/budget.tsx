import { useLocale, useT } from '~/i18n/use-t.js'
import { formatDecimal, formatNumber } from '~/utils/format.js'

/**
 * Budgets are kept in 万元 (10 000 yuan). Chinese reads them so ("990–1,350 万元");
 * English reads millions of yuan ("¥9.9–13.5 million"), the one English form every
 * page uses (the hall's budget filter asks in the same unit).
 */
export function useBudgetFormat() {
  const t = useT()
  const locale = useLocale()
  const amount = (wan: number) => (locale === 'en' ? formatDecimal(wan / 100, 2) : formatNumber(wan))
  return {
    /** The figure alone, in the unit the catalogue's labels name. */
    amount,
    /** One figure when the range is a single amount. */
    range: (minWan: number, maxWan: number) =>
      minWan === maxWan
        ? t('needs.budgetSingle', { amount: amount(minWan) })
        : t('needs.budgetRange', { min: amount(minWan), max: amount(maxWan) }),
  }
}

/** A need's budget range, in the reader's language and unit. */
export function Budget({ minWan, maxWan }: { minWan: number; maxWan: number }) {
  return <>{useBudgetFormat().range(minWan, maxWan)}</>
}
