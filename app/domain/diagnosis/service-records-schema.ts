import { z } from 'zod'
import { SERVICE_RECORD_KINDS } from '../../../db/enums.js'
import { zId } from '../shared/schema.js'
import { hoursToMinutes, isCalendarDate, RECORD_LIMITS, toHalfWidth } from './service-records-views.js'

/*
 * The form of a service record (考勤, seed 002 §三): kind, date, hours (one decimal in the
 * form, minutes stored), team size, leader, team members, what was done. Messages are
 * catalogue keys (app/i18n/messages/diagnosis-service.ts); a field's error is reported
 * under the field's own name. The rules zod cannot know (the date against today and the
 * project's start) are checked by the use case (service-records.server.ts).
 */

export {
  hoursToMinutes,
  isCalendarDate,
  minutesToHours,
  PHOTOS_FIELD,
  PHOTOS_PER_RECORD,
  RECORD_LIMITS,
} from './service-records-views.js'

const trimmed = (max: number, tooLong: string) => z.string().trim().max(max, tooLong).default('')

export const ZServiceRecordInput = z
  .object({
    kind: z.enum(SERVICE_RECORD_KINDS, { error: 'records.v.kind' }),
    occurredOn: z
      .string({ error: 'records.v.dateRequired' })
      .trim()
      .min(1, 'records.v.dateRequired')
      .refine(isCalendarDate, 'records.v.date'),
    hours: z
      .string({ error: 'records.v.hoursRequired' })
      .trim()
      .min(1, 'records.v.hoursRequired')
      .transform((v, ctx) => {
        const minutes = hoursToMinutes(v)
        if (minutes === null) {
          ctx.addIssue({ code: 'custom', message: 'records.v.hours' })
          return z.NEVER
        }
        return minutes
      }),
    teamSize: z
      .string({ error: 'records.v.teamSizeRequired' })
      .trim()
      .min(1, 'records.v.teamSizeRequired')
      .transform((v, ctx) => {
        const text = toHalfWidth(v)
        const n = /^\d{1,3}$/.test(text) ? Number(text) : NaN
        if (!Number.isInteger(n) || n < 1 || n > RECORD_LIMITS.teamSize) {
          ctx.addIssue({ code: 'custom', message: 'records.v.teamSize' })
          return z.NEVER
        }
        return n
      }),
    leader: trimmed(RECORD_LIMITS.leader, 'records.v.leaderTooLong'),
    teamMembers: trimmed(RECORD_LIMITS.teamMembers, 'records.v.teamMembersTooLong'),
    content: z
      .string({ error: 'records.v.contentRequired' })
      .trim()
      .min(1, 'records.v.contentRequired')
      .max(RECORD_LIMITS.content, 'records.v.contentTooLong'),
  })
  .superRefine((input, ctx) => {
    // 由具备实践经验的专家担任组长: a site visit names its leader.
    if (input.kind === 'site_visit' && input.leader === '') {
      ctx.addIssue({ code: 'custom', path: ['leader'], message: 'records.v.leaderRequired' })
    }
  })
export type TServiceRecordInput = z.infer<typeof ZServiceRecordInput>

/** The record's version the edit form was filled in on (its updated_at). */
export const ZRecordVersion = z.object({ version: z.string({ error: 'errors.badRequest' }).min(1, 'errors.badRequest').max(40) })

export const ZRecordIntent = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('save') }),
    z.object({ intent: z.literal('delete') }),
    z.object({ intent: z.literal('removePhoto'), fileId: zId }),
  ],
  { error: 'errors.badRequest' },
)

export const ZRecordParams = z.object({ id: zId, recordId: zId })

export const ZRecordsQuery = z.object({
  page: z
    .string()
    .optional()
    .transform((v) => {
      const n = Number(v)
      return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1
    }),
})
