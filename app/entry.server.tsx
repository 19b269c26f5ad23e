import crypto from 'node:crypto'
import { Transform, type TransformCallback } from 'node:stream'
import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { getEnv } from './utils/env.server.js'
import { NonceProvider } from './utils/nonce.js'
import { startScheduledJobs } from './web/jobs.server.js'
import { services } from './web/services.server.js'

// Fail at boot, naming the variable, rather than on the first request.
getEnv()

const ABORT_DELAY = 5_000

/** Called once by app/server.ts in a serving process: the scheduled jobs on this build's services. */
export function startBackgroundJobs() {
  return startScheduledJobs(services())
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const waitForAll = isbot(request.headers.get('user-agent') ?? '')
  const nonce = crypto.randomBytes(16).toString('base64')
  return new Promise((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        [waitForAll ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true
          const body = new DropNulBytes()
          const stream = createReadableStreamFromReadable(body)
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          setSecurityHeaders(responseHeaders, nonce)
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }))
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error instanceof Error ? error : new Error(String(error)))
        },
        onError(error: unknown) {
          responseStatusCode = 500
          if (shellRendered) console.error(error)
        },
      },
    )
    setTimeout(abort, ABORT_DELAY)
  })
}

/**
 * React 18.3's streaming renderer (writeStringChunk in react-dom/server.node) flushes its
 * whole 2 KiB buffer when the next multi-byte character does not fit at its end, so the
 * one or two unused bytes go out as 0x00 (react#31134, fixed in React 19): in the text
 * browsers hide them, in the hydration script they become U+FFFD, and tools call the
 * page binary. No character is ever split (TextEncoder.encodeInto writes whole ones), so
 * decoding and re-encoding the stream would keep the zeros as U+0000; the fix is to drop
 * them. In UTF-8 a 0x00 byte is only ever U+0000, which HTML forbids anyway, so dropping
 * every 0x00 byte removes exactly the padding. Cost: one memchr per document.
 *
 * It also sends the document as one chunk. React writes it in 2 KiB pieces, and each
 * piece went on through a web stream, Remix's copy loop, compression (a zlib call per
 * piece) and a socket write: for the needs hall's 57 KiB, ~30 trips costing ~1.5 ms of
 * CPU per request more than one (issue 8). No page streams anything later (there is no
 * Suspense boundary), so holding the pieces until React ends delays nothing.
 */
export class DropNulBytes extends Transform {
  private readonly pieces: Buffer[] = []

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    // A copy: the chunk may be a view of a buffer its writer reuses.
    this.pieces.push(Buffer.from(chunk))
    callback()
  }

  override _flush(callback: TransformCallback) {
    const whole = Buffer.concat(this.pieces)
    let zero = whole.indexOf(0)
    if (zero === -1) {
      callback(null, whole)
      return
    }
    const out = Buffer.allocUnsafe(whole.length)
    let length = 0
    let start = 0
    while (zero !== -1) {
      length += whole.copy(out, length, start, zero)
      start = zero + 1
      zero = whole.indexOf(0, start)
    }
    length += whole.copy(out, length, start)
    callback(null, out.subarray(0, length))
  }
}

export function setSecurityHeaders(headers: Headers, nonce: string) {
  // Scripts only from us, inline ones only with this response's nonce. Styles allow
  // inline attributes (React style props); nothing may frame the site.
  headers.set(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
    ].join('; '),
  )
  headers.set('X-Content-Type-Options', 'nosniff')
  headers.set('X-Frame-Options', 'DENY')
  headers.set('Referrer-Policy', 'strict-origin-when-cross-origin')
  headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()')
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Aborted requests and a client's mistakes (an unknown URL, a POST where no action is) are not server faults.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status >= 400 && error.status < 500)) return
  console.error(error)
}
