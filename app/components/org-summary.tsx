import type { SerializeFrom } from '@remix-run/node'
import type { ReactNode } from 'react'
import type { OrgDetail } from '~/domain/orgs/views.js'
import { useT } from '~/i18n/use-t.js'

export function Fact({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </div>
  )
}

/** The organisation's name with its type and audit status. */
export function OrgHeader({ org }: { org: Pick<SerializeFrom<OrgDetail>, 'name' | 'kind' | 'status'> }) {
  const t = useT()
  return (
    <header className="page-head">
      <h1>{org.name}</h1>
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
      <Fact label={t('org.field.region')}>{org.regionName}</Fact>
      {org.industryName ? <Fact label={t('org.field.industry')}>{org.industryName}</Fact> : null}
      {org.providerKinds.length ? (
        <Fact label={t('org.field.providerKinds')}>{org.providerKinds.map((k) => t(`providerKind.${k}`)).join('、')}</Fact>
      ) : null}
      {org.agencyLevel ? <Fact label={t('org.field.agencyLevel')}>{t(`agencyLevel.${org.agencyLevel}`)}</Fact> : null}
      <Fact label={t('org.field.contactName')}>
        {org.contactName || '—'} {org.contactPhone}
      </Fact>
      {org.description ? <Fact label={t('org.field.description')}>{org.description}</Fact> : null}
      {extra}
    </dl>
  )
}
