import { z } from 'zod'
import { zId, zPageParam } from '../shared/schema.js'
import { LIVE_KINDS } from './kinds.js'

/** /notifications?page=…&unread=1 */
export const ZNotificationsQuery = z.object({
  page: zPageParam(10_000),
  unread: z
    .string()
    .optional()
    .transform((v) => v === '1'),
})

/** The actions of /notifications: one notice read, or all of them. */
export const ZNotificationAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read'), id: zId }),
  z.object({ intent: z.literal('readAll') }),
])

const checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === '1')

/**
 * /account/notifications: `email.<kind>` and `sms.<kind>` checkboxes of the live kinds;
 * an unchecked box is absent (off). Other fields are ignored.
 */
const fields: Record<string, typeof checkbox> = Object.fromEntries(
  LIVE_KINDS.flatMap((k) => [[`email.${k}`, checkbox] as const, [`sms.${k}`, checkbox] as const]),
)
export const ZPreferencesInput = z.object(fields)
