import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { ConsortiumForm, MemberPicker } from '~/components/consortium-form.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, useFormFailure } from '~/components/form.js'
import { echoedValues } from '~/components/template-form.js'
import {
  dissolveConsortium,
  getConsortium,
  pickedProviders,
  respondToConsortium,
  searchProvidersToInvite,
  updateConsortium,
  ZConsortiumInput,
  ZConsortiumIntent,
  ZConsortiumPickQuery,
} from '~/domain/providers/consortia.server.js'
import { PROVIDER_LIMITS } from '~/domain/providers/enums.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import templateStyles from '~/styles/templates.css'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: templateStyles }]

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? pageTitle(matches, 'consortium.page.titleOf', { name: data.consortium.name })
    : pageTitle(matches, 'consortium.page.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const locale = await getLocale(args.request)
    const consortium = await getConsortium(db, actor, id)
    // The lead's owner may add members: the picker's state is in the URL, as on /provider/consortia/new.
    if (!consortium.canManage) return json({ consortium, q: '', picked: [], results: [] })
    const query = parseQuery(ZConsortiumPickQuery, args.request)
    const inIt = new Set(consortium.members.map((m) => m.orgId))
    const picked = (await pickedProviders(db, actor, query.m, locale)).filter((p) => !inIt.has(p.orgId))
    const results = await searchProvidersToInvite(db, actor, query.q, [...inIt, ...picked.map((p) => p.orgId)], locale)
    return json({ consortium, q: query.q, picked, results })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const { intent, seen } = parseForm(ZConsortiumIntent, form)
    const back = async (
      key:
        | 'consortium.page.confirmed'
        | 'consortium.page.declined'
        | 'consortium.page.updated'
        | 'consortium.page.unchanged'
        | 'consortium.page.dissolved',
    ) => redirect(`/provider/consortia/${id}`, { headers: { 'Set-Cookie': await setFlash({ key }) } })
    if (intent === 'confirm' || intent === 'decline') {
      await respondToConsortium(db, actor, id, intent, seen)
      return back(intent === 'confirm' ? 'consortium.page.confirmed' : 'consortium.page.declined')
    }
    if (intent === 'dissolve') {
      const asked = confirmationAsked(form)
      if (asked) return json(asked)
      await dissolveConsortium(db, actor, id)
      return back('consortium.page.dissolved')
    }
    return echoingFormFailure(form, async () => {
      const { changed } = await updateConsortium(db, actor, id, parseForm(ZConsortiumInput, form))
      return back(changed ? 'consortium.page.updated' : 'consortium.page.unchanged')
    })
  })
}

type Data = SerializeFrom<typeof loader>
type Member = Data['consortium']['members'][number]

