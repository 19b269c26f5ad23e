import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { Budget } from '~/components/budget.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { ErrorSummary, InputField, TextareaField, useFormFailure } from '~/components/form.js'
import { localiseNeedFailure } from '~/components/need-form.js'
import { NeedHistoryList } from '~/components/need-history.js'
import { Fact } from '~/components/org-summary.js'
import { StatusBadge } from '~/components/status-badge.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { NeedEstimateSection } from '~/components/gradient/need-estimate.js'
import { todayInChina } from '~/domain/enterprises/archive.server.js'
import { estimateForNeed } from '~/domain/gradient/need-estimate.server.js'
import { ZNeedEstimateQuery } from '~/domain/gradient/schema.js'
import { countBidsForNeed } from '~/domain/bids/bids.server.js'
import type { OwnNeed } from '~/domain/needs/authoring-views.js'
import { changeNeedStatus, getOwnNeed, ZNeedLifecycleInput } from '~/domain/needs/authoring.server.js'
import type { MessageKey } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm, parseParams, searchParamsObject, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/need-authoring.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? pageTitle(matches, 'need.detail.title', { title: data.need.title }) : pageTitle(matches, 'needManage.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const need = await getOwnNeed(db, actor, id, { locale: await getLocale(args.request) })
    // 补助测算（估算） (issue 16): the assumed investment from the query, else the budget ceiling.
    const asked = ZNeedEstimateQuery.safeParse(searchParamsObject(args.request.url))
    const estimate = await estimateForNeed(db, actor, id, asked.success ? asked.data.investment : null, todayInChina())
    const estimateError = asked.success ? null : 'gradient.v.investment'
    // 收到的方案 (N) (issue 14): the need's live bids.
    return json({ need, bidCount: await countBidsForNeed(db, actor, id), estimate, estimateError })
  })
}

