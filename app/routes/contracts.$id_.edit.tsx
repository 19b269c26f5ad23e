import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState, type FormEvent } from 'react'
import { ErrorSummary, InputField, RequiredMark, TextareaField, useFormFailure } from '~/components/form.js'
import {
  getContractEditForm,
  parseContractDraftForm,
  updateDraft,
  ZContractRevision,
} from '~/domain/contracts/contracts.server.js'
import { CONTRACT_LIMITS, contractMilestoneField } from '~/domain/contracts/limits.js'
import type { ContractEditForm } from '~/domain/contracts/views.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import contractStyles from '~/styles/contracts.css'
import { setFlash } from '~/utils/flash.server.js'
import type { FormFailure } from '~/utils/form-failure.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 修改合同草稿 (issue 14 §3): either party's members while the contract is a draft:
 * start date, construction period, standards and terms, and the payment milestones —
 * a fixed number of numbered rows (name, percentage, due date, criteria; blank rows are
 * ignored), so the form works without scripts; with them the running sum shows as one
 * types. Saving clears both confirmations. A refused form comes back as it was sent.
 */

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: contractStyles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'contracts.edit.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json({ form: await getContractEditForm(db, actor, id) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    return echoingFormFailure(form, async () => {
      const { revision } = parseForm(ZContractRevision, form)
      const saved = await updateDraft(db, actor, id, revision, parseContractDraftForm(form))
      const key = saved.changed ? 'contracts.flash.saved' : 'contracts.flash.unchanged'
      return redirect(`/contracts/${id}`, { headers: { 'Set-Cookie': await setFlash({ key }) } })
    })
  })
}

type Raw = Record<string, string | string[]>

/** The fields a refused save sent back (echoingFormFailure), if it did. */
function echoedValues(actionData: unknown): Raw | null {
  if (actionData && typeof actionData === 'object' && 'values' in actionData) {
    const values = actionData.values
    if (values && typeof values === 'object') return values as Raw
  }
  return null
}

function rawOf(f: ContractEditForm): Raw {
  const raw: Raw = {
    startDate: f.terms.startDate ?? '',
    constructionDays: String(f.terms.constructionDays),
    technicalStandards: f.terms.technicalStandards.join('\n'),
    acceptanceStandards: f.terms.acceptanceStandards,
    qualityTerms: f.terms.qualityTerms,
    warrantyMonths: String(f.terms.warrantyMonths),
    disputeClause: f.terms.disputeClause,
  }
  f.milestones.forEach((m, i) => {
    raw[contractMilestoneField(i + 1, 'Name')] = m.name
    raw[contractMilestoneField(i + 1, 'Percent')] = String(m.percent)
    raw[contractMilestoneField(i + 1, 'Due')] = m.dueDate
    raw[contractMilestoneField(i + 1, 'Criteria')] = m.criteria
  })
  return raw
}

const text = (raw: Raw, name: string): string => {
  const v = raw[name]
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '')
}

function percentSum(values: readonly string[]): number {
  return values.reduce((total, v) => total + (/^\d{1,3}$/.test(v.trim()) ? Number(v.trim()) : 0), 0)
}

