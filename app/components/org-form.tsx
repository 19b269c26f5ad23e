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

const ORG_REGION_FIELD = 'region'
const providerKindId = (kind: string) => `providerKinds-${kind}`
/** Fields whose element id is not their name: where the error summary's links lead. */
export const ORG_FIELD_IDS = {
  [ORG_REGION_FIELD]: regionPickerFieldId(ORG_REGION_FIELD),
  'providerKinds[]': providerKindId(PROVIDER_KINDS[0]),
}

type FieldErrors = FormFailure['fieldErrors'] | undefined

/** The organisation's name and unified social credit code (USCC). */
export function NameUsccFields({ name, uscc, errors }: { name?: string; uscc?: string; errors: FieldErrors }) {
  const t = useT()
  return (
    <>
      <InputField
        id="name"
        name="name"
        label={t('org.field.name')}
        required
        maxLength={100}
        defaultValue={name}
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
        defaultValue={uscc}
        error={errors?.uscc}
      />
    </>
  )
}

/** The region the organisation is registered in (its agency reviews it). */
export function OrgRegionField({ regions, errors }: { regions: RegionPickerData; errors: FieldErrors }) {
  return (
    <RegionPicker
      name={ORG_REGION_FIELD}
      provinces={regions.provinces}
      initial={regions.initial}
      error={errors?.[ORG_REGION_FIELD]}
      required
    />
  )
}

/** An enterprise's industry. */
export function IndustryField({
  industries,
  value,
  errors,
}: {
  industries: { code: string; name: string }[]
  value: string
  errors: FieldErrors
}) {
  const t = useT()
  return (
    <SelectField
      id="industry"
      name="industry"
      label={t('org.field.industry')}
      required
      defaultValue={value}
      error={errors?.industry}
    >
      <option value="">{t('org.field.choose')}</option>
      {industries.map((i) => (
        <option key={i.code} value={i.code}>
          {i.code} {i.name}
        </option>
      ))}
    </SelectField>
  )
}

/** A provider's kinds of service: one checkbox a kind, at least one required. */
export function ProviderKindsField({ checked, errors }: { checked: readonly string[] | undefined; errors: FieldErrors }) {
  const t = useT()
  const message = useMessage()
  const error = errors?.['providerKinds[]']
  return (
    <fieldset className="checkbox-group" aria-describedby={error ? 'providerKinds-error' : undefined}>
      <legend>
        {t('org.field.providerKinds')}
        <RequiredMark />
      </legend>
      {PROVIDER_KINDS.map((k) => (
        <label key={k} htmlFor={providerKindId(k)}>
          <input id={providerKindId(k)} type="checkbox" name="providerKinds[]" value={k} defaultChecked={checked?.includes(k)} />
          {t(`providerKind.${k}`)}
        </label>
      ))}
      {error ? (
        <p id="providerKinds-error" className="field-error" role="alert">
          {message(error)}
        </p>
      ) : null}
    </fieldset>
  )
}

/**
 * The contact person, phone and description. `profile`: a verified organisation's own
 * profile, where the browser may fill the contact in and the description is marked as data.
 */
export function ContactFields({
  values,
  errors,
  profile = false,
}: {
  values: { contactName: string; contactPhone: string; description: string } | null
  errors: FieldErrors
  profile?: boolean
}) {
  const t = useT()
  return (
    <>
      <InputField
        id="contactName"
        name="contactName"
        label={t('org.field.contactName')}
        maxLength={40}
        autoComplete={profile ? 'name' : undefined}
        defaultValue={values?.contactName}
        error={errors?.contactName}
      />
      <InputField
        id="contactPhone"
        name="contactPhone"
        type="tel"
        label={t('org.field.contactPhone')}
        maxLength={20}
        autoComplete={profile ? 'tel' : undefined}
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
        {...(profile ? { 'data-i18n-data': true } : {})}
      />
    </>
  )
}

export function OrgForm({ values, kindLocked, regions, industries, failure, submitLabel }: Props) {
  const t = useT()
  const [kind, setKind] = useState<string>(values?.kind ?? 'enterprise')
  const busy = useNavigation().state === 'submitting'
  const errors = failure?.fieldErrors
  return (
    <Form method="post" noValidate className="form-wide">
      <ErrorSummary failure={failure} fieldIds={ORG_FIELD_IDS} />
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
      <NameUsccFields name={values?.name} uscc={values?.uscc} errors={errors} />
      <OrgRegionField regions={regions} errors={errors} />
      {kind === 'enterprise' ? (
        <IndustryField industries={industries} value={values?.industry ?? ''} errors={errors} />
      ) : (
        <ProviderKindsField checked={values?.providerKinds} errors={errors} />
      )}
      <ContactFields values={values} errors={errors} />
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  )
}
