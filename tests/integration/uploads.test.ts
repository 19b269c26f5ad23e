import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { json } from '@remix-run/node'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withTransaction } from '../../db/transaction.js'
import { actorFor, type Actor } from '../../app/domain/accounts/actor.js'
import { authorize } from '../../app/domain/accounts/authorization.js'
import {
  attachFile,
  countFiles,
  deleteFile,
  deleteFilesOf,
  listFiles,
  prepareUpload,
  registerFileAccess,
} from '../../app/domain/files/files.server.js'
import { MiB } from '../../app/domain/files/purposes.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import { AppError } from '../../app/utils/errors.js'
import { createFileStorage } from '../../app/utils/storage.server.js'
import { parseParams, ZIdParams } from '../../app/web/input.server.js'
import { requireActor } from '../../app/web/request.server.js'
import { runAction } from '../../app/web/route-errors.server.js'
import { services } from '../../app/web/services.server.js'
import { readUploadForm } from '../../app/web/uploads.server.js'
import * as fileRoute from '../../app/routes/files.$id.js'
import * as previewRoute from '../../app/routes/files.$id.preview.js'
import { addMember, insertOrg, insertUser, signIn } from '../support/factories.js'
import { call, type RouteModule, type TestFile } from '../support/http.js'
import { TMP_DIR } from '../support/paths.js'

/*
 * Uploads end to end below the browser: a multipart body through readUploadForm and a
 * use case like the profile slice's (a test-only action: attach images to a case), then
 * GET /files/:id and /files/:id/preview as each kind of visitor.
 */

// The use case a case form's action runs: its own permission on the case, then attachFile.
const caseImagesRoute: RouteModule = {
  action: (args: ActionFunctionArgs) =>
    runAction(args, async () => {
      const { db, storage } = services()
      const { actor } = await requireActor(args)
      const { id } = parseParams(ZIdParams, args.params)
      const { form, files } = await readUploadForm(args.request, { purpose: 'case_image', maxFiles: 3 })
      const prepared = await Promise.all(files.map((file) => prepareUpload('case_image', file)))
      // Before the transaction: on SQLite it holds the one connection, and `db` would wait for it.
      const ref = await getReferenceData(db)
      const views = await withTransaction(db, async (trx) => {
        const owner = await trx.selectFrom('provider_cases').select('org_id').where('id', '=', id).executeTakeFirst()
        if (!owner) throw new AppError('NOT_FOUND', 'errors.notFound')
        authorize(actor, ref, 'edit:provider-profile:own', { orgId: owner.org_id })
        const out = []
        for (const file of prepared) {
          out.push(
            await attachFile(trx, storage, actor, {
              purpose: 'case_image',
              orgId: owner.org_id,
              objectType: 'provider_case',
              objectId: id,
              file,
            }),
          )
        }
        return out
      })
      return json({ note: form.get('note'), files: views })
    }),
}

interface World {
  provider: number
  pendingProvider: number
  owner: { id: number; cookie: string; actor: Actor }
  pendingOwner: { id: number; cookie: string; actor: Actor }
  stranger: string
  agencyRegion: string
  agencyOther: string
  agencyRegionViewer: string
  verifiedCase: number
  pendingCase: number
  qualification: number
}
let w: World

