import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { AssessmentHistory } from '~/components/assessment-history.js'
import { dimensionLabels, enterpriseHistory } from '~/domain/assessment/assessments.server.js'
import { ZAssessmentsQuery } from '~/domain/assessment/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * An enterprise's self-assessments, read-only, for the agencies over its region and the
 * provider diagnosing it (issue 16 §2: "a diagnosis report can start from them").
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'assessment.index.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { page } = parseQuery(ZAssessmentsQuery, args.request)
    const history = await enterpriseHistory(db, actor, id, page)
    return json({
      ...history,
      dimensionLabels: dimensionLabels(),
    })
  })
}

export default function EnterpriseAssessmentsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <p>
        <Link to={`/enterprises/${data.org.id}`}>
          ← <span data-i18n-data>{data.org.name}</span>
        </Link>
      </p>
      <header className="page-head">
        <h1>
          <span data-i18n-data>{t('assessment.org.title', { name: data.org.name })}</span>
        </h1>
        <p className="muted">{t('assessment.index.lead')}</p>
      </header>
      <AssessmentHistory
        rows={data.rows}
        page={data.page}
        pageCount={data.pageCount}
        progress={data.progress}
        dimensionLabels={data.dimensionLabels}
      />
    </>
  )
}
