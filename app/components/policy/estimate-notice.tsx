import { useT } from '~/i18n/use-t.js'

/**
 * "测算仅供参考，不构成审批决定": put it at the top of every reward or subsidy estimate.
 * Props: `id` — optional, so an estimate's section can point to it with aria-describedby.
 */
export function EstimateNotice({ id }: { id?: string }) {
  const t = useT()
  return (
    <p className="notice notice-warn" id={id} role="note">
      <strong>{t('policy.estimate.title')}</strong> {t('policy.estimate.notice')}
    </p>
  )
}
