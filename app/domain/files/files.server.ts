import crypto from 'node:crypto'
import type { Readable } from 'node:stream'
import { fileTypeFromBuffer } from 'file-type'
import type { Transaction } from 'kysely'
import sharp, { type Metadata } from 'sharp'
import type { Database } from '../../../db/connection.js'
import { transactionHooks } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import type { FileStorage } from '../../utils/storage.server.js'
import type { Actor } from '../accounts/actor.js'
import { BUILT_IN_FILE_ACCESS, type FileAccessRule } from './access.server.js'
import { stripJpegMetadata, stripWebpMetadata } from './jpeg-metadata.js'
import { cleanFileName, contentDisposition } from './names.js'
import type { FileView } from './views.js'
import {
  FILE_PURPOSES,
  FILE_TYPES,
  formatBytes,
  isFileMime,
  isImageMime,
  purposeTypeLabels,
  type FileMime,
  type FilePurpose,
} from './purposes.js'

/*
 * Uploads, done once for every context (issue 11): case images now, qualification
 * scans, later diagnosis attachments, milestone evidence and bid attachments.
 *
 * - What a file is comes from its bytes (file-type's signatures), never from its name
 *   or the browser's Content-Type; each purpose accepts some types up to a size
 *   (purposes.ts): over it 413, another type 415.
 * - Images are decoded (sharp): their width and height (upright) are kept, a preview
 *   at most PREVIEW_MAX_SIDE px wide and high (WebP) is stored under a second key, and
 *   a photo's metadata (EXIF with GPS position and camera, XMP, IPTC, comments) is
 *   removed before it is stored: a case image of an anonymised client (某汽车零部件企业)
 *   must not give away where the factory is. JPEGs and WebPs lose those segments without
 *   being re-encoded (jpeg-metadata.ts: a JPEG's EXIF orientation stays); PNGs are re-encoded.
 * - Bytes go to FileStorage under random keys (outside the public folder: the data
 *   directory's files/, or a shared volume); the `files` row names the key, the owning
 *   organisation and the object the file is attached to. Bytes stored inside a
 *   transaction that then rolls back are deleted (transactionHooks' onRollback); the
 *   bytes of a deleted row go once its deletion has committed.
 * - Reading goes through the object type's rule (access.server.ts, registerFileAccess):
 *   whoever the rule refuses gets the same 404 as for an id that does not exist.
 */

export type { FilePurpose } from './purposes.js'
export type { FileAccessRule } from './access.server.js'
export type { FileView } from './views.js'

/** A file as app/web/uploads.server.ts hands it over: the name the client sent and the bytes. */
export interface UploadedFile {
  name: string
  bytes: Uint8Array
  /** The form field it came in (several file inputs on one form). */
  field?: string
}

/** Read rules by object type: the built-in ones and those registered (registerFileAccess). */
const rules = new Map<string, FileAccessRule>(BUILT_IN_FILE_ACCESS)

/** Previews fit in a square of this many pixels. */
export const PREVIEW_MAX_SIDE = 640
/** Larger images are refused (a small file can decode into gigabytes: a decompression bomb). 50 MP ≈ 8660 × 5770. */
export const MAX_IMAGE_PIXELS = 50_000_000
/** Previews are WebP. */
export const PREVIEW_MIME = 'image/webp'

/**
 * A file checked and ready to store: what attachFile needs, computed without a
 * transaction. Decoding and resizing a 12-megapixel photo takes a few hundred
 * milliseconds: a use case calls prepareUpload before withTransaction so the
 * database (on SQLite one connection for the whole process) is not held meanwhile.
 */
export interface PreparedUpload {
  readonly prepared: true
  purpose: FilePurpose
  name: string
  mime: FileMime
  bytes: Uint8Array
  sha256: string
  width: number | null
  height: number | null
  preview: Uint8Array | null
  field: string | undefined
}

function tooLarge(purpose: FilePurpose, field: string | undefined): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', 'files.e.tooLarge', {
    params: { limit: formatBytes(FILE_PURPOSES[purpose].maxBytes) },
    ...(field ? { fieldErrors: { [field]: 'files.e.tooLarge' } } : {}),
  })
}

function unsupported(purpose: FilePurpose, field: string | undefined): AppError {
  return new AppError('UNSUPPORTED_MEDIA_TYPE', 'files.e.unsupportedType', {
    params: { types: purposeTypeLabels(purpose) },
    ...(field ? { fieldErrors: { [field]: 'files.e.unsupportedType' } } : {}),
  })
}

/** The size limit of a purpose, as an error: for app/web/uploads.server.ts, which stops reading a part once it is over. */
export function uploadTooLarge(purpose: FilePurpose, field?: string): AppError {
  return tooLarge(purpose, field)
}

