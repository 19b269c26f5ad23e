import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { ErrorSummary, Honeypot, InputField, useFormFailure } from '~/components/form.js'
import { createScheme, schemeFormDefaults } from '~/domain/vouchers/vouchers.server.js'
import { ZSchemeInput } from '~/domain/vouchers/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 新建服务券方案 (issue 16 §5, decision 016): the seeds hold no voucher policy, so an
 * agency that uses vouchers records its scheme: name, the document it cites, valid dates,
 * the yearly budget, the largest share of a contract and the largest voucher.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'vouchers.scheme.new')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { today } = await schemeFormDefaults(db, actor)
    return json({ year: today.slice(0, 4) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const input = parseForm(ZSchemeInput, await args.request.formData())
    await createScheme(db, actor, input)
    return redirect('/vouchers', { headers: { 'Set-Cookie': await setFlash({ key: 'vouchers.scheme.created' }) } })
  })
}

export default function NewSchemePage() {
  const { year } = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const errors = failure?.fieldErrors
  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to="/vouchers">← {t('vouchers.title')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('vouchers.scheme.new')}</h1>
        <p className="muted">{t('vouchers.scheme.lead')}</p>
      </header>
      <Form method="post" noValidate className="form-wide card">
        <ErrorSummary failure={failure} />
        <Honeypot />
        <InputField id="name" name="name" label={t('vouchers.scheme.name')} required maxLength={100} error={errors?.name} />
        <InputField
          id="document"
          name="document"
          label={t('vouchers.scheme.document')}
          hint={t('vouchers.scheme.documentHint')}
          required
          maxLength={200}
          error={errors?.document}
        />
        <InputField
          id="validFrom"
          name="validFrom"
          type="date"
          label={t('vouchers.scheme.validFrom')}
          required
          defaultValue={`${year}-01-01`}
          error={errors?.validFrom}
        />
        <InputField
          id="validTo"
          name="validTo"
          type="date"
          label={t('vouchers.scheme.validTo')}
          required
          defaultValue={`${year}-12-31`}
          error={errors?.validTo}
        />
        <InputField
          id="yearlyBudget"
          name="yearlyBudget"
          inputMode="decimal"
          label={t('vouchers.scheme.budget')}
          required
          error={errors?.yearlyBudget}
        />
        <InputField
          id="maxSharePct"
          name="maxSharePct"
          inputMode="numeric"
          label={t('vouchers.scheme.share')}
          hint={t('vouchers.scheme.shareHint')}
          required
          error={errors?.maxSharePct}
        />
        <InputField
          id="maxPerVoucher"
          name="maxPerVoucher"
          inputMode="decimal"
          label={t('vouchers.scheme.maxPer')}
          required
          error={errors?.maxPerVoucher}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('vouchers.scheme.submit')}
          </button>
        </div>
      </Form>
    </>
  )
}
