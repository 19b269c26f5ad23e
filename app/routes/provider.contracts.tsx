import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ContractWorkTable } from '~/components/contract-work-table.js'
import { Pagination } from '~/components/pagination.js'
import { CONTRACT_TABS } from '~/domain/workspaces/tabs.js'
import { providerContracts, ZContractsWorkQuery } from '~/domain/workspaces/workspaces.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 我的合同 (issue 14 §7): the provider's contracts by status with counts, each row with
 * its next action (确认合同, 提交里程碑 for a rejected or pending milestone, 评价).
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'workspaces.provider.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const query = parseQuery(ZContractsWorkQuery, args.request)
    return json(await providerContracts(db, actor, query, await getLocale(args.request)))
  })
}

export default function ProviderContractsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <header className="page-head">
        <h1>{t('workspaces.provider.title')}</h1>
        <p className="muted">{t('workspaces.provider.lead')}</p>
      </header>
      <nav className="tabs" aria-label={t('workspaces.provider.tabs')}>
        {CONTRACT_TABS.map((tab) => (
          <Link
            key={tab}
            to={`/provider/contracts?tab=${tab}`}
            className={data.tab === tab ? 'active' : undefined}
            aria-current={data.tab === tab ? 'page' : undefined}
          >
            {t(`workspaces.tab.${tab}`, { count: data.counts[tab] })}
          </Link>
        ))}
      </nav>
      <ContractWorkTable
        caption={t('workspaces.provider.caption')}
        rows={data.contracts}
        show={['enterprise', 'supervisor']}
        empty={
          <div className="empty-state">
            <p>{t('workspaces.provider.empty')}</p>
            <p>
              <Link to="/provider/bids">{t('workspaces.provider.toBids')}</Link>
              {' · '}
              <Link to="/needs">{t('workspaces.provider.toNeeds')}</Link>
            </p>
          </div>
        }
      />
      <Pagination page={data.page} pageCount={data.pageCount} />
    </>
  )
}