const DONE: Record<string, MessageKey> = {
  publish: 'myNeeds.published',
  withdraw: 'myNeeds.withdrawn',
  republish: 'myNeeds.republished',
  close: 'myNeeds.closed',
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const input = parseForm(ZNeedLifecycleInput, form)
    // Without scripts the button asks first: the input is checked, nothing changed, the confirm step answered.
    const asked = confirmationAsked(form)
    await changeNeedStatus(db, actor, id, input, { apply: !asked })
    if (asked) return json(asked)
    return redirect(`/enterprise/needs/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: DONE[input.intent]! }) } })
  })
}

type Need = SerializeFrom<OwnNeed>

function useQuestions(need: Need) {
  const t = useT()
  return {
    publish: {
      question: t('needManage.publish.question'),
      consequence: t('needManage.publish.consequence', { deadline: need.deadline ?? '—' }),
      confirmLabel: t('needManage.publish'),
    },
    withdraw: {
      question: t('needManage.withdraw.question'),
      consequence: t('needManage.withdraw.consequence'),
      confirmLabel: t('needManage.withdraw'),
      danger: true,
    },
    republish: {
      question: t('needManage.republish.question'),
      consequence: t('needManage.republish.consequence'),
      confirmLabel: t('needManage.republish'),
    },
    close: {
      question: t('needManage.close.question'),
      consequence: t('needManage.close.consequence'),
      confirmLabel: t('needManage.close'),
    },
  }
}

export default function ManageNeedPage() {
  const { need, bidCount, estimate, estimateError } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const t = useT()
  const failure = localiseNeedFailure(useFormFailure(actionData), t)
  const confirming = confirmRequestOf(actionData)
  const busy = useNavigation().state === 'submitting'
  const questions = useQuestions(need)
  const intent = confirming?.fields.intent
  const has = (a: string) => need.actions.includes(a as Need['actions'][number])
  return (
    <article aria-labelledby="need-title">
      <EnterpriseWorkspaceNav />
      <p>
        <Link to="/enterprise/needs">← {t('needForm.back')}</Link>
      </p>
      <header className="page-head">
        <h1 id="need-title" data-i18n-data>
          {need.title}
        </h1>
        <div className="badges">
          <StatusBadge kind="needStatus" value={need.status} />
          <StatusBadge kind="level" value={need.level} />
        </div>
      </header>
      {confirming && typeof intent === 'string' && intent in questions ? (
        <ConfirmStep request={confirming} {...questions[intent as keyof typeof questions]} />
      ) : null}
      {need.statusReason ? (
        <p className="notice">
          {fillTemplate(t('needManage.reason'), { reason: <span data-i18n-data>{need.statusReason}</span> })}
        </p>
      ) : null}
      {need.source ? (
        <p className="need-source">
          {t('needSource.detail', { version: need.source.version })}
          {need.source.weaknessTitle ? (
            <>
              {t('list.separator')}
              <span data-i18n-data>{need.source.weaknessTitle}</span>
            </>
          ) : null}{' '}
          {need.source.href ? <Link to={need.source.href}>{t('needForm.sourceLink')}</Link> : null}
        </p>
      ) : null}
      <p>
        {need.publicHref ? (
          <Link to={need.publicHref}>{t('needManage.publicPage')}</Link>
        ) : (
          <span className="muted">{t('needManage.notPublic')}</span>
        )}
      </p>
      {need.canWrite ? (
        <p>
          <Link className="button button-secondary" to={`/needs/${need.id}/matches`}>
            {t('matching.link.matches')}
          </Link>
          {bidCount !== null ? (
            <>
              {' '}
              <Link className="button button-secondary" to={`/enterprise/needs/${need.id}/bids`}>
                {t('bids.link.received', { count: bidCount })}
              </Link>
            </>
          ) : null}
        </p>
      ) : null}
      <div className="detail-layout">
        <div>
          <section className="card section need-actions" aria-labelledby="actions-title">
            <h2 id="actions-title">{t('needManage.actions')}</h2>
            <ErrorSummary failure={failure} />
            {!need.canWrite ? <p className="muted">{t('needManage.readOnly')}</p> : null}
            {need.canWrite && need.actions.length === 0 ? <p className="muted">{t('needManage.noActions')}</p> : null}
            {has('edit') ? (
              <p>
                <Link className="button button-secondary" to={`/enterprise/needs/${need.id}/edit`}>
                  {t('needManage.edit')}
                </Link>
              </p>
            ) : null}
            {has('publish') ? (
              <ConfirmForm label={t('needManage.publish')} buttonId="publish" disabled={busy} noValidate {...questions.publish}>
                <input type="hidden" name="intent" value="publish" />
                <InputField
                  id="deadline"
                  name="deadline"
                  type="date"
                  label={t('needForm.field.deadline')}
                  required
                  min={need.today}
                  max={need.maxDeadline}
                  defaultValue={need.deadline ?? ''}
                  error={failure?.fieldErrors.deadline}
                />
              </ConfirmForm>
            ) : null}
            {has('republish') ? (
              <ConfirmForm
                label={t('needManage.republish')}
                buttonId="republish"
                disabled={busy}
                noValidate
                {...questions.republish}
              >
                <input type="hidden" name="intent" value="republish" />
                <InputField
                  id="deadline"
                  name="deadline"
                  type="date"
                  label={t('needManage.republish.deadline')}
                  required
                  min={need.today}
                  max={need.maxDeadline}
                  defaultValue=""
                  error={failure?.fieldErrors.deadline}
                />
              </ConfirmForm>
            ) : null}
            {has('withdraw') ? (
              <ConfirmForm
                label={t('needManage.withdraw')}
                buttonId="withdraw"
                buttonClassName="button-danger"
                disabled={busy}
                noValidate
                {...questions.withdraw}
              >
                <input type="hidden" name="intent" value="withdraw" />
                <TextareaField
                  id="reason"
                  name="reason"
                  label={t('needManage.withdraw.reason')}
                  required
                  maxLength={500}
                  rows={2}
                  error={failure?.fieldErrors.reason}
                />
              </ConfirmForm>
            ) : null}
            {has('close') ? (
              <ConfirmForm label={t('needManage.close')} buttonId="close" disabled={busy} noValidate {...questions.close}>
                <input type="hidden" name="intent" value="close" />
                <TextareaField id="close-reason" name="reason" label={t('needManage.close.reason')} maxLength={500} rows={2} />
              </ConfirmForm>
            ) : null}
          </section>
          <section className="card section prose" aria-labelledby="desc-title">
            <h2 id="desc-title">{t('need.detail.description')}</h2>
            <p data-i18n-data style={{ whiteSpace: 'pre-line' }}>
              {need.description}
            </p>
            {need.expectedResults ? (
              <>
                <h3>{t('need.detail.expectedResults')}</h3>
                <p data-i18n-data style={{ whiteSpace: 'pre-line' }}>
                  {need.expectedResults}
                </p>
              </>
            ) : null}
          </section>
          <NeedEstimateSection estimate={estimate} error={estimateError} />
          <section className="card section" aria-labelledby="history-title">
            <h2 id="history-title">{t('needManage.history')}</h2>
            <NeedHistoryList entries={need.history} empty={t('needManage.noHistory')} />
          </section>
        </div>
        <aside className="card" aria-labelledby="facts-title">
          <h2 id="facts-title">{t('needManage.facts')}</h2>
          <dl className="facts">
            <Fact label={t('needManage.deadline')}>{need.deadline ?? t('myNeeds.noDeadline')}</Fact>
            <Fact label={t('need.detail.budget')}>
              <Budget minWan={need.budgetMinWan} maxWan={need.budgetMaxWan} />
            </Fact>
            <Fact label={t('need.detail.industry')} data>
              {need.industryName}
            </Fact>
            <Fact label={t('need.detail.region')} data>
              {need.regionName}
            </Fact>
            <Fact label={t('need.detail.scenarios')} data>
              {need.scenarios.map((s) => s.name).join(t('list.separator'))}
            </Fact>
            <Fact label={t('need.detail.start')}>{need.expectedStart}</Fact>
            <Fact label={t('need.detail.duration')}>{t('need.detail.durationMonths', { months: need.durationMonths })}</Fact>
            <Fact label={t('need.detail.matching')}>
              {need.acceptsMatching ? t('need.detail.matching.yes') : t('need.detail.matching.no')}
            </Fact>
            <Fact label={t('needManage.visibility')}>{t(`needForm.visibility.${need.visibility}`)}</Fact>
            {need.publishedAt ? <Fact label={t('need.detail.publishedAt')}>{formatDateTime(need.publishedAt)}</Fact> : null}
            <Fact label={t('needManage.created')}>{formatDateTime(need.createdAt)}</Fact>
            <Fact label={t('needManage.updated')}>{formatDateTime(need.updatedAt)}</Fact>
          </dl>
        </aside>
      </div>
    </article>
  )
}
