/**
 * What the Express server checks before a request reaches Remix: that it names a
 * valid host, that its body is a form of bounded size, and which answers must not be
 * cached. Each check answers a client's mistake with a 4xx instead of letting it turn
 * into a 500 (or a stalled connection) further in.
 */
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from 'express'
import { MAX_FORM_FIELDS } from './forms.server.js'

/** Largest form body accepted (uploads get their own limit: UPLOAD_ROUTES). */
export const MAX_FORM_BYTES = 1024 * 1024

const MiB = 1024 * 1024

/**
 * The routes that take files (multipart/form-data), each with the largest body it may
 * be sent: its files at their purpose's limit (app/domain/files/purposes.ts) plus
 * MAX_FORM_BYTES for the text fields. Every other request, and a non-multipart one to
 * these paths, keeps MAX_FORM_BYTES. A route that takes files adds its line here and
 * reads its body with readUploadForm (app/web/uploads.server.ts), which applies each
 * file's limit and counts the fields as it parses (so the whole-body field count below
 * is skipped for them).
 */
export const UPLOAD_ROUTES: readonly { path: RegExp; maxBytes: number }[] = [
  // 案例图片 (case_image, 5 MiB): up to PROVIDER_LIMITS.imagesPerCase = 9 in one submission.
  { path: /^\/provider\/cases(?:\/|$)/, maxBytes: 9 * 5 * MiB + MAX_FORM_BYTES },
  // 资质证书扫描件 (qualification_scan, 10 MiB): one per submission, on /provider/qualifications
  // (the profile form takes no file: its body is a normal form's).
  { path: /^\/provider\/qualifications(?:\/|$)/, maxBytes: 10 * MiB + MAX_FORM_BYTES },
  // 诊断报告附件 (diagnosis_attachment, 20 MiB): one per submission, on the report editor.
  { path: /^\/diagnoses\/[1-9]\d*\/report(?:\/|$)/, maxBytes: 20 * MiB + MAX_FORM_BYTES },
  // 考勤照片 (service_photo, 10 MiB): up to 9 with one record.
  { path: /^\/diagnoses\/[1-9]\d*\/records(?:\/|$)/, maxBytes: 9 * 10 * MiB + MAX_FORM_BYTES },
  // 投标附件 (bid_attachment, 20 MiB): up to 5 with a bid, on the bid form (/needs/:id/bid).
  { path: /^\/needs\/[1-9]\d*\/bid\/?$/, maxBytes: 5 * 20 * MiB + MAX_FORM_BYTES },
  // 里程碑交付证明 (milestone_evidence, 20 MiB): up to 5 with a submission, on the milestone page.
  { path: /^\/contracts\/[1-9]\d*\/milestones\/[1-9]\d*\/?$/, maxBytes: 5 * 20 * MiB + MAX_FORM_BYTES },
  // 监理日志照片 (supervision_photo, 10 MiB): up to 9 with one log entry.
  { path: /^\/contracts\/[1-9]\d*\/supervision\/?$/, maxBytes: 9 * 10 * MiB + MAX_FORM_BYTES },
  // 纠纷证据 (dispute_evidence, 20 MiB): up to 5 when a dispute is opened (the form on /contracts/:id/disputes).
  { path: /^\/contracts\/[1-9]\d*\/disputes(?:\/new)?\/?$/, maxBytes: 5 * 20 * MiB + MAX_FORM_BYTES },
  // 导入 Excel (an agency's list, MAX_IMPORT_BYTES = 2 MiB in app/domain/spreadsheets/limits.ts): one per submission, on /agency/exports.
  { path: /^\/agency\/exports\/?$/, maxBytes: 2 * MiB + MAX_FORM_BYTES },
]

/** The upload route a multipart request goes to, if any. */
function uploadRoute(req: ExpressRequest, kind: FormKind | null) {
  if (kind !== 'multipart') return undefined
  return UPLOAD_ROUTES.find((route) => route.path.test(req.path))
}

// A DNS name (labels of letters, digits, - and _), an IPv4 address or a bracketed IPv6
// address, with an optional port. Anything else (spaces, @, /, non-ASCII) is refused.
const HOST = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*\.?|\[[0-9a-f:.]{2,45}\])(?::(\d{1,5}))?$/i

export function isValidHost(value: string | undefined): value is string {
  if (!value || value.length > 255) return false
  const match = HOST.exec(value)
  if (!match) return false
  return match[1] === undefined || Number(match[1]) <= 65535
}

/** Every host an X-Forwarded-Host header lists (proxies append with commas). */
export function forwardedHosts(header: string | undefined): string[] {
  if (header === undefined) return []
  return header.split(',').map((h) => h.trim())
}

/** The host as the client wrote it, lower-cased and without a default port, for comparisons. */
export function normalHost(host: string, protocol = 'http'): string | null {
  try {
    return new URL(`${protocol}://${host}`).host
  } catch {
    return null
  }
}

// Pages that show one person's or one organisation's data, and those that carry
// one-time codes or reset links (recovery, the development mailbox).
const PRIVATE_PATH = /^\/(?:account|org|orgs|agency|join|forgot|reset|dev)(?:[/.?]|$)/
// Uploaded files (GET /files/:id) say themselves how they may be kept: public ones for
// a while in the browser only (private, max-age), the others no-store.
const OWN_CACHE_POLICY = /^\/files\//
const SESSION_COOKIE = /(?:^|;)\s*(?:__Host-)?duijie_sid=/

