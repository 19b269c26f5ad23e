import type { SerializeFrom } from '@remix-run/node'
import { Form, useNavigation } from '@remix-run/react'
import { useEffect, useState } from 'react'
import type { CaseFormChoices, CaseItem } from '~/domain/providers/views.js'
import { PROVIDER_LIMITS } from '~/domain/providers/enums.js'
import { useT } from '~/i18n/use-t.js'
import type { FormFailure } from '~/utils/form-failure.js'
import { FileInput } from './file-input.js'
import { ErrorSummary, Honeypot, InputField, SelectField, TextareaField } from './form.js'
import { checkboxId, ScenarioCheckboxes } from './provider-fields.js'
import { RegionPicker, regionPickerFieldId } from './region-picker.js'

/*
 * The case form (/provider/cases/new, /provider/cases/:id): the project, the client
 * (or its anonymised description), and its measured results as rows of
 * `metrics[i].name / before / after / unit` (the server drops rows left empty).
 */

const METRIC_FIELDS = ['name', 'before', 'after', 'unit'] as const
type MetricField = (typeof METRIC_FIELDS)[number]

const metricName = (i: number, field: MetricField) => `metrics[${i}].${field}`
const metricId = (i: number, field: MetricField) => `metric-${i}-${field}`

/** Where the error summary's links lead, for fields whose element id is not their name. */
function caseFieldIds(firstScenario: string | undefined): Record<string, string> {
  const ids: Record<string, string> = { region: regionPickerFieldId('region') }
  if (firstScenario) ids['scenarios[]'] = checkboxId('scenarios', firstScenario)
  for (let i = 0; i < PROVIDER_LIMITS.metricsPerCase; i++) {
    for (const field of METRIC_FIELDS) ids[metricName(i, field)] = metricId(i, field)
  }
  return ids
}

/** A number as it was typed back into a field. */
const asText = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n))

interface Props {
  item: SerializeFrom<CaseItem> | null
  choices: SerializeFrom<CaseFormChoices>
  failure: FormFailure | undefined
  /** Images the case may still take (PROVIDER_LIMITS.imagesPerCase less those it has). */
  imagesLeft: number
  submitLabel: string
}

