import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, InputField, TextareaField, useFormFailure } from '~/components/form.js'
import { FileInput } from '~/components/file-input.js'
import { FileList } from '~/components/file-list.js'
import {
  getBidForm,
  removeBidFile,
  reviseBid,
  submitBid,
  ZBidInput,
  ZBidIntent,
  ZBidRef,
  ZBidRevision,
  ZRemoveFile,
} from '~/domain/bids/bids.server.js'
import { BID_LIMITS } from '~/domain/bids/limits.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { AppError } from '~/utils/errors.js'
import { setFlash } from '~/utils/flash.server.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import { readUploadForm } from '~/web/uploads.server.js'

/*
 * 提交方案 / 修改方案 on a need (issue 14 §1): price in 万元, duration, plan, the
 * contract template proposed, the consortium it bids as (only when submitting), and
 * attachments. One multipart form, works without scripts; the use cases read only the
 * fields they name.
 */

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data?.form.bid ? 'bids.form.titleRevise' : 'bids.form.titleNew')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json({ form: await getBidForm(db, actor, id) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db, storage } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { form, files } = await readUploadForm(args.request, {
      purpose: 'bid_attachment',
      maxFiles: BID_LIMITS.attachmentsPerBid,
      maxFields: 40,
    })
    return echoingFormFailure(form, async () => {
      const { intent } = parseForm(ZBidIntent, form)
      const { bidId } = parseForm(ZBidRef, form)
      if (intent === 'removeFile') {
        if (bidId === null) throw new AppError('NOT_FOUND', 'bids.e.notFound')
        const { fileId } = parseForm(ZRemoveFile, form)
        await removeBidFile(db, storage, actor, bidId, fileId)
        return redirect(`/needs/${id}/bid`, { headers: { 'Set-Cookie': await setFlash({ key: 'bids.fileRemoved' }) } })
      }
      const input = parseForm(ZBidInput, form)
      const attachments = files.filter((f) => f.field === 'attachments')
      if (bidId !== null) {
        const { revision } = parseForm(ZBidRevision, form)
        await reviseBid(db, storage, actor, bidId, revision, input, attachments)
        return redirect(`/bids/${bidId}`, { headers: { 'Set-Cookie': await setFlash({ key: 'bids.revised' }) } })
      }
      const { bidId: created } = await submitBid(db, storage, actor, id, input, attachments)
      return redirect(`/bids/${created}`, { headers: { 'Set-Cookie': await setFlash({ key: 'bids.submitted' }) } })
    })
  })
}

function echoed(actionData: unknown, name: string): string | undefined {
  if (!actionData || typeof actionData !== 'object' || !('values' in actionData)) return undefined
  const v = (actionData as { values: Record<string, string | string[]> }).values[name]
  return Array.isArray(v) ? v[0] : v
}

