import type { Params } from '@remix-run/react'
import type { z } from 'zod'
import { AppError } from '../utils/errors.js'

export { parseForm } from '../utils/forms.server.js'
/**
 * `/x/:id` params, for loaders and actions. Routes import it from here rather than from
 * domain/shared/schema.ts: a route module's import of a zod schema module stays in its
 * browser bundle (the module has side effects), this .server module does not.
 */
export { ZIdParams } from '../domain/shared/schema.js'

/*
 * One way to read input: form bodies (parseForm), route params and query strings go
 * through zod schemas, as in every loader and action.
 */

/**
 * Route params (`/needs/:id`). A param that does not fit its schema names nothing
 * that exists: 404, as for an unknown id (`/needs/0x10`, `/needs/1e3`, `/needs/%20`).
 */
export function parseParams<S extends z.ZodType>(schema: S, params: Params): z.infer<S> {
  const result = schema.safeParse(params)
  if (!result.success) throw new AppError('NOT_FOUND', 'errors.notFound')
  return result.data
}

/** The query string as a plain object: repeated keys and keys ending in `[]` become lists. */
export function searchParamsObject(url: URL | string): Record<string, string | string[]> {
  const params = (typeof url === 'string' ? new URL(url) : url).searchParams
  const raw: Record<string, string | string[]> = {}
  for (const [key, value] of params) {
    const previous = raw[key]
    if (previous === undefined) raw[key] = key.endsWith('[]') ? [value] : value
    else raw[key] = Array.isArray(previous) ? [...previous, value] : [previous, value]
  }
  return raw
}

/**
 * A query string read through its schema. Query schemas are lenient by design (a stale
 * shared link still shows something), so a failure here is a malformed request: 400.
 */
export function parseQuery<S extends z.ZodType>(schema: S, request: Request): z.infer<S> {
  const result = schema.safeParse(searchParamsObject(request.url))
  if (!result.success) throw new AppError('VALIDATION', 'errors.badRequest')
  return result.data
}
