import { useT } from '~/i18n/use-t.js'

/**
 * Shown on every page while the database holds demo data: the demo accounts'
 * password is public, so nobody should mistake the site for a real one.
 */
export function DemoBanner() {
  const t = useT()
  return (
    <div
      className="notice notice-warn"
      role="note"
      data-testid="demo-banner"
      style={{ margin: 0, borderRadius: 0, borderLeft: 0, borderRight: 0, textAlign: 'center' }}
    >
      {t('demo.banner')}
    </div>
  )
}
