import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, TextareaField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { fileObjection, publicNotices, ZObjectionInput, ZPoolIntent, ZPoolQuery } from '~/domain/pool/pool.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { optionalActor, requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 入库公示 (issue 15 §4): the providers proposed for admission to an agency's pool and
 * until when — public; anyone signed in files an objection with a reason while the
 * notice runs (?object=<id> opens the form).
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'pool.notices.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const actor = await optionalActor(args)
    const { page } = parseQuery(ZPoolQuery, args.request)
    const object = new URL(args.request.url).searchParams.get('object')
    return json({
      ...(await publicNotices(db, { page }, await getLocale(args.request))),
      signedIn: actor !== null,
      objecting: object && /^[1-9]\d{0,9}$/.test(object) ? Number(object) : null,
    })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const intent = parseForm(ZPoolIntent, form)
    if (intent.intent !== 'object') return json({ error: 'errors.badRequest' }, { status: 400 })
    await fileObjection(db, actor, intent.applicationId, parseForm(ZObjectionInput, form).reason)
    return redirect('/pool/notices', { headers: { 'Set-Cookie': await setFlash({ key: 'pool.objection.sent' }) } })
  })
}

type Notice = ReturnType<typeof useLoaderData<typeof loader>>['notices'][number]

export default function PoolNoticesPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const location = useLocation()
  const t = useT()
  const objecting = data.notices.find((n) => n.id === data.objecting)
  const columns: Column<Notice>[] = [
    {
      id: 'provider',
      header: t('pool.app.provider'),
      role: 'primary',
      cell: (n) => (
        <Link to={`/providers/${n.providerOrgId}`}>
          <span data-i18n-data>{n.providerName}</span>
        </Link>
      ),
    },
    { id: 'agency', header: t('pool.member.agency'), cell: (n) => <span data-i18n-data>{n.agencyName}</span> },
    {
      id: 'round',
      header: t('pool.app.round'),
      cell: (n) => (
        <span data-i18n-data>
          {n.roundTitle} · {t(`providerKind.${n.category}`)}
        </span>
      ),
    },
    { id: 'industry', header: t('pool.app.industry'), cell: (n) => <span data-i18n-data>{n.industryName}</span> },
    {
      id: 'period',
      header: t('pool.app.noticePeriod'),
      cell: (n) => t('pool.app.noticeRange', { from: n.noticeFrom, until: n.noticeUntil }),
    },
    {
      id: 'action',
      header: t('pool.app.action'),
      role: 'action',
      cell: (n) => (
        <Link
          className="button button-small button-secondary"
          to={
            data.signedIn
              ? `?object=${n.id}#objection`
              : `/login?redirectTo=${encodeURIComponent(`/pool/notices?object=${n.id}`)}`
          }
        >
          {t('pool.objection.file')}
          <span className="visually-hidden">
            {' '}
            <span data-i18n-data>{n.providerName}</span>
          </span>
        </Link>
      ),
    },
  ]
  return (
    <>
      <header className="page-head">
        <h1>{t('pool.notices.title')}</h1>
        <p className="muted">{t('pool.notices.lead')}</p>
      </header>
      <DataTable
        caption={t('pool.notices.title')}
        columns={columns}
        rows={data.notices}
        rowKey={(n) => n.id}
        empty={
          <div className="empty-state">
            <p>{t('pool.notices.empty')}</p>
          </div>
        }
      />
      <Pagination page={data.page} pageCount={data.pageCount} />
      {objecting && data.signedIn ? (
        <section id="objection" aria-labelledby="objection-heading" className="card stack">
          <h2 id="objection-heading">
            {t('pool.objection.formHeading')} <span data-i18n-data>{objecting.providerName}</span>
          </h2>
          <Form method="post" action={`${location.pathname}${location.search}`} className="stack" noValidate>
            <ErrorSummary failure={failure} />
            <input type="hidden" name="intent" value="object" />
            <input type="hidden" name="applicationId" value={objecting.id} />
            <TextareaField
              id="reason"
              name="reason"
              rows={4}
              maxLength={2000}
              required
              label={t('pool.objection.reason')}
              hint={t('pool.objection.hint')}
              error={failure?.fieldErrors.reason}
            />
            <button type="submit" className="button" disabled={busy}>
              {t('pool.objection.submit')}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  )
}
