import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { AssessmentHistory } from '~/components/assessment-history.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { dimensionLabels, ownHistory } from '~/domain/assessment/assessments.server.js'
import { ZAssessmentsQuery } from '~/domain/assessment/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 自评估 (issue 16 §2): the enterprise's self-assessments over time (progress per dimension
 * and the full history) and a start button per questionnaire.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'assessment.index.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { page } = parseQuery(ZAssessmentsQuery, args.request)
    const history = await ownHistory(db, actor, page)
    return json({
      ...history,
      dimensionLabels: dimensionLabels(),
    })
  })
}

export default function AssessmentsPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <EnterpriseWorkspaceNav />
      <header className="page-head">
        <h1>{t('assessment.index.title')}</h1>
        <p className="muted">{t('assessment.index.lead')}</p>
      </header>
      <section className="card section" aria-labelledby="assessment-start">
        <h2 id="assessment-start">{t('assessment.index.start')}</h2>
        <div className="actions">
          {(['sme_digital', 'maturity'] as const).map((kind) => (
            <Link key={kind} className="button" to={`/enterprise/assessments/new?kind=${kind}`}>
              {t(`assessment.kindStart.${kind}`)}
            </Link>
          ))}
        </div>
      </section>
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