/** What the bytes are, by their signature; null for anything not in FILE_TYPES. */
export async function sniffFileType(bytes: Uint8Array): Promise<FileMime | null> {
  const found = await fileTypeFromBuffer(bytes)
  return found && isFileMime(found.mime) ? found.mime : null
}

const SHARP_INPUT = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' } as const

async function prepareImage(
  bytes: Uint8Array,
  mime: FileMime,
  purpose: FilePurpose,
  field: string | undefined,
): Promise<{ bytes: Uint8Array; width: number; height: number; preview: Uint8Array }> {
  let meta: Metadata
  try {
    // The header only (no pixel limit here): an image over MAX_IMAGE_PIXELS is refused as such just below.
    meta = await sharp(bytes, { failOn: 'error', limitInputPixels: false }).metadata()
  } catch {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'files.e.unreadable',
      field ? { fieldErrors: { [field]: 'files.e.unreadable' } } : {},
    )
  }
  if (meta.width * meta.height > MAX_IMAGE_PIXELS) {
    const params = { max: Math.round(MAX_IMAGE_PIXELS / 10_000), megapixels: Math.round(MAX_IMAGE_PIXELS / 1_000_000) }
    throw new AppError('PAYLOAD_TOO_LARGE', 'files.e.imagePixels', {
      params,
      ...(field ? { fieldErrors: { [field]: 'files.e.imagePixels' } } : {}),
    })
  }
  try {
    let stored = bytes
    if (meta.exif || meta.xmp || meta.iptc || meta.comments?.length) {
      // A JPEG loses its metadata segments losslessly (the orientation stays), so does an
      // upright WebP its chunks; anything else (PNG, a turned WebP, a file the walkers
      // cannot follow) is re-encoded without it (sharp keeps none unless asked).
      const turned = meta.orientation !== undefined && meta.orientation !== 1
      const stripped =
        mime === 'image/jpeg'
          ? stripJpegMetadata(bytes, meta.orientation)
          : mime === 'image/webp' && !turned
            ? stripWebpMetadata(bytes)
            : null
      if (stripped) {
        stored = stripped
      } else {
        const upright = sharp(bytes, SHARP_INPUT).autoOrient()
        const encoded =
          mime === 'image/png'
            ? upright.png()
            : mime === 'image/webp'
              ? upright.webp({ quality: 90 })
              : upright.jpeg({ quality: 90 })
        stored = new Uint8Array(await encoded.toBuffer())
      }
    }
    const preview = await sharp(stored, SHARP_INPUT)
      .autoOrient()
      .resize(PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer()
    return { bytes: stored, width: meta.autoOrient.width, height: meta.autoOrient.height, preview: new Uint8Array(preview) }
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'files.e.unreadable',
      field ? { fieldErrors: { [field]: 'files.e.unreadable' } } : {},
    )
  }
}

/**
 * Checks an upload against its purpose and computes everything stored about it:
 * 413 over the size limit, 415 for content of another type (or an image that does not
 * decode), VALIDATION for an empty file. Stores nothing.
 */
export async function prepareUpload(purpose: FilePurpose, file: UploadedFile): Promise<PreparedUpload> {
  const rule = FILE_PURPOSES[purpose]
  const field = file.field
  if (file.bytes.byteLength === 0) {
    throw new AppError('VALIDATION', 'files.e.empty', field ? { fieldErrors: { [field]: 'files.e.empty' } } : {})
  }
  if (file.bytes.byteLength > rule.maxBytes) throw tooLarge(purpose, field)
  const mime = await sniffFileType(file.bytes)
  const accepted: readonly FileMime[] = rule.types
  if (!mime || !accepted.includes(mime)) throw unsupported(purpose, field)
  let bytes = file.bytes
  let width: number | null = null
  let height: number | null = null
  let preview: Uint8Array | null = null
  if (isImageMime(mime)) {
    const image = await prepareImage(file.bytes, mime, purpose, field)
    ;({ bytes, width, height, preview } = image)
    // Re-encoding without the metadata could in principle grow a file past the limit.
    if (bytes.byteLength > rule.maxBytes) throw tooLarge(purpose, field)
  }
  return {
    prepared: true,
    purpose,
    name: cleanFileName(file.name, mime),
    mime,
    bytes,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    width,
    height,
    preview,
    field,
  }
}

function isPrepared(file: UploadedFile | PreparedUpload): file is PreparedUpload {
  return (file as PreparedUpload).prepared === true
}

type FileRow = Pick<DB['files'], 'name' | 'mime' | 'size' | 'width' | 'height' | 'preview_key'> & { id: number }

