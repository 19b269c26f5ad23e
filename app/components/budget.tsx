import { useT } from '~/i18n/use-t.js'
import { formatNumber } from '~/utils/format.js'

/** A budget in 万元: one figure when the range is a single amount. */
export function Budget({ minWan, maxWan }: { minWan: number; maxWan: number }) {
  const t = useT()
  return (
    <>
      {minWan === maxWan
        ? t('needs.budgetSingle', { amount: formatNumber(minWan) })
        : t('needs.budgetRange', { min: formatNumber(minWan), max: formatNumber(maxWan) })}
    </>
  )
}
