import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useFormFailure } from '~/components/form.js'
import { echoedValues, TemplateForm } from '~/components/template-form.js'
import { getTemplateEditForm, parseTemplateForm, updateTemplate, ZTemplateEditMeta } from '~/domain/providers/templates.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import templateStyles from '~/styles/templates.css'
import { setFlash } from '~/utils/flash.server.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: templateStyles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'template.edit.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json(await getTemplateEditForm(db, actor, id, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    return echoingFormFailure(form, async () => {
      const { baseVersion } = parseForm(ZTemplateEditMeta, form)
      const saved = await updateTemplate(db, actor, id, parseTemplateForm(form), baseVersion)
      const flash = !saved.changed
        ? { key: 'template.edit.unchanged' as const }
        : saved.newVersion
          ? { key: 'template.edit.doneNewVersion' as const, params: { version: saved.version } }
          : { key: 'template.edit.done' as const }
      return redirect(`/templates/${id}`, { headers: { 'Set-Cookie': await setFlash(flash) } })
    })
  })
}

export default function EditTemplatePage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  const editing = data.editing!
  const archived = editing.status === 'archived'
  return (
    <section aria-labelledby="edit-template-title">
      <p>
        <Link to={`/templates/${editing.id}`}>← {t('template.edit.back')}</Link>
      </p>
      <h1 id="edit-template-title">{t('template.edit.title')}</h1>
      <p className="muted" data-i18n-data>
        {data.values.title}
      </p>
      {archived ? (
        <p className="notice notice-warn">{t('template.e.archived')}</p>
      ) : editing.inUse ? (
        <p className="notice notice-warn">
          {t('template.edit.inUseNotice', { version: editing.currentVersion, next: editing.currentVersion + 1 })}
        </p>
      ) : (
        <p className="notice">{t('template.edit.inPlaceNotice', { version: editing.currentVersion })}</p>
      )}
      {data.base ? (
        <p className="muted">
          {t('template.own.derivedFrom')}{' '}
          <Link to={`/templates/${data.base.templateId}?version=${data.base.version}`} data-i18n-data>
            {data.base.title}
          </Link>{' '}
          {t('template.doc.version', { version: data.base.version })}
        </p>
      ) : null}
      {archived ? null : (
        <div className="card">
          <TemplateForm
            values={data.values}
            echoed={echoedValues(actionData)}
            industries={data.industries}
            scenarios={data.scenarios}
            failure={failure}
            submitLabel={t('template.edit.submit')}
          >
            <input type="hidden" name="baseVersion" value={editing.currentVersion} />
          </TemplateForm>
        </div>
      )}
    </section>
  )
}