async function insertCase(orgId: number): Promise<number> {
  const now = new Date().toISOString()
  const row = await services()
    .db.insertInto('provider_cases')
    .values({
      org_id: orgId,
      title: '冲压车间设备联网改造',
      client_name: '某汽车零部件企业',
      client_anonymised: 1,
      industry_code: 'C36',
      year: 2025,
      summary: '设备联网与数据采集',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

async function ownerOf(orgId: number, region: string) {
  const { db } = services()
  const user = await insertUser(db)
  await addMember(db, user.id, orgId)
  const { cookie } = await signIn(db, user.id, orgId)
  const actor = actorFor(
    user.id,
    {
      orgId,
      orgName: '服务商',
      kind: 'provider',
      status: 'verified',
      role: 'owner',
      membership: 'active',
      regionCode: region,
      agencyLevel: null,
    },
    '203.0.113.7',
    true,
  )
  return { id: user.id, cookie, actor }
}

async function memberCookie(orgId: number, role: 'owner' | 'viewer' = 'owner') {
  const { db } = services()
  const user = await insertUser(db)
  await addMember(db, user.id, orgId, role)
  return (await signIn(db, user.id, orgId)).cookie
}

async function jpeg(width: number, height: number, options: { exif?: boolean; orientation?: number } = {}): Promise<Uint8Array> {
  let image = sharp({
    create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 25 } },
  }).jpeg({
    quality: 85,
  })
  if (options.exif || options.orientation) {
    image = image.withMetadata({
      ...(options.orientation ? { orientation: options.orientation } : {}),
      ...(options.exif ? { exif: { IFD0: { Make: 'PhoneCo', Model: 'X1', Copyright: 'GPS 32.39N 119.42E' } } } : {}),
    })
  }
  return new Uint8Array(await image.toBuffer())
}

async function png(width: number, height: number): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp({ create: { width, height, channels: 4, background: '#3366cc' } })
      .png()
      .toBuffer(),
  )
}

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

/** GET a file route, keeping the response's headers and bytes (call() folds them into text). */
async function fetchFile(
  route: { loader: (args: LoaderFunctionArgs) => Promise<Response> },
  id: number | string,
  cookie: string | null,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
  const request = new Request(`http://localhost/files/${id}`, { headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) } })
  let response: Response
  try {
    response = await route.loader({ request, params: { id: String(id) }, context: { clientIp: '203.0.113.7' } })
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    response = thrown
  }
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) }
}

async function upload(caseId: number, cookie: string | null, files: TestFile | TestFile[], form: Record<string, string> = {}) {
  return call(caseImagesRoute, {
    method: 'POST',
    path: `/provider/cases/${caseId}/images`,
    params: { id: String(caseId) },
    cookie,
    form,
    files: { images: files },
  })
}

