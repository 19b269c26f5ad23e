import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, Honeypot, InputField, useFormFailure } from '~/components/form.js'
import {
  createSavedSearch,
  deleteSavedSearch,
  listSavedSearches,
  pendingSavedSearch,
  updateSavedSearch,
  ZNeedSearchParams,
  ZSavedSearchAction,
  ZSavedSearchesQuery,
} from '~/domain/matching/saved-searches.server.js'
import { SAVED_QUERY_KEYS, SAVED_SEARCH_LIMITS, type SavedSearchCriterion } from '~/domain/matching/saved-search-views.js'
import { hasMessage, type MessageKey, type Translate } from '~/i18n/index.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { AppError, STATUS_BY_CODE } from '~/utils/errors.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDate, formatNumber } from '~/utils/format.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/recommended.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'savedSearch.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db, search } = services()
    const { actor } = await requireActor(args)
    const locale = await getLocale(args.request)
    const { rename } = parseQuery(ZSavedSearchesQuery, args.request)
    const page = await listSavedSearches(db, search, actor, locale)
    // The hall's parameters in the URL (/provider/saved-searches?q=…): the search the page offers to save.
    const pending = await pendingSavedSearch(db, parseQuery(ZNeedSearchParams, args.request), locale)
    return json({ ...page, pending, renaming: page.items.find((s) => s.id === rename) ?? null })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const intent = parseForm(ZSavedSearchAction, form)
    let done: MessageKey
    if (intent.intent === 'create') {
      // The hall's own parameter names, read by the hall's own schema.
      const params = parseForm(ZNeedSearchParams, form)
      try {
        await createSavedSearch(db, actor, { name: intent.name, params })
      } catch (error) {
        if (!(error instanceof AppError) || (error.code !== 'VALIDATION' && error.code !== 'CONFLICT')) throw error
        // Refused: the page offers the same search again, named, with the reason.
        const pending = await pendingSavedSearch(db, params, await getLocale(args.request))
        return json(
          {
            ok: false as const,
            code: error.code,
            formError: error.key,
            formParams: error.params ?? null,
            fieldErrors: error.fieldErrors,
            intent: 'create' as const,
            pending,
            name: intent.name,
          },
          { status: STATUS_BY_CODE[error.code] },
        )
      }
      done = 'savedSearch.created'
    } else if (intent.intent === 'rename') {
      const { changed } = await updateSavedSearch(db, actor, intent.id, { name: intent.name })
      done = changed ? 'savedSearch.renamed' : 'savedSearch.unchanged'
    } else if (intent.intent === 'notify') {
      const on = intent.notify === '1'
      const { changed } = await updateSavedSearch(db, actor, intent.id, { notify: on })
      done = !changed ? 'savedSearch.unchanged' : on ? 'savedSearch.notifyTurnedOn' : 'savedSearch.notifyTurnedOff'
    } else {
      // Without scripts the button asks first (components/confirm.tsx): nothing is deleted until confirmed.
      const asked = confirmationAsked(form)
      if (asked) return json(asked)
      await deleteSavedSearch(db, actor, intent.id)
      done = 'savedSearch.deleted'
    }
    return redirect('/provider/saved-searches', { headers: { 'Set-Cookie': await setFlash({ key: done }) } })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Item = Data['items'][number]

/** A criterion's value in words: levels and statuses by their catalogue names, budgets as 万元 figures. */
function criterionText(t: Translate, c: SavedSearchCriterion): string {
  if (c.key === 'level' && hasMessage(`level.${c.value}`)) return t(`level.${c.value}` as MessageKey)
  if (c.key === 'status' && hasMessage(`needStatus.${c.value}`)) return t(`needStatus.${c.value}` as MessageKey)
  if (c.key === 'budgetMin' || c.key === 'budgetMax') return formatNumber(Number(c.value))
  return c.value
}

function Criteria({ criteria }: { criteria: SavedSearchCriterion[] }) {
  const t = useT()
  return (
    <ul className="criteria-list">
      {criteria.map((c) => (
        <li key={c.key}>
          {t(`savedSearch.criterion.${c.key}`)}
          {t('recommended.colon')}
          <span data-i18n-data>{criterionText(t, c)}</span>
        </li>
      ))}
    </ul>
  )
}

function actionValue(data: unknown, key: string): unknown {
  return data && typeof data === 'object' && key in data ? (data as Record<string, unknown>)[key] : undefined
}

