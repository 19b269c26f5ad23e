import { Link } from '@remix-run/react'
import { Fragment, type ReactNode } from 'react'
import { hasMessage } from '~/i18n/index.js'
import { useT } from '~/i18n/use-t.js'

/** What the audit log's sentence needs of an entry (AuditLogEntry, as the loader serialises it). */
export interface AuditSentenceEntry {
  action: string
  actorName: string | null
  actorOrgName: string | null
  objectType: string | null
  objectId: string | null
  objectName: string | null
  objectOrgKind: string | null
}

/**
 * A catalogue template with its `{placeholders}` filled by React nodes (links, names
 * marked as data), where t() can only fill in strings. Unknown placeholders stay as written.
 */
export function fillTemplate(template: string, values: Record<string, ReactNode>): ReactNode[] {
  return template.split(/(\{\w+\})/).map((part, i) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1]
    return <Fragment key={i}>{name !== undefined && name in values ? values[name] : part}</Fragment>
  })
}

/**
 * One audit log entry in words: who did what to which object ("张三（扬州市工信局）通过了
 * 扬州某某公司 的入驻申请"), an applicant linked to its review page. Names are database
 * text (`data-i18n-data`); the sentence is the catalogue's, per action, with a generic
 * one for actions that have none yet.
 */
export function AuditSentence({ entry }: { entry: AuditSentenceEntry }) {
  const t = useT()
  const name = (text: string) => <span data-i18n-data>{text}</span>
  const actor = entry.actorName
    ? entry.actorOrgName
      ? fillTemplate(t('auditLog.actorWithOrg'), { name: name(entry.actorName), org: name(entry.actorOrgName) })
      : name(entry.actorName)
    : t('auditLog.visitor')
  const sayKey = `auditLog.say.${entry.action}`
  const actionKey = `auditAction.${entry.action}`
  const template = hasMessage(sayKey) ? t(sayKey) : t('auditLog.say.generic')
  return (
    <span className="audit-sentence">
      {fillTemplate(template, {
        actor: <strong className="audit-actor">{actor}</strong>,
        object: <AuditObject entry={entry} />,
        action: hasMessage(actionKey) ? t(actionKey) : <code>{entry.action}</code>,
      })}
    </span>
  )
}

function AuditObject({ entry }: { entry: AuditSentenceEntry }) {
  const t = useT()
  switch (entry.objectType) {
    case 'organisation':
      if (!entry.objectName) return <>{t('auditLog.object.gone')}</>
      // Enterprises' and providers' applications have a review page; agencies do not.
      return entry.objectOrgKind && entry.objectOrgKind !== 'agency' ? (
        <Link to={`/agency/audits/${entry.objectId}`} data-i18n-data>
          {entry.objectName}
        </Link>
      ) : (
        <span data-i18n-data>{entry.objectName}</span>
      )
    case 'user':
      return entry.objectName ? <span data-i18n-data>{entry.objectName}</span> : <>{t('auditLog.object.gone')}</>
    case 'route':
      return <code data-i18n-data>{entry.objectId}</code>
    case 'login':
    case 'signup':
    case 'reset':
    case 'invitation':
      return <>{t(`auditLog.object.${entry.objectType}`)}</>
    default:
      return entry.objectType ? <code>{`${entry.objectType} ${entry.objectId ?? ''}`.trim()}</code> : null
  }
}
