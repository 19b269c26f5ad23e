import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { ErrorSummary, TextareaField, useFormFailure } from '~/components/form.js'
import { Breakdown, ScoreBar } from '~/components/matching-breakdown.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { decideOnBid, ZBidDecisionInput } from '~/domain/bids/award.server.js'
import { getBidComparison } from '~/domain/bids/compare.server.js'
import { BID_LIMITS } from '~/domain/bids/limits.js'
import type { MessageKey } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { AppError } from '~/utils/errors.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import matchingStyles from '~/styles/matching.css'
import styles from '~/styles/bids.css'

/*
 * 比较方案 (issue 14 §2): the need's live bids side by side (stacked cards on a phone):
 * price, duration, template terms, match score and breakdown, cases, rating. Members of
 * the need's enterprise shortlist and turn bids down (with a reason); an owner awards,
 * after a confirm step. Agencies over the need's region read it; anyone else gets 404.
 */

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: matchingStyles },
  { rel: 'stylesheet', href: styles },
]

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'bids.compare.title', { need: data?.need.title ?? '' })

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db, search } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json(await getBidComparison(db, search, actor, id))
  })
}

const DONE: Record<'shortlist' | 'reject' | 'award', MessageKey> = {
  shortlist: 'bids.compare.shortlisted',
  reject: 'bids.compare.rejected',
  award: 'bids.compare.awardedDone',
}

/** A reason's error belongs to the one bid's form it came from: `reason` → `reason-<bidId>`. */
function perBid(error: unknown, bidRef: FormDataEntryValue | null): unknown {
  if (!(error instanceof AppError) || typeof bidRef !== 'string' || !/^[1-9]\d{0,9}$/.test(bidRef)) return error
  const reason = error.fieldErrors?.reason
  if (!reason) return error
  const { reason: _moved, ...rest } = error.fieldErrors ?? {}
  return new AppError(error.code, error.key, { fieldErrors: { ...rest, [`reason-${bidRef}`]: reason }, params: error.params })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    let input
    try {
      input = parseForm(ZBidDecisionInput, form)
    } catch (error) {
      throw perBid(error, form.get('bidId'))
    }
    // Without scripts the award button asks first: everything checked, nothing changed.
    const asked = confirmationAsked(form)
    const { contractId } = await decideOnBid(db, actor, id, input, { apply: !asked })
    if (asked) return json(asked)
    const to = contractId !== null ? `/contracts/${contractId}` : `/enterprise/needs/${id}/compare`
    return redirect(to, { headers: { 'Set-Cookie': await setFlash({ key: DONE[input.intent] }) } })
  })
}

type Data = SerializeFrom<typeof loader>
type Bid = Data['bids'][number]

export default function CompareBidsPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const confirmingBid =
    confirming && confirming.fields.intent === 'award'
      ? data.bids.find((b) => String(b.id) === confirming.fields.bidId)
      : undefined
  return (
    <>
      <EnterpriseWorkspaceNav />
      <p>
        <Link to={`/enterprise/needs/${data.need.id}/bids`}>← {t('bids.compare.backToList')}</Link>
      </p>
      <header className="page-head">
        <h1>
          {t('bids.compare.title', { need: '' })}
          <span data-i18n-data>{data.need.title}</span>
        </h1>
        <p className="muted">{t('bids.compare.lead')}</p>
      </header>
      {confirmingBid && confirming ? (
        <ConfirmStep
          request={confirming}
          question={t('bids.compare.awardQuestion', { provider: confirmingBid.providerName })}
          consequence={t('bids.compare.awardConsequence')}
          confirmLabel={t('bids.compare.award')}
        />
      ) : null}
      <ErrorSummary failure={failure} />
      {data.contractId !== null ? (
        <p className="notice notice-success">
          {t('bids.compare.awarded')} <Link to={`/contracts/${data.contractId}`}>{t('bids.compare.contract')}</Link>
        </p>
      ) : null}
      {data.viewer === 'agency' ? <p className="notice">{t('bids.compare.readOnly')}</p> : null}
      {data.viewer === 'owner' && !data.mayDecide && data.contractId === null ? (
        <p className="notice">{t('bids.compare.closed')}</p>
      ) : null}
      {data.mayDecide && !data.mayAward ? <p className="notice">{t('bids.compare.memberNote')}</p> : null}
      {data.mayDecide && data.need.status === 'published' ? (
        <p className="muted small">{t('bids.compare.shortlistNote')}</p>
      ) : null}
      {data.bids.length === 0 ? (
        <div className="empty-state">
          <p>{t('bids.compare.empty')}</p>
          {data.viewer === 'owner' ? <Link to={`/needs/${data.need.id}/matches`}>{t('bids.compare.emptyNext')}</Link> : null}
        </div>
      ) : (
        <>
          {data.total > data.bids.length ? (
            <p className="muted small">{t('bids.compare.shown', { total: data.total, shown: data.bids.length })}</p>
          ) : null}
          <ol className="compare-grid" aria-label={t('bids.compare.bid')}>
            {data.bids.map((b) => (
              <BidCard key={b.id} bid={b} data={data} busy={busy} reasonError={failure?.fieldErrors[`reason-${b.id}`]} />
            ))}
          </ol>
        </>
      )}
    </>
  )
}

