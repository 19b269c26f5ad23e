import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { ConsortiumForm, MemberPicker } from '~/components/consortium-form.js'
import { useFormFailure } from '~/components/form.js'
import { echoedValues } from '~/components/template-form.js'
import {
  createConsortium,
  getConsortiumLead,
  pickedProviders,
  searchProvidersToInvite,
  ZConsortiumInput,
  ZConsortiumPickQuery,
} from '~/domain/providers/consortia.server.js'
import { PROVIDER_LIMITS } from '~/domain/providers/enums.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import templateStyles from '~/styles/templates.css'
import { setFlash } from '~/utils/flash.server.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: templateStyles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'consortium.new.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const locale = await getLocale(args.request)
    const lead = await getConsortiumLead(db, actor)
    const query = parseQuery(ZConsortiumPickQuery, args.request)
    const picked = await pickedProviders(db, actor, query.m, locale)
    const results = await searchProvidersToInvite(
      db,
      actor,
      query.q,
      picked.map((p) => p.orgId),
      locale,
    )
    return json({ lead, q: query.q, picked, results })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    return echoingFormFailure(form, async () => {
      const { consortiumId } = await createConsortium(db, actor, parseForm(ZConsortiumInput, form))
      return redirect(`/provider/consortia/${consortiumId}`, {
        headers: { 'Set-Cookie': await setFlash({ key: 'consortium.new.done' }) },
      })
    })
  })
}

export default function NewConsortiumPage() {
  const { lead, q, picked, results } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  const pickedIds = picked.map((p) => p.orgId)
  return (
    <section aria-labelledby="new-consortium-title">
      <p>
        <Link to="/provider/consortia">← {t('consortium.list.title')}</Link>
      </p>
      <h1 id="new-consortium-title">{t('consortium.new.title')}</h1>
      <p className="muted">{t('consortium.new.lead')}</p>
      <MemberPicker q={q} picked={pickedIds} results={results} capacity={PROVIDER_LIMITS.consortiumMembers - 1 - picked.length} />
      <section className="card section" aria-labelledby="shares-title">
        <h2 id="shares-title">{t('consortium.new.sharesTitle')}</h2>
        <ConsortiumForm
          name=""
          leadName={lead.name}
          leadScope=""
          leadShare={null}
          rows={picked.map((p) => ({ orgId: p.orgId, name: p.name, scope: '', share: null, existing: false }))}
          picked={pickedIds}
          failure={failure}
          echoed={echoedValues(actionData)}
          submitLabel={t('consortium.new.submit')}
        />
      </section>
    </section>
  )
}
