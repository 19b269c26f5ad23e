import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { FileList } from '~/components/file-list.js'
import { useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { RecordFlags, ServiceRecordForm } from '~/components/service-record-form.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { ZRecordsQuery, ZServiceRecordInput } from '~/domain/diagnosis/service-records-schema.js'
import { PHOTOS_PER_RECORD } from '~/domain/diagnosis/service-records-views.js'
import { addServiceRecord, listServiceRecords } from '~/domain/diagnosis/service-records.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import { readUploadForm } from '~/web/uploads.server.js'
import styles from '~/styles/diagnosis-service.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'records.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const { actor } = await requireActor(args)
    const { page } = parseQuery(ZRecordsQuery, args.request)
    return json(await listServiceRecords(db, actor, id, { page }))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db, storage } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const { actor } = await requireActor(args)
    const { form, files } = await readUploadForm(args.request, { purpose: 'service_photo', maxFiles: PHOTOS_PER_RECORD })
    const input = parseForm(ZServiceRecordInput, form)
    await addServiceRecord(db, storage, actor, id, input, files)
    return redirect(`/diagnoses/${id}/records`, { headers: { 'Set-Cookie': await setFlash({ key: 'records.created' }) } })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Record = Data['records'][number]

export default function ServiceRecordsPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  const { diagnosis, progress } = data
  const base = `/diagnoses/${diagnosis.id}`
  const columns: Column<Record>[] = [
    {
      id: 'date',
      header: t('records.col.date'),
      role: 'primary',
      cell: (r) => <Link to={`${base}/records/${r.id}`}>{r.occurredOn}</Link>,
    },
    {
      id: 'kind',
      header: t('records.col.kind'),
      cell: (r) => (
        <>
          {t(`records.kind.${r.kind}`)} <RecordFlags flags={r.flags} />
        </>
      ),
    },
    { id: 'hours', header: t('records.col.hours'), cell: (r) => t('records.hoursValue', { hours: r.hours }) },
    { id: 'team', header: t('records.col.team'), cell: (r) => t('records.teamValue', { count: r.teamSize }) },
    { id: 'leader', header: t('records.col.leader'), cell: (r) => <span data-i18n-data>{r.leader || '—'}</span> },
    {
      id: 'content',
      header: t('records.col.content'),
      cell: (r) => (
        <span data-i18n-data className="record-content">
          {r.content}
        </span>
      ),
    },
    {
      id: 'photos',
      header: t('records.col.photos'),
      cell: (r) => (
        <FileList
          files={r.photos}
          className="record-photos"
          altOf={(_f, i) => t('records.photoAlt', { date: r.occurredOn, kind: t(`records.kind.${r.kind}`), n: i + 1 })}
        />
      ),
    },
  ]
  if (data.canWrite) {
    columns.push({
      id: 'action',
      header: t('records.col.action'),
      role: 'action',
      cell: (r) => (
        <Link to={`${base}/records/${r.id}`} aria-label={`${t('records.edit')} ${r.occurredOn} ${t(`records.kind.${r.kind}`)}`}>
          {t('records.edit')}
        </Link>
      ),
    })
  }
  return (
    <section aria-labelledby="records-title">
      {data.side === 'enterprise' ? <EnterpriseWorkspaceNav /> : null}
      <nav aria-label={t('records.back')} className="breadcrumb">
        <Link to={base}>← {t('records.back')}</Link>
        {' · '}
        <Link to={`${base}/survey`}>{t('survey.nav')}</Link>
      </nav>
      <header className="page-head">
        <h1 id="records-title">{t('records.title')}</h1>
        <p className="muted">
          {fillTemplate(t('records.parties'), {
            enterprise: <span data-i18n-data>{diagnosis.enterpriseName}</span>,
            provider: <span data-i18n-data>{diagnosis.providerName}</span>,
          })}
        </p>
      </header>

      <section className="card section" aria-labelledby="progress-title" data-testid="service-progress">
        <h2 id="progress-title">{t('records.progress.title')}</h2>
        <ul className="progress-lines">
          {progress.lines.map((line) => (
            <li key={line.kind} data-kind={line.kind} data-met={line.met ? 'yes' : 'no'}>
              <strong>
                {t('records.progress.line', {
                  kind: t(`records.kind.${line.kind}`),
                  counted: line.counted,
                  required: line.required,
                })}
              </strong>{' '}
              <span className={line.met ? 'badge badge-verified' : 'badge badge-pending'}>
                {line.met ? t('records.progress.met') : t('records.progress.notMet')}
              </span>
            </li>
          ))}
        </ul>
        {progress.flagged > 0 ? (
          <p className="notice notice-warn">{t('records.progress.flagged', { count: progress.flagged })}</p>
        ) : null}
        {progress.complete ? <p className="notice notice-success">{t('records.progress.complete')}</p> : null}
        <p className="muted">{t('records.progress.rules')}</p>
      </section>

      <section className="section" aria-labelledby="list-title">
        <h2 id="list-title">
          {t('records.list.title')} <span className="muted">{t('records.list.count', { count: data.total })}</span>
        </h2>
        <DataTable
          caption={t('records.list.title')}
          columns={columns}
          rows={data.records}
          rowKey={(r) => r.id}
          empty={<p className="empty-state">{data.canWrite ? t('records.list.emptyProvider') : t('records.list.empty')}</p>}
        />
        <Pagination page={data.page} pageCount={data.pageCount} />
      </section>

      {data.canWrite ? (
        <section className="card section" aria-labelledby="add-title">
          <h2 id="add-title">{t('records.add.title')}</h2>
          <p className="muted">{t('records.lead')}</p>
          {/* A fresh form once a record was added (its photos chosen again would be sent twice). */}
          <ServiceRecordForm
            key={data.total}
            item={null}
            failure={failure}
            dateRange={data.dateRange}
            photosLeft={PHOTOS_PER_RECORD}
            submitLabel={t('records.add.submit')}
          />
        </section>
      ) : (
        <p className="muted">{data.side === 'provider' ? t('records.closed') : t('records.readOnly')}</p>
      )}
    </section>
  )
}