export default function EditContractPage() {
  const { form } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const raw = echoedValues(actionData) ?? rawOf(form)
  const errors = failure?.fieldErrors ?? {}
  const anyConfirmed = form.confirmed.enterprise || form.confirmed.provider
  return (
    <section aria-labelledby="edit-contract-title" className="contract-page">
      <p>
        <Link to={`/contracts/${form.id}`}>← {t('contracts.edit.back')}</Link>
      </p>
      <h1 id="edit-contract-title">{t('contracts.edit.title')}</h1>
      <p className="muted" data-i18n-data>
        {form.title}
      </p>
      <p className={anyConfirmed ? 'notice notice-warn' : 'notice'}>
        {anyConfirmed ? t('contracts.edit.clearsConfirmations') : t('contracts.edit.notice')}
      </p>
      <div className="card">
        <Form method="post" noValidate className="form-wide">
          <ErrorSummary failure={failure} />
          <input type="hidden" name="revision" value={form.revision} />
          <p>
            {t('contracts.edit.amount', { amount: form.amountWan })}{' '}
            <span className="muted small">{t('contracts.edit.amountFixed')}</span>
          </p>
          <InputField
            id="startDate"
            name="startDate"
            type="date"
            label={t('contracts.field.startDate')}
            required
            defaultValue={text(raw, 'startDate')}
            error={errors.startDate}
          />
          <InputField
            id="constructionDays"
            name="constructionDays"
            type="number"
            inputMode="numeric"
            min={CONTRACT_LIMITS.minConstructionDays}
            max={CONTRACT_LIMITS.maxConstructionDays}
            label={t('contracts.field.constructionDays')}
            required
            defaultValue={text(raw, 'constructionDays')}
            error={errors.constructionDays}
          />
          <InputField
            id="warrantyMonths"
            name="warrantyMonths"
            type="number"
            inputMode="numeric"
            min={0}
            max={CONTRACT_LIMITS.maxWarrantyMonths}
            label={t('contracts.field.warrantyMonths')}
            required
            defaultValue={text(raw, 'warrantyMonths')}
            error={errors.warrantyMonths}
          />
          <TextareaField
            id="technicalStandards"
            name="technicalStandards"
            rows={3}
            label={t('contracts.field.technicalStandards')}
            hint={t('contracts.field.technicalStandardsHint')}
            defaultValue={text(raw, 'technicalStandards')}
            error={errors.technicalStandards}
          />
          <TextareaField
            id="acceptanceStandards"
            name="acceptanceStandards"
            rows={4}
            maxLength={CONTRACT_LIMITS.termsMax}
            label={t('contracts.field.acceptanceStandards')}
            required
            defaultValue={text(raw, 'acceptanceStandards')}
            error={errors.acceptanceStandards}
          />
          <TextareaField
            id="qualityTerms"
            name="qualityTerms"
            rows={3}
            maxLength={CONTRACT_LIMITS.termsMax}
            label={t('contracts.field.qualityTerms')}
            defaultValue={text(raw, 'qualityTerms')}
            error={errors.qualityTerms}
          />
          <MilestoneRows raw={raw} errors={errors} failure={failure} />
          <TextareaField
            id="disputeClause"
            name="disputeClause"
            rows={3}
            maxLength={CONTRACT_LIMITS.disputeClauseMax}
            label={t('contracts.field.disputeClause')}
            required
            defaultValue={text(raw, 'disputeClause')}
            error={errors.disputeClause}
          />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t('contracts.edit.submit')}
            </button>
            <Link to={`/contracts/${form.id}`}>{t('contracts.edit.cancel')}</Link>
          </div>
        </Form>
      </div>
    </section>
  )
}

type Part = 'Name' | 'Percent' | 'Due' | 'Criteria'

