import type { AppErrorCode } from './errors.js'

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

/** The failure in an action's data, if that is what it holds. */
export function formFailureOf(data: unknown): FormFailure | undefined {
  if (data && typeof data === 'object' && 'ok' in data && data.ok === false && 'fieldErrors' in data) {
    return data as FormFailure
  }
  return undefined
}
