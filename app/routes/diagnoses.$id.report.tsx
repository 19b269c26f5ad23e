import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { confirmationAsked, ConfirmStep, confirmRequestOf } from '~/components/confirm.js'
import { FileInput } from '~/components/file-input.js'
import { FileList } from '~/components/file-list.js'
import { ErrorSummary, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { echoedValues } from '~/components/template-form.js'
import {
  attachReportFile,
  FILE_INTENTS,
  formWithout,
  getReportEditor,
  removeReportFile,
  saveReportDraft,
  ZReportDraft,
  ZReportEditorMeta,
  ZReportEditorQuery,
  ZReportFileIntent,
} from '~/domain/diagnosis/reports.server.js'
import {
  ATTACHMENT_FIELD,
  DIAGNOSIS_KINDS,
  recommendationField,
  REPORT_LIMITS,
  SEVERITIES,
  weaknessField,
  type ReportVersionView,
} from '~/domain/diagnosis/views.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import diagnosisStyles from '~/styles/diagnosis.css'
import { setFlash } from '~/utils/flash.server.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import { readUploadForm } from '~/web/uploads.server.js'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: diagnosisStyles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'diagnosis.edit.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const query = parseQuery(ZReportEditorQuery, args.request)
    const editor = await getReportEditor(db, actor, id, query, await getLocale(args.request))
    return json({ editor, blank: query.blank, q: query.q })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db, storage } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    // Every form of the editor posts here; the attachment form is multipart.
    const { form, files } = await readUploadForm(args.request, { purpose: 'diagnosis_attachment', maxFiles: 1, maxFields: 600 })
    const page = `/diagnoses/${id}/report`
    const intent = form.get('intent')
    if (typeof intent === 'string' && FILE_INTENTS.includes(intent)) {
      const input = parseForm(ZReportFileIntent, form)
      if (input.intent === 'attach') {
        await attachReportFile(db, storage, actor, id, files)
        return redirect(page, { headers: { 'Set-Cookie': await setFlash({ key: 'diagnosis.edit.attached' }) } })
      }
      const asked = confirmationAsked(form)
      if (asked) return json(asked)
      await removeReportFile(db, storage, actor, id, input.fileId)
      return redirect(page, { headers: { 'Set-Cookie': await setFlash({ key: 'diagnosis.edit.fileRemoved' }) } })
    }
    return echoingFormFailure(form, async () => {
      const meta = parseForm(ZReportEditorMeta, form)
      const draft = parseForm(ZReportDraft, formWithout(form, meta.intent))
      await saveReportDraft(db, actor, id, meta.revision, meta.intent, draft)
      switch (meta.intent.intent) {
        case 'submit':
          return redirect(`/diagnoses/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: 'diagnosis.edit.submitted' }) } })
        case 'addWeakness': {
          const shown = Number(form.get('blank')) || 1
          return redirect(`${page}?blank=${Math.min(REPORT_LIMITS.blankRows, shown + 1)}#w-rows`)
        }
        case 'removeWeakness':
          return redirect(`${page}#w-rows`)
        case 'addRecommendation':
        case 'removeRecommendation':
          return redirect(`${page}#recommendations`)
        default:
          return redirect(page, { headers: { 'Set-Cookie': await setFlash({ key: 'diagnosis.edit.saved' }) } })
      }
    })
  })
}

type Raw = Record<string, string | string[]>

/** The saved version as the form's fields. */
function rawOf(v: ReportVersionView, kind: string): Raw {
  const raw: Raw = {
    kind,
    basics: v.basics,
    solution: v.solution,
    benchmarkPeer: v.benchmarkPeer,
    benchmarkNotes: v.benchmarkNotes,
    maturityLevel: v.maturityLevel === null ? '' : String(v.maturityLevel),
  }
  v.weaknesses.forEach((w, i) => {
    const n = i + 1
    raw[weaknessField(n, 'Scenario')] = w.scenarioCode
    raw[weaknessField(n, 'Severity')] = w.severity
    raw[weaknessField(n, 'Title')] = w.title
    raw[weaknessField(n, 'Description')] = w.description
    raw[weaknessField(n, 'Indicator')] = w.indicator
    raw[weaknessField(n, 'Current')] = w.currentValue
    raw[weaknessField(n, 'Target')] = w.targetValue
  })
  v.recommendations.forEach((r, i) => {
    raw[recommendationField(i + 1, 'Org')] = String(r.providerOrgId)
    raw[recommendationField(i + 1, 'Note')] = r.note
  })
  return raw
}

