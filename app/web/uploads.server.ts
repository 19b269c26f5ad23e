import { createReadableStreamFromReadable, unstable_parseMultipartFormData, type LoaderFunctionArgs } from '@remix-run/node'
import { openFile, uploadTooLarge, type UploadedFile } from '../domain/files/files.server.js'
import { FILE_PURPOSES, type FilePurpose } from '../domain/files/purposes.js'
import { AppError } from '../utils/errors.js'
import { parseParams, ZIdParams } from './input.server.js'
import { optionalActor } from './request.server.js'
import { runLoader } from './route-errors.server.js'
import { services } from './services.server.js'

/** The text fields of an upload form together, at most (a normal form's whole body may be 1 MiB). */
export const MAX_UPLOAD_TEXT_BYTES = 1024 * 1024
/** Text fields an upload form may carry by default (a case form's scenario boxes and metrics fit). */
export const DEFAULT_UPLOAD_FIELDS = 300

export interface UploadFormOptions {
  /** Decides the size limit of each file (and, later, in attachFile, the types). */
  purpose: FilePurpose
  /** Files one submission may carry (default 1); more is 413. Empty file inputs do not count. */
  maxFiles?: number
  /** Text fields one submission may carry (default DEFAULT_UPLOAD_FIELDS); more is 413. */
  maxFields?: number
}

export interface UploadForm {
  /** The text fields, for parseForm. */
  form: FormData
  /** The files, in the order sent, each with its field name; a file input left empty gives none. */
  files: UploadedFile[]
}

function fieldError(
  code: 'PAYLOAD_TOO_LARGE' | 'VALIDATION',
  key: 'files.e.tooMany' | 'files.e.tooManyFields' | 'files.e.fieldTooLong' | 'files.e.malformed',
  field?: string,
  params?: Record<string, number>,
) {
  return new AppError(code, key, { ...(params ? { params } : {}), ...(field ? { fieldErrors: { [field]: key } } : {}) })
}

/**
 * Reads a multipart form (enctype="multipart/form-data") with the purpose's limits,
 * as it streams: a file part over the purpose's size is refused (413, the field named)
 * as soon as its bytes pass the limit, without reading the rest; so are one file too
 * many and too many or too long text fields. A form sent urlencoded (no file) is read
 * as usual, with no files. The types of the files are checked later, from their bytes,
 * by prepareUpload / attachFile (app/domain/files/files.server.ts).
 *
 * The server (app/utils/request-guards.server.ts) lets multipart bodies larger than
 * 1 MiB through to the routes its UPLOAD_ROUTES table lists only: an upload route adds
 * its path there.
 */
export async function readUploadForm(request: Request, options: UploadFormOptions): Promise<UploadForm> {
  const maxBytes = FILE_PURPOSES[options.purpose].maxBytes
  const maxFiles = options.maxFiles ?? 1
  const maxFields = options.maxFields ?? DEFAULT_UPLOAD_FIELDS
  const type = (request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'multipart/form-data') {
    const form = await request.formData().catch(() => {
      throw fieldError('VALIDATION', 'files.e.malformed')
    })
    let fields = 0
    for (const value of form.values()) {
      if (typeof value !== 'string') throw fieldError('VALIDATION', 'files.e.malformed')
      fields += 1
    }
    if (fields > maxFields) throw fieldError('PAYLOAD_TOO_LARGE', 'files.e.tooManyFields')
    return { form, files: [] }
  }
  // Whatever Content-Length promises beyond every allowed part is refused before reading.
  const declared = Number(request.headers.get('Content-Length') ?? 0)
  if (Number.isFinite(declared) && declared > maxFiles * maxBytes + MAX_UPLOAD_TEXT_BYTES + 64 * 1024) {
    throw uploadTooLarge(options.purpose)
  }

  const files: UploadedFile[] = []
  let fields = 0
  let textBytes = 0
  const decoder = new TextDecoder('utf-8', { fatal: false })
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, async (part) => {
      if (part.filename === undefined) {
        fields += 1
        if (fields > maxFields) throw fieldError('PAYLOAD_TOO_LARGE', 'files.e.tooManyFields')
        const chunks: Uint8Array[] = []
        for await (const chunk of part.data) {
          textBytes += chunk.byteLength
          if (textBytes > MAX_UPLOAD_TEXT_BYTES) throw fieldError('PAYLOAD_TOO_LARGE', 'files.e.fieldTooLong', part.name)
          chunks.push(chunk)
        }
        return decoder.decode(
          join(
            chunks,
            chunks.reduce((n, c) => n + c.byteLength, 0),
          ),
        )
      }
      const chunks: Uint8Array[] = []
      let size = 0
      for await (const chunk of part.data) {
        size += chunk.byteLength
        if (size > maxBytes) throw uploadTooLarge(options.purpose, part.name)
        chunks.push(chunk)
      }
      // An empty file input: the browser sends a part without a name or bytes.
      if (size === 0 && part.filename === '') return undefined
      if (files.length >= maxFiles) throw fieldError('PAYLOAD_TOO_LARGE', 'files.e.tooMany', part.name, { max: maxFiles })
      files.push({ name: part.filename, bytes: join(chunks, size), field: part.name })
      return undefined
    })
  } catch (error) {
    if (error instanceof AppError) throw error
    // No boundary, a truncated body, a broken part header: the client's fault, never a 500.
    throw fieldError('VALIDATION', 'files.e.malformed')
  }
  return { form, files }
}

/** One copy of the part's chunks (never a view into the parser's buffers). */
function join(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
}

/** How long a browser may keep a file anyone may read (a verified provider's case image). */
export const PUBLIC_FILE_MAX_AGE = 3600

/**
 * GET /files/:id and /files/:id/preview: the bytes, to whoever the object's rule lets
 * read them, and 404 to everyone else as for an id that does not exist. Images are
 * shown inline, documents downloaded (attachment); the type is the one decided from
 * the content when stored, and nosniff forbids the browser to guess another; the
 * answer runs sandboxed with no permission to load anything (CSP), so even a file that
 * some browser took for HTML could not run a script on this origin. Files anyone may
 * read are cached by the browser for an hour (private: never by a shared cache);
 * private ones are never stored. ETag (from the content's sha256) answers 304.
 */
export function sendFile(args: LoaderFunctionArgs, variant: 'original' | 'preview'): Promise<Response> {
  return runLoader(args, async () => {
    const { db, storage } = services()
    const { id } = parseParams(ZIdParams, args.params)
    const actor = await optionalActor(args)
    const file = await openFile(db, storage, actor, id, variant, args.request.headers.get('If-None-Match'))
    const headers = new Headers({
      ETag: file.etag,
      'Cache-Control': file.publiclyReadable ? `private, max-age=${PUBLIC_FILE_MAX_AGE}` : 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Referrer-Policy': 'no-referrer',
    })
    if ('notModified' in file) return new Response(null, { status: 304, headers })
    headers.set('Content-Type', file.mime)
    headers.set('Content-Disposition', file.disposition)
    headers.set('Content-Length', String(file.bytes))
    if (args.request.method === 'HEAD') {
      file.stream.destroy()
      return new Response(null, { status: 200, headers })
    }
    return new Response(createReadableStreamFromReadable(file.stream), { status: 200, headers })
  }).catch((thrown: unknown) => {
    // A refusal (404) is no more cacheable than the file would have been.
    if (thrown instanceof Response) thrown.headers.set('Cache-Control', 'no-store')
    throw thrown
  })
}