function toView(row: FileRow): FileView {
  return {
    id: row.id,
    name: row.name,
    mime: row.mime,
    size: row.size,
    isImage: isImageMime(row.mime),
    url: `/files/${row.id}`,
    previewUrl: row.preview_key ? `/files/${row.id}/preview` : null,
    width: row.width,
    height: row.height,
  }
}

export interface AttachFileInput {
  purpose: FilePurpose
  /** The organisation that owns the file: the one the actor acts for. */
  orgId: number
  /** What it is attached to ('provider_case' …): that type's read rule decides who may fetch it. */
  objectType: string
  objectId: number
  /** As uploaded (checked here), or already checked by prepareUpload outside the transaction. */
  file: UploadedFile | PreparedUpload
}

/**
 * Stores an upload and inserts its `files` row, inside the owning use case's
 * transaction (withTransaction's `trx`), after that use case checked its own
 * permission on the object. Throws PAYLOAD_TOO_LARGE (413), UNSUPPORTED_MEDIA_TYPE
 * (415), VALIDATION (empty file), FORBIDDEN (the actor does not act, as a confirmed
 * member, for `orgId`). If the transaction rolls back, the stored bytes are deleted.
 */
export async function attachFile(
  trx: Transaction<DB>,
  storage: FileStorage,
  actor: Actor,
  input: AttachFileInput,
): Promise<FileView> {
  const { onRollback } = transactionHooks(trx)
  if (actor.org?.orgId !== input.orgId || actor.org.membership !== 'active') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'attach:file:own' } })
  }
  if (!rules.has(input.objectType)) {
    // A file nobody could ever read is a bug in the caller, not the client's fault.
    throw new Error(`attachFile: no read rule for object type ${input.objectType}`)
  }
  const file = isPrepared(input.file) ? input.file : await prepareUpload(input.purpose, input.file)
  if (file.purpose !== input.purpose) throw new Error('attachFile: prepared for another purpose')

  const keys: string[] = []
  const removeStored = async () => {
    await Promise.all(keys.map((key) => storage.delete(key)))
  }
  onRollback(removeStored)
  try {
    const maxBytes = FILE_PURPOSES[input.purpose].maxBytes
    const original = await storage.put(file.bytes, { maxBytes })
    keys.push(original.key)
    let previewKey: string | null = null
    if (file.preview) {
      previewKey = (await storage.put(file.preview)).key
      keys.push(previewKey)
    }
    const row = await trx
      .insertInto('files')
      .values({
        storage_key: original.key,
        preview_key: previewKey,
        org_id: input.orgId,
        purpose: input.purpose,
        object_type: input.objectType,
        object_id: input.objectId,
        name: file.name,
        mime: file.mime,
        size: original.bytes,
        width: file.width,
        height: file.height,
        sha256: file.sha256,
        created_by: actor.userId,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return toView({
      id: row.id,
      name: file.name,
      mime: file.mime,
      size: original.bytes,
      width: file.width,
      height: file.height,
      preview_key: previewKey,
    })
  } catch (error) {
    // Also when the caller catches this and commits anyway: nothing stored outlives a failed attach.
    await removeStored()
    keys.length = 0
    throw error
  }
}

/** The files of each object, oldest first (pages list an object's files in the order they came). */
export async function listFiles(
  db: Database | Transaction<DB>,
  objectType: string,
  objectIds: readonly number[],
): Promise<Map<number, FileView[]>> {
  const byObject = new Map<number, FileView[]>()
  if (objectIds.length === 0) return byObject
  const rows = await db
    .selectFrom('files')
    .select(['id', 'object_id', 'name', 'mime', 'size', 'width', 'height', 'preview_key'])
    .where('object_type', '=', objectType)
    .where('object_id', 'in', [...new Set(objectIds)])
    .orderBy('object_id')
    .orderBy('id')
    .execute()
  for (const row of rows) {
    const list = byObject.get(row.object_id) ?? []
    list.push(toView(row))
    byObject.set(row.object_id, list)
  }
  return byObject
}

/** How many files an object has (a use case's "at most 9 images per case"). */
export async function countFiles(db: Database | Transaction<DB>, objectType: string, objectId: number): Promise<number> {
  const row = await db
    .selectFrom('files')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('object_type', '=', objectType)
    .where('object_id', '=', objectId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Removes one file of an object, inside the owning use case's transaction (after it
 * checked its permission on the object): NOT_FOUND when the object has no such file,
 * FORBIDDEN when the actor does not act for the file's organisation. Its bytes are
 * deleted once the transaction has committed.
 */
export async function deleteFile(
  trx: Transaction<DB>,
  storage: FileStorage,
  actor: Actor,
  fileId: number,
  expected: { objectType: string; objectId: number },
): Promise<void> {
  const { afterCommit } = transactionHooks(trx)
  const row = await trx
    .selectFrom('files')
    .select(['id', 'org_id', 'storage_key', 'preview_key'])
    .where('id', '=', fileId)
    .where('object_type', '=', expected.objectType)
    .where('object_id', '=', expected.objectId)
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'errors.notFound')
  if (actor.org?.orgId !== row.org_id || actor.org.membership !== 'active') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'delete:file:own' } })
  }
  await trx.deleteFrom('files').where('id', '=', row.id).execute()
  afterCommit(() => removeKeys(storage, [row.storage_key, row.preview_key]))
}

