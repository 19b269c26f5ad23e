import type { MessageKey, MessageParams } from '../i18n/index.js'

/** Errors use cases throw; app/web/route-errors.server.ts turns them into HTTP answers in one place. */
export type AppErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'INVALID_STATE'
  | 'RATE_LIMITED'
  /** An upload over its purpose's size limit (key files.e.tooLarge). */
  | 'PAYLOAD_TOO_LARGE'
  /** An upload whose content is not of a type its purpose accepts (key files.e.unsupportedType). */
  | 'UNSUPPORTED_MEDIA_TYPE'

/** A message is a catalogue key, translated where it is shown (never Chinese text used as an id). */
export type MessageRef = MessageKey

export class AppError extends Error {
  readonly code: AppErrorCode
  /** The message key (also `message`, so logs read it). */
  readonly key: MessageRef
  readonly params: MessageParams | undefined
  /** Field name → message key, for errors tied to form fields. */
  readonly fieldErrors: Record<string, MessageRef>
  /** Seconds, for RATE_LIMITED. */
  readonly retryAfter: number | undefined
  /** Facts for the audit log (e.g. the permission denied); never shown. */
  readonly detail: Record<string, string>

  constructor(
    code: AppErrorCode,
    key: MessageRef,
    options: {
      fieldErrors?: Record<string, MessageRef>
      params?: MessageParams
      retryAfter?: number
      detail?: Record<string, string>
    } = {},
  ) {
    super(key)
    this.name = 'AppError'
    this.code = code
    this.key = key
    this.params = options.params
    this.fieldErrors = options.fieldErrors ?? {}
    this.retryAfter = options.retryAfter
    this.detail = options.detail ?? {}
  }
}

export const STATUS_BY_CODE: Record<AppErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  INVALID_STATE: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
}