export default function ConsortiumPage() {
  const { consortium, q, picked, results } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const t = useT()
  const dissolveQuestion = {
    question: fillTemplate(t('consortium.page.dissolveConfirm'), { name: <span data-i18n-data>{consortium.name}</span> }),
    consequence: t('consortium.page.dissolveConsequence'),
    confirmLabel: t('consortium.page.dissolve'),
    danger: true,
  }
  const others = consortium.members.filter((m) => m.role === 'member')
  const lead = consortium.members.find((m) => m.role === 'lead')
  const columns: Column<Member>[] = [
    {
      id: 'org',
      header: t('consortium.col.org'),
      role: 'primary',
      cell: (m) => (
        <>
          <span data-i18n-data>{m.orgName}</span>
          {m.verified ? null : <span className="badge badge-declined">{t('consortium.notVerified')}</span>}
        </>
      ),
    },
    { id: 'role', header: t('consortium.col.role'), cell: (m) => t(`consortium.role.${m.role}`) },
    { id: 'share', header: t('consortium.col.share'), cell: (m) => `${m.sharePercent}%` },
    { id: 'scope', header: t('consortium.col.scope'), cell: (m) => <span data-i18n-data>{m.scope || '—'}</span> },
    {
      id: 'status',
      header: t('consortium.col.memberStatus'),
      cell: (m) => (
        <>
          <span className={`badge badge-${m.status}`}>{t(`consortium.memberStatus.${m.status}`)}</span>
          {m.respondedAt && m.role === 'member' ? <span className="muted"> {formatDateTime(m.respondedAt)}</span> : null}
        </>
      ),
    },
  ]
  const pickedIds = picked.map((p) => p.orgId)
  const rows = [
    ...others.map((m) => ({
      orgId: m.orgId,
      name: m.orgName,
      scope: m.scope,
      share: m.sharePercent,
      existing: true,
      status: <span className={`badge badge-${m.status}`}>{t(`consortium.memberStatus.${m.status}`)}</span>,
    })),
    ...picked.map((p) => ({ orgId: p.orgId, name: p.name, scope: '', share: null, existing: false })),
  ].slice(0, PROVIDER_LIMITS.consortiumMembers - 1)
  return (
    <section aria-labelledby="consortium-title">
      <p>
        <Link to="/provider/consortia">← {t('consortium.list.title')}</Link>
      </p>
      <header className="page-head">
        <h1 id="consortium-title" data-i18n-data>
          {consortium.name}
        </h1>
        <div className="badges">
          <span className={`badge badge-${consortium.status}`}>{t(`consortium.status.${consortium.status}`)}</span>
        </div>
        <p className="muted">{t(`consortium.statusLead.${consortium.status}`)}</p>
      </header>
      {confirming ? <ConfirmStep request={confirming} {...dissolveQuestion} /> : null}
      {consortium.canManage ? null : <ErrorSummary failure={failure} />}

      {consortium.canRespond ? (
        <section className="card section" aria-labelledby="respond-title">
          <h2 id="respond-title">{t('consortium.page.respondTitle')}</h2>
          <p>
            {t('consortium.page.respondLead', { share: consortium.mine.sharePercent })}{' '}
            {consortium.mine.scope ? <span data-i18n-data>{consortium.mine.scope}</span> : null}
          </p>
          <p>
            {t('consortium.page.yourStatus')}{' '}
            <span className={`badge badge-${consortium.mine.status}`}>
              {t(`consortium.memberStatus.${consortium.mine.status}`)}
            </span>
          </p>
          <div className="actions">
            {consortium.mine.status !== 'confirmed' ? (
              <Form method="post">
                <input type="hidden" name="intent" value="confirm" />
                <input type="hidden" name="seen" value={consortium.updatedAt} />
                <button type="submit">{t('consortium.page.confirm')}</button>
              </Form>
            ) : null}
            {consortium.mine.status !== 'declined' ? (
              <Form method="post">
                <input type="hidden" name="intent" value="decline" />
                <input type="hidden" name="seen" value={consortium.updatedAt} />
                <button type="submit" className="button-secondary">
                  {t('consortium.page.decline')}
                </button>
              </Form>
            ) : null}
          </div>
        </section>
      ) : null}

      <section className="section" aria-labelledby="members-title">
        <h2 id="members-title">{t('consortium.page.members')}</h2>
        <DataTable caption={t('consortium.page.members')} columns={columns} rows={consortium.members} rowKey={(m) => m.orgId} />
      </section>

      {consortium.canManage && lead ? (
        <>
          <MemberPicker
            q={q}
            picked={pickedIds}
            results={results}
            capacity={PROVIDER_LIMITS.consortiumMembers - 1 - others.length - picked.length}
          />
          <section className="card section" aria-labelledby="change-title">
            <h2 id="change-title">{t('consortium.page.changeTitle')}</h2>
            <p className="notice notice-warn">{t('consortium.page.changeLead')}</p>
            <ConsortiumForm
              name={consortium.name}
              leadName={lead.orgName}
              leadScope={lead.scope}
              leadShare={lead.sharePercent}
              rows={rows}
              picked={pickedIds}
              failure={failure}
              echoed={echoedValues(actionData)}
              submitLabel={t('consortium.page.change')}
            >
              <input type="hidden" name="intent" value="update" />
            </ConsortiumForm>
          </section>
          <section className="section" aria-labelledby="dissolve-title">
            <h2 id="dissolve-title">{t('consortium.page.dissolveTitle')}</h2>
            <ConfirmForm label={t('consortium.page.dissolve')} buttonClassName="button-danger" {...dissolveQuestion}>
              <input type="hidden" name="intent" value="dissolve" />
            </ConfirmForm>
          </section>
        </>
      ) : null}
    </section>
  )
}
