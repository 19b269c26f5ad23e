import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, useFormFailure } from '~/components/form.js'
import { TemplateBadges } from '~/components/template-document.js'
import {
  archiveTemplate,
  deleteTemplate,
  listOwnTemplates,
  restoreTemplate,
  ZOwnTemplateAction,
} from '~/domain/providers/templates.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import templateStyles from '~/styles/templates.css'
import { setFlash } from '~/utils/flash.server.js'
import { formatDate } from '~/utils/format.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * The acting organisation's contract templates, for a provider (its own) and for an
 * agency (official ones, 官方范本) alike: one workspace for both kinds, because the same
 * use cases and form serve both and the acting organisation — not the URL — decides
 * whether a template is official (templates.server.ts). /org links here for both.
 */

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: templateStyles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'template.own.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json(await listOwnTemplates(db, actor, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const input = parseForm(ZOwnTemplateAction, form)
    // Deleting asks first when scripts do not (components/confirm.tsx).
    if (input.intent === 'delete') {
      const asked = confirmationAsked(form)
      if (asked) return json(asked)
      await deleteTemplate(db, actor, input.templateId)
    } else if (input.intent === 'archive') await archiveTemplate(db, actor, input.templateId)
    else await restoreTemplate(db, actor, input.templateId)
    return redirect('/org/templates', {
      headers: { 'Set-Cookie': await setFlash({ key: `template.own.done.${input.intent}` }) },
    })
  })
}

type Item = SerializeFrom<typeof loader>['items'][number]

export default function OwnTemplatesPage() {
  const { items, official, limit } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const t = useT()
  const deleteQuestion = (item: Pick<Item, 'title'>) => ({
    question: fillTemplate(t('template.own.deleteConfirm'), { title: <span data-i18n-data>{item.title}</span> }),
    consequence: t('template.own.deleteConsequence'),
    confirmLabel: t('template.own.delete'),
    danger: true,
  })
  const confirmingItem = confirming && items.find((i) => String(i.id) === confirming.fields.templateId)
  const columns: Column<Item>[] = [
    {
      id: 'title',
      header: t('template.col.title'),
      role: 'primary',
      cell: (r) => (
        <>
          <Link to={`/templates/${r.id}`} data-i18n-data>
            {r.title}
          </Link>{' '}
          <TemplateBadges isOfficial={r.isOfficial} archived={r.status === 'archived'} />
          {r.inUse ? <span className="badge">{t('template.inUse')}</span> : null}
          {r.baseTitle ? (
            <span className="muted">
              {' '}
              {t('template.own.derivedFrom')} <span data-i18n-data>{r.baseTitle}</span>
            </span>
          ) : null}
        </>
      ),
    },
    { id: 'version', header: t('template.col.version'), cell: (r) => t('template.doc.version', { version: r.currentVersion }) },
    {
      id: 'scenarios',
      header: t('template.field.scenarios'),
      cell: (r) => <span data-i18n-data>{r.scenarioNames.join(t('list.separator'))}</span>,
    },
    { id: 'updated', header: t('template.col.updated'), cell: (r) => formatDate(r.updatedAt) },
    {
      id: 'actions',
      header: t('template.col.actions'),
      role: 'action',
      cell: (r) => (
        <div className="actions">
          {r.status === 'active' ? (
            <Link className="button button-small" to={`/org/templates/${r.id}/edit`}>
              {t('template.page.edit')}
              <span className="visually-hidden" data-i18n-data>
                {' '}
                {r.title}
              </span>
            </Link>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value={r.status === 'active' ? 'archive' : 'restore'} />
            <input type="hidden" name="templateId" value={r.id} />
            <button type="submit" className="button-small button-secondary">
              {r.status === 'active' ? t('template.own.archive') : t('template.own.restore')}
              <span className="visually-hidden" data-i18n-data>
                {' '}
                {r.title}
              </span>
            </button>
          </Form>
          {!r.inUse && !r.referenced ? (
            <ConfirmForm
              label={t('template.own.delete')}
              buttonClassName="button-small button-danger"
              buttonExtra={<span data-i18n-data>{r.title}</span>}
              {...deleteQuestion(r)}
            >
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="templateId" value={r.id} />
            </ConfirmForm>
          ) : null}
        </div>
      ),
    },
  ]
  return (
    <>
      <p>
        <Link to="/org">← {t('org.overview.title')}</Link>
      </p>
      <header className="page-head section-head">
        <div>
          <h1>{t('template.own.title')}</h1>
          <p className="muted">{official ? t('template.own.leadOfficial') : t('template.own.leadProvider')}</p>
        </div>
        <div className="actions">
          <Link className="button" to="/org/templates/new">
            {official ? t('template.own.newOfficial') : t('template.own.new')}
          </Link>
          {official ? null : (
            <Link className="button button-secondary" to="/templates">
              {t('template.own.browseOfficial')}
            </Link>
          )}
        </div>
      </header>
      {confirmingItem ? <ConfirmStep request={confirming} {...deleteQuestion(confirmingItem)} /> : null}
      <ErrorSummary failure={failure} />
      <DataTable
        caption={t('template.own.title')}
        columns={columns}
        rows={items}
        rowKey={(r) => r.id}
        empty={
          <div className="empty-state">
            <p>{official ? t('template.own.emptyOfficial') : t('template.own.empty')}</p>
            <Link className="button" to={official ? '/org/templates/new' : '/templates'}>
              {official ? t('template.own.newOfficial') : t('template.own.browseOfficial')}
            </Link>
          </div>
        }
      />
      {items.length >= limit ? <p className="notice notice-warn">{t('template.e.tooMany', { limit })}</p> : null}
    </>
  )
}
