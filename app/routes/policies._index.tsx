import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { localText } from '~/components/policy/labels.js'
import { PolicyStateBadge } from '~/components/policy/expired-policy-notice.js'
import { DataTable } from '~/components/data-table.js'
import { todayInChina } from '~/domain/enterprises/archive.server.js'
import { listPolicies, type PolicySummary } from '~/domain/policy/public.server.js'
import { getReferenceData } from '~/domain/reference/reference.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useLocale, useT } from '~/i18n/use-t.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 政策规则, open to everyone (issue 16 §1): the rule sets the platform applies — a handful of
 * files in seed/reference/policies, so one page without paging — current first, expired marked.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'policy.index.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const ref = await getReferenceData(db)
    return json({ policies: listPolicies(ref, todayInChina(), await getLocale(args.request)) })
  })
}

export default function PoliciesPage() {
  const { policies } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  return (
    <>
      <header className="page-head">
        <h1>{t('policy.index.title')}</h1>
        <p className="muted">{t('policy.index.lead')}</p>
      </header>
      <DataTable<PolicySummary>
        caption={t('policy.index.caption', { total: policies.length })}
        rows={policies}
        rowKey={(p) => p.id}
        empty={<p className="empty-state">{t('policy.index.empty')}</p>}
        columns={[
          {
            id: 'name',
            header: t('policy.col.name'),
            role: 'primary',
            cell: (p) => <Link to={`/policies/${p.id}`}>{localText(locale, p.name)}</Link>,
          },
          {
            id: 'document',
            header: t('policy.col.document'),
            cell: (p) => `${localText(locale, p.issuer)} ${localText(locale, p.document)}`,
          },
          { id: 'regions', header: t('policy.col.regions'), cell: (p) => p.regions.join(locale === 'en' ? '; ' : '、') },
          {
            id: 'kind',
            header: t('policy.col.kind'),
            cell: (p) =>
              [
                p.hasGradient ? t('policy.kind.gradient') : null,
                p.measureCount ? t('policy.kind.measures', { count: p.measureCount }) : null,
              ]
                .filter(Boolean)
                .join(locale === 'en' ? '; ' : '；'),
          },
          {
            id: 'validity',
            header: t('policy.col.validity'),
            cell: (p) =>
              p.validUntil
                ? t('policy.validity.range', { from: p.validFrom, until: p.validUntil })
                : t('policy.validity.open', { from: p.validFrom }),
          },
          { id: 'state', header: t('policy.col.state'), cell: (p) => <PolicyStateBadge current={p.current} /> },
        ]}
      />
    </>
  )
}
