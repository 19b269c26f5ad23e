import { json, type TypedResponse } from '@remix-run/node'
import { AppError, STATUS_BY_CODE } from '../utils/errors.js'
import { formFailure, type FormFailure } from '../utils/form-failure.js'

/** A failed form's answer with what was typed, so the page can show it again. */
export interface EchoedFailure extends FormFailure {
  values: Record<string, string | string[]>
}

/** The text fields of a form, a repeated one as a list. */
export function formValues(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>
  for (const [key, value] of form) {
    if (typeof value !== 'string' || key === '_confirm') continue
    const previous = out[key]
    out[key] =
      previous === undefined
        ? key.endsWith('[]')
          ? [value]
          : value
        : [...(Array.isArray(previous) ? previous : [previous]), value]
  }
  return out
}

/**
 * Runs an action's work; a form problem (VALIDATION, CONFLICT, INVALID_STATE) is
 * answered as runAction answers it (route-errors.server.ts), plus the fields as they
 * were sent. Long forms (a contract template's eight milestone rows, a consortium's
 * shares) then come back filled in after a refusal also without scripts, where the
 * page is rendered anew from the server. Anything else goes on to runAction.
 */
export async function echoingFormFailure<R>(form: FormData, work: () => Promise<R>): Promise<R | TypedResponse<EchoedFailure>> {
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    if (error.code !== 'VALIDATION' && error.code !== 'CONFLICT' && error.code !== 'INVALID_STATE') throw error
    return json<EchoedFailure>({ ...formFailure(error), values: formValues(form) }, { status: STATUS_BY_CODE[error.code] })
  }
}
