import type { SerializeFrom } from '@remix-run/node'
import { Form, useNavigation } from '@remix-run/react'
import type { NeedFormChoices, NeedFormValues } from '~/domain/needs/authoring-views.js'
import { NEED_VISIBILITIES, TARGET_LEVELS, type NeedStatus } from '~/domain/needs/enums.js'
import type { NeedAction } from '~/domain/needs/lifecycle.js'
import type { Translate } from '~/i18n/index.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import type { FormFailure } from '~/utils/form-failure.js'
import { ErrorSummary, Honeypot, InputField, RequiredMark, SelectField, TextareaField } from './form.js'
import { checkboxId, ScenarioCheckboxes } from './provider-fields.js'
import { RegionPicker, regionPickerFieldId } from './region-picker.js'

/*
 * The need form (/enterprise/needs/new, /enterprise/needs/:id/edit): every field of
 * DOMAIN.md §4. Works without scripts (two submit buttons name the intent: keep as a
 * draft or publish); on a phone the fields stack.
 */

/** Where the error summary's links lead, for fields whose element id is not their name. */
function needFieldIds(firstScenario: string | undefined): Record<string, string> {
  const ids: Record<string, string> = {
    region: regionPickerFieldId('region'),
    acceptsMatching: 'acceptsMatching-yes',
    visibility: 'visibility-public',
  }
  if (firstScenario) ids['scenarios[]'] = checkboxId('scenarios', firstScenario)
  return ids
}

/**
 * A failure whose message names a status and an action (needs.e.transition { from,
 * action }) with both in the reader's words; any other failure as it is.
 */
export function localiseNeedFailure(failure: FormFailure | undefined, t: Translate): FormFailure | undefined {
  if (!failure || failure.formError !== 'needs.e.transition' || !failure.formParams) return failure
  const { from, action } = failure.formParams
  return {
    ...failure,
    formParams: {
      from: t(`needStatus.${String(from) as NeedStatus}`),
      action: t(`needs.action.${String(action) as NeedAction}`),
    },
  }
}

interface Props {
  values: SerializeFrom<NeedFormValues>
  choices: SerializeFrom<NeedFormChoices>
  failure: FormFailure | undefined
  /** new: draft or publish; draft: save or publish; published: save (recorded as history). */
  mode: 'new' | 'draft' | 'published'
  revision?: number
  weaknessId?: number | null
}

