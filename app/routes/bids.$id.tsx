import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, TextareaField, useFormFailure } from '~/components/form.js'
import { FileList } from '~/components/file-list.js'
import { getBidForViewer, withdrawBid, ZWithdrawInput } from '~/domain/bids/bids.server.js'
import { BID_LIMITS } from '~/domain/bids/limits.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * A bid's page: the bidder reads it with 修改 / 撤回, the need's owner and the agencies
 * over its region read it only. Anyone else (a rival bidder too) gets 404.
 */

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'bids.page.title', { need: data?.bid.needTitle ?? '' })

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json({ bid: await getBidForViewer(db, actor, id) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { reason } = parseForm(ZWithdrawInput, await args.request.formData())
    await withdrawBid(db, actor, id, reason)
    return redirect(`/bids/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: 'bids.withdrawnDone' }) } })
  })
}

export default function BidPage() {
  const { bid } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
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
              <ErrorSummary failure={failure} />
              <p className="muted small">{t('bids.page.withdrawHint')}</p>
              <TextareaField
                id="reason"
                name="reason"
                label={t('bids.page.withdrawReason')}
                rows={3}
                maxLength={BID_LIMITS.reasonMax}
                required
                error={failure?.fieldErrors.reason}
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
    </section>
  )
}
