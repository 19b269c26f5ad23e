import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { Pagination } from '~/components/pagination.js'
import { ExportExcelButton } from '~/components/spreadsheet-task.js'
import { DIAGNOSIS_KINDS } from '~/domain/enterprises/enums.js'
import { listJurisdictionEnterprises } from '~/domain/enterprises/jurisdiction-list.server.js'
import { ZJurisdictionEnterprisesQuery } from '~/domain/enterprises/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'enterprises.agency.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const params = parseQuery(ZJurisdictionEnterprisesQuery, args.request)
    const list = await listJurisdictionEnterprises(db, actor, params, await getLocale(args.request))
    return json({ params, list })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function AgencyEnterprisesPage() {
  const { params, list } = useLoaderData<typeof loader>()
  const t = useT()
  const { coverage } = list
  const percent = coverage.aboveScale ? Math.round((coverage.diagnosed / coverage.aboveScale) * 100) : 0
  const columns: Column<Data['list']['items'][number]>[] = [
    {
      id: 'name',
      header: t('enterprises.agency.col.name'),
      role: 'primary',
      cell: (e) => (
        <Link to={`/enterprises/${e.id}`} data-i18n-data>
          {e.name}
        </Link>
      ),
    },
    { id: 'region', header: t('enterprises.agency.col.region'), cell: (e) => <span data-i18n-data>{e.region}</span> },
    {
      id: 'aboveScale',
      header: t('enterprises.agency.col.aboveScale'),
      cell: (e) => (e.aboveScale ? t('enterprises.yes') : t('enterprises.no')),
    },
    {
      id: 'completeness',
      header: t('enterprises.agency.col.completeness'),
      cell: (e) => t('enterprises.percent', { value: e.completeness }),
    },
    {
      id: 'diagnoses',
      header: t('enterprises.agency.col.diagnoses'),
      cell: (e) =>
        e.diagnoses.length ? (
          <ul className="plain-list">
            {e.diagnoses.map((d) => (
              <li key={`${d.kind}-${d.status}`}>
                {t(d.count > 1 ? 'enterprises.agency.diagnosisCellCount' : 'enterprises.agency.diagnosisCell', {
                  kind: t(`enterprises.diagnosisKind.${d.kind}`),
                  status: t(`enterprises.diagnosisStatus.${d.status}`),
                  count: d.count,
                })}
              </li>
            ))}
          </ul>
        ) : (
          t('enterprises.agency.noDiagnoses')
        ),
    },
    { id: 'needs', header: t('enterprises.agency.col.needs'), cell: (e) => e.needs },
  ]
  return (
    <>
      <header className="page-head">
        <h1>{t('enterprises.agency.title')}</h1>
        <p className="muted">{t('enterprises.agency.lead')}</p>
        <ExportExcelButton list="enterprises" />
      </header>

      <section className="card section" aria-labelledby="coverage-title" data-testid="coverage">
        <h2 id="coverage-title">{t('enterprises.agency.coverage')}</h2>
        {coverage.aboveScale ? (
          <>
            <p>{t('enterprises.agency.coverageLead', { total: coverage.aboveScale, diagnosed: coverage.diagnosed, percent })}</p>
            <h3 className="muted">{t('enterprises.agency.coverageKind')}</h3>
            <dl className="facts">
              {DIAGNOSIS_KINDS.map((k) => (
                <div key={k}>
                  <dt>{t(`enterprises.diagnosisKind.${k}`)}</dt>
                  <dd>{t('enterprises.agency.coverageKindCount', { count: coverage.byKind[k] })}</dd>
                </div>
              ))}
            </dl>
          </>
        ) : (
          <p className="empty-state">{t('enterprises.agency.coverageNone')}</p>
        )}
      </section>

      <Form method="get" className="actions section" role="search">
        <label htmlFor="e-region" className="visually-hidden">
          {t('enterprises.agency.filter.region')}
        </label>
        <select id="e-region" name="region" defaultValue={params.region ?? ''}>
          <option value="">{t('enterprises.agency.filter.anyRegion')}</option>
          {list.regionOptions.map((r) => (
            <option key={r.code} value={r.code} data-i18n-data>
              {r.name}
            </option>
          ))}
        </select>
        <label htmlFor="e-diagnosed" className="visually-hidden">
          {t('enterprises.agency.filter.diagnosed')}
        </label>
        <select id="e-diagnosed" name="diagnosed" defaultValue={params.diagnosed ?? ''}>
          <option value="">{t('enterprises.agency.filter.diagnosedAny')}</option>
          <option value="yes">{t('enterprises.agency.filter.diagnosedYes')}</option>
          <option value="no">{t('enterprises.agency.filter.diagnosedNo')}</option>
        </select>
        <label htmlFor="e-above">
          <input id="e-above" type="checkbox" name="aboveScale" value="1" defaultChecked={params.aboveScale} />{' '}
          {t('enterprises.agency.filter.aboveScale')}
        </label>
        <button type="submit">{t('enterprises.agency.filter.apply')}</button>
      </Form>

      <DataTable
        caption={t('enterprises.agency.caption', { total: list.total })}
        columns={columns}
        rows={list.items}
        rowKey={(e) => e.id}
        empty={<p className="empty-state">{t('enterprises.agency.empty')}</p>}
      />
      <Pagination page={list.page} pageCount={list.pageCount} />
    </>
  )
}