function BidCard({ bid: b, data, busy, reasonError }: { bid: Bid; data: Data; busy: boolean; reasonError?: string }) {
  const t = useT()
  const message = useMessage()
  const name = b.consortiumName ? `${b.providerName}（${b.consortiumName}）` : b.providerName
  const tpl = b.template
  return (
    <li className="card compare-card" aria-labelledby={`bid-${b.id}-name`}>
      <h2 id={`bid-${b.id}-name`} className="compare-name">
        <Link to={`/bids/${b.id}`} data-i18n-data>
          {name}
        </Link>
      </h2>
      <p>
        <span className={`badge badge-bid-${b.status}`}>{t(`bids.status.${b.status}`)}</span>
      </p>
      <dl className="facts compare-facts">
        <dt>{t('bids.compare.price')}</dt>
        <dd>
          {t('bids.page.priceValue', { price: b.priceWan })}
          {data.lowestPriceX100 === b.priceX100 ? <span className="badge compare-best">{t('bids.compare.lowest')}</span> : null}
        </dd>
        <dt>{t('bids.compare.duration')}</dt>
        <dd>
          {t('bids.page.durationValue', { days: b.durationDays })}
          {data.shortestDays === b.durationDays ? <span className="badge compare-best">{t('bids.compare.shortest')}</span> : null}
        </dd>
        <dt>{t('bids.compare.template')}</dt>
        <dd>
          {tpl ? (
            <Link to={`/templates/${tpl.templateId}?version=${tpl.version}`} data-i18n-data>
              {t('bids.compare.templateTitle', { title: tpl.title, version: tpl.version })}
            </Link>
          ) : (
            t('bids.compare.templateNone')
          )}
        </dd>
        {tpl ? (
          <>
            <dt>{t('bids.compare.construction')}</dt>
            <dd>{t('bids.compare.constructionValue', { days: tpl.constructionDays })}</dd>
            <dt>{t('bids.compare.warranty')}</dt>
            <dd>{t('bids.compare.warrantyValue', { months: tpl.warrantyMonths })}</dd>
            <dt>{t('bids.compare.milestones')}</dt>
            <dd>
              {tpl.milestonePercents.length > 0
                ? tpl.milestonePercents.map((p) => `${p}%`).join(' / ')
                : t('bids.compare.milestonesNone')}
            </dd>
            <dt>{t('bids.compare.priceModel')}</dt>
            <dd>{message(`template.priceModel.${tpl.priceModel}`)}</dd>
          </>
        ) : null}
        <dt>{t('bids.compare.match')}</dt>
        <dd>
          {b.match ? (
            <>
              <ScoreBar score={b.match.score} />
              <Breakdown factors={b.match.factors} name={name} />
            </>
          ) : (
            t('bids.compare.excluded', { reason: message(`bids.compare.excluded.${b.excluded ?? 'not_verified'}`) })
          )}
        </dd>
        <dt>{t('bids.compare.cases')}</dt>
        <dd>{t('bids.compare.casesValue', { total: b.cases.total, verified: b.cases.verified })}</dd>
        <dt>{t('bids.compare.rating')}</dt>
        <dd>
          {b.rating.percent === null
            ? t('bids.compare.ratingNone')
            : t('bids.compare.ratingValue', { count: b.rating.count, percent: b.rating.percent })}
        </dd>
        <dt>{t('bids.compare.messages')}</dt>
        <dd>
          <Link to={`/bids/${b.id}#thread`}>{t('bids.compare.messagesValue', { count: b.messageCount })}</Link>
        </dd>
      </dl>
      <p>
        <Link to={`/bids/${b.id}`}>
          {t('bids.compare.openBid')}
          <span className="visually-hidden" data-i18n-data>
            {' '}
            {name}
          </span>
        </Link>
      </p>
      {b.actions.length > 0 ? (
        <div className="compare-actions" role="group" aria-label={`${t('bids.compare.actions')} ${name}`}>
          {b.actions.includes('shortlist') ? (
            <Form method="post">
              <input type="hidden" name="intent" value="shortlist" />
              <input type="hidden" name="bidId" value={b.id} />
              <button type="submit" className="button-secondary" disabled={busy}>
                {t('bids.compare.shortlist')}
                <span className="visually-hidden" data-i18n-data>
                  {' '}
                  {name}
                </span>
              </button>
            </Form>
          ) : null}
          {b.actions.includes('award') ? (
            <ConfirmForm
              label={t('bids.compare.award')}
              buttonExtra={name}
              disabled={busy}
              question={t('bids.compare.awardQuestion', { provider: name })}
              consequence={t('bids.compare.awardConsequence')}
              confirmLabel={t('bids.compare.award')}
            >
              <input type="hidden" name="intent" value="award" />
              <input type="hidden" name="bidId" value={b.id} />
            </ConfirmForm>
          ) : null}
          {b.actions.includes('reject') ? (
            <details className="compare-reject" open={reasonError ? true : undefined}>
              <summary>
                {t('bids.compare.reject')}
                <span className="visually-hidden" data-i18n-data>
                  {' '}
                  {name}
                </span>
              </summary>
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="reject" />
                <input type="hidden" name="bidId" value={b.id} />
                <TextareaField
                  id={`reason-${b.id}`}
                  name="reason"
                  label={t('bids.compare.rejectReason')}
                  hint={t('bids.compare.rejectHint')}
                  rows={2}
                  maxLength={BID_LIMITS.reasonMax}
                  required
                  error={reasonError}
                />
                <button type="submit" className="button-danger" disabled={busy}>
                  {t('bids.compare.reject')}
                </button>
              </Form>
            </details>
          ) : null}
        </div>
      ) : null}
    </li>
  )
}