beforeAll(async () => {
  const { db, storage } = services()
  const provider = await insertOrg(db, { kind: 'provider', region: '321003' })
  const pendingProvider = await insertOrg(db, { kind: 'provider', region: '321003', status: 'pending' })
  const enterprise = await insertOrg(db, { kind: 'enterprise', region: '321023' })
  const agencyRegion = await insertOrg(db, { kind: 'agency', region: '321000', agencyLevel: 'city' })
  const agencyOther = await insertOrg(db, { kind: 'agency', region: '620000', agencyLevel: 'province' })
  const owner = await ownerOf(provider, '321003')
  const pendingOwner = await ownerOf(pendingProvider, '321003')
  const verifiedCase = await insertCase(provider)
  const pendingCase = await insertCase(pendingProvider)
  const qualification = (
    await db
      .insertInto('provider_qualifications')
      .values({
        org_id: provider,
        name: '省级智能制造服务商',
        issuer: '江苏省工业和信息化厅',
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  w = {
    provider,
    pendingProvider,
    owner,
    pendingOwner,
    stranger: await memberCookie(enterprise),
    agencyRegion: await memberCookie(agencyRegion),
    agencyOther: await memberCookie(agencyOther),
    agencyRegionViewer: await memberCookie(agencyRegion, 'viewer'),
    verifiedCase,
    pendingCase,
    qualification,
  }
  void storage
})

describe('uploading through readUploadForm and attachFile', () => {
  it('stores a photo: type from the content, a smaller preview, its size, sha256 and dimensions', async () => {
    const bytes = await jpeg(2000, 1500)
    const outcome = await upload(
      w.verifiedCase,
      w.owner.cookie,
      { name: '车间现场.jpg', bytes, type: 'image/jpeg' },
      { note: '说明' },
    )
    expect(outcome.status).toBe(200)
    const body = JSON.parse(outcome.body) as {
      note: string
      files: { id: number; name: string; mime: string; width: number; height: number; previewUrl: string; size: number }[]
    }
    expect(body.note).toBe('说明')
    expect(body.files).toHaveLength(1)
    const [file] = body.files
    expect(file).toMatchObject({ name: '车间现场.jpg', mime: 'image/jpeg', width: 2000, height: 1500, size: bytes.byteLength })
    expect(file!.previewUrl).toBe(`/files/${file!.id}/preview`)
    const row = await services().db.selectFrom('files').selectAll().where('id', '=', file!.id).executeTakeFirstOrThrow()
    expect(row.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'))
    expect(row).toMatchObject({
      org_id: w.provider,
      purpose: 'case_image',
      object_type: 'provider_case',
      object_id: w.verifiedCase,
      created_by: w.owner.id,
    })

    const original = await fetchFile(fileRoute, file!.id, null)
    expect(original.status).toBe(200)
    expect(Buffer.from(original.bytes).equals(Buffer.from(bytes))).toBe(true)
    const preview = await fetchFile(previewRoute, file!.id, null)
    expect(preview.status).toBe(200)
    expect(preview.headers.get('Content-Type')).toBe('image/webp')
    expect(preview.bytes.byteLength).toBeLessThan(bytes.byteLength)
    const meta = await sharp(preview.bytes).metadata()
    expect(Math.max(meta.width, meta.height)).toBe(640)
    expect(meta.format).toBe('webp')
  })

  it('refuses a file over the purpose limit with 413, naming the field', async () => {
    const big = new Uint8Array(5 * MiB + 1)
    big.set(await png(10, 10))
    const outcome = await upload(w.verifiedCase, w.owner.cookie, { name: 'big.png', bytes: big, type: 'image/png' })
    expect(outcome.status).toBe(413)
    const failure = JSON.parse(outcome.body) as { code: string; formError: string; fieldErrors: Record<string, string> }
    expect(failure.code).toBe('PAYLOAD_TOO_LARGE')
    // The field's message carries the limit it names, as the form's does.
    expect(failure.fieldErrors).toEqual({ images: 'files.e.tooLarge?limit=5+MiB' })
  })

  it('stops reading a part once it passes the limit, without reading the rest of the body', async () => {
    const boundary = 'uploadtestboundary'
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="images"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
    )
    const chunk = new Uint8Array(64 * 1024)
    const total = 40 * MiB
    let pulled = 0
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(head)
      },
      pull(controller) {
        if (pulled >= total) {
          controller.close()
          return
        }
        pulled += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    const request = new Request('http://localhost/provider/cases/1/images', {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    })
    const error = await readUploadForm(request, { purpose: 'case_image' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('PAYLOAD_TOO_LARGE')
    expect(pulled).toBeLessThan(7 * MiB)
  })

  it('refuses more files than the form allows, and too many text fields', async () => {
    const image = { name: 'a.png', bytes: await png(20, 20) }
    const many = await upload(w.verifiedCase, w.owner.cookie, [image, image, image, image])
    expect(many.status).toBe(413)
    expect(JSON.parse(many.body)).toMatchObject({ formError: 'files.e.tooMany' })

    const fields = new FormData()
    for (let i = 0; i < 400; i++) fields.append('f', String(i))
    const request = new Request('http://localhost/x', { method: 'POST', body: fields })
    await expect(readUploadForm(request, { purpose: 'case_image' })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      key: 'files.e.tooManyFields',
    })
  })

  it('answers a malformed multipart body with 400, never a crash', async () => {
    const post = (contentType: string, body: string) =>
      readUploadForm(new Request('http://localhost/x', { method: 'POST', headers: { 'Content-Type': contentType }, body }), {
        purpose: 'case_image',
      })
    await expect(post('multipart/form-data', '--x\r\n')).rejects.toMatchObject({ code: 'VALIDATION', key: 'files.e.malformed' })
    await expect(
      post('multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"; filename="a.png"\r\n\r\nabc'),
    ).rejects.toMatchObject({ code: 'VALIDATION', key: 'files.e.malformed' })
    // A form without files is read as a form.
    const plain = await post('application/x-www-form-urlencoded', 'title=%E6%A1%88%E4%BE%8B')
    expect(plain.files).toEqual([])
    expect(plain.form.get('title')).toBe('案例')
  })

  it('answers 415 to an HTML page named .png, whatever type the browser claims', async () => {
    const html = new TextEncoder().encode('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>')
    const outcome = await upload(w.verifiedCase, w.owner.cookie, { name: 'photo.png', bytes: html, type: 'image/png' })
    expect(outcome.status).toBe(415)
    expect(JSON.parse(outcome.body)).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      fieldErrors: { images: 'files.e.unsupportedType?types=JPEG%2C+PNG%2C+WebP' },
    })
    // A PDF is a fine file, but not a case image.
    const pdf = await upload(w.verifiedCase, w.owner.cookie, { name: 'scan.jpg', bytes: PDF, type: 'image/jpeg' })
    expect(pdf.status).toBe(415)
  })

  it('stores a PNG named .html as image/png, with the name made to say so', async () => {
    const bytes = await png(300, 200)
    const outcome = await upload(w.verifiedCase, w.owner.cookie, { name: 'page.html', bytes, type: 'text/html' })
    expect(outcome.status).toBe(200)
    const [file] = (JSON.parse(outcome.body) as { files: { id: number; name: string; mime: string }[] }).files
    expect(file).toMatchObject({ mime: 'image/png', name: 'page.html.png' })
    const served = await fetchFile(fileRoute, file!.id, null)
    expect(served.headers.get('Content-Type')).toBe('image/png')
  })

  it('cleans names that look like paths or hide characters', async () => {
    const bytes = await png(30, 30)
    const outcome = await upload(w.verifiedCase, w.owner.cookie, [
      { name: '../../etc/passwd.png', bytes },
      { name: '..\\..\\windows\\报告\u202Egnp.exe', bytes },
      { name: '.hidden\u0000\u0007.png', bytes },
    ])
    expect(outcome.status).toBe(200)
    const names = (JSON.parse(outcome.body) as { files: { name: string }[] }).files.map((f) => f.name)
    expect(names).toEqual(['passwd.png', '报告gnp.exe.png', 'hidden.png'])
  })

  it('removes the metadata of a photo (GPS, camera) but keeps its orientation, losslessly', async () => {
    const bytes = await jpeg(400, 300, { exif: true, orientation: 6 })
    expect((await sharp(bytes).metadata()).exif).toBeDefined()
    const prepared = await prepareUpload('case_image', { name: 'gps.jpg', bytes })
    const meta = await sharp(prepared.bytes).metadata()
    expect(meta.orientation).toBe(6)
    expect(Buffer.from(meta.exif ?? []).includes('PhoneCo')).toBe(false)
    expect(Buffer.from(prepared.bytes).includes('GPS 32.39N')).toBe(false)
    // Upright: turned a quarter, 300 wide and 400 high.
    expect([prepared.width, prepared.height]).toEqual([300, 400])
    // The image data itself is untouched: the same pixels.
    const [a, b] = await Promise.all([sharp(bytes).raw().toBuffer(), sharp(prepared.bytes).raw().toBuffer()])
    expect(a.equals(b)).toBe(true)
  })

  it('refuses an image that would decode into too many pixels (413), from its header alone', async () => {
    // A PNG whose header claims 20000 × 20000 (400 megapixels) in a few dozen bytes.
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
      const out = Buffer.alloc(12 + data.length)
      out.writeUInt32BE(data.length, 0)
      body.copy(out, 4)
      out.writeUInt32BE(zlib.crc32(body), 8 + data.length)
      return out
    }
    const ihdr = Buffer.alloc(13)
    ihdr.writeUInt32BE(20_000, 0)
    ihdr.writeUInt32BE(20_000, 4)
    ihdr.set([8, 2, 0, 0, 0], 8)
    const bomb = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', zlib.deflateSync(Buffer.alloc(1024))),
      chunk('IEND', Buffer.alloc(0)),
    ])
    await expect(prepareUpload('case_image', { name: 'bomb.png', bytes: bomb, field: 'images' })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      key: 'files.e.imagePixels',
      fieldErrors: { images: 'files.e.imagePixels' },
    })
  })

  it('removes the metadata of a WebP without re-encoding it', async () => {
    const bytes = new Uint8Array(
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
        .webp({ lossless: true })
        .withMetadata({ exif: { IFD0: { Make: 'PhoneCo', Copyright: 'GPS 32.39N 119.42E' } } })
        .toBuffer(),
    )
    expect((await sharp(bytes).metadata()).exif).toBeDefined()
    const prepared = await prepareUpload('case_image', { name: 'a.webp', bytes })
    expect(prepared.mime).toBe('image/webp')
    expect((await sharp(prepared.bytes).metadata()).exif).toBeUndefined()
    expect(Buffer.from(prepared.bytes).includes('PhoneCo')).toBe(false)
    const [a, b] = await Promise.all([sharp(bytes).raw().toBuffer(), sharp(prepared.bytes).raw().toBuffer()])
    expect(a.equals(b)).toBe(true)
  })

  it('refuses an upload without a session, or to another organisation', async () => {
    const bytes = await png(10, 10)
    expect((await upload(w.verifiedCase, null, { name: 'a.png', bytes })).status).toBe(302)
    expect((await upload(w.verifiedCase, w.pendingOwner.cookie, { name: 'a.png', bytes })).status).toBe(403)
  })
})