export function NeedForm({ values, choices, failure, mode, revision, weaknessId }: Props) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const errors = failure?.fieldErrors
  return (
    <Form method="post" noValidate className="form-wide need-form">
      <ErrorSummary failure={localiseNeedFailure(failure, t)} fieldIds={needFieldIds(choices.scenarios[0]?.code)} />
      <Honeypot />
      {revision !== undefined ? <input type="hidden" name="revision" value={revision} /> : null}
      {weaknessId ? <input type="hidden" name="weakness" value={weaknessId} /> : null}
      <p className="muted">{mode === 'published' ? t('needForm.publishedLead') : t('needForm.lead')}</p>

      <fieldset className="form-section">
        <legend>{t('needForm.section.basics')}</legend>
        <InputField
          id="title"
          name="title"
          label={t('needForm.field.title')}
          hint={t('needForm.field.titleHint')}
          required
          maxLength={80}
          defaultValue={values.title}
          error={errors?.title}
          data-i18n-data
        />
        <TextareaField
          id="description"
          name="description"
          label={t('needForm.field.description')}
          hint={t('needForm.field.descriptionHint')}
          required
          maxLength={5000}
          rows={8}
          defaultValue={values.description}
          error={errors?.description}
          data-i18n-data
        />
        <div className="field-row">
          <SelectField
            id="industry"
            name="industry"
            label={t('needForm.field.industry')}
            hint={t('needForm.field.industryHint')}
            required
            defaultValue={values.industry}
            error={errors?.industry}
          >
            <option value="">{t('needForm.choose')}</option>
            {choices.industries.map((i) => (
              <option key={i.code} value={i.code}>
                {i.code} {i.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="level"
            name="level"
            label={t('needForm.field.level')}
            required
            defaultValue={values.level}
            error={errors?.level}
          >
            <option value="">{t('needForm.choose')}</option>
            {TARGET_LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(`level.${l}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <ScenarioCheckboxes
          name="scenarios"
          legend={t('needForm.field.scenarios')}
          hint={t('needForm.field.scenariosHint')}
          options={choices.scenarios}
          checked={values.scenarios}
          error={errors?.['scenarios[]']}
          required
        />
        <TextareaField
          id="expectedResults"
          name="expectedResults"
          label={t('needForm.field.expectedResults')}
          hint={t('needForm.field.expectedResultsHint')}
          maxLength={2000}
          rows={3}
          defaultValue={values.expectedResults}
          error={errors?.expectedResults}
          data-i18n-data
        />
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('needForm.section.scope')}</legend>
        <div className="field-row">
          <InputField
            id="budgetMin"
            name="budgetMin"
            label={t('needForm.field.budgetMin')}
            required
            inputMode="numeric"
            maxLength={9}
            defaultValue={values.budgetMin}
            error={errors?.budgetMin}
          />
          <InputField
            id="budgetMax"
            name="budgetMax"
            label={t('needForm.field.budgetMax')}
            required
            inputMode="numeric"
            maxLength={9}
            defaultValue={values.budgetMax}
            error={errors?.budgetMax}
          />
        </div>
        <div className="field-row">
          <InputField
            id="expectedStart"
            name="expectedStart"
            type="date"
            label={t('needForm.field.expectedStart')}
            required
            defaultValue={values.expectedStart}
            error={errors?.expectedStart}
          />
          <InputField
            id="durationMonths"
            name="durationMonths"
            label={t('needForm.field.durationMonths')}
            required
            inputMode="numeric"
            maxLength={2}
            defaultValue={values.durationMonths}
            error={errors?.durationMonths}
          />
        </div>
        <RegionPicker
          name="region"
          legend={t('needForm.field.region')}
          provinces={choices.regions.provinces}
          initial={choices.regions.initial}
          error={errors?.region}
          required
        />
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('needForm.section.publishing')}</legend>
        <InputField
          id="deadline"
          name="deadline"
          type="date"
          label={t('needForm.field.deadline')}
          hint={t('needForm.field.deadlineHint')}
          required={mode === 'published'}
          min={choices.today}
          max={choices.maxDeadline}
          defaultValue={values.deadline}
          error={errors?.deadline}
        />
        <RadioPair
          name="acceptsMatching"
          legend={t('needForm.field.acceptsMatching')}
          options={[
            { value: '1', id: 'acceptsMatching-yes', label: t('needForm.field.acceptsMatching.yes') },
            { value: '0', id: 'acceptsMatching-no', label: t('needForm.field.acceptsMatching.no') },
          ]}
          checked={values.acceptsMatching ? '1' : '0'}
          error={errors?.acceptsMatching}
        />
        <RadioPair
          name="visibility"
          legend={t('needForm.field.visibility')}
          options={NEED_VISIBILITIES.map((v) => ({ value: v, id: `visibility-${v}`, label: t(`needForm.visibility.${v}`) }))}
          checked={values.visibility}
          error={errors?.visibility}
        />
      </fieldset>

      <div className="actions">
        {mode === 'published' ? (
          <button type="submit" name="intent" value="save" disabled={busy}>
            {t('needForm.save')}
          </button>
        ) : (
          <>
            {/* Enter in a field sends the first button: keeping a draft, never publishing by accident. */}
            <button type="submit" name="intent" value="draft" className="button-secondary" disabled={busy}>
              {t('needForm.saveDraft')}
            </button>
            <button type="submit" name="intent" value="publish" disabled={busy}>
              {t('needForm.publish')}
            </button>
          </>
        )}
      </div>
    </Form>
  )
}

function RadioPair({
  name,
  legend,
  options,
  checked,
  error,
}: {
  name: string
  legend: string
  options: { value: string; id: string; label: string }[]
  checked: string
  error?: string
}) {
  const message = useMessage()
  return (
    <fieldset className="field radio-group" aria-describedby={error ? `${name}-error` : undefined}>
      <legend>
        {legend}
        <RequiredMark />
      </legend>
      {options.map((o) => (
        <label key={o.value} htmlFor={o.id} className="radio-option">
          <input id={o.id} type="radio" name={name} value={o.value} defaultChecked={checked === o.value} />
          {o.label}
        </label>
      ))}
      {error ? (
        <p id={`${name}-error`} className="field-error" role="alert">
          {message(error)}
        </p>
      ) : null}
    </fieldset>
  )
}

/** What an action echoes back with a failure: the fields as they were sent (see `withSubmittedValues`). */
export function submittedNeedValues<T extends SerializeFrom<NeedFormValues>>(actionData: unknown, fallback: T): T {
  if (!actionData || typeof actionData !== 'object' || !('values' in actionData)) return fallback
  const raw = actionData.values
  if (!raw || typeof raw !== 'object') return fallback
  const v = raw as Record<string, string | string[] | undefined>
  const text = (key: string, previous: string) => (typeof v[key] === 'string' ? v[key] : previous)
  const scenarios = v['scenarios[]']
  return {
    ...fallback,
    title: text('title', fallback.title),
    description: text('description', fallback.description),
    industry: text('industry', fallback.industry),
    scenarios: Array.isArray(scenarios) ? scenarios : typeof scenarios === 'string' ? [scenarios] : [],
    level: text('level', fallback.level) as T['level'],
    budgetMin: text('budgetMin', fallback.budgetMin),
    budgetMax: text('budgetMax', fallback.budgetMax),
    expectedStart: text('expectedStart', fallback.expectedStart),
    durationMonths: text('durationMonths', fallback.durationMonths),
    acceptsMatching: v.acceptsMatching === undefined ? fallback.acceptsMatching : v.acceptsMatching !== '0',
    expectedResults: text('expectedResults', fallback.expectedResults),
    deadline: text('deadline', fallback.deadline),
    visibility: v.visibility === 'public' || v.visibility === 'verified_providers' ? v.visibility : fallback.visibility,
  }
}
