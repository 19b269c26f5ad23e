import type { MessageKey } from '~/i18n/index.js'
import { useT } from '~/i18n/use-t.js'

export function StatusBadge({ kind, value }: { kind: 'needStatus' | 'level'; value: string }) {
  const t = useT()
  const className = kind === 'level' ? 'badge badge-level' : `badge badge-${value}`
  return <span className={className}>{t(`${kind}.${value}` as MessageKey)}</span>
}
