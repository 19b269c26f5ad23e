import { Form } from '@remix-run/react'
import { SERVICE_RECORD_KINDS } from '../../db/enums.js'
import { FileInput } from '~/components/file-input.js'
import { ErrorSummary, InputField, SelectField, TextareaField } from '~/components/form.js'
import { PHOTOS_PER_RECORD, RECORD_LIMITS } from '~/domain/diagnosis/service-records-views.js'
import type { RecordFlag } from '~/domain/diagnosis/minimums.js'
import { useT } from '~/i18n/use-t.js'
import type { FormFailure } from '~/utils/form-failure.js'

/** A record as its edit form starts from. */
export interface RecordFormValues {
  kind: string
  occurredOn: string
  hours: string
  teamSize: number
  leader: string
  teamMembers: string
  content: string
  updatedAt: string
}

interface Props {
  item: RecordFormValues | null
  failure: FormFailure | undefined
  dateRange: { min: string; max: string }
  photosLeft: number
  submitLabel: string
}

/**
 * The form of a service record (考勤): kind, date, hours with one decimal, team size,
 * leader, members, what was done, photos. Sent as multipart (readUploadForm).
 */
export function ServiceRecordForm({ item, failure, dateRange, photosLeft, submitLabel }: Props) {
  const t = useT()
  const e = failure?.fieldErrors
  return (
    <Form method="post" encType="multipart/form-data" noValidate className="record-form">
      <ErrorSummary
        failure={failure}
        fieldIds={{
          occurredOn: 'r-occurredOn',
          hours: 'r-hours',
          teamSize: 'r-teamSize',
          kind: 'r-kind',
          leader: 'r-leader',
          teamMembers: 'r-teamMembers',
          content: 'r-content',
          photos: 'r-photos',
        }}
      />
      <input type="hidden" name="intent" value="save" />
      {item ? <input type="hidden" name="version" value={item.updatedAt} /> : null}
      <div className="record-form-grid">
        <SelectField
          id="r-kind"
          name="kind"
          label={t('records.field.kind')}
          required
          defaultValue={item?.kind ?? 'site_visit'}
          error={e?.kind}
        >
          {SERVICE_RECORD_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`records.kind.${k}`)}
            </option>
          ))}
        </SelectField>
        <InputField
          id="r-occurredOn"
          name="occurredOn"
          type="date"
          label={t('records.field.occurredOn')}
          hint={t('records.field.occurredOnHint', { min: dateRange.min })}
          required
          min={dateRange.min}
          max={dateRange.max}
          defaultValue={item?.occurredOn ?? dateRange.max}
          error={e?.occurredOn}
        />
        <InputField
          id="r-hours"
          name="hours"
          inputMode="decimal"
          label={t('records.field.hours')}
          hint={t('records.field.hoursHint')}
          required
          defaultValue={item?.hours ?? ''}
          error={e?.hours}
        />
        <InputField
          id="r-teamSize"
          name="teamSize"
          type="number"
          min={1}
          max={RECORD_LIMITS.teamSize}
          inputMode="numeric"
          label={t('records.field.teamSize')}
          required
          defaultValue={item ? String(item.teamSize) : ''}
          error={e?.teamSize}
        />
        <InputField
          id="r-leader"
          name="leader"
          label={t('records.field.leader')}
          hint={t('records.field.leaderHint')}
          maxLength={RECORD_LIMITS.leader}
          defaultValue={item?.leader ?? ''}
          error={e?.leader}
        />
        <InputField
          id="r-teamMembers"
          name="teamMembers"
          label={t('records.field.teamMembers')}
          hint={t('records.field.teamMembersHint')}
          maxLength={RECORD_LIMITS.teamMembers}
          defaultValue={item?.teamMembers ?? ''}
          error={e?.teamMembers}
        />
      </div>
      <TextareaField
        id="r-content"
        name="content"
        label={t('records.field.content')}
        required
        rows={5}
        maxLength={RECORD_LIMITS.content}
        defaultValue={item?.content ?? ''}
        error={e?.content}
      />
      {photosLeft > 0 ? (
        <FileInput
          id="r-photos"
          name="photos"
          label={t('records.field.photos')}
          purpose="service_photo"
          multiple
          maxFiles={photosLeft}
          hint={t('records.field.photosHint', { max: PHOTOS_PER_RECORD })}
          error={e?.photos}
        />
      ) : null}
      <div className="actions">
        <button type="submit">{submitLabel}</button>
      </div>
    </Form>
  )
}

/** A record's flags as badges (a flagged record does not count). */
export function RecordFlags({ flags }: { flags: readonly RecordFlag[] }) {
  const t = useT()
  if (flags.length === 0) return null
  return (
    <span className="record-flags">
      {flags.map((f) => (
        <span key={f} className="badge badge-pending" data-flag={f}>
          {t(`records.flag.${f}`)}
        </span>
      ))}
      <span className="muted"> {t('records.flag.notCounted')}</span>
    </span>
  )
}
