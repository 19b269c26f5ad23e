import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { SelectField } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { StatusBadge } from '~/components/status-badge.js'
import { todayInChina } from '~/domain/enterprises/archive.server.js'
import { TARGET_LEVELS } from '~/domain/needs/enums.js'
import { projectPool } from '~/domain/project-pool/pool.server.js'
import { POOL_NEED_STATUSES, ZProjectPoolQuery } from '~/domain/project-pool/schema.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatDate, formatNumber, wanText } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'projectPool.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const params = parseQuery(ZProjectPoolQuery, args.request)
    const pool = await projectPool(db, actor, params, todayInChina(), await getLocale(args.request))
    return json({ params, pool })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Project = Data['pool']['items'][number]

function queryOf(params: Data['params']): string {
  const q = new URLSearchParams()
  if (params.level) q.set('level', params.level)
  if (params.status) q.set('status', params.status)
  if (params.region) q.set('region', params.region)
  if (params.year) q.set('year', String(params.year))
  return q.toString()
}

export default function ProjectPoolPage() {
  const { params, pool } = useLoaderData<typeof loader>()
  const t = useT()
  const query = queryOf(params)
  const levelHref = (level: string) => {
    const q = new URLSearchParams(query)
    q.set('level', level)
    return `?${q.toString()}`
  }

  const readiness = (r: Project['readiness']) => {
    switch (r.kind) {
      case 'level':
        return t(`policy.level.${r.level}`)
      case 'unknown':
        return t('projectPool.readiness.unknown')
      case 'none':
        return t('projectPool.readiness.none')
      case 'no_rules':
        return <abbr title={t('projectPool.readiness.noRulesLabel')}>{t('projectPool.readiness.noRules')}</abbr>
    }
  }

  const columns: Column<Project>[] = [
    {
      id: 'project',
      header: t('projectPool.col.project'),
      role: 'primary',
      cell: (p) => (
        <Link to={`/needs/${p.needId}`} data-i18n-data>
          {p.title}
        </Link>
      ),
    },
    {
      id: 'enterprise',
      header: t('projectPool.col.enterprise'),
      cell: (p) => (
        <Link to={`/enterprises/${p.enterpriseId}`} data-i18n-data>
          {p.enterprise}
        </Link>
      ),
    },
    { id: 'region', header: t('projectPool.col.region'), cell: (p) => <span data-i18n-data>{p.region}</span> },
    { id: 'level', header: t('projectPool.col.level'), cell: (p) => <StatusBadge kind="level" value={p.level} /> },
    { id: 'status', header: t('projectPool.col.status'), cell: (p) => <StatusBadge kind="needStatus" value={p.status} /> },
    {
      id: 'investment',
      header: t('projectPool.col.investment'),
      cell: (p) => (
        <>
          {t('projectPool.range', { min: formatNumber(p.budgetMinWan), max: formatNumber(p.budgetMaxWan) })}
          {p.contract ? (
            <>
              <br />
              <Link to={`/contracts/${p.contract.id}`}>
                {t('projectPool.contractAmount', {
                  amount: wanText(p.contract.amountWanX100),
                  status: t(`contracts.status.${p.contract.status}`),
                })}
              </Link>
            </>
          ) : null}
        </>
      ),
    },
    { id: 'readiness', header: t('projectPool.col.readiness'), cell: (p) => readiness(p.readiness) },
    {
      id: 'published',
      header: t('projectPool.col.published'),
      cell: (p) => (p.publishedAt ? formatDate(p.publishedAt) : ''),
    },
  ]

  return (
    <>
      <AgencyWorkspaceNav />
      <header className="page-head">
        <h1>{t('projectPool.title')}</h1>
        <p className="muted">{t('projectPool.lead')}</p>
      </header>

      <Form key={query} method="get" className="filters section" role="search">
        <SelectField id="pp-level" name="level" label={t('projectPool.filter.level')} defaultValue={params.level ?? ''}>
          <option value="">{t('projectPool.filter.anyLevel')}</option>
          {TARGET_LEVELS.map((l) => (
            <option key={l} value={l}>
              {t(`level.${l}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id="pp-status" name="status" label={t('projectPool.filter.status')} defaultValue={params.status ?? ''}>
          <option value="">{t('projectPool.filter.anyStatus')}</option>
          {POOL_NEED_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`needStatus.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id="pp-region" name="region" label={t('projectPool.filter.region')} defaultValue={params.region ?? ''}>
          <option value="">{t('projectPool.filter.anyRegion')}</option>
          {pool.regionOptions.map((r) => (
            <option key={r.code} value={r.code} data-i18n-data>
              {r.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="pp-year"
          name="year"
          label={t('projectPool.filter.year')}
          defaultValue={params.year ? String(params.year) : ''}
        >
          <option value="">{t('projectPool.filter.anyYear')}</option>
          {pool.yearOptions.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </SelectField>
        <div className="actions">
          <button type="submit">{t('projectPool.filter.apply')}</button>
          <a href={`/agency/project-pool.xlsx${query ? `?${query}` : ''}`} download className="button button-secondary">
            {t('projectPool.export')}
          </a>
        </div>
      </Form>

      <section className="section" aria-labelledby="pp-summary">
        <h2 id="pp-summary">{t('projectPool.summary.title')}</h2>
        <DataTable
          caption={t('projectPool.summary.caption')}
          columns={[
            {
              id: 'level',
              header: t('projectPool.col.level'),
              role: 'primary',
              cell: (l) => (
                <Link to={levelHref(l.level)} aria-label={t('projectPool.showLevel', { level: t(`level.${l.level}`) })}>
                  {t(`level.${l.level}`)}
                </Link>
              ),
            },
            { id: 'needs', header: t('projectPool.col.needs'), cell: (l) => formatNumber(l.needs) },
            {
              id: 'budget',
              header: t('projectPool.col.budget'),
              cell: (l) => t('projectPool.range', { min: formatNumber(l.budgetMinWan), max: formatNumber(l.budgetMaxWan) }),
            },
            { id: 'contracts', header: t('projectPool.col.contracts'), cell: (l) => formatNumber(l.contracts) },
            { id: 'amount', header: t('projectPool.col.contractAmount'), cell: (l) => wanText(l.contractAmountWanX100) },
          ]}
          rows={pool.levels}
          rowKey={(l) => l.level}
        />
      </section>

      <section className="section" aria-labelledby="pp-list">
        <h2 id="pp-list">{params.level ? t(`level.${params.level}`) : t('projectPool.sheet.projects')}</h2>
        <p className="muted">{t('projectPool.readiness.rule')}</p>
        <DataTable
          caption={t('projectPool.list.caption', { total: pool.total })}
          columns={columns}
          rows={pool.items}
          rowKey={(p) => p.needId}
          empty={<p className="empty-state">{t('projectPool.empty')}</p>}
        />
        <Pagination page={pool.page} pageCount={pool.pageCount} />
      </section>
    </>
  )
}