const text = (raw: Raw, name: string): string => {
  const v = raw[name]
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '')
}

export default function ReportEditorPage() {
  const { editor, blank, q } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const t = useT()
  const message = useMessage()
  const v = editor.version
  const echoed = echoedValues(actionData)
  const raw = echoed ?? rawOf(v, editor.kind)
  const fe = failure?.fieldErrors ?? {}
  // Rows: those saved (or sent back), then the blank ones asked for.
  let filled = 0
  for (let n = 1; n <= REPORT_LIMITS.weaknesses; n++) {
    if (
      text(raw, weaknessField(n, 'Title')) ||
      text(raw, weaknessField(n, 'Scenario')) ||
      text(raw, weaknessField(n, 'Description'))
    ) {
      filled = n
    }
  }
  const rowCount = Math.min(REPORT_LIMITS.weaknesses, filled + blank)
  const rows = Array.from({ length: rowCount }, (_, i) => i + 1)
  const recs = v.recommendations
  const names = new Map(recs.map((r) => [r.providerOrgId, r.name]))
  const recRows: { orgId: string; name: string }[] = []
  for (let n = 1; n <= REPORT_LIMITS.recommendations; n++) {
    const org = text(raw, recommendationField(n, 'Org'))
    if (org) recRows.push({ orgId: org, name: names.get(Number(org)) ?? org })
  }
  const links = ['factory_build', 'rd_design', 'production', 'production_mgmt', 'operations_mgmt'] as const
  return (
    <section aria-labelledby="editor-title">
      <p>
        <Link to={`/diagnoses/${editor.diagnosisId}`}>← {t('diagnosis.report.backToProject')}</Link>
      </p>
      <h1 id="editor-title">{t('diagnosis.edit.title')}</h1>
      <p className="muted">
        <span data-i18n-data>{editor.enterpriseName}</span> · {t('diagnosis.edit.lead', { version: v.version })}
      </p>
      {v.returnReason ? <p className="notice notice-warn">{t('diagnosis.edit.returned', { reason: v.returnReason })}</p> : null}
      {confirming ? (
        <ConfirmStep
          request={confirming}
          question={t('files.list.removeQuestion', { name: '' })}
          consequence={t('files.list.removeConsequence')}
          confirmLabel={t('files.list.remove')}
          danger
        />
      ) : null}

      {/* The provider search is its own GET form; its fields sit in the recommendations section (form attribute). */}
      <form id="provider-search" method="get" action={`#recommendations`} />

      <div className="card">
        <ErrorSummary failure={failure} />
        <Form method="post" noValidate id="report-form">
          <input type="hidden" name="revision" value={v.revision} />
          <input type="hidden" name="blank" value={blank} />
          {/* Enter in a field saves: the form's default button comes first (the row buttons remove rows). */}
          <button type="submit" name="intent" value="save" style={{ display: 'none' }} tabIndex={-1}>
            {t('diagnosis.edit.save')}
          </button>

          <SelectField
            id="kind"
            name="kind"
            label={t('diagnosis.edit.kind')}
            defaultValue={text(raw, 'kind')}
            error={fe.kind}
            hint={editor.kindLocked ? t('diagnosis.edit.kindLocked') : undefined}
          >
            {DIAGNOSIS_KINDS.filter((k) => !editor.kindLocked || k === editor.kind).map((k) => (
              <option key={k} value={k}>
                {t(`diagnosis.kind.${k}`)}
              </option>
            ))}
          </SelectField>

          <TextareaField
            id="basics"
            name="basics"
            label={t('diagnosis.report.basics')}
            hint={t('diagnosis.edit.basicsHint')}
            defaultValue={text(raw, 'basics')}
            maxLength={REPORT_LIMITS.basics}
            rows={6}
            error={fe.basics}
          />

          <fieldset id="w-rows" className="section">
            <legend>{t('diagnosis.report.weaknesses')}</legend>
            <p className="muted">{t('diagnosis.edit.weaknessesHint', { max: REPORT_LIMITS.weaknesses })}</p>
            {rows.map((n) => (
              <fieldset key={n} className="weakness-row">
                <legend>{t('diagnosis.edit.row', { n })}</legend>
                <div className="weakness-grid">
                  <SelectField
                    id={weaknessField(n, 'Scenario')}
                    name={weaknessField(n, 'Scenario')}
                    label={t('diagnosis.edit.scenario')}
                    defaultValue={text(raw, weaknessField(n, 'Scenario'))}
                    error={fe[weaknessField(n, 'Scenario')]}
                  >
                    <option value="">{t('diagnosis.edit.chooseScenario')}</option>
                    {links.map((link) => (
                      <optgroup key={link} label={t(`diagnosis.link.${link}`)}>
                        {editor.scenarios
                          .filter((s) => s.link === link)
                          .map((s) => (
                            <option key={s.code} value={s.code}>
                              {s.name}
                            </option>
                          ))}
                      </optgroup>
                    ))}
                  </SelectField>
                  <SelectField
                    id={weaknessField(n, 'Severity')}
                    name={weaknessField(n, 'Severity')}
                    label={t('diagnosis.edit.severity')}
                    defaultValue={text(raw, weaknessField(n, 'Severity')) || 'medium'}
                    error={fe[weaknessField(n, 'Severity')]}
                  >
                    {SEVERITIES.map((s) => (
                      <option key={s} value={s}>
                        {t(`diagnosis.severity.${s}`)}
                      </option>
                    ))}
                  </SelectField>
                </div>
                <InputField
                  id={weaknessField(n, 'Title')}
                  name={weaknessField(n, 'Title')}
                  label={t('diagnosis.edit.weaknessTitle')}
                  defaultValue={text(raw, weaknessField(n, 'Title'))}
                  maxLength={REPORT_LIMITS.weaknessTitleMax}
                  error={fe[weaknessField(n, 'Title')]}
                />
                <TextareaField
                  id={weaknessField(n, 'Description')}
                  name={weaknessField(n, 'Description')}
                  label={t('diagnosis.edit.weaknessDescription')}
                  defaultValue={text(raw, weaknessField(n, 'Description'))}
                  maxLength={REPORT_LIMITS.weaknessDescription}
                  rows={3}
                  error={fe[weaknessField(n, 'Description')]}
                />
                <div className="weakness-grid">
                  <InputField
                    id={weaknessField(n, 'Indicator')}
                    name={weaknessField(n, 'Indicator')}
                    label={t('diagnosis.edit.indicator')}
                    defaultValue={text(raw, weaknessField(n, 'Indicator'))}
                    maxLength={REPORT_LIMITS.indicator}
                    error={fe[weaknessField(n, 'Indicator')]}
                  />
                  <InputField
                    id={weaknessField(n, 'Current')}
                    name={weaknessField(n, 'Current')}
                    label={t('diagnosis.edit.current')}
                    defaultValue={text(raw, weaknessField(n, 'Current'))}
                    maxLength={REPORT_LIMITS.indicator}
                    error={fe[weaknessField(n, 'Current')]}
                  />
                  <InputField
                    id={weaknessField(n, 'Target')}
                    name={weaknessField(n, 'Target')}
                    label={t('diagnosis.edit.target')}
                    defaultValue={text(raw, weaknessField(n, 'Target'))}
                    maxLength={REPORT_LIMITS.indicator}
                    error={fe[weaknessField(n, 'Target')]}
                  />
                </div>
                <button type="submit" name="intent" value={`removeWeakness-${n}`} className="button-small button-secondary">
                  {t('diagnosis.edit.removeRow', { n })}
                </button>
              </fieldset>
            ))}
            {rowCount < REPORT_LIMITS.weaknesses ? (
              <button type="submit" name="intent" value="addWeakness" className="button-secondary">
                {t('diagnosis.edit.addRow')}
              </button>
            ) : null}
          </fieldset>

          <TextareaField
            id="solution"
            name="solution"
            label={t('diagnosis.report.solution')}
            hint={t('diagnosis.edit.solutionHint')}
            defaultValue={text(raw, 'solution')}
            maxLength={REPORT_LIMITS.solution}
            rows={8}
            error={fe.solution}
          />

          <fieldset id="recommendations" className="section">
            <legend>{t('diagnosis.report.recommendations')}</legend>
            <p className="muted">{t('diagnosis.edit.recommendationsHint', { max: REPORT_LIMITS.recommendations })}</p>
            {fe.recommendations ? <p className="field-error">{message(fe.recommendations)}</p> : null}
            {recRows.map((r, i) => (
              <div key={r.orgId} className="weakness-row">
                <input type="hidden" name={recommendationField(i + 1, 'Org')} value={r.orgId} />
                <p id={recommendationField(i + 1, 'Org')}>
                  <strong data-i18n-data>{r.name}</strong>
                  {fe[recommendationField(i + 1, 'Org')] ? (
                    <span className="field-error"> {t(fe[recommendationField(i + 1, 'Org')] as 'errors.invalid')}</span>
                  ) : null}
                </p>
                <InputField
                  id={recommendationField(i + 1, 'Note')}
                  name={recommendationField(i + 1, 'Note')}
                  label={t('diagnosis.edit.recommendationNote')}
                  defaultValue={text(raw, recommendationField(i + 1, 'Note'))}
                  maxLength={REPORT_LIMITS.recommendationNote}
                  error={fe[recommendationField(i + 1, 'Note')]}
                />
                <button
                  type="submit"
                  name="intent"
                  value={`removeRecommendation-${r.orgId}`}
                  className="button-small button-secondary"
                >
                  {t('diagnosis.edit.removeProvider', { name: r.name })}
                </button>
              </div>
            ))}
            {recRows.length < REPORT_LIMITS.recommendations ? (
              <div className="actions" role="search">
                <label htmlFor="provider-q">{t('diagnosis.edit.searchProviders')}</label>
                <input id="provider-q" name="q" type="search" form="provider-search" defaultValue={q} maxLength={40} />
                <button type="submit" form="provider-search" className="button-secondary">
                  {t('diagnosis.edit.search')}
                </button>
              </div>
            ) : null}
            {q && editor.providerResults.length === 0 ? <p className="muted">{t('diagnosis.edit.noProviderResults')}</p> : null}
            {editor.providerResults.length ? (
              <ul className="choice-list">
                {editor.providerResults.map((p) => (
                  <li key={p.orgId}>
                    <span data-i18n-data>{p.name}</span> <span className="muted">{p.regionName}</span>{' '}
                    <button
                      type="submit"
                      name="intent"
                      value={`addRecommendation-${p.orgId}`}
                      className="button-small"
                      aria-label={t('diagnosis.edit.addProvider', { name: p.name })}
                    >
                      {t('diagnosis.edit.addProvider', { name: '' })}
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
          </fieldset>

          <InputField
            id="benchmarkPeer"
            name="benchmarkPeer"
            label={t('diagnosis.edit.benchmarkPeer')}
            hint={t('diagnosis.edit.benchmarkPeerHint')}
            defaultValue={text(raw, 'benchmarkPeer')}
            maxLength={REPORT_LIMITS.benchmarkPeer}
            error={fe.benchmarkPeer}
          />
          <TextareaField
            id="benchmarkNotes"
            name="benchmarkNotes"
            label={t('diagnosis.edit.benchmarkNotes')}
            defaultValue={text(raw, 'benchmarkNotes')}
            maxLength={REPORT_LIMITS.benchmarkNotes}
            rows={3}
            error={fe.benchmarkNotes}
          />
          <SelectField
            id="maturityLevel"
            name="maturityLevel"
            label={t('diagnosis.edit.maturity')}
            defaultValue={text(raw, 'maturityLevel')}
            error={fe.maturityLevel}
          >
            <option value="">{t('diagnosis.edit.maturityNone')}</option>
            {[1, 2, 3, 4, 5].map((level) => (
              <option key={level} value={level}>
                {t('diagnosis.edit.maturityOption', { level })}
              </option>
            ))}
          </SelectField>

          <div className="actions">
            <button type="submit" name="intent" value="save" className="button-secondary">
              {t('diagnosis.edit.save')}
            </button>
            <button type="submit" name="intent" value="submit">
              {t('diagnosis.edit.submit')}
            </button>
          </div>
        </Form>
      </div>

      <section className="card section" aria-labelledby="attachments-title">
        <h2 id="attachments-title">{t('diagnosis.edit.attachments')}</h2>
        <FileList files={v.attachments} empty={t('diagnosis.edit.noAttachments')} remove={{ intent: 'removeFile' }} />
        {v.attachments.length < editor.attachmentLimit ? (
          <Form method="post" encType="multipart/form-data">
            <input type="hidden" name="intent" value="attach" />
            <FileInput
              id={ATTACHMENT_FIELD}
              name={ATTACHMENT_FIELD}
              label={t('diagnosis.edit.attach')}
              purpose="diagnosis_attachment"
              hint={t('diagnosis.edit.attachmentsHint', { limit: editor.attachmentLimit })}
              error={fe[ATTACHMENT_FIELD]}
              required
            />
            <button type="submit" className="button-secondary">
              {t('diagnosis.edit.attach')}
            </button>
          </Form>
        ) : null}
      </section>
    </section>
  )
}
