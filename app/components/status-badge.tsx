import type { NeedStatus, TargetLevel } from '~/domain/needs/enums.js'
import { useT } from '~/i18n/use-t.js'

type BadgeProps = { kind: 'needStatus'; value: NeedStatus } | { kind: 'level'; value: TargetLevel }

/** A need's status or upgrade level as a badge. */
export function StatusBadge(props: BadgeProps) {
  const t = useT()
  if (props.kind === 'level') return <span className="badge badge-level">{t(`level.${props.value}`)}</span>
  return <span className={`badge badge-${props.value}`}>{t(`needStatus.${props.value}`)}</span>
}
