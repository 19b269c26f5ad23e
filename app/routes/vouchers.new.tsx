import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { ErrorSummary, Honeypot, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { getIssueForm, issueVoucher } from '~/domain/vouchers/vouchers.server.js'
import { ZIssueInput, ZIssueQuery } from '~/domain/vouchers/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 发放服务券 (issue 16 §5): the agency picks one of its current schemes and a contract of
 * its jurisdiction with an appointed 监理机构 and no live voucher; the amount is checked
 * against the scheme's caps and what is left of the year's budget (decision 016).
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'vouchers.issue.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { contract } = parseQuery(ZIssueQuery, args.request)
    return json(await getIssueForm(db, actor, contract))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const input = parseForm(ZIssueInput, await args.request.formData())
    const id = await issueVoucher(db, actor, input)
    return redirect(`/vouchers/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: 'vouchers.issue.done' }) } })
  })
}

export default function IssueVoucherPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const errors = failure?.fieldErrors
  const chosen = data.chosen
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to="/vouchers">← {t('vouchers.title')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('vouchers.issue.title')}</h1>
        <p className="muted">{t('vouchers.issue.lead')}</p>
      </header>
      {data.schemes.length === 0 ? (
        <p className="empty-state">
          {t('vouchers.issue.noScheme')} <Link to="/vouchers/schemes/new">{t('vouchers.scheme.new')}</Link>
        </p>
      ) : (
        <>
          {chosen?.refusal ? (
            <p className="notice" role="status">
              <span data-i18n-data>{chosen.title}</span>
              {' · '}
              {t(`vouchers.e.${chosen.refusal}`)}
            </p>
          ) : null}
          {data.contracts.length === 0 ? <p className="empty-state">{t('vouchers.issue.noContract')}</p> : null}
          <Form method="post" noValidate className="form-wide card">
            <ErrorSummary failure={failure} />
            <Honeypot />
            <SelectField id="schemeId" name="schemeId" label={t('vouchers.issue.scheme')} required error={errors?.schemeId}>
              {data.schemes.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} · {t('vouchers.issue.schemeLeft', { left: s.leftWan, share: s.maxSharePct, max: s.maxPerWan })}
                </option>
              ))}
            </SelectField>
            <SelectField
              id="contractId"
              name="contractId"
              label={t('vouchers.issue.contract')}
              hint={t('vouchers.issue.contractHint')}
              required
              defaultValue={chosen && !chosen.refusal ? chosen.id : ''}
              error={errors?.contractId}
            >
              <option value="">{t('vouchers.issue.choose')}</option>
              {data.contracts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title} · {c.enterpriseName} · {t('vouchers.wan', { amount: c.amountWan })}
                </option>
              ))}
            </SelectField>
            {chosen && !chosen.refusal && chosen.caps.length > 0 ? (
              <p className="field-hint">
                {t('vouchers.issue.capFor', {
                  amount: chosen.amountWan,
                  caps: chosen.caps
                    .map((c) => `${data.schemes.find((s) => s.id === c.schemeId)?.name ?? ''} ≤ ${c.capWan}`)
                    .join('；'),
                })}
              </p>
            ) : null}
            <InputField
              id="amount"
              name="amount"
              inputMode="decimal"
              label={t('vouchers.issue.amount')}
              hint={t('vouchers.issue.amountHint')}
              required
              error={errors?.amount}
            />
            <TextareaField id="note" name="note" label={t('vouchers.note')} rows={3} maxLength={1000} error={errors?.note} />
            <div className="actions">
              <button type="submit" disabled={busy}>
                {t('vouchers.issue.submit')}
              </button>
            </div>
          </Form>
        </>
      )}
    </>
  )
}