export default function BidFormPage() {
  const { form } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  const { need, bid } = form
  const value = (name: string, saved: string) => echoed(actionData, name) ?? saved
  const chosenTemplate = value('templateVersionId', bid?.templateVersionId ? String(bid.templateVersionId) : '')
  const chosenConsortium = value('consortiumId', bid?.consortiumId ? String(bid.consortiumId) : '')
  return (
    <section aria-labelledby="bid-title" className="bid-form">
      <p>
        <Link to={`/needs/${need.id}`}>← {t('bids.form.cancel')}</Link>
      </p>
      <h1 id="bid-title">{t(bid ? 'bids.form.titleRevise' : 'bids.form.titleNew')}</h1>
      <p className="muted">{t('bids.form.lead', { need: need.title, org: need.orgName })}</p>
      <p className="muted small">
        {need.deadline ? t('bids.form.deadline', { date: need.deadline }) : t('bids.form.noDeadline')}
        {' · '}
        {t('bids.form.budget', { min: need.budgetMinWan, max: need.budgetMaxWan })}
      </p>
      <Form method="post" encType="multipart/form-data" noValidate className="card section">
        <ErrorSummary
          failure={failure}
          fieldIds={{ templateVersionId: 'bid-template', consortiumId: 'bid-consortium', attachments: 'bid-attachments' }}
        />
        {bid ? (
          <>
            <input type="hidden" name="bidId" value={bid.id} />
            <input type="hidden" name="revision" value={bid.revision} />
          </>
        ) : null}
        <InputField
          id="price"
          name="price"
          label={t('bids.form.price')}
          hint={t('bids.form.priceHint')}
          inputMode="decimal"
          autoComplete="off"
          required
          defaultValue={value('price', bid?.priceWan ?? '')}
          error={failure?.fieldErrors.price}
        />
        <InputField
          id="durationDays"
          name="durationDays"
          label={t('bids.form.duration')}
          hint={t('bids.form.durationHint')}
          inputMode="numeric"
          autoComplete="off"
          required
          defaultValue={value('durationDays', bid ? String(bid.durationDays) : '')}
          error={failure?.fieldErrors.durationDays}
        />
        <TextareaField
          id="plan"
          name="plan"
          label={t('bids.form.plan')}
          hint={t('bids.form.planHint')}
          rows={10}
          maxLength={BID_LIMITS.planMax}
          required
          defaultValue={value('plan', bid?.plan ?? '')}
          error={failure?.fieldErrors.plan}
        />
        <fieldset className="field" id="bid-template" aria-describedby="bid-template-hint">
          <legend>{t('bids.form.template')}</legend>
          <p className="hint muted small" id="bid-template-hint">
            {t('bids.form.templateHint')}
          </p>
          {failure?.fieldErrors.templateVersionId ? (
            <p className="field-error" role="alert">
              {t('bids.v.template')}
            </p>
          ) : null}
          <label className="choice">
            <input type="radio" name="templateVersionId" value="" defaultChecked={chosenTemplate === ''} />{' '}
            {t('bids.form.templateNone')}
          </label>
          {form.templates.map((tpl) => (
            <label className="choice" key={tpl.versionId}>
              <input
                type="radio"
                name="templateVersionId"
                value={tpl.versionId}
                defaultChecked={chosenTemplate === String(tpl.versionId)}
              />{' '}
              <span data-i18n-data>
                {t('bids.form.templateOption', {
                  title: tpl.title,
                  version: tpl.version,
                  official: tpl.official ? t('bids.form.official') : '',
                  days: tpl.constructionDays,
                  warranty: tpl.warrantyMonths,
                  milestones: tpl.milestoneCount,
                })}
              </span>{' '}
              <Link
                to={`/templates/${tpl.templateId}?version=${tpl.version}`}
                className="small"
                aria-label={t('bids.form.templateOpen', { title: tpl.title })}
              >
                ↗
              </Link>
            </label>
          ))}
        </fieldset>
        {form.consortia.length > 0 || bid?.consortiumId ? (
          <fieldset className="field" id="bid-consortium">
            <legend>{t('bids.form.consortium')}</legend>
            {bid ? (
              <>
                <input type="hidden" name="consortiumId" value={bid.consortiumId ?? ''} />
                <p className="muted small">{t('bids.form.consortiumFixed')}</p>
              </>
            ) : (
              <>
                {failure?.fieldErrors.consortiumId ? (
                  <p className="field-error" role="alert">
                    {t('bids.v.consortium')}
                  </p>
                ) : null}
                <label className="choice">
                  <input type="radio" name="consortiumId" value="" defaultChecked={chosenConsortium === ''} />{' '}
                  {t('bids.form.alone')}
                </label>
                {form.consortia.map((c) => (
                  <div key={c.id}>
                    <label className="choice">
                      <input type="radio" name="consortiumId" value={c.id} defaultChecked={chosenConsortium === String(c.id)} />{' '}
                      <span data-i18n-data>{t('bids.form.asConsortium', { name: c.name })}</span>
                    </label>
                    <ul className="muted small">
                      {c.members.map((m) => (
                        <li key={m.orgName} data-i18n-data>
                          {t('bids.form.share', { org: m.orgName, scope: m.scope, share: m.sharePercent })}
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </>
            )}
          </fieldset>
        ) : null}
        {bid && bid.files.length > 0 ? <FileList files={bid.files} /> : null}
        {form.attachmentsLeft > 0 ? (
          <FileInput
            id="bid-attachments"
            name="attachments"
            label={t('bids.form.attachments')}
            hint={t('bids.form.attachmentsHint', { left: form.attachmentsLeft })}
            purpose="bid_attachment"
            multiple
            maxFiles={form.attachmentsLeft}
            error={failure?.fieldErrors.attachments}
          />
        ) : null}
        <p>
          <button type="submit" name="intent" value="save" className="button primary">
            {t(bid ? 'bids.form.save' : 'bids.form.submit')}
          </button>
        </p>
      </Form>
      {bid && bid.files.length > 0 ? (
        <section aria-labelledby="bid-files-title" className="card section">
          <h2 id="bid-files-title">{t('bids.page.files')}</h2>
          <ul>
            {bid.files.map((f) => (
              <li key={f.id}>
                <Form method="post" encType="multipart/form-data">
                  <input type="hidden" name="bidId" value={bid.id} />
                  <input type="hidden" name="fileId" value={f.id} />
                  <button type="submit" name="intent" value="removeFile" className="button link">
                    {t('bids.form.removeFile', { name: f.name })}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  )
}
