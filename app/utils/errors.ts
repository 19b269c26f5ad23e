/** Errors use cases throw; routes turn them into HTTP answers in one place (route-errors.server.ts). */
export type AppErrorCode = 'VALIDATION' | 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'INVALID_STATE' | 'RATE_LIMITED'

export class AppError extends Error {
  readonly code: AppErrorCode
  /** Field → message, for VALIDATION/CONFLICT errors tied to a form field. */
  readonly fieldErrors: Record<string, string>
  /** Seconds, for RATE_LIMITED. */
  readonly retryAfter: number | undefined

  constructor(
    code: AppErrorCode,
    message: string,
    options: { fieldErrors?: Record<string, string>; retryAfter?: number } = {},
  ) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.fieldErrors = options.fieldErrors ?? {}
    this.retryAfter = options.retryAfter
  }
}

export const STATUS_BY_CODE: Record<AppErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  INVALID_STATE: 409,
  RATE_LIMITED: 429,
}