export default function SavedSearchesPage() {
  const { items, limit, pending: fromUrl, renaming } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const refusedCreate = actionValue(actionData, 'intent') === 'create'
  const pending = (refusedCreate ? (actionValue(actionData, 'pending') as typeof fromUrl) : null) ?? fromUrl
  const echoedName = refusedCreate ? actionValue(actionData, 'name') : undefined
  const typedName = typeof echoedName === 'string' ? echoedName : ''
  const errors = failure?.fieldErrors
  const fieldIds: Record<string, string> = refusedCreate || !renaming ? {} : { name: 'rename-name' }
  const deleteQuestion = (s: Pick<Item, 'name'>) => ({
    question: fillTemplate(t('savedSearch.deleteConfirm'), { name: <span data-i18n-data>{s.name}</span> }),
    consequence: t('savedSearch.deleteConsequence'),
    confirmLabel: t('savedSearch.delete'),
    danger: true,
  })
  const confirmingOne =
    confirming?.fields.intent === 'delete' ? items.find((s) => String(s.id) === confirming.fields.id) : undefined

  const columns: Column<Item>[] = [
    {
      id: 'name',
      header: t('savedSearch.col.name'),
      role: 'primary',
      cell: (s) => (
        <>
          <Link to={s.hallHref} data-i18n-data>
            {s.name}
          </Link>
          <br />
          <span className="muted field-hint">
            {fillTemplate(t('savedSearch.createdBy'), {
              name: <span data-i18n-data>{s.createdBy}</span>,
              date: formatDate(s.createdAt),
            })}
          </span>
        </>
      ),
    },
    { id: 'criteria', header: t('savedSearch.col.criteria'), cell: (s) => <Criteria criteria={s.criteria} /> },
    {
      id: 'new',
      header: t('savedSearch.col.new'),
      cell: (s) => (
        <Link to={s.hallHref}>
          {t('savedSearch.newCount', { count: formatNumber(s.newCount) })}
          <span className="visually-hidden"> {t('savedSearch.openInHall')}</span>
        </Link>
      ),
    },
    {
      id: 'notify',
      header: t('savedSearch.col.notify'),
      cell: (s) => (
        <Form method="post" className="inline-form">
          <span>{s.notify ? t('savedSearch.notifyOn') : t('savedSearch.notifyOff')}</span>{' '}
          <input type="hidden" name="intent" value="notify" />
          <input type="hidden" name="id" value={s.id} />
          <input type="hidden" name="notify" value={s.notify ? '0' : '1'} />
          <button type="submit" className="button-small button-secondary" disabled={busy}>
            {s.notify ? t('savedSearch.turnOff') : t('savedSearch.turnOn')}
            <span className="visually-hidden">
              {' '}
              <span data-i18n-data>{s.name}</span>
            </span>
          </button>
        </Form>
      ),
    },
    {
      id: 'action',
      header: t('savedSearch.col.action'),
      role: 'action',
      cell: (s) => (
        <div className="actions">
          <Link className="button button-small button-secondary" to={`?rename=${s.id}#rename-form`}>
            {t('savedSearch.rename')}
            <span className="visually-hidden">
              {' '}
              <span data-i18n-data>{s.name}</span>
            </span>
          </Link>
          <ConfirmForm
            label={t('savedSearch.delete')}
            buttonClassName="button-small button-secondary"
            buttonExtra={<span data-i18n-data>{s.name}</span>}
            {...deleteQuestion(s)}
          >
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="id" value={s.id} />
          </ConfirmForm>
        </div>
      ),
    },
  ]

  return (
    <section aria-labelledby="saved-title">
      <header className="page-head">
        <h1 id="saved-title">{t('savedSearch.title')}</h1>
        <Link to="/provider/recommended">{t('recommended.title')}</Link>
      </header>
      <p className="muted">{t('savedSearch.lead')}</p>
      <p className="field-hint">{t('savedSearch.limit', { limit })}</p>
      <ErrorSummary failure={failure} fieldIds={fieldIds} />
      {confirming && confirmingOne ? <ConfirmStep request={confirming} {...deleteQuestion(confirmingOne)} /> : null}

      {pending ? (
        <section className="card section" aria-labelledby="save-title">
          <h2 id="save-title">{t('savedSearch.save.title')}</h2>
          <p className="muted">{t('savedSearch.save.lead')}</p>
          <Criteria criteria={pending.criteria} />
          <Form method="post" action="/provider/saved-searches" noValidate className="form-wide">
            <Honeypot />
            <input type="hidden" name="intent" value="create" />
            {SAVED_QUERY_KEYS.map((key) =>
              pending.query[key] ? <input key={key} type="hidden" name={key} value={pending.query[key]} /> : null,
            )}
            <InputField
              id="name"
              name="name"
              label={t('savedSearch.name')}
              hint={t('savedSearch.nameHint')}
              required
              maxLength={SAVED_SEARCH_LIMITS.nameMax}
              defaultValue={typedName || pending.query.q || ''}
              error={refusedCreate ? errors?.name : undefined}
              data-i18n-data
            />
            <div className="actions">
              <button type="submit" disabled={busy || items.length >= limit}>
                {t('savedSearch.save.submit')}
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      <DataTable
        caption={t('savedSearch.caption')}
        columns={columns}
        rows={items}
        rowKey={(s) => s.id}
        empty={
          <div className="empty-state">
            <p>{t('savedSearch.none')}</p>
            <Link to="/needs">{t('savedSearch.toHall')}</Link>
          </div>
        }
      />

      {renaming ? (
        <section className="card section" aria-labelledby="rename-title">
          <h2 id="rename-title">
            {t('savedSearch.rename')}: <span data-i18n-data>{renaming.name}</span>
          </h2>
          <Form method="post" noValidate className="form-wide" id="rename-form" key={renaming.id}>
            <Honeypot />
            <input type="hidden" name="intent" value="rename" />
            <input type="hidden" name="id" value={renaming.id} />
            <InputField
              id="rename-name"
              name="name"
              label={t('savedSearch.name')}
              hint={t('savedSearch.nameHint')}
              required
              maxLength={SAVED_SEARCH_LIMITS.nameMax}
              defaultValue={renaming.name}
              error={refusedCreate ? undefined : errors?.name}
              data-i18n-data
            />
            <div className="actions">
              <button type="submit" disabled={busy}>
                {t('savedSearch.renameSave')}
              </button>
              <Link to="/provider/saved-searches">{t('confirm.cancel')}</Link>
            </div>
          </Form>
        </section>
      ) : null}
    </section>
  )
}
