import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { FileInput } from '~/components/file-input.js'
import { FileList } from '~/components/file-list.js'
import { ErrorSummary, Honeypot, InputField, useFormFailure } from '~/components/form.js'
import { QualificationStatus, QualificationValidity } from '~/components/provider-fields.js'
import { QUALIFICATION_SUGGESTIONS } from '~/domain/providers/enums.js'
import {
  addQualification,
  listOwnQualifications,
  removeQualification,
  removeQualificationScan,
  updateQualification,
} from '~/domain/providers/qualifications.server.js'
import { ZQualificationAction, ZQualificationInput, ZQualificationsQuery } from '~/domain/providers/schema.js'
import type { MessageKey } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import { readUploadForm } from '~/web/uploads.server.js'
import styles from '~/styles/providers.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'providers.qualifications.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { edit } = parseQuery(ZQualificationsQuery, args.request)
    const page = await listOwnQualifications(db, actor)
    // A qualification that is gone (or never was) simply opens no form.
    return json({ ...page, editing: page.qualifications.find((q) => q.id === edit) ?? null })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db, storage } = services()
    const { actor } = await requireActor(args)
    const { form, files } = await readUploadForm(args.request, { purpose: 'qualification_scan', maxFiles: 1 })
    const intent = parseForm(ZQualificationAction, form)
    const scan = files[0]
    let done: MessageKey
    if (intent.intent === 'remove' || intent.intent === 'removeScan') {
      // Without scripts the button asks first (components/confirm.tsx): checked, nothing written.
      const asked = confirmationAsked(form)
      if (intent.intent === 'remove') await removeQualification(db, storage, actor, intent.id, { apply: !asked })
      else await removeQualificationScan(db, storage, actor, intent.fileId, { apply: !asked })
      if (asked) return json(asked)
      done = intent.intent === 'remove' ? 'providers.qualifications.removed' : 'providers.qualifications.updated'
    } else if (intent.intent === 'update') {
      const input = parseForm(ZQualificationInput, form)
      const { changed } = await updateQualification(db, storage, actor, intent.id, intent.version, input, scan)
      done = changed.length ? 'providers.qualifications.updated' : 'providers.qualifications.unchanged'
    } else {
      await addQualification(db, storage, actor, parseForm(ZQualificationInput, form), scan)
      done = 'providers.qualifications.added'
    }
    return redirect('/provider/qualifications', { headers: { 'Set-Cookie': await setFlash({ key: done }) } })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Qualification = Data['qualifications'][number]

