import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { TemplateBadges, TemplateDiff, TemplateDocument } from '~/components/template-document.js'
import { getTemplatePage, ZTemplatePageQuery } from '~/domain/providers/templates.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useLocale, useT } from '~/i18n/use-t.js'
import templateStyles from '~/styles/templates.css'
import { formatDate } from '~/utils/format.js'
import { parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { optionalActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: templateStyles }]

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? pageTitle(matches, 'template.page.titleOf', { title: data.template.title }) : pageTitle(matches, 'template.page.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const { version } = parseQuery(ZTemplatePageQuery, args.request)
    const actor = await optionalActor(args)
    return json({ template: await getTemplatePage(db, actor, id, version, await getLocale(args.request)) })
  })
}

/**
 * A contract template: the version shown (the current one, or `?version=N`) as a
 * contract, the versions, what differs from the version it derives from; print (A4),
 * derive (an official one) or edit (one's own).
 */
export default function TemplatePage() {
  const { template } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  const shown = template.shown
  const archived = template.status === 'archived'
  const older = shown.version !== template.currentVersion
  return (
    <>
      <div className="no-print">
        <p>
          <Link to="/templates">← {t('template.page.back')}</Link>
        </p>
        <div className="badges section-head">
          <TemplateBadges isOfficial={template.isOfficial} archived={archived} />
          {shown.inUse ? <span className="badge">{t('template.inUse')}</span> : null}
        </div>
        {archived ? <p className="notice notice-warn">{t('template.page.archivedNotice')}</p> : null}
        {older ? (
          <p className="notice notice-warn">
            {t('template.page.olderVersion', { version: shown.version, current: template.currentVersion })}{' '}
            <Link to={`/templates/${template.id}`}>{t('template.page.toCurrent')}</Link>
          </p>
        ) : null}
        <div className="template-toolbar">
          <nav aria-label={t('template.page.versions')}>
            <ul className="template-versions">
              <li className="muted">{t('template.page.versions')}</li>
              {template.versions.map((v) => (
                <li key={v.version}>
                  {v.version === shown.version ? (
                    <span aria-current="page">
                      <strong>{t('template.doc.version', { version: v.version })}</strong>
                    </span>
                  ) : (
                    <Link to={v.version === template.currentVersion ? `/templates/${template.id}` : `?version=${v.version}`}>
                      {t('template.doc.version', { version: v.version })}
                    </Link>
                  )}{' '}
                  <span className="muted">{formatDate(v.createdAt)}</span>
                </li>
              ))}
            </ul>
          </nav>
          <div className="actions">
            <button type="button" className="button-secondary print-button" onClick={() => window.print()}>
              {t('template.page.print')}
            </button>
            {template.canDerive ? (
              <Link className="button" to={`/org/templates/new?from=${shown.id}`}>
                {t('template.page.derive')}
              </Link>
            ) : null}
            {template.canManage && !archived ? (
              <Link className="button" to={`/org/templates/${template.id}/edit`}>
                {t('template.page.edit')}
              </Link>
            ) : null}
          </div>
        </div>
        {locale !== 'zh-CN' ? <p className="muted">{t('template.doc.chineseNote')}</p> : null}
      </div>
      <TemplateDocument template={template} />
      <TemplateDiff template={template} />
    </>
  )
}
