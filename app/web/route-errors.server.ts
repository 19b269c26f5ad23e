import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type TypedResponse } from '@remix-run/node'
import { uniqueViolation } from '../../db/transaction.js'
import { recordRepeatedAudit } from '../domain/audit/audit-log.server.js'
import { getCurrentSession } from '../domain/accounts/viewer.server.js'
import { AppError, STATUS_BY_CODE } from '../utils/errors.js'
import { formFailure, type FormFailure } from '../utils/form-failure.js'
import { clientIp } from './request.server.js'
import { services } from './services.server.js'

type Args = LoaderFunctionArgs | ActionFunctionArgs

/**
 * A denial is recorded with who asked, for what, from where; repeated ones are
 * counted per asker and page (recordRepeatedAudit), so a flood adds a bounded number of rows.
 */
async function recordDenial(args: Args, error: AppError) {
  const { db } = services()
  const session = await getCurrentSession(db, args.request)
  const org = session?.activeOrgId
    ? await db.selectFrom('organisations').select('region_code').where('id', '=', session.activeOrgId).executeTakeFirst()
    : undefined
  const url = new URL(args.request.url)
  const ip = clientIp(args.context)
  const who = session ? `user:${session.userId}` : `ip:${ip}`
  await recordRepeatedAudit(db, `${who}|${args.request.method} ${url.pathname}`, {
    action: 'access.denied',
    actorUserId: session?.userId ?? null,
    actorOrgId: session?.activeOrgId ?? null,
    objectType: 'route',
    objectId: url.pathname,
    regionCode: org?.region_code ?? null,
    ip,
    detail: { method: args.request.method, permission: error.detail.permission ?? null },
  })
}

/**
 * What a use case threw, as an AppError: its own, or a UNIQUE violation it did not
 * foresee (two identical submissions racing past their checks), which is a conflict
 * the client caused, never a 500.
 */
function asAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error
  if (uniqueViolation(error)) return new AppError('CONFLICT', 'errors.duplicate')
  return null
}

async function toThrownResponse(args: Args, error: AppError): Promise<Response> {
  if (error.code === 'FORBIDDEN') await recordDenial(args, error)
  const headers = new Headers({ 'Content-Type': 'text/plain; charset=utf-8' })
  if (error.retryAfter) headers.set('Retry-After', String(error.retryAfter))
  return new Response(error.key, { status: STATUS_BY_CODE[error.code], headers })
}

/*
 * Routes call these inside `export async function loader/action`, never as
 * `export const loader = wrap(...)`: a top-level call would survive into the browser
 * bundle, where this .server module is empty.
 */

/** Loaders: every AppError becomes the matching error page (403/404/409/429). */
export async function runLoader<R>(args: LoaderFunctionArgs, fn: (args: LoaderFunctionArgs) => Promise<R>): Promise<R> {
  try {
    return await fn(args)
  } catch (thrown) {
    const error = asAppError(thrown)
    if (error) throw await toThrownResponse(args, error)
    throw thrown
  }
}

/** What a form shows beside its fields instead of an error page (uploads: a file too large or of the wrong type). */
const FORM_FAILURES: ReadonlySet<AppError['code']> = new Set<AppError['code']>([
  'VALIDATION',
  'CONFLICT',
  'INVALID_STATE',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
])

/**
 * Actions: form problems (VALIDATION, CONFLICT, INVALID_STATE, and an upload's
 * PAYLOAD_TOO_LARGE / UNSUPPORTED_MEDIA_TYPE, with their 413 / 415) come back as data
 * the form shows next to its fields and in its summary; FORBIDDEN/NOT_FOUND/RATE_LIMITED
 * become error pages.
 */
export async function runAction<R>(
  args: ActionFunctionArgs,
  fn: (args: ActionFunctionArgs) => Promise<R>,
): Promise<R | TypedResponse<FormFailure>> {
  try {
    return await fn(args)
  } catch (thrown) {
    const error = asAppError(thrown)
    if (!error) throw thrown
    if (FORM_FAILURES.has(error.code)) {
      return json<FormFailure>(formFailure(error), { status: STATUS_BY_CODE[error.code] })
    }
    throw await toThrownResponse(args, error)
  }
}