/**
 * Answers that no shared cache (nor the browser's back-forward history, for a signed-out
 * person on a shared computer) may keep: private pages, anything asked with a session
 * cookie, and anything that sets a cookie.
 */
export function mustNotStore(req: ExpressRequest, setsCookie: boolean): boolean {
  if (OWN_CACHE_POLICY.test(req.path)) return setsCookie
  return setsCookie || PRIVATE_PATH.test(req.path) || SESSION_COOKIE.test(req.get('cookie') ?? '')
}

type FormKind = 'urlencoded' | 'multipart'

function formKind(contentType: string | undefined): FormKind | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === 'application/x-www-form-urlencoded') return 'urlencoded'
  if (type === 'multipart/form-data') return 'multipart'
  return null
}

function hasBody(req: ExpressRequest): boolean {
  const length = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

/** Fields in an urlencoded body, counted as URLSearchParams would (empty pieces are skipped). */
function urlencodedFieldCount(body: Uint8Array): number {
  let count = 0
  let pieceLength = 0
  for (const byte of body) {
    if (byte === 0x26 /* & */) {
      if (pieceLength > 0) count += 1
      pieceLength = 0
    } else {
      pieceLength += 1
    }
  }
  return pieceLength > 0 ? count + 1 : count
}

const bodies = new WeakMap<ExpressRequest, Uint8Array<ArrayBuffer>>()

/** The body readRequestBody read, to hand to Remix (undefined for requests without one). */
export function bufferedBody(req: ExpressRequest): Uint8Array<ArrayBuffer> | undefined {
  return bodies.get(req)
}

function refuse(res: ExpressResponse, status: number, message: string, close = false) {
  if (close) res.set('Connection', 'close')
  res.status(status).type('text/plain; charset=utf-8').send(message)
}

/**
 * Reads every request body before anything answers, so that
 * - a body over MAX_FORM_BYTES is refused with 413 as soon as its Content-Length says so,
 *   or as soon as that many bytes of a chunked body have arrived: at most 1 MiB is ever
 *   held, and the connection is then closed rather than read to the end; a multipart
 *   body to an upload route (UPLOAD_ROUTES) has that route's larger limit instead;
 * - a route that ignores the body (a 405, /logout, a redirect to sign-in) leaves no
 *   unread bytes on a keep-alive connection for the next request to wait behind;
 * - a state-changing request carries a form (urlencoded or multipart) or nothing:
 *   JSON and the like get 415, a multipart body that does not parse gets 400, and more
 *   than MAX_FORM_FIELDS fields get 413, before any action runs.
 * A request without a body gets an empty urlencoded one, so `request.formData()` in an
 * action reads an empty form instead of throwing.
 */
export function readRequestBody(): RequestHandler {
  return (req, res, next: NextFunction) => {
    const mutation = req.method !== 'GET' && req.method !== 'HEAD'
    if (!hasBody(req)) {
      if (mutation) {
        req.headers['content-type'] = 'application/x-www-form-urlencoded'
        bodies.set(req, new Uint8Array(0))
      }
      next()
      return
    }
    const kind = formKind(req.headers['content-type'])
    if (mutation && !kind) {
      refuse(res, 415, '只接受表单提交 / only form submissions are accepted', true)
      return
    }
    const upload = mutation ? uploadRoute(req, kind) : undefined
    const limit = upload?.maxBytes ?? MAX_FORM_BYTES
    const declared = Number(req.headers['content-length'] ?? 0)
    if (!Number.isFinite(declared) || declared > limit) {
      refuse(res, 413, '提交内容过大 / request body too large', true)
      return
    }
    const chunks: Buffer[] = []
    let received = 0
    let done = false
    const finish = (error?: unknown) => {
      if (done) return
      done = true
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', finish)
      if (error) {
        // The client went away mid-body: nobody is left to answer.
        req.socket.destroy()
        return
      }
      const buffer = Buffer.concat(chunks, received)
      const body = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length)
      if (!mutation) {
        next()
        return
      }
      if (upload) {
        bodies.set(req, body)
        next()
        return
      }
      void checkForm(kind!, req.headers['content-type']!, body).then((problem) => {
        if (problem) {
          refuse(res, problem.status, problem.message)
          return
        }
        bodies.set(req, body)
        next()
      }, next)
    }
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > limit) {
        done = true
        req.off('data', onData)
        req.off('end', onEnd)
        req.pause()
        chunks.length = 0
        refuse(res, 413, '提交内容过大 / request body too large', true)
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => finish()
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', finish)
  }
}

async function checkForm(
  kind: FormKind,
  contentType: string,
  body: Uint8Array<ArrayBuffer>,
): Promise<{ status: number; message: string } | null> {
  if (kind === 'urlencoded') {
    return urlencodedFieldCount(body) > MAX_FORM_FIELDS ? { status: 413, message: '表单字段过多 / too many form fields' } : null
  }
  let count = 0
  try {
    const form = await new Response(body, { headers: { 'Content-Type': contentType } }).formData()
    for (const _ of form.keys()) count += 1
  } catch {
    return { status: 400, message: '表单格式有误 / malformed form body' }
  }
  return count > MAX_FORM_FIELDS ? { status: 413, message: '表单字段过多 / too many form fields' } : null
}
