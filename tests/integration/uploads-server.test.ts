/**
 * Uploads through the real server (app/server.ts: Express guards + the Remix build): the
 * larger body cap for upload routes only, and the headers of GET /files/:id as they
 * leave Express (whose no-store for signed-in visitors must not hide a public file's
 * caching, nor a private file's no-store be lost).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withTransaction } from '../../db/transaction.js'
import { actorFor } from '../../app/domain/accounts/actor.js'
import { attachFile } from '../../app/domain/files/files.server.js'
import { MiB } from '../../app/domain/files/purposes.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, signIn } from '../support/factories.js'
import { exchange, header, rawRequest } from '../support/raw-http.js'
import { startServer, type TestServer } from '../support/server.js'

let server: TestServer
const w = { cookie: '', image: 0, scan: 0 }

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

beforeAll(async () => {
  const { db, storage } = services()
  const provider = await insertOrg(db, { kind: 'provider', region: '321003' })
  const user = await insertUser(db)
  await addMember(db, user.id, provider)
  w.cookie = (await signIn(db, user.id, provider)).cookie
  const now = new Date().toISOString()
  const kase = await db
    .insertInto('provider_cases')
    .values({
      org_id: provider,
      title: '视觉检测案例',
      client_name: '某企业',
      industry_code: 'C36',
      year: 2025,
      summary: '案例',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const qualification = await db
    .insertInto('provider_qualifications')
    .values({ org_id: provider, name: 'ISO 9001', created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  const actor = actorFor(
    user.id,
    {
      orgId: provider,
      orgName: '服务商',
      kind: 'provider',
      status: 'verified',
      role: 'owner',
      membership: 'active',
      regionCode: '321003',
      agencyLevel: null,
    },
    '127.0.0.1',
    true,
  )
  await withTransaction(db, async (trx) => {
    w.image = (
      await attachFile(trx, storage, actor, {
        purpose: 'case_image',
        orgId: provider,
        objectType: 'provider_case',
        objectId: kase.id,
        file: { name: '现场.png', bytes: PNG_1X1 },
      })
    ).id
    w.scan = (
      await attachFile(trx, storage, actor, {
        purpose: 'qualification_scan',
        orgId: provider,
        objectType: 'provider_qualification',
        objectId: qualification.id,
        file: { name: '证书.pdf', bytes: PDF },
      })
    ).id
  })
  server = await startServer()
}, 180_000)

afterAll(async () => {
  await server?.close()
})

async function send(method: string, target: string, headers: Record<string, string> = {}, body?: Buffer) {
  const { responses, error } = await exchange(
    server.port,
    rawRequest(method, target, { Connection: 'close', ...headers }, body),
    {
      methods: [method],
      timeoutMs: 30_000,
    },
  )
  if (!responses[0]) throw new Error(`no response to ${method} ${target}${error ? `: ${error}` : ''}`)
  return responses[0]
}

/** A multipart body with one file part of `size` bytes (a PNG's signature, then zeros). */
function multipart(size: number): { body: Buffer; type: string } {
  const boundary = '----duijie-upload-test'
  const file = Buffer.alloc(size)
  PNG_1X1.copy(file)
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="images"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { body, type: `multipart/form-data; boundary=${boundary}` }
}

describe('body limits', () => {
  it('lets a 3 MiB multipart body through to an upload route, and refuses it anywhere else', async () => {
    const { body, type } = multipart(3 * MiB)
    const upload = await send('POST', '/provider/cases/new', { 'Content-Type': type, Cookie: w.cookie }, body)
    expect(upload.status).not.toBe(413)
    expect(upload.status).toBeLessThan(500)
    const elsewhere = await send('POST', '/org/edit', { 'Content-Type': type, Cookie: w.cookie }, body)
    expect(elsewhere.status).toBe(413)
    // The same size urlencoded to the upload route: a form without files keeps 1 MiB.
    const form = await send(
      'POST',
      '/provider/cases/new',
      { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: w.cookie },
      Buffer.from(`title=${'x'.repeat(3 * MiB)}`),
    )
    expect(form.status).toBe(413)
  })

  it("refuses a body over the route's cap from its Content-Length, before reading it", async () => {
    const { type } = multipart(0)
    const started = Date.now()
    const refused = await send('POST', '/provider/cases/new', {
      'Content-Type': type,
      'Content-Length': String(47 * MiB),
      Cookie: w.cookie,
    })
    expect(refused.status).toBe(413)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})

describe('GET /files/:id through the server', () => {
  it('keeps a public file cacheable in the browser for a signed-in visitor, with its safety headers', async () => {
    const res = await send('GET', `/files/${w.image}`, { Cookie: w.cookie })
    expect(res.status).toBe(200)
    expect(header(res, 'content-type')).toBe('image/png')
    expect(header(res, 'cache-control')).toBe('private, max-age=3600')
    expect(header(res, 'x-content-type-options')).toBe('nosniff')
    expect(header(res, 'content-security-policy')).toContain('sandbox')
    expect(header(res, 'content-disposition')).toBe(`inline; filename="__.png"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA.png`)
    expect(res.body.equals(PNG_1X1)).toBe(true)
    const head = await send('HEAD', `/files/${w.image}`)
    expect(head.status).toBe(200)
    expect(header(head, 'content-length')).toBe(String(PNG_1X1.length))
  })

  it('never lets a private file or a refusal be stored', async () => {
    const own = await send('GET', `/files/${w.scan}`, { Cookie: w.cookie })
    expect(own.status).toBe(200)
    expect(header(own, 'content-disposition')).toMatch(/^attachment; /)
    expect(header(own, 'cache-control')).toBe('private, no-store')
    const stranger = await send('GET', `/files/${w.scan}`)
    expect(stranger.status).toBe(404)
    expect(header(stranger, 'cache-control')).toBe('no-store')
  })
})