/** Removes every file of an object that is going away; the bytes go once the transaction has committed. */
export async function deleteFilesOf(
  trx: Transaction<DB>,
  storage: FileStorage,
  objectType: string,
  objectId: number,
): Promise<void> {
  const { afterCommit } = transactionHooks(trx)
  const rows = await trx
    .deleteFrom('files')
    .where('object_type', '=', objectType)
    .where('object_id', '=', objectId)
    .returning(['storage_key', 'preview_key'])
    .execute()
  if (rows.length === 0) return
  afterCommit(() =>
    removeKeys(
      storage,
      rows.flatMap((r) => [r.storage_key, r.preview_key]),
    ),
  )
}

async function removeKeys(storage: FileStorage, keys: (string | null)[]): Promise<void> {
  await Promise.all(keys.filter((k): k is string => k !== null).map((k) => storage.delete(k)))
}

/**
 * Says who may read the files attached to objects of a type (replacing any earlier
 * rule for it). Call it at start-up from a module the server imports for what it
 * exports, or add the rule to BUILT_IN_FILE_ACCESS (access.server.ts).
 */
export function registerFileAccess(objectType: string, rule: FileAccessRule): void {
  rules.set(objectType, rule)
}

/** What GET /files/:id sends. */
export interface FileDownload {
  stream: Readable
  bytes: number
  mime: string
  /** Content-Disposition: images inline, documents as attachments, the name RFC 5987-encoded. */
  disposition: string
  etag: string
  /** Readable by anyone (a verified provider's case image): browsers may keep it; otherwise nobody stores it. */
  publiclyReadable: boolean
}

/** Whether the actor may read the files of this object; false for an object type nobody registered. */
export async function mayReadFilesOf(db: Database, actor: Actor | null, objectType: string, objectId: number): Promise<boolean> {
  const rule = rules.get(objectType)
  return rule ? rule(db, actor, objectId) : false
}

/**
 * A file (or its preview) for the actor: NOT_FOUND for an unknown id, a file without a
 * preview, and for whoever the object's rule refuses alike, so a guessed id tells a
 * stranger nothing. `ifNoneMatch` (the request's If-None-Match) answers `notModified`
 * once access is granted.
 */
export async function openFile(
  db: Database,
  storage: FileStorage,
  actor: Actor | null,
  fileId: number,
  variant: 'original' | 'preview',
  ifNoneMatch?: string | null,
): Promise<FileDownload | { notModified: true; etag: string; publiclyReadable: boolean }> {
  const row = await db
    .selectFrom('files')
    .select(['id', 'object_type', 'object_id', 'name', 'mime', 'storage_key', 'preview_key', 'sha256'])
    .where('id', '=', fileId)
    .executeTakeFirst()
  const notFound = () => new AppError('NOT_FOUND', 'errors.notFound')
  if (!row) throw notFound()
  if (!(await mayReadFilesOf(db, actor, row.object_type, row.object_id))) throw notFound()
  const key = variant === 'preview' ? row.preview_key : row.storage_key
  if (!key) throw notFound()
  const publiclyReadable = actor === null || (await mayReadFilesOf(db, null, row.object_type, row.object_id))
  const etag = `"${variant === 'preview' ? 'p' : 'o'}-${row.sha256.slice(0, 32)}"`
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return { notModified: true, etag, publiclyReadable }
  }
  const stored = await storage.get(key)
  if (!stored) {
    console.error(`file ${row.id}: its ${variant} (key ${key}) is missing from storage`)
    throw notFound()
  }
  const mime = variant === 'preview' ? PREVIEW_MIME : row.mime
  const inline = isImageMime(mime)
  const name = variant === 'preview' ? previewName(row.name) : row.name
  return {
    stream: stored.stream,
    bytes: stored.bytes,
    mime,
    disposition: contentDisposition(inline ? 'inline' : 'attachment', name),
    etag,
    publiclyReadable,
  }
}

function previewName(name: string): string {
  const dot = name.lastIndexOf('.')
  return `${dot > 0 ? name.slice(0, dot) : name}-preview.${FILE_TYPES[PREVIEW_MIME].extensions[0]}`
}
