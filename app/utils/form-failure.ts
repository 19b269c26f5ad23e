import { messageRef } from '../i18n/index.js'
import type { AppError, AppErrorCode } from './errors.js'

/**
 * What an action answers when a form cannot be accepted: the form's message and one
 * message per field, all catalogue keys (see app/web/route-errors.server.ts).
 */
export interface FormFailure {
  ok: false
  code: AppErrorCode
  formError: string
  formParams: Record<string, string | number> | null
  fieldErrors: Record<string, string>
}

/**
 * What a form is told of its refusal: the form's message and params, and each field's
 * message. A field's words may need the failure's params too (每项资质最多 {limit} 份):
 * they travel with it as a `messageRef`, which `useMessage` reads.
 */
export function formFailure(error: AppError): FormFailure {
  return {
    ok: false,
    code: error.code,
    formError: error.key,
    formParams: error.params ?? null,
    fieldErrors: Object.fromEntries(
      Object.entries(error.fieldErrors).map(([field, key]) => [field, messageRef(key, error.params)]),
    ),
  }
}

/** The failure in an action's data, if that is what it holds. */
export function formFailureOf(data: unknown): FormFailure | undefined {
  if (data && typeof data === 'object' && 'ok' in data && data.ok === false && 'fieldErrors' in data) {
    return data as FormFailure
  }
  return undefined
}
