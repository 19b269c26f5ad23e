import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { FileList } from '~/components/file-list.js'
import { useFormFailure } from '~/components/form.js'
import { RecordFlags, ServiceRecordForm } from '~/components/service-record-form.js'
import { ZRecordIntent, ZRecordParams, ZRecordVersion, ZServiceRecordInput } from '~/domain/diagnosis/service-records-schema.js'
import { PHOTOS_PER_RECORD } from '~/domain/diagnosis/service-records-views.js'
import {
  deleteServiceRecord,
  getServiceRecord,
  removeServiceRecordPhoto,
  updateServiceRecord,
} from '~/domain/diagnosis/service-records.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import { readUploadForm } from '~/web/uploads.server.js'
import styles from '~/styles/diagnosis-service.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'records.record.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { id, recordId } = parseParams(ZRecordParams, args.params)
    const { actor } = await requireActor(args)
    return json(await getServiceRecord(db, actor, id, recordId))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db, storage } = services()
    const { id, recordId } = parseParams(ZRecordParams, args.params)
    const { actor } = await requireActor(args)
    const { form, files } = await readUploadForm(args.request, { purpose: 'service_photo', maxFiles: PHOTOS_PER_RECORD })
    const intent = parseForm(ZRecordIntent, form)
    const here = `/diagnoses/${id}/records/${recordId}`
    if (intent.intent === 'delete' || intent.intent === 'removePhoto') {
      // Without scripts the button asks first (components/confirm.tsx): checked, nothing written.
      const asked = confirmationAsked(form)
      if (intent.intent === 'delete') await deleteServiceRecord(db, storage, actor, id, recordId, { apply: !asked })
      else await removeServiceRecordPhoto(db, storage, actor, id, recordId, intent.fileId, { apply: !asked })
      if (asked) return json(asked)
      return intent.intent === 'delete'
        ? redirect(`/diagnoses/${id}/records`, { headers: { 'Set-Cookie': await setFlash({ key: 'records.deleted' }) } })
        : redirect(here, { headers: { 'Set-Cookie': await setFlash({ key: 'records.updated' }) } })
    }
    const input = parseForm(ZServiceRecordInput, form)
    const { version } = parseForm(ZRecordVersion, form)
    const { changed } = await updateServiceRecord(db, storage, actor, id, recordId, version, input, files)
    const flash = await setFlash({ key: changed.length ? 'records.updated' : 'records.unchanged' })
    return redirect(here, { headers: { 'Set-Cookie': flash } })
  })
}

export default function ServiceRecordPage() {
  const { diagnosis, record, canWrite, dateRange } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const t = useT()
  const kind = t(`records.kind.${record.kind}`)
  const deleteQuestion = {
    question: t('records.record.deleteConfirm', { date: record.occurredOn, kind }),
    consequence: t('records.record.deleteConsequence'),
    confirmLabel: t('records.record.delete'),
    danger: true,
  }
  const confirmingPhoto =
    confirming?.fields.intent === 'removePhoto' ? record.photos.find((f) => String(f.id) === confirming.fields.fileId) : undefined
  return (
    <section aria-labelledby="record-title">
      <nav aria-label={t('records.title')}>
        <Link to={`/diagnoses/${diagnosis.id}`}>← {t('records.back')}</Link>
        {' · '}
        <Link to={`/diagnoses/${diagnosis.id}/records`}>{t('records.nav')}</Link>
      </nav>
      <header className="page-head">
        <h1 id="record-title">{canWrite ? t('records.record.editTitle') : t('records.record.title')}</h1>
        <p className="muted">
          {record.occurredOn} · {kind} · {t('records.hoursValue', { hours: record.hours })} ·{' '}
          {t('records.teamValue', { count: record.teamSize })} <RecordFlags flags={record.flags} />
        </p>
      </header>
      {confirming?.fields.intent === 'delete' ? <ConfirmStep request={confirming} {...deleteQuestion} /> : null}
      {confirming && confirmingPhoto ? (
        <ConfirmStep
          request={confirming}
          question={t('files.list.removeQuestion', { name: confirmingPhoto.name })}
          consequence={t('files.list.removeConsequence')}
          confirmLabel={t('files.list.remove')}
          danger
        />
      ) : null}
      {canWrite ? (
        <div className="card">
          <ServiceRecordForm
            key={record.updatedAt}
            item={record}
            failure={failure}
            dateRange={dateRange}
            photosLeft={Math.max(0, PHOTOS_PER_RECORD - record.photos.length)}
            submitLabel={t('records.record.submit')}
          />
        </div>
      ) : (
        <dl className="card">
          <dt>{t('records.col.leader')}</dt>
          <dd data-i18n-data>{record.leader || '—'}</dd>
          <dt>{t('records.field.teamMembers')}</dt>
          <dd data-i18n-data>{record.teamMembers || '—'}</dd>
          <dt>{t('records.col.content')}</dt>
          <dd data-i18n-data className="record-content">
            {record.content}
          </dd>
        </dl>
      )}
      <section className="card section" aria-labelledby="photos-title">
        <h2 id="photos-title">{t('records.record.photos')}</h2>
        <FileList
          files={record.photos}
          altOf={(_f, i) => t('records.photoAlt', { date: record.occurredOn, kind, n: i + 1 })}
          empty={t('records.record.photosNone')}
          {...(canWrite ? { remove: { intent: 'removePhoto' } } : {})}
        />
      </section>
      {canWrite ? (
        <section className="section" aria-labelledby="delete-title">
          <h2 id="delete-title" className="visually-hidden">
            {t('records.record.delete')}
          </h2>
          <ConfirmForm label={t('records.record.delete')} buttonClassName="button-danger" {...deleteQuestion}>
            <input type="hidden" name="intent" value="delete" />
          </ConfirmForm>
        </section>
      ) : null}
    </section>
  )
}
