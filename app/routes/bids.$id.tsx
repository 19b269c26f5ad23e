import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, TextareaField, useFormFailure } from '~/components/form.js'
import { FileList } from '~/components/file-list.js'
import { getBidForViewer, withdrawBid, ZWithdrawInput } from '~/domain/bids/bids.server.js'
import { BID_LIMITS, NOT_AWARDED_REASON } from '~/domain/bids/limits.js'
import { getBidThread, postBidMessage, ZBidMessageInput, ZBidPageIntent } from '~/domain/bids/messages.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/bids.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

/*
 * A bid's page: the bidder reads it with 修改 / 撤回, the need's owner and the agencies
 * over its region read it only. Anyone else (a rival bidder too) gets 404. The question
 * thread (提问与答复) below it is the enterprise's and the bidder's (agencies do not see
 * it); once awarded, both follow the link to the contract.
 */

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'bids.page.title', { need: data?.bid.needTitle ?? '' })

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const bid = await getBidForViewer(db, actor, id)
    return json({ bid, thread: await getBidThread(db, actor, id) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const { intent } = parseForm(ZBidPageIntent, form)
    if (intent === 'message') {
      const { body } = parseForm(ZBidMessageInput, form)
      await postBidMessage(db, actor, id, body)
      return redirect(`/bids/${id}#thread`, { headers: { 'Set-Cookie': await setFlash({ key: 'bids.thread.posted' }) } })
    }
    const { reason } = parseForm(ZWithdrawInput, form)
    await withdrawBid(db, actor, id, reason)
    return redirect(`/bids/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: 'bids.withdrawnDone' }) } })
  })
}

export default function BidPage() {
  const { bid, thread } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  // Which form failed: the thread's (its field is `body`) or the withdrawal's.
  const threadFailure = failure && 'body' in failure.fieldErrors ? failure : undefined
  const withdrawFailure = threadFailure ? undefined : failure
  const t = useT()
  const tpl = bid.template
  return (
    <section aria-labelledby="bid-title">
      <p>
        {bid.viewerSide === 'bidder' ? (
          <Link to="/provider/bids">← {t('bids.page.backToMine')}</Link>
        ) : (
          <Link to={`/enterprise/needs/${bid.needId}/bids`}>← {t('bids.page.backToList')}</Link>
        )}
      </p>
      <h1 id="bid-title">
        {t('bids.page.title', { need: '' })}
        <Link to={`/needs/${bid.needId}`} data-i18n-data>
          {bid.needTitle}
        </Link>
      </h1>
      {bid.contractId !== null ? (
        <p className="notice notice-success">
          {t('bids.page.awardedLead')}{' '}
          <Link to={`/contracts/${bid.contractId}`} className="button primary">
            {t('bids.page.contract')}
          </Link>
        </p>
      ) : null}
      {bid.viewerSide !== 'bidder' ? (
        <p>
          <Link to={`/enterprise/needs/${bid.needId}/compare`}>{t('bids.page.compare')}</Link>
        </p>
      ) : null}
      <dl className="card section facts">
        <dt>{t('bids.page.provider')}</dt>
        <dd data-i18n-data>{bid.providerName}</dd>
        {bid.consortiumName ? (
          <>
            <dt>{t('bids.page.consortium')}</dt>
            <dd data-i18n-data>{bid.consortiumName}</dd>
          </>
        ) : null}
        <dt>{t('bids.page.status')}</dt>
        <dd>
          <span className={`badge badge-bid-${bid.status}`}>{t(`bids.status.${bid.status}`)}</span>
        </dd>
        {bid.status === 'withdrawn' && bid.statusReason ? (
          <>
            <dt>{t('bids.page.reason')}</dt>
            <dd data-i18n-data>{bid.statusReason}</dd>
          </>
        ) : null}
        {bid.status === 'rejected' && bid.statusReason ? (
          <>
            <dt>{t('bids.page.rejectReason')}</dt>
            {bid.statusReason === NOT_AWARDED_REASON ? (
              <dd>{t('bids.reason.not_awarded')}</dd>
            ) : (
              <dd data-i18n-data>{bid.statusReason}</dd>
            )}
          </>
        ) : null}
        <dt>{t('bids.page.price')}</dt>
        <dd>{t('bids.page.priceValue', { price: bid.priceWan })}</dd>
        <dt>{t('bids.page.duration')}</dt>
        <dd>{t('bids.page.durationValue', { days: bid.durationDays })}</dd>
        <dt>{t('bids.page.template')}</dt>
        <dd>
          {tpl ? (
            <Link to={`/templates/${tpl.templateId}?version=${tpl.version}`} data-i18n-data>
              {t('bids.page.templateValue', {
                title: tpl.title,
                version: tpl.version,
                days: tpl.constructionDays,
                warranty: tpl.warrantyMonths,
                milestones: tpl.milestoneCount,
              })}
            </Link>
          ) : (
            t('bids.page.templateNone')
          )}
        </dd>
        <dt>{t('bids.page.updated')}</dt>
        <dd>{formatDateTime(bid.updatedAt)}</dd>
      </dl>
      <section className="card section" aria-labelledby="plan-title">
        <h2 id="plan-title">{t('bids.page.plan')}</h2>
        <p className="prewrap" data-i18n-data style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {bid.plan}
        </p>
      </section>
      {bid.shares.length > 0 ? (
        <section className="card section" aria-labelledby="shares-title">
          <h2 id="shares-title">{t('bids.page.shares')}</h2>
          <ul>
            {bid.shares.map((s) => (
              <li key={s.orgId} data-i18n-data>
                {t('bids.form.share', { org: s.orgName, scope: s.scope, share: s.sharePercent })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="card section" aria-labelledby="files-title">
        <h2 id="files-title">{t('bids.page.files')}</h2>
        <FileList files={bid.files} empty={t('bids.page.noFiles')} />
      </section>
      {bid.viewerSide === 'bidder' ? (
        <>
          {bid.actions.includes('revise') ? (
            <p>
              <Link to={`/needs/${bid.needId}/bid`} className="button primary">
                {t('bids.page.revise')}
              </Link>
            </p>
          ) : null}
          {bid.actions.includes('withdraw') ? (
            <Form method="post" noValidate className="card section" aria-labelledby="withdraw-title">
              <h2 id="withdraw-title">{t('bids.page.withdraw')}</h2>
              <ErrorSummary failure={withdrawFailure} />
              <p className="muted small">{t('bids.page.withdrawHint')}</p>
              <TextareaField
                id="reason"
                name="reason"
                label={t('bids.page.withdrawReason')}
                rows={3}
                maxLength={BID_LIMITS.reasonMax}
                required
                error={withdrawFailure?.fieldErrors.reason}
              />
              <button type="submit" className="button danger">
                {t('bids.page.withdraw')}
              </button>
            </Form>
          ) : null}
        </>
      ) : (
        <p className="muted">{t('bids.page.readOnly')}</p>
      )}
      {thread ? <Thread thread={thread} side={bid.viewerSide === 'bidder' ? 'bidder' : 'owner'} failure={threadFailure} /> : null}
    </section>
  )
}

type ThreadData = NonNullable<SerializeFrom<typeof loader>['thread']>

function Thread({
  thread,
  side,
  failure,
}: {
  thread: ThreadData
  side: 'owner' | 'bidder'
  failure: ReturnType<typeof useFormFailure>
}) {
  const t = useT()
  return (
    <section id="thread" className="card section" aria-labelledby="thread-title">
      <h2 id="thread-title">{t('bids.thread.title')}</h2>
      <p className="muted small">{t('bids.thread.lead')}</p>
      {thread.messages.length === 0 ? (
        <p className="empty-state">{t('bids.thread.empty')}</p>
      ) : (
        <ol className="thread">
          {thread.messages.map((m) => (
            <li key={m.id} className={`thread-message is-${m.side}`}>
              <p className="thread-meta">
                {t('bids.thread.meta', {
                  side: t(`bids.thread.side.${m.side}`),
                  org: m.orgName,
                  time: formatDateTime(m.createdAt),
                })}
              </p>
              <p className="thread-body" data-i18n-data>
                {m.body}
              </p>
            </li>
          ))}
        </ol>
      )}
      {thread.mayPost ? (
        <Form method="post" noValidate>
          <ErrorSummary failure={failure} />
          <input type="hidden" name="intent" value="message" />
          <TextareaField
            id="body"
            name="body"
            label={t('bids.thread.body')}
            hint={t(`bids.thread.bodyHint.${side}`, { left: thread.left })}
            rows={3}
            maxLength={BID_LIMITS.messageMax}
            required
            error={failure?.fieldErrors.body}
          />
          <button type="submit" className="button primary">
            {t(`bids.thread.post.${side}`)}
          </button>
        </Form>
      ) : thread.closedReason === 'full' ? (
        <p className="muted">{t('bids.thread.closed.full', { max: BID_LIMITS.messagesPerBid })}</p>
      ) : (
        <p className="muted">{t('bids.thread.closed.decided')}</p>
      )}
    </section>
  )
}