describe('GET /files/:id', () => {
  let caseImage: number
  let pendingImage: number
  let scan: number

  beforeAll(async () => {
    const { db, storage } = services()
    const attach = (actor: Actor, input: Parameters<typeof attachFile>[3]) =>
      withTransaction(db, (trx) => attachFile(trx, storage, actor, input))
    caseImage = (
      await attach(w.owner.actor, {
        purpose: 'case_image',
        orgId: w.provider,
        objectType: 'provider_case',
        objectId: w.verifiedCase,
        file: { name: '产线 "改造" 前后.png', bytes: await png(800, 600) },
      })
    ).id
    pendingImage = (
      await attach(w.pendingOwner.actor, {
        purpose: 'case_image',
        orgId: w.pendingProvider,
        objectType: 'provider_case',
        objectId: w.pendingCase,
        file: { name: 'pending.png', bytes: await png(100, 100) },
      })
    ).id
    scan = (
      await attach(w.owner.actor, {
        purpose: 'qualification_scan',
        orgId: w.provider,
        objectType: 'provider_qualification',
        objectId: w.qualification,
        file: { name: '资质证书（2026）.pdf', bytes: PDF },
      })
    ).id
  })

  it("serves a verified provider's case image to anyone, inline, with safe headers and browser caching", async () => {
    const res = await fetchFile(fileRoute, caseImage, null)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('image/png')
    // The name as stored ("" are among the characters file systems refuse), an ASCII
    // fallback, and the real name by RFC 5987.
    expect(res.headers.get('Content-Disposition')).toBe(
      `inline; filename="__ ____ __.png"; filename*=UTF-8''%E4%BA%A7%E7%BA%BF%20_%E6%94%B9%E9%80%A0_%20%E5%89%8D%E5%90%8E.png`,
    )
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'")
    expect(res.headers.get('Content-Security-Policy')).toContain('sandbox')
    expect(res.headers.get('Cache-Control')).toBe('private, max-age=3600')
    const etag = res.headers.get('ETag')
    expect(etag).toMatch(/^"o-[0-9a-f]{32}"$/)
    const again = await fetchFile(fileRoute, caseImage, w.stranger, { 'If-None-Match': etag! })
    expect(again.status).toBe(304)
    expect(again.bytes.byteLength).toBe(0)
  })

  it('keeps the case images of a provider not (or no longer) verified to its own members', async () => {
    expect((await fetchFile(fileRoute, pendingImage, null)).status).toBe(404)
    expect((await fetchFile(fileRoute, pendingImage, w.stranger)).status).toBe(404)
    expect((await fetchFile(fileRoute, pendingImage, w.owner.cookie)).status).toBe(404)
    const own = await fetchFile(fileRoute, pendingImage, w.pendingOwner.cookie)
    expect(own.status).toBe(200)
    expect(own.headers.get('Cache-Control')).toBe('private, no-store')
    expect((await fetchFile(previewRoute, pendingImage, w.stranger)).status).toBe(404)
  })

  it('serves a qualification scan to its organisation and the agencies over its region only, as a download', async () => {
    const unknown = await fetchFile(fileRoute, 2_000_000_000, null)
    expect(unknown.status).toBe(404)
    for (const [who, cookie] of [
      ['anonymous', null],
      ['stranger', w.stranger],
      ['agency of another province', w.agencyOther],
      ['provider of the same city', w.pendingOwner.cookie],
    ] as const) {
      const res = await fetchFile(fileRoute, scan, cookie)
      expect(res.status, who).toBe(404)
      // The same answer as for an id that does not exist: nothing tells them it does.
      expect(Buffer.from(res.bytes).toString(), who).toBe(Buffer.from(unknown.bytes).toString())
      expect(res.headers.get('Cache-Control'), who).toBe('no-store')
    }
    for (const [who, cookie] of [
      ['owner', w.owner.cookie],
      ['agency of the city', w.agencyRegion],
      ["agency's viewer", w.agencyRegionViewer],
    ] as const) {
      const res = await fetchFile(fileRoute, scan, cookie)
      expect(res.status, who).toBe(200)
      expect(res.headers.get('Content-Type'), who).toBe('application/pdf')
      expect(res.headers.get('Content-Disposition'), who).toBe(
        `attachment; filename="_____2026_.pdf"; filename*=UTF-8''%E8%B5%84%E8%B4%A8%E8%AF%81%E4%B9%A6%EF%BC%882026%EF%BC%89.pdf`,
      )
      expect(res.headers.get('X-Content-Type-Options'), who).toBe('nosniff')
      expect(res.headers.get('Cache-Control'), who).toBe('private, no-store')
      expect(Buffer.from(res.bytes).equals(Buffer.from(PDF)), who).toBe(true)
    }
    // A document has no preview.
    expect((await fetchFile(previewRoute, scan, w.owner.cookie)).status).toBe(404)
  })

  it('answers 404 to ids that are not ids', async () => {
    for (const id of ['0', '-1', 'abc', '1e3', '../1']) {
      expect((await fetchFile(fileRoute, id, w.owner.cookie)).status, id).toBe(404)
    }
  })

  it('lists an object’s files and follows a rule registered later', async () => {
    const { db } = services()
    const listed = await listFiles(db, 'provider_case', [w.verifiedCase, w.pendingCase, 999_999])
    expect(listed.get(w.pendingCase)?.map((f) => f.id)).toEqual([pendingImage])
    expect(listed.get(w.verifiedCase)?.some((f) => f.id === caseImage)).toBe(true)
    expect(listed.has(999_999)).toBe(false)
    expect(await countFiles(db, 'provider_case', w.pendingCase)).toBe(1)
    registerFileAccess('provider_case', async () => false)
    try {
      expect((await fetchFile(fileRoute, caseImage, null)).status).toBe(404)
    } finally {
      const { providerCaseFiles } = await import('../../app/domain/files/access.server.js')
      registerFileAccess('provider_case', providerCaseFiles)
    }
    expect((await fetchFile(fileRoute, caseImage, null)).status).toBe(200)
  })
})

