import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { ProgressLines } from '~/components/diagnosis-report.js'
import { Pagination } from '~/components/pagination.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { listDiagnoses, ZDiagnosisListQuery } from '~/domain/diagnosis/projects.server.js'
import { DIAGNOSIS_TABS } from '~/domain/diagnosis/views.js'
import type { DiagnosisListItem } from '~/domain/diagnosis/views.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import diagnosisStyles from '~/styles/diagnosis.css'
import { formatDateTime } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: diagnosisStyles }]

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(
    matches,
    data?.list.side === 'provider'
      ? 'diagnosis.list.titleProvider'
      : data?.list.side === 'agency'
        ? 'diagnosis.list.titleAgency'
        : 'diagnosis.list.titleEnterprise',
  )

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZDiagnosisListQuery, args.request)
    return json({ list: await listDiagnoses(db, actor, query) })
  })
}

export default function DiagnosesPage() {
  const { list } = useLoaderData<typeof loader>()
  const t = useT()
  const side = list.side
  const title =
    side === 'provider'
      ? 'diagnosis.list.titleProvider'
      : side === 'agency'
        ? 'diagnosis.list.titleAgency'
        : 'diagnosis.list.titleEnterprise'
  const lead =
    side === 'provider'
      ? 'diagnosis.list.leadProvider'
      : side === 'agency'
        ? 'diagnosis.list.leadAgency'
        : 'diagnosis.list.leadEnterprise'
  const newLabel =
    side === 'provider'
      ? 'diagnosis.list.newProvider'
      : side === 'agency'
        ? 'diagnosis.list.newAgency'
        : 'diagnosis.list.newEnterprise'
  const emptyAll =
    side === 'provider'
      ? 'diagnosis.list.emptyProvider'
      : side === 'agency'
        ? 'diagnosis.list.emptyAgency'
        : 'diagnosis.list.emptyEnterprise'
  const tabHref = (tab: string) => (tab === 'all' ? '/diagnoses' : `/diagnoses?status=${tab}`)
  const columns: Column<DiagnosisListItem>[] = [
    {
      id: 'party',
      header: side === 'enterprise' ? t('diagnosis.list.col.provider') : t('diagnosis.list.col.enterprise'),
      role: 'primary',
      cell: (d) => (
        <Link to={`/diagnoses/${d.id}`} data-i18n-data>
          {side === 'enterprise' ? d.providerName : d.enterpriseName}
        </Link>
      ),
    },
    ...(side === 'agency'
      ? [
          {
            id: 'provider',
            header: t('diagnosis.list.col.provider'),
            cell: (d: DiagnosisListItem) => <span data-i18n-data>{d.providerName}</span>,
          },
        ]
      : []),
    { id: 'kind', header: t('diagnosis.list.col.kind'), cell: (d) => t(`diagnosis.kind.${d.kind}`) },
    {
      id: 'status',
      header: t('diagnosis.list.col.status'),
      cell: (d) => <span className={`badge badge-${d.status}`}>{t(`diagnosis.status.${d.status}`)}</span>,
    },
    {
      id: 'report',
      header: t('diagnosis.list.col.report'),
      cell: (d) =>
        d.latestVersion === null || d.latestStatus === null ? (
          <span className="muted">{t('diagnosis.list.noReport')}</span>
        ) : (
          <>
            {t('diagnosis.list.version', { version: d.latestVersion })}{' '}
            <span className={`badge badge-${d.latestStatus}`}>{t(`diagnosis.report.${d.latestStatus}`)}</span>
          </>
        ),
    },
    {
      id: 'progress',
      header: t('diagnosis.list.col.progress'),
      cell: (d) => (d.status === 'active' || d.status === 'completed' ? <ProgressLines progress={d.progress} compact /> : '—'),
    },
    { id: 'updated', header: t('diagnosis.list.col.updated'), cell: (d) => formatDateTime(d.updatedAt) },
  ]
  return (
    <section aria-labelledby="diagnoses-title">
      {side === 'enterprise' ? <EnterpriseWorkspaceNav /> : null}
      <header className="page-head">
        <h1 id="diagnoses-title">{t(title)}</h1>
        <p className="muted">{t(lead)}</p>
        {list.canStart ? (
          <p>
            <Link to="/diagnoses/new" className="button">
              {t(newLabel)}
            </Link>
          </p>
        ) : side === 'provider' ? (
          <p className="notice">{t('diagnosis.list.notConsultancy')}</p>
        ) : null}
      </header>
      <nav className="tabs" aria-label={t('diagnosis.list.tabs')}>
        {DIAGNOSIS_TABS.map((tab) => (
          <Link
            key={tab}
            to={tabHref(tab)}
            className={list.tab === tab ? 'active' : undefined}
            aria-current={list.tab === tab ? 'page' : undefined}
          >
            {t(`diagnosis.tab.${tab}`)} ({list.counts[tab]})
          </Link>
        ))}
      </nav>
      <DataTable
        caption={t('diagnosis.list.caption')}
        columns={columns}
        rows={list.items}
        rowKey={(d) => d.id}
        empty={
          <div className="empty-state">
            <p>{list.counts.all === 0 ? t(emptyAll) : t('diagnosis.list.emptyTab')}</p>
            {list.counts.all === 0 && list.canStart ? (
              <p>
                <Link to="/diagnoses/new">{t(newLabel)}</Link>
              </p>
            ) : null}
          </div>
        }
      />
      <Pagination page={list.page} pageCount={list.pageCount} />
    </section>
  )
}
