import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ContractWorkTable } from '~/components/contract-work-table.js'
import { Pagination } from '~/components/pagination.js'
import { ExportExcelButton } from '~/components/spreadsheet-task.js'
import { AGENCY_FILTERS } from '~/domain/workspaces/tabs.js'
import { agencyContracts, ZAgencyContractsQuery } from '~/domain/workspaces/workspaces.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 合同监管 (issue 14 §7): the contracts of the agency's jurisdiction, filtered — 未指派
 * 监理, 有逾期里程碑, 有未决纠纷 — with counts; each row links to the contract, and for
 * owners and reviewers to what needs doing (处理纠纷, 指派监理). Viewers read.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'workspaces.agency.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZAgencyContractsQuery, args.request)
    return json(await agencyContracts(db, actor, query, await getLocale(args.request)))
  })
}

export default function AgencyContractsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <header className="page-head">
        <h1>{t('workspaces.agency.title')}</h1>
        <p className="muted">{t('workspaces.agency.lead')}</p>
        <ExportExcelButton list="contracts" />
      </header>
      {data.mayAct ? null : <p className="notice">{t('workspaces.agency.viewerNote')}</p>}
      <nav className="tabs" aria-label={t('workspaces.agency.filters')}>
        {AGENCY_FILTERS.map((filter) => (
          <Link
            key={filter}
            to={filter === 'all' ? '/agency/contracts' : `/agency/contracts?filter=${filter}`}
            className={data.filter === filter ? 'active' : undefined}
            aria-current={data.filter === filter ? 'page' : undefined}
          >
            {t(`workspaces.agency.filter.${filter}`, { count: data.counts[filter] })}
          </Link>
        ))}
      </nav>
      <ContractWorkTable
        caption={t('workspaces.agency.caption')}
        rows={data.contracts}
        show={['enterprise', 'provider', 'supervisor', 'region']}
        empty={
          <div className="empty-state">
            <p>{t('workspaces.agency.empty')}</p>
          </div>
        }
      />
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
