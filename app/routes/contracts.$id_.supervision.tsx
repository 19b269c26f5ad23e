import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { FileInput } from '~/components/file-input.js'
import { FileList } from '~/components/file-list.js'
import { Pagination } from '~/components/pagination.js'
import { MILESTONE_LIMITS, QUALITY_JUDGEMENTS, SCHEDULE_JUDGEMENTS } from '~/domain/contracts/milestone-limits.js'
import type { SupervisionLogView } from '~/domain/contracts/milestone-views.js'
import { ZLogsQuery, ZSupervisionLog } from '~/domain/contracts/milestones.server.js'
import { addSupervisionLog, listSupervisionLogs } from '~/domain/contracts/supervision.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import { readUploadForm } from '~/web/uploads.server.js'

/*
 * 监理日志 of a contract (issue 14 §4): every reader of the contract reads the log (20
 * a page, newest first); the appointed supervisor's members add an entry with photos
 * (a multipart form, no scripts needed) while the contract is active.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'milestones.log.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { page } = parseQuery(ZLogsQuery, args.request)
    return json({ page: await listSupervisionLogs(db, actor, id, page) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db, storage } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { form, files } = await readUploadForm(args.request, {
      purpose: 'supervision_photo',
      maxFiles: MILESTONE_LIMITS.photosPerLog,
      maxFields: 20,
    })
    return echoingFormFailure(form, async () => {
      const input = parseForm(ZSupervisionLog, form)
      await addSupervisionLog(
        db,
        storage,
        actor,
        id,
        input,
        files.filter((f) => f.field === 'photos'),
      )
      return redirect(`/contracts/${id}/supervision`, {
        headers: { 'Set-Cookie': await setFlash({ key: 'milestones.flash.logged' }) },
      })
    })
  })
}

function echoed(actionData: unknown, name: string): string | undefined {
  if (!actionData || typeof actionData !== 'object' || !('values' in actionData)) return undefined
  const v = (actionData as { values: Record<string, string | string[]> }).values[name]
  return Array.isArray(v) ? v[0] : v
}

export default function SupervisionPage() {
  const { page } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  const { contract } = page
  const quality = echoed(actionData, 'quality') ?? ''
  const schedule = echoed(actionData, 'schedule') ?? ''
  return (
    <section aria-labelledby="log-title" className="supervision-page">
      <p>
        <Link to={`/contracts/${contract.id}`}>← {t('milestones.page.back')}</Link>
      </p>
      <h1 id="log-title">{t('milestones.log.title')}</h1>
      <p className="muted" data-i18n-data>
        {t('milestones.log.lead', { contract: contract.title })}
      </p>
      <p className="muted small" data-i18n-data>
        {contract.supervisorName ? t('milestones.log.by', { org: contract.supervisorName }) : t('milestones.log.noSupervisor')}
      </p>

      {page.mayLog ? (
        <Form method="post" encType="multipart/form-data" noValidate className="card section" aria-labelledby="log-form-title">
          <h2 id="log-form-title">{t('milestones.log.formTitle')}</h2>
          <ErrorSummary failure={failure} fieldIds={{ quality: 'log-quality', schedule: 'log-schedule', photos: 'log-photos' }} />
          <InputField
            id="logDate"
            name="logDate"
            type="date"
            label={t('milestones.log.date')}
            hint={t('milestones.log.dateHint', { min: page.minDate, max: page.maxDate })}
            min={page.minDate}
            max={page.maxDate}
            required
            defaultValue={echoed(actionData, 'logDate') ?? page.maxDate}
            error={failure?.fieldErrors.logDate}
          />
          <TextareaField
            id="findings"
            name="findings"
            label={t('milestones.log.findings')}
            hint={t('milestones.log.findingsHint')}
            rows={6}
            maxLength={MILESTONE_LIMITS.findingsMax}
            required
            defaultValue={echoed(actionData, 'findings') ?? ''}
            error={failure?.fieldErrors.findings}
          />
          <fieldset className="field" id="log-quality">
            <legend>{t('milestones.log.quality')}</legend>
            {failure?.fieldErrors.quality ? (
              <p className="field-error" role="alert">
                {t('milestones.v.quality')}
              </p>
            ) : null}
            {QUALITY_JUDGEMENTS.map((q) => (
              <label className="choice" key={q}>
                <input type="radio" name="quality" value={q} defaultChecked={quality === q} /> {t(`milestones.quality.${q}`)}
              </label>
            ))}
          </fieldset>
          <fieldset className="field" id="log-schedule">
            <legend>{t('milestones.log.schedule')}</legend>
            {failure?.fieldErrors.schedule ? (
              <p className="field-error" role="alert">
                {t('milestones.v.schedule')}
              </p>
            ) : null}
            {SCHEDULE_JUDGEMENTS.map((s) => (
              <label className="choice" key={s}>
                <input type="radio" name="schedule" value={s} defaultChecked={schedule === s} /> {t(`milestones.schedule.${s}`)}
              </label>
            ))}
          </fieldset>
          <SelectField
            id="milestoneId"
            name="milestoneId"
            label={t('milestones.log.milestone')}
            defaultValue={echoed(actionData, 'milestoneId') ?? ''}
            error={failure?.fieldErrors.milestoneId}
          >
            <option value="">{t('milestones.log.milestoneNone')}</option>
            {page.milestones.map((m) => (
              <option key={m.id} value={m.id}>
                {t('milestones.log.milestoneOption', { seq: m.seq, name: m.name })}
              </option>
            ))}
          </SelectField>
          <FileInput
            id="log-photos"
            name="photos"
            label={t('milestones.log.photos')}
            hint={t('milestones.log.photosHint', { max: MILESTONE_LIMITS.photosPerLog })}
            purpose="supervision_photo"
            multiple
            maxFiles={MILESTONE_LIMITS.photosPerLog}
            error={failure?.fieldErrors.photos}
          />
          <p>
            <button type="submit" className="button primary">
              {t('milestones.log.submit')}
            </button>
          </p>
        </Form>
      ) : null}

      <section aria-labelledby="log-list-title" className="section">
        <h2 id="log-list-title">{t('milestones.log.listTitle', { total: page.total })}</h2>
        <DataTable<SupervisionLogView>
          caption={t('milestones.log.caption')}
          rows={page.logs}
          rowKey={(l) => l.id}
          empty={
            <div className="empty-state">
              <p>{t('milestones.log.empty')}</p>
              <p className="muted">{t(page.mayLog ? 'milestones.log.emptySupervisor' : 'milestones.log.emptyOthers')}</p>
            </div>
          }
          columns={[
            { id: 'date', header: t('milestones.log.colDate'), role: 'primary', cell: (l) => l.logDate },
            { id: 'quality', header: t('milestones.log.colQuality'), cell: (l) => t(`milestones.quality.${l.quality}`) },
            { id: 'schedule', header: t('milestones.log.colSchedule'), cell: (l) => t(`milestones.schedule.${l.schedule}`) },
            {
              id: 'milestone',
              header: t('milestones.log.colMilestone'),
              cell: (l) => <span data-i18n-data>{l.milestoneName ?? '—'}</span>,
            },
            {
              id: 'findings',
              header: t('milestones.log.colFindings'),
              cell: (l) => (
                <span data-i18n-data style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {l.findings}
                </span>
              ),
            },
            {
              id: 'photos',
              header: t('milestones.log.colPhotos'),
              cell: (l) => (
                <FileList files={l.photos} altOf={(_f, i) => t('milestones.log.photoAlt', { date: l.logDate, n: i + 1 })} />
              ),
            },
            {
              id: 'author',
              header: t('milestones.log.colAuthor'),
              cell: (l) => (
                <span data-i18n-data>
                  {l.author} · {l.orgName}
                </span>
              ),
            },
          ]}
        />
        <Pagination page={page.page} pageCount={page.pageCount} />
      </section>
    </section>
  )
}
