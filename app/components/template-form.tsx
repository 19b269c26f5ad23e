import { Form, useNavigation } from '@remix-run/react'
import { useState, type FormEvent, type ReactNode } from 'react'
import { PRICE_MODELS } from '~/domain/providers/enums.js'
import { MAX_MILESTONE_ROWS, MILESTONE_ROWS, type TemplateFields } from '~/domain/providers/template-views.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import type { FormFailure } from '~/utils/form-failure.js'
import { ErrorSummary, InputField, RequiredMark, SelectField, TextareaField } from './form.js'

/*
 * The contract template form (标准合同): new, derived and edited templates. It works
 * without scripts: the payment milestones are a fixed number of numbered rows (blank
 * ones are ignored), and a refused form comes back filled in with what was sent (the
 * action echoes it, app/web/form-echo.server.ts). With scripts the milestones show their
 * running sum as one types.
 */

type Raw = Record<string, string | string[]>

const SCENARIO_LINKS = ['factory_build', 'rd_design', 'production', 'production_mgmt', 'operations_mgmt'] as const

/** The fields a refused action sent back, if it did. */
export function echoedValues(actionData: unknown): Raw | null {
  if (actionData && typeof actionData === 'object' && 'values' in actionData) {
    const values = actionData.values
    if (values && typeof values === 'object') return values as Raw
  }
  return null
}

/** A template's fields as the form's inputs hold them. */
function rawOf(v: TemplateFields): Raw {
  const raw: Raw = {
    title: v.title,
    industry: v.industryCode ?? '',
    'scenarios[]': v.scenarioCodes,
    constructionDays: String(v.constructionDays),
    technicalStandards: v.technicalStandards.join('\n'),
    acceptanceStandards: v.acceptanceStandards,
    qualityTerms: v.qualityTerms,
    warrantyMonths: String(v.warrantyMonths),
    priceModel: v.priceModel,
    priceMinWan: v.priceMinWan === null ? '' : String(v.priceMinWan),
    priceMaxWan: v.priceMaxWan === null || v.priceModel === 'fixed' ? '' : String(v.priceMaxWan),
    disputeClause: v.disputeClause,
  }
  v.milestones.forEach((m, i) => {
    raw[`ms${i + 1}Name`] = m.name
    raw[`ms${i + 1}Percent`] = String(m.percent)
    raw[`ms${i + 1}Criteria`] = m.criteria
  })
  return raw
}

const text = (raw: Raw, name: string): string => {
  const v = raw[name]
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '')
}
const list = (raw: Raw, name: string): string[] => {
  const v = raw[name]
  return Array.isArray(v) ? v : v ? [v] : []
}

/** Field name → element id, where they differ (ErrorSummary's links). */
export const TEMPLATE_FIELD_IDS = { 'scenarios[]': 'scenarios', industry: 'industry' }

/** The sum of the percentages typed into the milestone rows (what is not a whole number counts 0). */
function percentSum(values: readonly string[]): number {
  return values.reduce((total, v) => total + (/^\d{1,3}$/.test(v.trim()) ? Number(v.trim()) : 0), 0)
}

