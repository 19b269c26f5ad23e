import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table.js'
import { useFocusOnQueryChange } from '~/components/focus.js'
import { Pagination } from '~/components/pagination.js'
import { useTemplateColumns } from '~/components/template-document.js'
import { browseTemplates, ZTemplateListQuery } from '~/domain/providers/templates.server.js'
import { pageDescription, pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import templateStyles from '~/styles/templates.css'
import { formatNumber } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: templateStyles }]

export const meta: MetaFunction = ({ matches }) => [
  ...pageTitle(matches, 'template.list.title'),
  ...pageDescription(matches, 'template.list.lead'),
]

const LINKS = ['factory_build', 'rd_design', 'production', 'production_mgmt', 'operations_mgmt'] as const

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const query = parseQuery(ZTemplateListQuery, args.request)
    return json({ query, ...(await browseTemplates(db, query, await getLocale(args.request))) })
  })
}

/** /templates: the public contract templates, official ones (官方范本) first, by industry and scenario. */
export default function TemplatesPage() {
  const { query, items, total, page, pageCount, industries, scenarios } = useLoaderData<typeof loader>()
  const t = useT()
  const columns = useTemplateColumns()
  const filtered = Boolean(query.industry || query.scenario)
  useFocusOnQueryChange('templates-results')
  return (
    <>
      <header className="page-head">
        <h1>{t('template.list.title')}</h1>
        <p className="muted">{t('template.list.lead')}</p>
      </header>
      <Form method="get" className="card section actions template-filters" role="search" key={JSON.stringify(query)}>
        <div className="field">
          <label htmlFor="f-industry">{t('template.field.industry')}</label>
          <select id="f-industry" name="industry" defaultValue={query.industry ?? ''}>
            <option value="">{t('needs.filter.any')}</option>
            {industries.map((i) => (
              <option key={i.code} value={i.code} data-i18n-data>
                {i.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-scenario">{t('template.filter.scenario')}</label>
          <select id="f-scenario" name="scenario" defaultValue={query.scenario ?? ''}>
            <option value="">{t('needs.filter.any')}</option>
            {LINKS.map((link) => (
              <optgroup key={link} label={t(`link.${link}`)}>
                {scenarios
                  .filter((s) => s.link === link)
                  .map((s) => (
                    <option key={s.code} value={s.code} data-i18n-data>
                      {s.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        <button type="submit">{t('needs.filter.apply')}</button>
        {filtered ? <Link to="/templates">{t('needs.filter.clear')}</Link> : null}
      </Form>
      <h2 id="templates-results" tabIndex={-1} className="results-count">
        {t('template.list.count', { count: formatNumber(total) })}
      </h2>
      <DataTable
        caption={t('template.list.title')}
        columns={columns}
        rows={items}
        rowKey={(r) => r.id}
        empty={
          <div className="empty-state">
            <p>{filtered ? t('template.list.emptyFiltered') : t('template.list.empty')}</p>
            {filtered ? <Link to="/templates">{t('needs.filter.clear')}</Link> : null}
          </div>
        }
      />
      <Pagination page={page} pageCount={pageCount} />
    </>
  )
}
