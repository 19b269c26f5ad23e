import type { SerializeFrom } from '@remix-run/node'
import type { ReactNode } from 'react'
import type { OrgDetail } from '~/domain/orgs/views.js'
import { useT } from '~/i18n/use-t.js'

/** A label and its value; `data` marks a value that is database text (names, descriptions), not interface. */
export function Fact({
  label,
  children,
  className,
  data,
}: {
  label: string
  children: ReactNode
  className?: string
  data?: boolean
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={className} data-i18n-data={data || undefined}>
        {children}
      </dd>
    </div>
  )
}

/** The organisation's name with its type and audit status. */
export function OrgHeader({ org }: { org: Pick<SerializeFrom<OrgDetail>, 'name' | 'kind' | 'status'> }) {
  const t = useT()
  return (
    <header className="page-head">
      <h1 data-i18n-data>{org.name}</h1>
      <div className="badges">
        <span className="badge">{t(`org.kind.${org.kind}`)}</span>
        <span className={`badge badge-${org.status}`}>{t(`org.status.${org.status}`)}</span>
      </div>
    </header>
  )
}

/**
 * What an organisation registered with: shown to its members and to the agency that
 * audits it. `extra` facts (review details) follow the common ones.
 */
export function OrgFacts({ org, extra }: { org: SerializeFrom<OrgDetail>; extra?: ReactNode }) {
  const t = useT()
  return (
    <dl className="facts">
      {org.uscc ? (
        <Fact label={t('org.field.uscc')} className="code">
          {org.uscc}
        </Fact>
      ) : null}
      <Fact label={t('org.field.region')} data>
        {org.regionName}
      </Fact>
      {org.industryName ? (
        <Fact label={t('org.field.industry')} data>
          {org.industryName}
        </Fact>
      ) : null}
      {org.providerKinds.length ? (
        <Fact label={t('org.field.providerKinds')}>
          {org.providerKinds.map((k) => t(`providerKind.${k}`)).join(t('list.separator'))}
        </Fact>
      ) : null}
      {org.agencyLevel ? <Fact label={t('org.field.agencyLevel')}>{t(`agencyLevel.${org.agencyLevel}`)}</Fact> : null}
      <Fact label={t('org.field.contactName')} data>
        {org.contactName || '—'} {org.contactPhone}
      </Fact>
      {org.description ? (
        <Fact label={t('org.field.description')} data>
          {org.description}
        </Fact>
      ) : null}
      {extra}
    </dl>
  )
}