export function TemplateForm({
  values,
  echoed,
  industries,
  scenarios,
  failure,
  submitLabel,
  children,
}: {
  values: TemplateFields
  echoed: Raw | null
  industries: { code: string; name: string }[]
  scenarios: { code: string; name: string; link: string }[]
  failure: FormFailure | undefined
  submitLabel: string
  /** Hidden fields (the version edited, the version derived from). */
  children?: ReactNode
}) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const raw = echoed ?? rawOf(values)
  const errors = failure?.fieldErrors ?? {}
  const [priceModel, setPriceModel] = useState(text(raw, 'priceModel') || 'range')
  const chosenScenarios = new Set(list(raw, 'scenarios[]'))
  return (
    <Form method="post" noValidate className="form-wide template-form">
      <ErrorSummary failure={failure} fieldIds={TEMPLATE_FIELD_IDS} />
      {children}
      <InputField
        id="title"
        name="title"
        label={t('template.field.title')}
        hint={t('template.field.titleHint')}
        required
        maxLength={80}
        defaultValue={text(raw, 'title')}
        error={errors.title}
      />
      <SelectField
        id="industry"
        name="industry"
        label={t('template.field.industry')}
        hint={t('template.field.industryHint')}
        defaultValue={text(raw, 'industry')}
        error={errors.industry}
      >
        <option value="">{t('template.industry.any')}</option>
        {industries.map((i) => (
          <option key={i.code} value={i.code} data-i18n-data>
            {i.code} {i.name}
          </option>
        ))}
      </SelectField>
      <ScenarioChoices scenarios={scenarios} chosen={chosenScenarios} error={errors['scenarios[]']} />
      <div className="template-form-pair">
        <InputField
          id="constructionDays"
          name="constructionDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={3650}
          label={t('template.field.constructionDays')}
          hint={t('template.field.constructionDaysHint')}
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
          max={120}
          label={t('template.field.warrantyMonths')}
          hint={t('template.field.warrantyMonthsHint')}
          required
          defaultValue={text(raw, 'warrantyMonths')}
          error={errors.warrantyMonths}
        />
      </div>
      <TextareaField
        id="technicalStandards"
        name="technicalStandards"
        rows={4}
        label={t('template.field.technicalStandards')}
        hint={t('template.field.technicalStandardsHint')}
        required
        defaultValue={text(raw, 'technicalStandards')}
        error={errors.technicalStandards}
      />
      <TextareaField
        id="acceptanceStandards"
        name="acceptanceStandards"
        rows={4}
        maxLength={4000}
        label={t('template.field.acceptanceStandards')}
        required
        defaultValue={text(raw, 'acceptanceStandards')}
        error={errors.acceptanceStandards}
      />
      <TextareaField
        id="qualityTerms"
        name="qualityTerms"
        rows={3}
        maxLength={4000}
        label={t('template.field.qualityTerms')}
        defaultValue={text(raw, 'qualityTerms')}
        error={errors.qualityTerms}
      />
      <fieldset className="field template-price" aria-describedby="price-hint">
        <legend>
          {t('template.field.price')}
          <RequiredMark />
        </legend>
        <p id="price-hint" className="field-hint">
          {t('template.field.priceHint')}
        </p>
        <div className="template-price-models">
          {PRICE_MODELS.map((m) => (
            <label key={m}>
              <input
                type="radio"
                name="priceModel"
                value={m}
                defaultChecked={text(raw, 'priceModel') === m || (!text(raw, 'priceModel') && m === 'range')}
                onChange={() => setPriceModel(m)}
              />{' '}
              {t(`template.priceModel.${m}`)}
            </label>
          ))}
        </div>
        <div className="template-form-pair">
          <InputField
            id="priceMinWan"
            name="priceMinWan"
            type="number"
            inputMode="numeric"
            min={0}
            label={priceModel === 'fixed' ? t('template.field.priceFixed') : t('template.field.priceMin')}
            defaultValue={text(raw, 'priceMinWan')}
            error={errors.priceMinWan}
          />
          <InputField
            id="priceMaxWan"
            name="priceMaxWan"
            type="number"
            inputMode="numeric"
            min={0}
            label={t('template.field.priceMax')}
            hint={t('template.field.priceMaxHint')}
            defaultValue={text(raw, 'priceMaxWan')}
            error={errors.priceMaxWan}
          />
        </div>
      </fieldset>
      <MilestonesEditor raw={raw} errors={errors} sumParam={failure?.formParams?.sum} />
      <TextareaField
        id="disputeClause"
        name="disputeClause"
        rows={3}
        maxLength={2000}
        label={t('template.field.disputeClause')}
        hint={t('template.field.disputeClauseHint')}
        required
        defaultValue={text(raw, 'disputeClause')}
        error={errors.disputeClause}
      />
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  )
}

/** Scenarios by the link of the value chain they belong to, as checkboxes. */
function ScenarioChoices({
  scenarios,
  chosen,
  error,
}: {
  scenarios: { code: string; name: string; link: string }[]
  chosen: ReadonlySet<string>
  error?: string
}) {
  const t = useT()
  const message = useMessage()
  return (
    <fieldset
      id="scenarios"
      className="checkbox-group template-scenarios"
      tabIndex={-1}
      aria-describedby={error ? 'scenarios-error' : undefined}
    >
      <legend>
        {t('template.field.scenarios')}
        <RequiredMark />
      </legend>
      {SCENARIO_LINKS.map((link) => (
        <div key={link} className="template-scenario-group">
          <p className="template-scenario-link">{t(`link.${link}`)}</p>
          {scenarios
            .filter((s) => s.link === link)
            .map((s) => (
              <label key={s.code}>
                <input type="checkbox" name="scenarios[]" value={s.code} defaultChecked={chosen.has(s.code)} />
                <span data-i18n-data>{s.name}</span>
              </label>
            ))}
        </div>
      ))}
      {error ? (
        <p id="scenarios-error" className="field-error" role="alert">
          {message(error)}
        </p>
      ) : null}
    </fieldset>
  )
}

