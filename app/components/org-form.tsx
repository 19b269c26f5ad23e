import { Form, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { PROVIDER_KINDS, SELF_SERVICE_ORG_KINDS } from '~/domain/orgs/enums.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import type { FormFailure } from '~/utils/form-failure.js'
import { ErrorSummary, Honeypot, InputField, RequiredMark, SelectField, TextareaField } from './form.js'
import { RegionPicker, regionPickerFieldId, type RegionPickerData } from './region-picker.js'

export interface OrgFormValues {
  kind: 'enterprise' | 'provider'
  name: string
  uscc: string
  industry: string
  providerKinds: string[]
  contactName: string
  contactPhone: string
  description: string
}

interface Props {
  values: OrgFormValues | null
  /** Editing keeps the kind fixed. */
  kindLocked: boolean
  regions: RegionPickerData
  industries: { code: string; name: string }[]
  /** What the action answered when the form was refused (useFormFailure). */
  failure: FormFailure | undefined
  submitLabel: string
}

const REGION_FIELD = 'region'
const providerKindId = (kind: string) => `providerKinds-${kind}`
/** Fields whose element id is not their name: where the error summary's links lead. */
const FIELD_IDS = { [REGION_FIELD]: regionPickerFieldId(REGION_FIELD), 'providerKinds[]': providerKindId(PROVIDER_KINDS[0]) }

export function OrgForm({ values, kindLocked, regions, industries, failure, submitLabel }: Props) {
  const t = useT()
  const message = useMessage()
  const [kind, setKind] = useState<string>(values?.kind ?? 'enterprise')
  const busy = useNavigation().state === 'submitting'
  const errors = failure?.fieldErrors
  return (
    <Form method="post" noValidate className="form-wide">
      <ErrorSummary failure={failure} fieldIds={FIELD_IDS} />
      <Honeypot />
      <SelectField
        id="kind"
        name="kind"
        label={t('org.field.kind')}
        required
        value={kind}
        onChange={(e) => setKind(e.target.value)}
        disabled={kindLocked}
        error={errors?.kind}
      >
        {SELF_SERVICE_ORG_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`org.kind.${k}`)}
          </option>
        ))}
      </SelectField>
      {kindLocked ? <input type="hidden" name="kind" value={kind} /> : null}
      <InputField
        id="name"
        name="name"
        label={t('org.field.name')}
        required
        maxLength={100}
        defaultValue={values?.name}
        error={errors?.name}
      />
      <InputField
        id="uscc"
        name="uscc"
        label={t('org.field.uscc')}
        hint={t('org.field.usccHint')}
        required
        maxLength={18}
        autoCapitalize="characters"
        spellCheck={false}
        className="code"
        defaultValue={values?.uscc}
        error={errors?.uscc}
      />
      <RegionPicker name={REGION_FIELD} provinces={regions.provinces} initial={regions.initial} error={errors?.region} required />
      {kind === 'enterprise' ? (
        <SelectField
          id="industry"
          name="industry"
          label={t('org.field.industry')}
          required
          defaultValue={values?.industry ?? ''}
          error={errors?.industry}
        >
          <option value="">{t('org.field.choose')}</option>
          {industries.map((i) => (
            <option key={i.code} value={i.code}>
              {i.code} {i.name}
            </option>
          ))}
        </SelectField>
      ) : (
        <fieldset className="checkbox-group" aria-describedby={errors?.['providerKinds[]'] ? 'providerKinds-error' : undefined}>
          <legend>
            {t('org.field.providerKinds')}
            <RequiredMark />
          </legend>
          {PROVIDER_KINDS.map((k) => (
            <label key={k} htmlFor={providerKindId(k)}>
              <input
                id={providerKindId(k)}
                type="checkbox"
                name="providerKinds[]"
                value={k}
                defaultChecked={values?.providerKinds.includes(k)}
              />
              {t(`providerKind.${k}`)}
            </label>
          ))}
          {errors?.['providerKinds[]'] ? (
            <p id="providerKinds-error" className="field-error" role="alert">
              {message(errors['providerKinds[]'])}
            </p>
          ) : null}
        </fieldset>
      )}
      <InputField
        id="contactName"
        name="contactName"
        label={t('org.field.contactName')}
        maxLength={40}
        defaultValue={values?.contactName}
        error={errors?.contactName}
      />
      <InputField
        id="contactPhone"
        name="contactPhone"
        type="tel"
        label={t('org.field.contactPhone')}
        maxLength={20}
        defaultValue={values?.contactPhone}
        error={errors?.contactPhone}
      />
      <TextareaField
        id="description"
        name="description"
        label={t('org.field.description')}
        maxLength={1000}
        defaultValue={values?.description}
        error={errors?.description}
      />
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  )
}