describe('bytes and rows stay together', () => {
  const dir = path.join(TMP_DIR, `uploads-${crypto.randomUUID()}`)
  const storage = createFileStorage(dir)
  const stored = () =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => e.name)
      : []
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  const input = async () => ({
    purpose: 'case_image' as const,
    orgId: w.provider,
    objectType: 'provider_case',
    objectId: w.verifiedCase,
    file: { name: 'x.png', bytes: await png(700, 700) },
  })

  it('deletes what a failed transaction stored', async () => {
    const { db } = services()
    const before = await countFiles(db, 'provider_case', w.verifiedCase)
    const failed = withTransaction(db, async (trx) => {
      await attachFile(trx, storage, w.owner.actor, await input())
      expect(stored()).toHaveLength(2) // the image and its preview
      throw new Error('the use case failed after attaching')
    })
    await expect(failed).rejects.toThrow('the use case failed after attaching')
    expect(stored()).toEqual([])
    expect(await countFiles(db, 'provider_case', w.verifiedCase)).toBe(before)
  })

  it('deletes what it stored when its own insert fails, even if the caller goes on', async () => {
    const { db } = services()
    // An actor whose user does not exist: the row's created_by breaks its foreign key.
    const ghost: Actor = { ...w.owner.actor, userId: 2_000_000_000 }
    await withTransaction(db, async (trx) => {
      await expect(attachFile(trx, storage, ghost, await input())).rejects.toThrow()
      expect(stored()).toEqual([])
    }).catch(() => undefined) // PostgreSQL aborts the transaction after the failed insert
    expect(stored()).toEqual([])
  })

  it('refuses to attach for an organisation the actor does not act for', async () => {
    const { db } = services()
    await expect(
      withTransaction(db, async (trx) =>
        attachFile(trx, storage, w.owner.actor, { ...(await input()), orgId: w.pendingProvider }),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(stored()).toEqual([])
  })

  it('deletes the bytes of a removed file once the removal has committed', async () => {
    const { db } = services()
    const file = await withTransaction(db, async (trx) => attachFile(trx, storage, w.owner.actor, await input()))
    expect(stored()).toHaveLength(2)
    // Another object's id: not found, nothing removed.
    await expect(
      withTransaction(db, (trx) =>
        deleteFile(trx, storage, w.owner.actor, file.id, { objectType: 'provider_case', objectId: w.pendingCase }),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // Rolled back: row and bytes stay.
    await expect(
      withTransaction(db, async (trx) => {
        await deleteFile(trx, storage, w.owner.actor, file.id, { objectType: 'provider_case', objectId: w.verifiedCase })
        throw new Error('changed its mind')
      }),
    ).rejects.toThrow('changed its mind')
    expect(stored()).toHaveLength(2)
    await withTransaction(db, (trx) =>
      deleteFile(trx, storage, w.owner.actor, file.id, { objectType: 'provider_case', objectId: w.verifiedCase }),
    )
    expect(stored()).toEqual([])
    expect(await db.selectFrom('files').select('id').where('id', '=', file.id).executeTakeFirst()).toBeUndefined()
  })

  it('deletes every file of an object that goes', async () => {
    const { db } = services()
    const caseId = await insertCase(w.provider)
    await withTransaction(db, async (trx) => {
      for (let i = 0; i < 2; i++) await attachFile(trx, storage, w.owner.actor, { ...(await input()), objectId: caseId })
    })
    expect(stored()).toHaveLength(4)
    await withTransaction(db, async (trx) => {
      await deleteFilesOf(trx, storage, 'provider_case', caseId)
      await trx.deleteFrom('provider_cases').where('id', '=', caseId).execute()
    })
    expect(stored()).toEqual([])
    expect(await countFiles(db, 'provider_case', caseId)).toBe(0)
  })

  it('needs a transaction opened by withTransaction', async () => {
    const { db } = services()
    await expect(db.transaction().execute(async (trx) => attachFile(trx, storage, w.owner.actor, await input()))).rejects.toThrow(
      'transactionHooks',
    )
    expect(stored()).toEqual([])
  })
})