/**
 * The payment milestones: numbered rows of name, percentage and acceptance criteria.
 * The running sum is drawn from the inputs (with scripts, as one types; without, as the
 * page was rendered).
 */
function MilestonesEditor({
  raw,
  errors,
  sumParam,
}: {
  raw: Raw
  errors: Record<string, string>
  sumParam: string | number | undefined
}) {
  const t = useT()
  const message = useMessage()
  let filled = 0
  for (let n = 1; n <= MAX_MILESTONE_ROWS; n++) {
    if (text(raw, `ms${n}Name`) || text(raw, `ms${n}Percent`) || text(raw, `ms${n}Criteria`)) filled = n
  }
  const rows = Math.min(MAX_MILESTONE_ROWS, Math.max(MILESTONE_ROWS, filled + 2))
  const initial = Array.from({ length: rows }, (_, i) => text(raw, `ms${i + 1}Percent`))
  const [sum, setSum] = useState(() => percentSum(initial))
  const onInput = (event: FormEvent<HTMLFieldSetElement>) => {
    const inputs = event.currentTarget.querySelectorAll<HTMLInputElement>('input[data-percent]')
    setSum(percentSum([...inputs].map((i) => i.value)))
  }
  const sumError = errors.milestones
  const ok = sum === 100
  return (
    <fieldset
      id="milestones"
      className="field milestones-editor"
      tabIndex={-1}
      onInput={onInput}
      aria-describedby={['milestones-hint', sumError ? 'milestones-error' : null].filter(Boolean).join(' ')}
    >
      <legend>
        {t('template.field.milestones')}
        <RequiredMark />
      </legend>
      <p id="milestones-hint" className="field-hint">
        {t('template.field.milestonesHint', { rows })}
      </p>
      <div className="milestone-head" aria-hidden="true">
        <span>{t('template.milestone.no')}</span>
        <span>{t('template.milestone.name')}</span>
        <span>{t('template.milestone.percent')}</span>
        <span>{t('template.milestone.criteria')}</span>
      </div>
      <ol className="milestone-rows">
        {Array.from({ length: rows }, (_, i) => {
          const n = i + 1
          const field = (part: 'Name' | 'Percent' | 'Criteria') => `ms${n}${part}`
          const rowError = errors[field('Name')] ?? errors[field('Percent')] ?? errors[field('Criteria')]
          const invalid = (part: 'Name' | 'Percent' | 'Criteria') =>
            errors[field(part)] ? { 'aria-invalid': true as const, 'aria-describedby': `ms${n}-error` } : {}
          return (
            <li key={n} className="milestone-row">
              <span className="milestone-no" aria-hidden="true">
                {n}
              </span>
              <label className="visually-hidden" htmlFor={field('Name')}>
                {t('template.milestone.nameOf', { n })}
              </label>
              <input
                id={field('Name')}
                name={field('Name')}
                maxLength={40}
                placeholder={t('template.milestone.name')}
                defaultValue={text(raw, field('Name'))}
                {...invalid('Name')}
              />
              <label className="visually-hidden" htmlFor={field('Percent')}>
                {t('template.milestone.percentOf', { n })}
              </label>
              <span className="milestone-percent">
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
                <span aria-hidden="true">%</span>
              </span>
              <label className="visually-hidden" htmlFor={field('Criteria')}>
                {t('template.milestone.criteriaOf', { n })}
              </label>
              <input
                id={field('Criteria')}
                name={field('Criteria')}
                maxLength={500}
                placeholder={t('template.milestone.criteria')}
                defaultValue={text(raw, field('Criteria'))}
                {...invalid('Criteria')}
              />
              {rowError ? (
                <p id={`ms${n}-error`} className="field-error milestone-error" role="alert">
                  {message(rowError)}
                </p>
              ) : null}
            </li>
          )
        })}
      </ol>
      <p className={`milestone-sum ${ok ? 'milestone-sum-ok' : 'milestone-sum-off'}`} aria-live="polite" id="milestones-sum">
        {ok ? t('template.milestone.sumOk') : t('template.milestone.sumOff', { sum })}
      </p>
      {sumError ? (
        <p id="milestones-error" className="field-error" role="alert">
          {sumParam !== undefined ? t('template.v.milestoneSum', { sum: sumParam }) : message(sumError)}
        </p>
      ) : null}
    </fieldset>
  )
}
