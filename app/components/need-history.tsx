import type { SerializeFrom } from '@remix-run/node'
import type { NeedHistoryEntry } from '~/domain/needs/authoring-views.js'
import { hasMessage } from '~/i18n/index.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime } from '~/utils/format.js'

/*
 * A need's history (history.server.ts): newest first, each entry its time, what
 * happened (the audit action's label; a status change from → to, its reason) and, for
 * an edit, every field changed, before → after. The owner's manage page shows every
 * event with who did it; the public page only the edits made while it was published.
 */
export function NeedHistoryList({ entries, empty }: { entries: SerializeFrom<NeedHistoryEntry>[]; empty: string }) {
  const t = useT()
  if (entries.length === 0) return <p className="muted">{empty}</p>
  const status = (s: string | null) =>
    s && hasMessage(`needStatus.${s}`) ? t(`needStatus.${s}` as 'needStatus.draft') : (s ?? '')
  return (
    <ol className="need-history">
      {entries.map((e) => (
        <li key={e.id}>
          <p className="muted">
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            {' · '}
            {hasMessage(`auditAction.${e.action}`) ? t(`auditAction.${e.action}` as 'auditAction.need.updated') : e.action}
            {e.from && e.to ? ` · ${t('needHistory.status', { from: status(e.from), to: status(e.to) })}` : null}
            {e.actorName ? (
              <>
                {' · '}
                <span data-i18n-data>{e.actorName}</span>
              </>
            ) : null}
          </p>
          {e.reason ? <p data-i18n-data>{t('needManage.reason', { reason: e.reason })}</p> : null}
          {e.changes.length > 0 ? (
            <ul>
              {e.changes.map((c) => (
                <li key={c.field} data-i18n-data>
                  {t('needHistory.change', { field: t(`needForm.field.${c.field}`), before: c.before, after: c.after })}
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  )
}
