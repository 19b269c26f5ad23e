import type { z } from 'zod'
import { AppError } from './errors.js'
import { HONEYPOT_FIELD } from './forms.js'

/**
 * Parses a submitted form with its zod schema. Failure is a VALIDATION AppError that
 * carries the first Chinese message per field, so nothing is written.
 */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): z.infer<S> {
  if (String(formData.get(HONEYPOT_FIELD) ?? '') !== '') {
    throw new AppError('VALIDATION', '提交未通过校验，请刷新页面后重试')
  }
  const raw: Record<string, string | string[]> = {}
  for (const key of new Set(formData.keys())) {
    if (key === HONEYPOT_FIELD) continue
    const values = formData.getAll(key).filter((v): v is string => typeof v === 'string')
    raw[key] = values.length > 1 || key.endsWith('[]') ? values : (values[0] ?? '')
  }
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  const fieldErrors: Record<string, string> = {}
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || '_form'
    fieldErrors[field] ??= issue.message
  }
  throw new AppError('VALIDATION', '请检查标记的字段', { fieldErrors })
}
