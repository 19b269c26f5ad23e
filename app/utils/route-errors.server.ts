import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type TypedResponse } from '@remix-run/node'
import { recordAudit } from '../domain/audit/audit-log.server.js'
import { services } from './db.server.js'
import { AppError, STATUS_BY_CODE } from './errors.js'
import { clientIp, getCurrentSession } from './session.server.js'

export interface FormFailure {
  ok: false
  formError: string
  fieldErrors: Record<string, string>
}

/** A denial is recorded with who asked, for what, from where. */
async function recordDenial(args: LoaderFunctionArgs | ActionFunctionArgs, error: AppError) {
  const { db } = services()
  const session = await getCurrentSession(db, args.request)
  const org = session?.activeOrgId
    ? await db.selectFrom('organisations').select('region_code').where('id', '=', session.activeOrgId).executeTakeFirst()
    : undefined
  const url = new URL(args.request.url)
  await recordAudit(db, {
    action: 'access.denied',
    actorUserId: session?.userId ?? null,
    actorOrgId: session?.activeOrgId ?? null,
    objectType: 'route',
    objectId: url.pathname,
    regionCode: org?.region_code ?? null,
    ip: clientIp(args.context),
    detail: { method: args.request.method, permission: error.fieldErrors.permission ?? null },
  })
}

async function toThrownResponse(args: LoaderFunctionArgs | ActionFunctionArgs, error: AppError): Promise<Response> {
  if (error.code === 'FORBIDDEN') await recordDenial(args, error)
  const headers = new Headers({ 'Content-Type': 'text/plain; charset=utf-8' })
  if (error.retryAfter) headers.set('Retry-After', String(error.retryAfter))
  return new Response(error.message, { status: STATUS_BY_CODE[error.code], headers })
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
  } catch (error) {
    if (error instanceof AppError) throw await toThrownResponse(args, error)
    throw error
  }
}

/**
 * Actions: form problems (VALIDATION, CONFLICT, INVALID_STATE) come back as data the
 * form shows next to its fields; FORBIDDEN/NOT_FOUND/RATE_LIMITED become error pages.
 */
export async function runAction<R>(
  args: ActionFunctionArgs,
  fn: (args: ActionFunctionArgs) => Promise<R>,
): Promise<R | TypedResponse<FormFailure>> {
  try {
    return await fn(args)
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    if (error.code === 'VALIDATION' || error.code === 'CONFLICT' || error.code === 'INVALID_STATE') {
      return json<FormFailure>(
        { ok: false, formError: error.message, fieldErrors: error.fieldErrors },
        { status: STATUS_BY_CODE[error.code] },
      )
    }
    throw await toThrownResponse(args, error)
  }
}
