import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useFormFailure } from '~/components/form.js'
import { echoedValues, TemplateForm } from '~/components/template-form.js'
import {
  createTemplate,
  getNewTemplateForm,
  parseTemplateForm,
  ZTemplateDeriveQuery,
} from '~/domain/providers/templates.server.js'
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

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, data?.base ? 'template.new.deriveTitle' : 'template.new.title')

/** A new template of the acting organisation: blank, or derived from an official one (`?from=<version id>`). */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { from } = parseQuery(ZTemplateDeriveQuery, args.request)
    return json(await getNewTemplateForm(db, actor, from, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    return echoingFormFailure(form, async () => {
      const { from } = parseForm(ZTemplateDeriveQuery, form)
      const { templateId } = await createTemplate(db, actor, parseTemplateForm(form), { derivedFromVersionId: from })
      return redirect(`/templates/${templateId}`, { headers: { 'Set-Cookie': await setFlash({ key: 'template.new.done' }) } })
    })
  })
}

export default function NewTemplatePage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  return (
    <section aria-labelledby="new-template-title">
      <p>
        <Link to="/org/templates">← {t('template.own.title')}</Link>
      </p>
      <h1 id="new-template-title">{data.base ? t('template.new.deriveTitle') : t('template.new.title')}</h1>
      {data.base ? (
        <p className="notice">
          {t('template.new.deriveLead')}{' '}
          <Link to={`/templates/${data.base.templateId}?version=${data.base.version}`} data-i18n-data>
            {data.base.title}
          </Link>{' '}
          {t('template.doc.version', { version: data.base.version })}
        </p>
      ) : (
        <p className="muted">{data.official ? t('template.new.leadOfficial') : t('template.new.lead')}</p>
      )}
      <div className="card">
        <TemplateForm
          values={data.values}
          echoed={echoedValues(actionData)}
          industries={data.industries}
          scenarios={data.scenarios}
          failure={failure}
          submitLabel={data.official ? t('template.new.submitOfficial') : t('template.new.submit')}
        >
          {data.base ? <input type="hidden" name="from" value={data.base.versionId} /> : null}
        </TemplateForm>
      </div>
    </section>
  )
}
