import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { FileList } from '~/components/file-list.js'
import { ErrorSummary, Honeypot, InputField, TextareaField, useFormFailure } from '~/components/form.js'
import { getVoucherPage, takeStep, type StepInput } from '~/domain/vouchers/vouchers.server.js'
import { ZNoteInput, ZReasonInput, ZReleaseInput, ZStepIntent, ZSubmitInput } from '~/domain/vouchers/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * One 服务券 (issue 16 §5): its scheme, contract and sides; the stage evidence (the
 * accepted milestones the provider cited, with their evidence files, and its note); the
 * release; the timeline of every transition (who, for which organisation, when, from →
 * to, note); and the step the viewer's side may take now, if any.
 */

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'vouchers.detail.title', { id: data?.voucher.id ?? '' })

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json({ voucher: await getVoucherPage(db, actor, id) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const { step } = parseForm(ZStepIntent, form)
    let input: StepInput
    switch (step) {
      case 'submit':
        input = { step, input: parseForm(ZSubmitInput, form) }
        break
      case 'release':
        input = { step, input: parseForm(ZReleaseInput, form) }
        break
      case 'signoff':
      case 'confirm':
        input = { step, note: parseForm(ZNoteInput, form).note }
        break
      default: {
        const { note } = parseForm(ZReasonInput, form)
        if (step === 'cancel') {
          const asked = confirmationAsked(form)
          if (asked) return json(asked)
        }
        input = { step, note }
      }
    }
    await takeStep(db, actor, id, input)
    return redirect(`/vouchers/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: `vouchers.done.${step}` }) } })
  })
}

export default function VoucherPage() {
  const { voucher: v } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const errors = failure?.fieldErrors
  const has = (s: (typeof v.steps)[number]) => v.steps.includes(s)
  return (
    <>
      <p>
        <Link to="/vouchers">← {t('vouchers.title')}</Link>
      </p>
      <header className="page-head">
        <h1>
          {t('vouchers.detail.title', { id: v.id })}{' '}
          <span className={`badge badge-voucher-${v.status}`}>{t(`vouchers.status.${v.status}`)}</span>
        </h1>
        <p className="muted">
          {v.next
            ? t(`vouchers.next.${v.next}`)
            : t(v.status === 'released' ? 'vouchers.next.released' : 'vouchers.next.cancelled')}
        </p>
      </header>
      {confirming ? (
        <ConfirmStep
          request={confirming}
          question={t('vouchers.cancel.question', { id: v.id })}
          consequence={t('vouchers.cancel.consequence')}
          confirmLabel={t('vouchers.step.cancel')}
          danger
        />
      ) : null}

      <section className="card section" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('vouchers.detail.facts')}</h2>
        <dl className="facts">
          <dt>{t('vouchers.col.scheme')}</dt>
          <dd>
            <span data-i18n-data>{v.schemeName}</span> · <span data-i18n-data>{v.schemeDocument}</span>
          </dd>
          <dt>{t('vouchers.detail.contract')}</dt>
          <dd>
            <Link to={`/contracts/${v.contractId}`}>
              <span data-i18n-data>{v.contractTitle}</span>
            </Link>{' '}
            · {t('vouchers.wan', { amount: v.contractAmountWan })}
          </dd>
          <dt>{t('vouchers.col.amount')}</dt>
          <dd>{t('vouchers.wan', { amount: v.amountWan })}</dd>
          <dt>{t('vouchers.detail.agency')}</dt>
          <dd data-i18n-data>{v.agencyName}</dd>
          <dt>{t('vouchers.col.enterprise')}</dt>
          <dd data-i18n-data>{v.enterpriseName}</dd>
          <dt>{t('vouchers.col.provider')}</dt>
          <dd data-i18n-data>{v.providerName}</dd>
          <dt>{t('vouchers.detail.supervisor')}</dt>
          <dd data-i18n-data>{v.supervisorName}</dd>
          <dt>{t('vouchers.detail.issuedAt')}</dt>
          <dd>{formatDateTime(v.issuedAt)}</dd>
          {v.releasedWan !== null ? (
            <>
              <dt>{t('vouchers.detail.released')}</dt>
              <dd>
                {t('vouchers.detail.releasedText', { amount: v.releasedWan, date: v.releasedOn ?? '' })} ·{' '}
                <span data-i18n-data>{v.releasedRef}</span>
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="section" aria-labelledby="evidence-title">
        <h2 id="evidence-title">{t('vouchers.evidence.title')}</h2>
        {v.evidence.length === 0 ? (
          <p className="empty-state">{t('vouchers.evidence.none')}</p>
        ) : (
          <>
            <ul>
              {v.evidence.map((m) => (
                <li key={m.id}>
                  <Link to={`/contracts/${v.contractId}/milestones/${m.id}`}>
                    {t('vouchers.evidence.milestone', { seq: m.seq })} <span data-i18n-data>{m.name}</span>
                  </Link>{' '}
                  · {t('vouchers.wan', { amount: m.amountWan })} · {t('vouchers.evidence.acceptedOn', { date: m.acceptedAt })}
                  <FileList files={m.files} empty={t('vouchers.evidence.noFiles')} />
                </li>
              ))}
            </ul>
            {v.evidenceNote ? (
              <p>
                {t('vouchers.evidence.note')}: <span data-i18n-data>{v.evidenceNote}</span>
              </p>
            ) : null}
          </>
        )}
      </section>

      {v.steps.length > 0 ? (
        <section className="card section" aria-labelledby="act-title">
          <h2 id="act-title">{t('vouchers.act.title')}</h2>
          <ErrorSummary failure={failure} />
          {has('submit') ? (
            <Form method="post" noValidate className="form-wide">
              <Honeypot />
              <input type="hidden" name="step" value="submit" />
              {v.accepted.length === 0 ? (
                <p className="empty-state">{t('vouchers.act.noAccepted')}</p>
              ) : (
                <fieldset id="milestone" tabIndex={-1}>
                  <legend>{t('vouchers.act.pickMilestones')}</legend>
                  {v.accepted.map((m) => (
                    <label key={m.id} className="check">
                      <input type="checkbox" name="milestone" value={m.id} /> {t('vouchers.evidence.milestone', { seq: m.seq })}{' '}
                      <span data-i18n-data>{m.name}</span> · {t('vouchers.evidence.files', { count: m.files.length })}
                    </label>
                  ))}
                  {errors?.milestone ? <p className="field-error">{t('vouchers.v.evidence')}</p> : null}
                </fieldset>
              )}
              <TextareaField
                id="note"
                name="note"
                label={t('vouchers.evidence.note')}
                rows={3}
                maxLength={1000}
                error={errors?.note}
              />
              <div className="actions">
                <button type="submit" disabled={busy || v.accepted.length === 0}>
                  {t('vouchers.step.submit')}
                </button>
              </div>
            </Form>
          ) : null}
          {has('signoff') || has('confirm') ? (
            <Form method="post" noValidate className="form-wide">
              <Honeypot />
              <input type="hidden" name="step" value={has('signoff') ? 'signoff' : 'confirm'} />
              <p>{t(has('signoff') ? 'vouchers.act.signoffLead' : 'vouchers.act.confirmLead')}</p>
              <TextareaField id="okNote" name="note" label={t('vouchers.note')} rows={2} maxLength={1000} />
              <div className="actions">
                <button type="submit" disabled={busy}>
                  {t(has('signoff') ? 'vouchers.step.signoff' : 'vouchers.step.confirm')}
                </button>
              </div>
            </Form>
          ) : null}
          {has('reject') || has('dispute') ? (
            <Form method="post" noValidate className="form-wide">
              <Honeypot />
              <input type="hidden" name="step" value={has('reject') ? 'reject' : 'dispute'} />
              <TextareaField
                id="backNote"
                name="note"
                label={t('vouchers.act.reason')}
                hint={t(has('reject') ? 'vouchers.act.rejectHint' : 'vouchers.act.disputeHint')}
                required
                rows={2}
                maxLength={1000}
              />
              <div className="actions">
                <button type="submit" className="button-secondary" disabled={busy}>
                  {t(has('reject') ? 'vouchers.step.reject' : 'vouchers.step.dispute')}
                </button>
              </div>
            </Form>
          ) : null}
          {has('release') ? (
            <Form method="post" noValidate className="form-wide">
              <Honeypot />
              <input type="hidden" name="step" value="release" />
              <InputField
                id="amount"
                name="amount"
                inputMode="decimal"
                label={t('vouchers.act.releaseAmount')}
                hint={t('vouchers.act.releaseHint', { amount: v.amountWan })}
                required
                defaultValue={v.amountWan}
                error={errors?.amount}
              />
              <InputField
                id="reference"
                name="reference"
                label={t('vouchers.act.reference')}
                required
                maxLength={100}
                error={errors?.reference}
              />
              <InputField
                id="releasedOn"
                name="releasedOn"
                type="date"
                label={t('vouchers.act.releasedOn')}
                required
                defaultValue={v.today}
                max={v.today}
                error={errors?.releasedOn}
              />
              <TextareaField id="releaseNote" name="note" label={t('vouchers.note')} rows={2} maxLength={1000} />
              <div className="actions">
                <button type="submit" disabled={busy}>
                  {t('vouchers.step.release')}
                </button>
              </div>
            </Form>
          ) : null}
          {has('cancel') ? (
            <ConfirmForm
              label={t('vouchers.step.cancel')}
              buttonClassName="button-danger"
              question={t('vouchers.cancel.question', { id: v.id })}
              consequence={t('vouchers.cancel.consequence')}
              confirmLabel={t('vouchers.step.cancel')}
              danger
              noValidate
              className="form-wide"
            >
              <input type="hidden" name="step" value="cancel" />
              <TextareaField
                id="cancelNote"
                name="note"
                label={t('vouchers.act.cancelReason')}
                required
                rows={2}
                maxLength={1000}
              />
            </ConfirmForm>
          ) : null}
        </section>
      ) : (
        <ErrorSummary failure={failure} />
      )}

      <section className="section" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('vouchers.timeline')}</h2>
        <ol className="timeline">
          {v.events.map((e) => (
            <li key={e.id}>
              <strong>{t(`vouchers.action.${e.action}`)}</strong> · {e.from ? `${t(`vouchers.status.${e.from}`)} → ` : ''}
              {t(`vouchers.status.${e.to}`)}
              <br />
              <span className="muted small">
                <span data-i18n-data>{e.actorName}</span> · <span data-i18n-data>{e.orgName}</span> · {formatDateTime(e.at)}
              </span>
              {e.note ? (
                <>
                  <br />
                  <span data-i18n-data>{e.note}</span>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  )
}
