import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ContractWorkTable } from '~/components/contract-work-table.js'
import { Pagination } from '~/components/pagination.js'
import { CONTRACT_TABS } from '~/domain/workspaces/tabs.js'
import { supervisorProjects, ZContractsWorkQuery } from '~/domain/workspaces/workspaces.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 监理项目 (issue 14 §7): the contracts the actor's 监理机构 was appointed to, by status
 * with counts, each row with its next action (处理纠纷, 审核里程碑, 写监理日志).
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'workspaces.supervisor.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZContractsWorkQuery, args.request)
    return json(await supervisorProjects(db, actor, query, await getLocale(args.request)))
  })
}

export default function SupervisorProjectsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <header className="page-head">
        <h1>{t('workspaces.supervisor.title')}</h1>
        <p className="muted">{t('workspaces.supervisor.lead')}</p>
      </header>
      <nav className="tabs" aria-label={t('workspaces.supervisor.tabs')}>
        {CONTRACT_TABS.map((tab) => (
          <Link
            key={tab}
            to={`/supervisor/projects?tab=${tab}`}
            className={data.tab === tab ? 'active' : undefined}
            aria-current={data.tab === tab ? 'page' : undefined}
          >
            {t(`workspaces.tab.${tab}`, { count: data.counts[tab] })}
          </Link>
        ))}
      </nav>
      <ContractWorkTable
        caption={t('workspaces.supervisor.caption')}
        rows={data.contracts}
        show={['enterprise', 'provider', 'region']}
        supervisor
        empty={
          <div className="empty-state">
            <p>{t('workspaces.supervisor.empty')}</p>
          </div>
        }
      />
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
