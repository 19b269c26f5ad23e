import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'

type DataFunction = (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown

export interface RouteModule {
  loader?: unknown
  action?: unknown
}

export interface CallOptions {
  method?: 'GET' | 'POST'
  path: string
  params?: Record<string, string>
  cookie?: string | null
  form?: Record<string, string | string[]>
  /** Files, sent with `form` as multipart/form-data (the part's type is what a browser would claim, never trusted). */
  files?: Record<string, TestFile | TestFile[]>
  ip?: string
  headers?: Record<string, string>
}

export interface TestFile {
  name: string
  bytes: Uint8Array
  type?: string
}

export interface Outcome {
  status: number
  location: string | null
  setCookie: string | null
  body: string
  /** Retry-After of a 429, when given. */
  retryAfter?: string | null
  /** The thrown Error for a crash (status 500). */
  error?: unknown
}

/**
 * Calls a route module's loader (GET) or action (POST) the way Remix would, with a
 * real Request, and folds returned and thrown Responses (and crashes) into one outcome.
 */
export async function call(mod: RouteModule, options: CallOptions): Promise<Outcome> {
  const method = options.method ?? 'GET'
  const headers = new Headers(options.headers)
  if (options.cookie) headers.set('Cookie', options.cookie)
  let body: FormData | undefined
  if (method === 'POST') {
    body = new FormData()
    for (const [k, v] of Object.entries(options.form ?? {})) {
      for (const item of Array.isArray(v) ? v : [v]) body.append(k, item)
    }
    for (const [k, v] of Object.entries(options.files ?? {})) {
      for (const f of Array.isArray(v) ? v : [v]) {
        body.append(k, new File([new Uint8Array(f.bytes)], f.name, { type: f.type ?? 'application/octet-stream' }))
      }
    }
  }
  const request = new Request(`http://localhost${options.path}`, { method, headers, body })
  const fn = (method === 'GET' ? mod.loader : mod.action) as DataFunction | undefined
  if (!fn) return { status: 405, location: null, setCookie: null, body: '' }
  try {
    const result = await fn({ request, params: options.params ?? {}, context: { clientIp: options.ip ?? '203.0.113.7' } })
    return toOutcome(result)
  } catch (thrown) {
    if (thrown instanceof Response) return toOutcome(thrown)
    // TEST_SHOW_CRASHES=1 prints what a 500 was (the outcome keeps it in `error` too).
    if (process.env.TEST_SHOW_CRASHES) console.error(`${method} ${options.path} crashed:`, thrown)
    return { status: 500, location: null, setCookie: null, body: String(thrown), error: thrown }
  }
}

async function toOutcome(result: unknown): Promise<Outcome> {
  if (result instanceof Response) {
    return {
      status: result.status,
      location: result.headers.get('Location'),
      setCookie: result.headers.get('Set-Cookie'),
      retryAfter: result.headers.get('Retry-After'),
      body: await result.text(),
    }
  }
  return { status: 200, location: null, setCookie: null, body: JSON.stringify(result ?? null) }
}

/** `a=b; c=d` from one or more Set-Cookie values, for the next request. */
export function cookieFrom(setCookie: string | null): string {
  if (!setCookie) return ''
  return setCookie
    .split(/,(?=\s*[A-Za-z_][\w-]*=)/)
    .map((c) => c.split(';')[0]!.trim())
    .filter((c) => !c.endsWith('='))
    .join('; ')
}