export default function QualificationsPage() {
  const { orgId, qualifications, editing, limit, scansMax } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const errors = failure?.fieldErrors
  const removeQuestion = (q: Pick<Qualification, 'name'>) => ({
    question: fillTemplate(t('providers.qualifications.removeConfirm'), { name: <span data-i18n-data>{q.name}</span> }),
    consequence: t('providers.qualifications.removeConsequence'),
    confirmLabel: t('providers.qualifications.remove'),
    danger: true,
  })
  const confirmingOne =
    confirming?.fields.intent === 'remove' ? qualifications.find((q) => String(q.id) === confirming.fields.id) : undefined
  const confirmingScan =
    confirming?.fields.intent === 'removeScan'
      ? qualifications.flatMap((q) => q.scans).find((f) => String(f.id) === confirming.fields.fileId)
      : undefined
  const columns: Column<Qualification>[] = [
    { id: 'name', header: t('providers.qualification.name'), role: 'primary', cell: (q) => <span data-i18n-data>{q.name}</span> },
    {
      id: 'issuer',
      header: t('providers.qualification.issuer'),
      cell: (q) => (q.issuer ? <span data-i18n-data>{q.issuer}</span> : '—'),
    },
    {
      id: 'certificateNo',
      header: t('providers.qualification.certificateNo'),
      cell: (q) => (q.certificateNo ? <span data-i18n-data>{q.certificateNo}</span> : '—'),
    },
    {
      id: 'validity',
      header: t('providers.qualification.validity'),
      cell: (q) => <QualificationValidity from={q.validFrom} until={q.validUntil} />,
    },
    { id: 'status', header: t('providers.qualification.status'), cell: (q) => <QualificationStatus expired={q.expired} /> },
    {
      id: 'scans',
      header: t('providers.qualification.scans'),
      cell: (q) => (
        <FileList
          files={q.scans}
          altOf={(_f, i) => t('providers.qualification.scanAlt', { name: q.name, n: i + 1 })}
          empty={t('providers.qualification.scansNone')}
          remove={{ intent: 'removeScan' }}
        />
      ),
    },
    {
      id: 'action',
      header: t('providers.qualification.action'),
      role: 'action',
      cell: (q) => (
        <div className="actions">
          <Link className="button button-small button-secondary" to={`?edit=${q.id}#qualification-form`}>
            {t('providers.qualifications.edit')}
            <span className="visually-hidden">
              {' '}
              <span data-i18n-data>{q.name}</span>
            </span>
          </Link>
          <ConfirmForm
            label={t('providers.qualifications.remove')}
            buttonClassName="button-small button-secondary"
            buttonExtra={<span data-i18n-data>{q.name}</span>}
            {...removeQuestion(q)}
          >
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="id" value={q.id} />
          </ConfirmForm>
        </div>
      ),
    },
  ]
  return (
    <section aria-labelledby="qualifications-title">
      <header className="page-head">
        <h1 id="qualifications-title">{t('providers.qualifications.title')}</h1>
        <Link to={`/providers/${orgId}`}>{t('providers.profile.viewPublic')}</Link>
      </header>
      <p className="muted">{t('providers.qualifications.lead')}</p>
      <p>
        <Link to="/provider/profile">← {t('providers.profile.title')}</Link>
      </p>
      {confirming && confirmingOne ? <ConfirmStep request={confirming} {...removeQuestion(confirmingOne)} /> : null}
      {confirming && confirmingScan ? (
        <ConfirmStep
          request={confirming}
          question={t('files.list.removeQuestion', { name: confirmingScan.name })}
          consequence={t('files.list.removeConsequence')}
          confirmLabel={t('files.list.remove')}
          danger
        />
      ) : null}
      <DataTable
        caption={t('providers.qualifications.caption')}
        columns={columns}
        rows={qualifications}
        rowKey={(q) => q.id}
        empty={<p className="empty-state">{t('providers.qualifications.none')}</p>}
      />

      <section className="card section" aria-labelledby="qualification-form-title">
        <h2 id="qualification-form-title">
          {editing
            ? fillTemplate(t('providers.qualifications.editOne'), { name: <span data-i18n-data>{editing.name}</span> })
            : t('providers.qualifications.add')}
        </h2>
        <p className="field-hint">{t('providers.qualifications.limit', { limit })}</p>
        {/* A new form for each qualification opened: its fields start from that one's values. */}
        <Form
          method="post"
          encType="multipart/form-data"
          noValidate
          className="form-wide"
          id="qualification-form"
          key={editing?.id ?? 'new'}
        >
          <ErrorSummary failure={failure} />
          <Honeypot />
          <input type="hidden" name="intent" value={editing ? 'update' : 'add'} />
          {editing ? (
            <>
              <input type="hidden" name="id" value={editing.id} />
              <input type="hidden" name="version" value={editing.version} />
            </>
          ) : null}
          <InputField
            id="name"
            name="name"
            label={t('providers.qualification.name')}
            hint={t('providers.qualification.nameHint')}
            required
            maxLength={60}
            list="qualification-suggestions"
            defaultValue={editing?.name}
            error={errors?.name}
            data-i18n-data
          />
          <datalist id="qualification-suggestions">
            {QUALIFICATION_SUGGESTIONS.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <div className="field-row">
            <InputField
              id="issuer"
              name="issuer"
              label={t('providers.qualification.issuer')}
              maxLength={60}
              defaultValue={editing?.issuer}
              error={errors?.issuer}
              data-i18n-data
            />
            <InputField
              id="certificateNo"
              name="certificateNo"
              label={t('providers.qualification.certificateNo')}
              maxLength={60}
              spellCheck={false}
              defaultValue={editing?.certificateNo}
              error={errors?.certificateNo}
            />
          </div>
          <div className="field-row">
            <InputField
              id="validFrom"
              name="validFrom"
              type="date"
              label={t('providers.qualification.validFrom')}
              defaultValue={editing?.validFrom ?? ''}
              error={errors?.validFrom}
            />
            <InputField
              id="validUntil"
              name="validUntil"
              type="date"
              label={t('providers.qualification.validUntil')}
              hint={t('providers.qualification.validUntilHint')}
              defaultValue={editing?.validUntil ?? ''}
              error={errors?.validUntil}
            />
          </div>
          {(editing?.scans.length ?? 0) < scansMax ? (
            <FileInput
              id="scan"
              name="scan"
              label={t('providers.qualification.scan')}
              hint={t('providers.qualification.scanHint')}
              purpose="qualification_scan"
              error={errors?.scan}
            />
          ) : null}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {editing ? t('providers.qualifications.save') : t('providers.qualifications.add')}
            </button>
            {editing ? (
              <Link className="button button-secondary" to="/provider/qualifications">
                {t('providers.qualifications.cancelEdit')}
              </Link>
            ) : null}
          </div>
        </Form>
      </section>
    </section>
  )
}
