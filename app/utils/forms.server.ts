import type { z } from 'zod'
import { hasMessage, type MessageKey } from '../i18n/index.js'
import { AppError } from './errors.js'
import { HONEYPOT_FIELD } from './forms.js'

/** More fields than any form of ours has: beyond it the request is refused whole (413). */
export const MAX_FORM_FIELDS = 1000

/**
 * Parses a submitted form with its zod schema. Failure is a VALIDATION AppError that
 * carries the first message key per field (zod's own English texts, for checks that
 * name no key, become `errors.invalid`), so nothing is written. The fields are
 * read in one pass (asking `getAll` per distinct key is quadratic in their number), and
 * a form with more than MAX_FORM_FIELDS fields is answered 413.
 */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): z.infer<S> {
  // No prototype: a field named `__proto__` is just a field.
  const lists: Record<string, string[]> = Object.create(null) as Record<string, string[]>
  let count = 0
  let honeypot = ''
  for (const [key, value] of formData.entries()) {
    count += 1
    if (count > MAX_FORM_FIELDS) throw new Response('表单字段过多 / too many form fields', { status: 413 })
    if (key === HONEYPOT_FIELD) {
      if (typeof value === 'string') honeypot ||= value
      continue
    }
    const list = (lists[key] ??= [])
    if (typeof value === 'string') list.push(value)
  }
  if (honeypot !== '') {
    throw new AppError('VALIDATION', 'errors.honeypot')
  }
  const raw: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>
  for (const [key, values] of Object.entries(lists)) {
    raw[key] = values.length > 1 || key.endsWith('[]') ? values : (values[0] ?? '')
  }
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  const fieldErrors: Record<string, MessageKey> = {}
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || '_form'
    fieldErrors[field] ??= hasMessage(issue.message) ? issue.message : 'errors.invalid'
  }
  const errorCount = Object.keys(fieldErrors).length
  throw errorCount === 1
    ? new AppError('VALIDATION', 'errors.validationOne', { fieldErrors })
    : new AppError('VALIDATION', 'errors.validation', { fieldErrors, params: { count: errorCount } })
}
