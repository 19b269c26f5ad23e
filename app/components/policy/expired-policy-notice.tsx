import { useT } from '~/i18n/use-t.js'

/**
 * "该政策已于 … 失效，仅供参考": show it next to any rule set in `rulesForRegion(...).expired`
 * (the Yangzhou 2022 measures ran out on 2025-02-23) — never present such rules as current.
 * Props: `validUntil` — the set's last day (RuleSet.valid_until, YYYY-MM-DD).
 */
export function ExpiredPolicyNotice({ validUntil }: { validUntil: string }) {
  const t = useT()
  return (
    <p className="notice notice-warn" role="note">
      <span className="badge badge-expired">{t('policy.expired.badge')}</span> {t('policy.expired.notice', { date: validUntil })}
    </p>
  )
}

/**
 * A rule set's standing as a badge: "现行有效" or "已失效".
 * Props: `current` — isCurrent(set, today) computed on the server.
 */
export function PolicyStateBadge({ current }: { current: boolean }) {
  const t = useT()
  return current ? (
    <span className="badge badge-verified">{t('policy.current.badge')}</span>
  ) : (
    <span className="badge badge-expired">{t('policy.expired.badge')}</span>
  )
}