export function CaseForm({ item, choices, failure, imagesLeft, submitLabel }: Props) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const errors = failure?.fieldErrors
  const metrics = item?.metrics ?? []
  // Rows beyond the filled ones: one to add to (three to start with); scripts may add more.
  const [rows, setRows] = useState(() => Math.min(PROVIDER_LIMITS.metricsPerCase, Math.max(3, metrics.length + 1)))
  const [anonymised, setAnonymised] = useState(item?.anonymised ?? false)
  // The button that adds a row works with scripts only: shown once they run.
  const [scripted, setScripted] = useState(false)
  useEffect(() => setScripted(true), [])
  return (
    <Form method="post" encType="multipart/form-data" noValidate className="form-wide">
      <ErrorSummary failure={failure} fieldIds={caseFieldIds(choices.scenarios[0]?.code)} />
      <Honeypot />
      <input type="hidden" name="intent" value="save" />
      {item ? <input type="hidden" name="version" value={item.updatedAt} /> : null}

      <fieldset className="form-section">
        <legend>{t('providers.caseForm.basics')}</legend>
        <InputField
          id="title"
          name="title"
          label={t('providers.caseField.title')}
          hint={t('providers.caseField.titleHint')}
          required
          maxLength={80}
          defaultValue={item?.title}
          error={errors?.title}
          data-i18n-data
        />
        <div className="field">
          <label htmlFor="anonymised" style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <input
              id="anonymised"
              type="checkbox"
              name="anonymised"
              value="1"
              checked={anonymised}
              onChange={(e) => setAnonymised(e.target.checked)}
              aria-describedby="anonymised-hint"
              style={{ width: 18, height: 18, minHeight: 'auto' }}
            />
            {t('providers.caseField.anonymised')}
          </label>
          <span id="anonymised-hint" className="field-hint">
            {t('providers.caseField.anonymisedHint')}
          </span>
        </div>
        <div className="field-row">
          <InputField
            id="clientName"
            name="clientName"
            label={t('providers.caseField.clientName')}
            required={!anonymised}
            maxLength={60}
            defaultValue={item && !item.anonymised ? item.client : ''}
            error={errors?.clientName}
            data-i18n-data
          />
          <InputField
            id="clientAlias"
            name="clientAlias"
            label={t('providers.caseField.clientAlias')}
            hint={t('providers.caseField.clientAliasHint')}
            required={anonymised}
            maxLength={60}
            defaultValue={item?.anonymised ? item.client : ''}
            error={errors?.clientAlias}
            data-i18n-data
          />
        </div>
        <div className="field-row">
          <SelectField
            id="industry"
            name="industry"
            label={t('providers.caseField.industry')}
            required
            defaultValue={item?.industryCode ?? ''}
            error={errors?.industry}
          >
            <option value="">{t('providers.field.choose')}</option>
            {choices.industries.map((i) => (
              <option key={i.code} value={i.code}>
                {i.code} {i.name}
              </option>
            ))}
          </SelectField>
          <InputField
            id="year"
            name="year"
            label={t('providers.caseField.year')}
            required
            inputMode="numeric"
            maxLength={4}
            defaultValue={asText(item?.year)}
            error={errors?.year}
          />
          <InputField
            id="investmentWan"
            name="investmentWan"
            label={t('providers.caseField.investment')}
            inputMode="numeric"
            maxLength={9}
            defaultValue={asText(item?.investmentWan)}
            error={errors?.investmentWan}
          />
        </div>
        <RegionPicker
          name="region"
          legend={t('providers.caseField.region')}
          provinces={choices.regions.provinces}
          initial={choices.regions.initial}
          error={errors?.region}
        />
        <ScenarioCheckboxes
          name="scenarios"
          legend={t('providers.caseField.scenarios')}
          options={choices.scenarios}
          checked={item?.scenarios.map((s) => s.code) ?? []}
          error={errors?.['scenarios[]']}
          required
        />
        <TextareaField
          id="summary"
          name="summary"
          label={t('providers.caseField.summary')}
          hint={t('providers.caseField.summaryHint')}
          required
          maxLength={4000}
          rows={6}
          defaultValue={item?.summary}
          error={errors?.summary}
          data-i18n-data
        />
      </fieldset>

      <fieldset className="form-section" aria-describedby="metrics-lead">
        <legend>{t('providers.caseForm.results')}</legend>
        <p id="metrics-lead" className="field-hint">
          {t('providers.caseForm.resultsLead')}
        </p>
        <div className="metric-rows">
          {Array.from({ length: rows }, (_, i) => {
            const m = metrics[i]
            return (
              <fieldset key={i} className="metric-row">
                <legend>{t('providers.caseForm.metricRow', { n: i + 1 })}</legend>
                <div className="metric-name">
                  <InputField
                    id={metricId(i, 'name')}
                    name={metricName(i, 'name')}
                    label={t('providers.caseField.metricName')}
                    maxLength={40}
                    defaultValue={m?.name}
                    error={errors?.[metricName(i, 'name')]}
                    data-i18n-data
                  />
                </div>
                <InputField
                  id={metricId(i, 'before')}
                  name={metricName(i, 'before')}
                  label={t('providers.caseField.metricBefore')}
                  inputMode="decimal"
                  maxLength={16}
                  defaultValue={asText(m?.before)}
                  error={errors?.[metricName(i, 'before')]}
                />
                <InputField
                  id={metricId(i, 'after')}
                  name={metricName(i, 'after')}
                  label={t('providers.caseField.metricAfter')}
                  inputMode="decimal"
                  maxLength={16}
                  defaultValue={asText(m?.after)}
                  error={errors?.[metricName(i, 'after')]}
                />
                <InputField
                  id={metricId(i, 'unit')}
                  name={metricName(i, 'unit')}
                  label={t('providers.caseField.metricUnit')}
                  maxLength={16}
                  defaultValue={m?.unit}
                  error={errors?.[metricName(i, 'unit')]}
                  data-i18n-data
                />
              </fieldset>
            )
          })}
        </div>
        {scripted && rows < PROVIDER_LIMITS.metricsPerCase ? (
          <p>
            <button type="button" className="button-secondary button-small" onClick={() => setRows((n) => n + 1)}>
              {t('providers.caseForm.addMetric')}
            </button>
          </p>
        ) : null}
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('providers.caseForm.imagesTitle')}</legend>
        {imagesLeft > 0 ? (
          <FileInput
            id="images"
            name="images"
            label={t('providers.caseField.images')}
            hint={t('providers.caseField.imagesHint')}
            purpose="case_image"
            multiple
            maxFiles={imagesLeft}
            error={errors?.images}
          />
        ) : (
          <p className="field-hint">{t('providers.caseForm.imagesFull', { limit: PROVIDER_LIMITS.imagesPerCase })}</p>
        )}
      </fieldset>

      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  )
}