function MilestoneRows({ raw, errors, failure }: { raw: Raw; errors: Record<string, string>; failure: FormFailure | undefined }) {
  const t = useT()
  const message = useMessage()
  let filled = 0
  for (let n = 1; n <= CONTRACT_LIMITS.maxMilestones; n++) {
    if ((['Name', 'Percent', 'Due', 'Criteria'] as const).some((p) => text(raw, contractMilestoneField(n, p)))) filled = n
  }
  const rows = Math.min(CONTRACT_LIMITS.maxMilestones, Math.max(CONTRACT_LIMITS.minMilestoneRows, filled + 2))
  const initial = Array.from({ length: rows }, (_, i) => text(raw, contractMilestoneField(i + 1, 'Percent')))
  const [sum, setSum] = useState(() => percentSum(initial))
  const onInput = (event: FormEvent<HTMLFieldSetElement>) => {
    const inputs = event.currentTarget.querySelectorAll<HTMLInputElement>('input[data-percent]')
    setSum(percentSum([...inputs].map((i) => i.value)))
  }
  const sumError = errors.milestones
  const sumParam = failure?.formParams?.sum
  return (
    <fieldset
      id="milestones"
      className="field"
      tabIndex={-1}
      onInput={onInput}
      aria-describedby={['milestones-hint', sumError ? 'milestones-error' : null].filter(Boolean).join(' ')}
    >
      <legend>
        {t('contracts.field.milestones')}
        <RequiredMark />
      </legend>
      <p id="milestones-hint" className="field-hint">
        {t('contracts.field.milestonesHint', { rows, max: CONTRACT_LIMITS.maxMilestones })}
      </p>
      <div className="contract-ms-head" aria-hidden="true">
        <span>{t('contracts.milestones.seq')}</span>
        <span>{t('contracts.milestones.name')}</span>
        <span>{t('contracts.milestones.percent')}</span>
        <span>{t('contracts.milestones.due')}</span>
        <span>{t('contracts.milestones.criteria')}</span>
      </div>
      <ol className="contract-ms-rows">
        {Array.from({ length: rows }, (_, i) => {
          const n = i + 1
          const field = (part: Part) => contractMilestoneField(n, part)
          const rowError = errors[field('Name')] ?? errors[field('Percent')] ?? errors[field('Due')] ?? errors[field('Criteria')]
          const invalid = (part: Part) =>
            errors[field(part)] ? { 'aria-invalid': true as const, 'aria-describedby': `ms${n}-error` } : {}
          return (
            <li key={n} className="contract-ms-row">
              <span className="contract-ms-no" aria-hidden="true">
                {n}
              </span>
              <label className="visually-hidden" htmlFor={field('Name')}>
                {t('contracts.milestones.nameOf', { n })}
              </label>
              <input
                id={field('Name')}
                name={field('Name')}
                maxLength={CONTRACT_LIMITS.milestoneNameMax}
                placeholder={t('contracts.milestones.name')}
                defaultValue={text(raw, field('Name'))}
                {...invalid('Name')}
              />
              <label className="visually-hidden" htmlFor={field('Percent')}>
                {t('contracts.milestones.percentOf', { n })}
              </label>
              <input
                id={field('Percent')}
                name={field('Percent')}
                type="number"
                inputMode="numeric"
                min={1}
                max={100}
                data-percent
                defaultValue={text(raw, field('Percent'))}
                {...invalid('Percent')}
              />
              <label className="visually-hidden" htmlFor={field('Due')}>
                {t('contracts.milestones.dueOf', { n })}
              </label>
              <input
                id={field('Due')}
                name={field('Due')}
                type="date"
                defaultValue={text(raw, field('Due'))}
                {...invalid('Due')}
              />
              <label className="visually-hidden" htmlFor={field('Criteria')}>
                {t('contracts.milestones.criteriaOf', { n })}
              </label>
              <input
                id={field('Criteria')}
                name={field('Criteria')}
                maxLength={CONTRACT_LIMITS.milestoneCriteriaMax}
                placeholder={t('contracts.milestones.criteria')}
                defaultValue={text(raw, field('Criteria'))}
                {...invalid('Criteria')}
              />
              {rowError ? (
                <p id={`ms${n}-error`} className="field-error" role="alert">
                  {message(rowError, failure?.formParams)}
                </p>
              ) : null}
            </li>
          )
        })}
      </ol>
      <p className={sum === 100 ? 'contract-ms-sum-ok' : 'contract-ms-sum-off'} aria-live="polite" id="milestones-sum">
        {sum === 100 ? t('contracts.milestones.sumOk') : t('contracts.milestones.sumOff', { sum })}
      </p>
      {sumError ? (
        <p id="milestones-error" className="field-error" role="alert">
          {sumParam !== undefined ? t('contracts.v.milestoneSum', { sum: sumParam }) : message(sumError)}
        </p>
      ) : null}
    </fieldset>
  )
}
