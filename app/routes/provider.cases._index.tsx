import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { CaseBadge } from '~/components/provider-case-card.js'
import { listOwnCases } from '~/domain/providers/cases.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/providers.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'providers.cases.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const page = await listOwnCases(db, actor, await getLocale(args.request))
    return json({ ...page, orgId: actor.org?.orgId ?? null })
  })
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['cases'][number]

export default function CasesPage() {
  const { cases, limit, orgId } = useLoaderData<typeof loader>()
  const t = useT()
  const columns: Column<Row>[] = [
    {
      id: 'title',
      header: t('providers.cases.col.title'),
      role: 'primary',
      cell: (c) => (
        <Link to={`/provider/cases/${c.id}`} data-i18n-data>
          {c.title}
        </Link>
      ),
    },
    {
      id: 'client',
      header: t('providers.cases.col.client'),
      cell: (c) => (
        <>
          <span data-i18n-data>{c.client}</span>
          {c.anonymised ? t('providers.case.anonymised') : null}
        </>
      ),
    },
    { id: 'industry', header: t('providers.cases.col.industry'), cell: (c) => <span data-i18n-data>{c.industryName}</span> },
    { id: 'year', header: t('providers.cases.col.year'), cell: (c) => c.year },
    {
      id: 'metrics',
      header: t('providers.cases.col.metrics'),
      cell: (c) => t('providers.cases.metricsCount', { count: c.metricCount }),
    },
    { id: 'status', header: t('providers.cases.col.status'), cell: (c) => <CaseBadge verified={c.verified} /> },
  ]
  return (
    <section aria-labelledby="cases-title">
      <header className="page-head">
        <h1 id="cases-title">{t('providers.cases.title')}</h1>
        {orgId ? <Link to={`/providers/${orgId}`}>{t('providers.profile.viewPublic')}</Link> : null}
      </header>
      <p className="muted">{t('providers.cases.lead')}</p>
      <p className="actions">
        {cases.length < limit ? (
          <Link className="button" to="/provider/cases/new">
            {t('providers.cases.add')}
          </Link>
        ) : (
          <span className="muted">{t('providers.cases.limit', { limit })}</span>
        )}
        <Link to="/provider/profile">{t('providers.profile.title')}</Link>
      </p>
      <DataTable
        caption={t('providers.cases.caption')}
        columns={columns}
        rows={cases}
        rowKey={(c) => c.id}
        empty={<p className="empty-state">{t('providers.cases.none')}</p>}
      />
    </section>
  )
}
