import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ReportBody, SignatureBlock } from '~/components/diagnosis-report.js'
import { getVersionPage, ZVersionParams } from '~/domain/diagnosis/reports.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import diagnosisStyles from '~/styles/diagnosis.css'
import { formatDateTime } from '~/utils/format.js'
import { parseParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: diagnosisStyles }]

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? pageTitle(matches, 'diagnosis.report.versionTitle', {
        enterprise: data.page.enterpriseName,
        version: data.page.version.version,
      })
    : pageTitle(matches, 'diagnosis.page.report')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id, version } = parseParams(ZVersionParams, args.params)
    return json({ page: await getVersionPage(db, actor, id, version, await getLocale(args.request)) })
  })
}

/** One version of a report, to read or print on A4 (print CSS in styles/diagnosis.css), with its 签字盖章 block. */
export default function ReportVersionPage() {
  const { page } = useLoaderData<typeof loader>()
  const t = useT()
  const v = page.version
  return (
    <article className="report-document" aria-labelledby="version-title">
      <p className="no-print">
        <Link to={`/diagnoses/${page.diagnosisId}`}>← {t('diagnosis.report.backToProject')}</Link>
      </p>
      <header className="page-head">
        <h1 id="version-title">{t('diagnosis.report.versionTitle', { enterprise: page.enterpriseName, version: v.version })}</h1>
        <p className="muted">
          {t('diagnosis.report.meta', { kind: t(`diagnosis.kind.${page.kind}`), provider: page.providerName })}
        </p>
        <p>
          <span className={`badge badge-${v.status}`}>{t(`diagnosis.report.${v.status}`)}</span>
          {v.submittedAt ? (
            <span className="muted">
              {' '}
              {t('diagnosis.page.col.submitted')} {formatDateTime(v.submittedAt)}
            </span>
          ) : null}
        </p>
        <p className="muted no-print">{t('diagnosis.report.printHint')}</p>
      </header>
      <ReportBody version={v} />
      <SignatureBlock version={v} />
    </article>
  )
}
