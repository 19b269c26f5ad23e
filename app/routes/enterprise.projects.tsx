import type { LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ContractWorkTable, NextStepLink } from '~/components/contract-work-table.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { ENTERPRISE_TABS } from '~/domain/workspaces/tabs.js'
import { enterpriseProjects, ZEnterpriseProjectsQuery } from '~/domain/workspaces/workspaces.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 我的项目 (issue 14 §7): the enterprise's needs with bids waiting for its decision
 * (比较方案), then its contracts by status, each row with its next action (确认合同,
 * 验收里程碑, 评价). Counts on the tabs; 20 a page.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'workspaces.enterprise.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZEnterpriseProjectsQuery, args.request)
    return json(await enterpriseProjects(db, actor, query, await getLocale(args.request)))
  })
}

type NeedRow = SerializeFrom<typeof loader>['needs'][number]

export default function EnterpriseProjectsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const needColumns: Column<NeedRow>[] = [
    {
      id: 'need',
      header: t('workspaces.col.need'),
      role: 'primary',
      cell: (r) => (
        <Link to={`/enterprise/needs/${r.id}`} data-i18n-data>
          {r.title}
        </Link>
      ),
    },
    {
      id: 'bids',
      header: t('workspaces.col.bidsWaiting'),
      cell: (r) => t('workspaces.bidsWaitingValue', { count: r.bidsWaiting }),
    },
    { id: 'deadline', header: t('workspaces.col.deadline'), cell: (r) => r.deadline ?? '—' },
    { id: 'next', header: t('workspaces.col.next'), role: 'action', cell: (r) => <NextStepLink next={r.next} title={r.title} /> },
  ]
  return (
    <>
      <EnterpriseWorkspaceNav />
      <header className="page-head">
        <h1>{t('workspaces.enterprise.title')}</h1>
        <p className="muted">{t('workspaces.enterprise.lead')}</p>
      </header>
      <nav className="tabs" aria-label={t('workspaces.enterprise.tabs')}>
        {ENTERPRISE_TABS.map((tab) => (
          <Link
            key={tab}
            to={`/enterprise/projects?tab=${tab}`}
            className={data.tab === tab ? 'active' : undefined}
            aria-current={data.tab === tab ? 'page' : undefined}
          >
            {tab === 'deciding'
              ? t('workspaces.enterprise.tab.deciding', { count: data.counts.deciding })
              : t(`workspaces.tab.${tab}`, { count: data.counts[tab] })}
          </Link>
        ))}
      </nav>
      {data.tab === 'deciding' ? (
        <DataTable
          caption={t('workspaces.enterprise.captionNeeds')}
          columns={needColumns}
          rows={data.needs}
          rowKey={(r) => r.id}
          empty={
            <div className="empty-state">
              <p>{t('workspaces.enterprise.emptyDeciding')}</p>
              <p>
                <Link to="/enterprise/needs">{t('workspaces.enterprise.toNeeds')}</Link>
              </p>
            </div>
          }
        />
      ) : (
        <ContractWorkTable
          caption={t('workspaces.enterprise.caption')}
          rows={data.contracts}
          show={['provider', 'supervisor']}
          empty={
            <div className="empty-state">
              <p>{t('workspaces.enterprise.emptyContracts')}</p>
              <p>
                <Link to="/enterprise/needs">{t('workspaces.enterprise.toNeeds')}</Link>
              </p>
            </div>
          }
        />
      )}
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
