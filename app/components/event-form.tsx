import { Form } from '@remix-run/react'
import { ErrorSummary, InputField, RequiredMark, SelectField, TextareaField } from '~/components/form.js'
import { EVENT_LIMITS } from '~/domain/events/limits.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import type { FormFailure } from '~/utils/form-failure.js'

/*
 * The form of a matchmaking event (新建 and 编辑): title, region, mode, venue or online
 * address, dates, industries, whether enterprises may put their needs forward. After a
 * refusal the page shows what was typed (`values`, echoed by the action).
 */

export interface EventFormValues {
  title: string
  description: string
  regionCode: string
  mode: string
  venue: string
  onlineUrl: string
  startsOn: string
  endsOn: string
  industries: string[]
  enterpriseApplications: boolean
}

export function echoedEventValues(actionData: unknown, fallback: EventFormValues): EventFormValues {
  if (!actionData || typeof actionData !== 'object' || !('values' in actionData)) return fallback
  const v = (actionData as { values: Record<string, string | string[]> }).values
  const one = (name: string) => {
    const x = v[name]
    return Array.isArray(x) ? (x[0] ?? '') : (x ?? '')
  }
  const list = v['industries[]']
  return {
    title: one('title'),
    description: one('description'),
    regionCode: one('regionCode'),
    mode: one('mode'),
    venue: one('venue'),
    onlineUrl: one('onlineUrl'),
    startsOn: one('startsOn'),
    endsOn: one('endsOn'),
    industries: Array.isArray(list) ? list : list ? [list] : [],
    enterpriseApplications: one('enterpriseApplications') === '1',
  }
}

const MODES = ['onsite', 'online', 'hybrid'] as const

export function EventForm({
  values,
  failure,
  regionOptions,
  industryOptions,
  submitLabel,
  revision,
  busy,
}: {
  values: EventFormValues
  failure: FormFailure | undefined
  regionOptions: Array<{ code: string; name: string }>
  industryOptions: Array<{ code: string; name: string }>
  submitLabel: string
  revision?: number
  busy?: boolean
}) {
  const t = useT()
  const message = useMessage()
  return (
    <Form method="post" noValidate className="card section">
      <ErrorSummary failure={failure} fieldIds={{ mode: 'event-mode', industries: 'event-industries' }} />
      {revision !== undefined ? <input type="hidden" name="revision" value={revision} /> : null}
      <InputField
        id="title"
        name="title"
        label={t('events.form.title')}
        required
        maxLength={EVENT_LIMITS.titleMax}
        defaultValue={values.title}
        error={failure?.fieldErrors.title}
      />
      <TextareaField
        id="description"
        name="description"
        label={t('events.form.description')}
        rows={5}
        maxLength={EVENT_LIMITS.descriptionMax}
        defaultValue={values.description}
        error={failure?.fieldErrors.description}
      />
      <SelectField
        id="regionCode"
        name="regionCode"
        label={t('events.form.region')}
        hint={t('events.form.regionHint')}
        required
        defaultValue={values.regionCode}
        error={failure?.fieldErrors.regionCode}
      >
        {regionOptions.map((r) => (
          <option key={r.code} value={r.code}>
            {r.name}
          </option>
        ))}
      </SelectField>
      <fieldset className="field" id="event-mode">
        <legend>
          {t('events.form.mode')}
          <RequiredMark />
        </legend>
        {failure?.fieldErrors.mode ? (
          <p className="field-error" role="alert">
            {message(failure.fieldErrors.mode)}
          </p>
        ) : null}
        {MODES.map((m) => (
          <label className="choice" key={m}>
            <input type="radio" name="mode" value={m} defaultChecked={values.mode === m} /> {t(`events.mode.${m}`)}
          </label>
        ))}
      </fieldset>
      <InputField
        id="venue"
        name="venue"
        label={t('events.form.venue')}
        hint={t('events.form.venueHint')}
        maxLength={EVENT_LIMITS.venueMax}
        defaultValue={values.venue}
        error={failure?.fieldErrors.venue}
      />
      <InputField
        id="onlineUrl"
        name="onlineUrl"
        type="url"
        label={t('events.form.onlineUrl')}
        maxLength={EVENT_LIMITS.onlineUrlMax}
        defaultValue={values.onlineUrl}
        error={failure?.fieldErrors.onlineUrl}
      />
      <InputField
        id="startsOn"
        name="startsOn"
        type="date"
        label={t('events.form.startsOn')}
        required
        defaultValue={values.startsOn}
        error={failure?.fieldErrors.startsOn}
      />
      <InputField
        id="endsOn"
        name="endsOn"
        type="date"
        label={t('events.form.endsOn')}
        required
        defaultValue={values.endsOn}
        error={failure?.fieldErrors.endsOn}
      />
      <fieldset className="field" id="event-industries">
        <legend>{t('events.form.industries')}</legend>
        <p className="field-hint">{t('events.form.industriesHint', { max: EVENT_LIMITS.maxIndustries })}</p>
        {failure?.fieldErrors.industries ? (
          <p className="field-error" role="alert">
            {message(failure.fieldErrors.industries)}
          </p>
        ) : null}
        <div className="choice-grid" style={{ maxHeight: '16rem', overflowY: 'auto' }}>
          {industryOptions.map((i) => (
            <label className="choice" key={i.code}>
              <input type="checkbox" name="industries[]" value={i.code} defaultChecked={values.industries.includes(i.code)} />{' '}
              {i.code} {i.name}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label className="choice">
          <input type="checkbox" name="enterpriseApplications" value="1" defaultChecked={values.enterpriseApplications} />{' '}
          {t('events.form.enterpriseApplications')}
        </label>
      </div>
      <p>
        <button type="submit" className="button primary" disabled={busy}>
          {submitLabel}
        </button>
      </p>
    </Form>
  )
}
