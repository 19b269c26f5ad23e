/**
 * Issue 7's HTTP-level items, each against the real server (Express guards + the Remix
 * build) on an ephemeral port: open redirects, body size, headers and cookies, NUL
 * bytes in streamed pages, form parsing cost, malformed requests, and keep-alive
 * connections after unread bodies.
 */
import { spawnSync } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enqueueNeedChange, ensureNeedsIndex } from '../../app/domain/needs/search-index.server.js'
import { services } from '../../app/web/services.server.js'
import { withTransaction } from '../../db/transaction.js'
import { addMember, insertNeed, insertOrg, insertUser, signIn, TEST_PASSWORD } from '../support/factories.js'
import { exchange, header, rawRequest, type RawResponse } from '../support/raw-http.js'
import { startServer, type TestServer } from '../support/server.js'

const db = () => services().db
let server: TestServer
let production: TestServer
const cookies: Record<'owner' | 'agency', string> = { owner: '', agency: '' }
const needIds: number[] = []

// Long runs of Chinese in many small text nodes: the shape that made React 18 pad its
// 2 KiB chunks with 0x00 (react#31134).
const CHINESE = '智能制造数字化转型视觉检测设备联网能耗监测工业互联网平台质量追溯'

beforeAll(async () => {
  await ensureNeedsIndex(services().search)
  const org = await insertOrg(db(), { name: '扬州恒鑫精密机械有限公司' })
  const owner = await insertUser(db())
  await addMember(db(), owner.id, org)
  cookies.owner = (await signIn(db(), owner.id, org)).cookie
  const agency = await insertOrg(db(), { kind: 'agency', name: '扬州市工业和信息化局', region: '321000' })
  const official = await insertUser(db())
  await addMember(db(), official.id, agency)
  cookies.agency = (await signIn(db(), official.id, agency)).cookie
  for (let i = 0; i < 40; i += 1) {
    needIds.push(
      await insertNeed(db(), org, {
        title: `${'一'.repeat(i % 3)}${CHINESE.slice(i % 7, 20 + (i % 11))}需求${i}`,
        description: CHINESE.repeat(3 + (i % 5)).slice(i % 5),
      }),
    )
  }
  await withTransaction(db(), async (trx, afterCommit) => {
    for (const id of needIds) await enqueueNeedChange(trx, afterCommit, id)
  })
  server = await startServer()
  production = await startServer({ env: { NODE_ENV: 'production' } })
}, 180_000)

afterAll(async () => {
  await server?.close()
  await production?.close()
})

async function send(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
  on: TestServer = server,
): Promise<RawResponse> {
  const { responses, error } = await exchange(on.port, rawRequest(method, target, { Connection: 'close', ...headers }, body), {
    methods: [method],
  })
  if (!responses[0]) throw new Error(`no response to ${method} ${target}${error ? `: ${error}` : ''}`)
  return responses[0]
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }

async function sessionCount(userId: number): Promise<number> {
  const rows = await db().selectFrom('sessions').select('user_id').where('user_id', '=', userId).execute()
  return rows.length
}

describe('1. redirects stay on the site and never 500', () => {
  const hostile = ['/%09/evil.example', '/%5Cevil.example', '//evil.example', '/.//evil.example', 'https://evil.example/']

  it('GET /login, signed in: hostile redirectTo goes to the default', async () => {
    for (const to of hostile) {
      const response = await send('GET', `/login?redirectTo=${encodeURIComponent(to)}`, { Cookie: cookies.owner })
      expect(response.status, to).toBe(302)
      expect(header(response, 'location'), to).toBe('/org')
    }
  })

  it('GET /login, signed in: CR/LF and non-Latin-1 text are a redirect, not a 500', async () => {
    const crlf = await send('GET', '/login?redirectTo=/%0d%0aX:1', { Cookie: cookies.owner })
    expect(crlf.status).toBe(302)
    expect(header(crlf, 'location')).toBe('/org')
    expect(header(crlf, 'x')).toBeUndefined()
    const chinese = await send('GET', `/login?redirectTo=${encodeURIComponent('/needs?q=视觉')}`, { Cookie: cookies.owner })
    expect(chinese.status).toBe(302)
    expect(header(chinese, 'location')).toBe('/needs?q=%E8%A7%86%E8%A7%89')
    const raw = await send('GET', `/login?redirectTo=/需求`, { Cookie: cookies.owner })
    expect(raw.status).toBeLessThan(500)
  })

  it('GET /login, signed out: the page renders whatever redirectTo holds', async () => {
    for (const to of [...hostile, '/\r\nX:1', '/需求', '/\u0000']) {
      const response = await send('GET', `/login?redirectTo=${encodeURIComponent(to)}`)
      expect(response.status, JSON.stringify(to)).toBe(200)
    }
  })

  it('POST /login with a good password: a bad redirectTo goes to the default and leaves one session, no orphan', async () => {
    for (const to of ['/\r\nX:1', '/需求', '/%09/evil.example', '/\u00e9\u0100']) {
      const user = await insertUser(db())
      const before = await sessionCount(user.id)
      const response = await send('POST', '/login', FORM, form({ login: user.login, password: TEST_PASSWORD, redirectTo: to }))
      expect(response.status, JSON.stringify(to)).toBe(302)
      const location = header(response, 'location')!
      expect(new URL(location, server.origin).origin, JSON.stringify(to)).toBe(server.origin)
      expect(location.startsWith('//')).toBe(false)
      expect(response.headers['set-cookie']?.some((c) => c.startsWith('duijie_sid='))).toBe(true)
      expect(await sessionCount(user.id)).toBe(before + 1)
    }
  })

  it('POST /lang: CR/LF, backslashes and non-Latin-1 text are a redirect, not a 500', async () => {
    for (const [to, expected] of [
      ['/\r\nX:1', '/'],
      ['/%0d%0aX:1', '/'],
      ['/\\evil.example', '/'],
      ['/needs?q=视觉', '/needs?q=%E8%A7%86%E8%A7%89'],
      ['/needs', '/needs'],
    ] as const) {
      const response = await send('POST', '/lang', FORM, form({ lang: 'en', redirectTo: to }))
      expect(response.status, JSON.stringify(to)).toBe(302)
      expect(header(response, 'location'), JSON.stringify(to)).toBe(expected)
    }
  })
})

/** Streams `total` bytes of form body without holding them; stops when the server answers or hangs up. */
function postHuge(
  port: number,
  total: number,
  chunked: boolean,
): Promise<{ status: number | null; sent: number; peakRss: number }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunk = Buffer.alloc(64 * 1024, 'a=b&'.repeat(16 * 1024))
    let sent = 0
    let received = ''
    let peakRss = process.memoryUsage().rss
    let done = false
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
    }, 20)
    const finish = () => {
      if (done) return
      done = true
      clearInterval(sampler)
      socket.destroy()
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received)
      resolve({ status: match ? Number(match[1]) : null, sent, peakRss })
    }
    socket.on('data', (data) => {
      received += data.toString('latin1')
      if (received.includes('\r\n\r\n')) finish()
    })
    socket.on('error', finish)
    socket.on('close', finish)
    const pump = () => {
      while (!done && sent < total) {
        const piece = chunked
          ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
          : chunk
        sent += chunk.length
        if (!socket.write(piece)) {
          socket.once('drain', pump)
          return
        }
      }
      if (!done && chunked) socket.write('0\r\n\r\n')
    }
    socket.on('connect', () => {
      const length = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${total}`
      socket.write(
        `POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n${length}\r\n\r\n`,
      )
      pump()
    })
  })
}

describe('9. request size', () => {
  const SIXTY_MB = 60 * 1024 * 1024

  it.each([
    ['with Content-Length', false],
    ['chunked', true],
  ])('a 60 MB form body %s gets 413 without being buffered', async (_, chunked) => {
    global.gc?.()
    const before = process.memoryUsage().rss
    const { status, sent, peakRss } = await postHuge(server.port, SIXTY_MB, chunked)
    expect(status).toBe(413)
    // The answer comes long before the body could have been read whole.
    expect(sent).toBeLessThan(SIXTY_MB)
    expect(peakRss - before).toBeLessThan(40 * 1024 * 1024)
    // And the server is still there.
    expect((await send('GET', '/healthz')).status).toBe(200)
  })

  it('a body just under 1 MiB is read; one just over is 413', async () => {
    const under = await send('POST', '/login', FORM, `login=${'x'.repeat(1024 * 1024 - 20)}`)
    expect(under.status).toBe(400)
    const over = await send('POST', '/login', FORM, `login=${'x'.repeat(1024 * 1024)}`)
    expect(over.status).toBe(413)
  })
})

describe('10. headers and cookies', () => {
  it('sends HSTS in production only', async () => {
    expect(header(await send('GET', '/needs', {}, undefined, production), 'strict-transport-security')).toMatch(/max-age=\d{7,}/)
    expect(header(await send('GET', '/healthz', {}, undefined, production), 'strict-transport-security')).toMatch(/max-age/)
    expect(header(await send('GET', '/needs'), 'strict-transport-security')).toBeUndefined()
  })

  it('marks every private page, and every answer to a signed-in request, no-store', async () => {
    const privatePages = [
      '/account',
      '/org',
      '/org/edit',
      '/orgs/new',
      '/join',
      '/join/abc',
      '/agency/audits',
      '/agency/audit-log',
      `/agency/audits/1`,
      '/account/password',
      '/forgot',
      '/reset?token=abc',
      '/dev/mailbox',
    ]
    for (const page of privatePages) {
      for (const cookie of [cookies.owner, cookies.agency, undefined]) {
        const response = await send('GET', page, cookie ? { Cookie: cookie } : {})
        expect(header(response, 'cache-control'), `${page} ${cookie ? 'signed in' : 'anonymous'}`).toBe('no-store')
      }
    }
    for (const page of ['/', '/needs', `/needs/${needIds[0]}`, '/login']) {
      const response = await send('GET', page, { Cookie: cookies.owner })
      expect(header(response, 'cache-control'), page).toBe('no-store')
    }
    // A data request (client-side navigation) is the same page.
    expect(header(await send('GET', '/org?_data=routes%2Forg._index', { Cookie: cookies.owner }), 'cache-control')).toBe(
      'no-store',
    )
    // Public pages seen anonymously may be cached as before.
    expect(header(await send('GET', '/needs'), 'cache-control')).not.toBe('no-store')
    expect(header(await send('GET', '/api/regions?parent=320000'), 'cache-control')).toMatch(/public/)
  })

  it('makes the language and flash cookies Secure in production, unless INSECURE_COOKIES=1', () => {
    const script = `
      const { localeCookie } = await import('./app/i18n/locale.server.ts')
      const { setFlash } = await import('./app/utils/flash.server.ts')
      console.log(JSON.stringify([await localeCookie.serialize('en'), await setFlash({ key: 'auth.loggedOut' })]))`
    const run = (env: Record<string, string>) => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: { ...process.env, INSECURE_COOKIES: '', ...env },
        encoding: 'utf8',
      })
      expect(result.status, result.stderr).toBe(0)
      return JSON.parse(result.stdout.trim().split('\n').pop()!) as string[]
    }
    for (const cookie of run({ NODE_ENV: 'production' })) expect(cookie).toMatch(/; Secure/)
    for (const cookie of run({ NODE_ENV: 'production', INSECURE_COOKIES: '1' })) expect(cookie).not.toMatch(/Secure/)
    for (const cookie of run({ NODE_ENV: 'development' })) expect(cookie).not.toMatch(/Secure/)
  })
})

describe('11. no NUL bytes in pages', () => {
  it('streams pages full of Chinese without 0x00 or U+FFFD, as valid UTF-8', async () => {
    const pages = ['/', '/needs', '/needs?q=视觉', '/needs?page=2', `/needs/${needIds[3]}`, '/org', '/account']
    let scanned = 0
    for (const page of pages) {
      const response = await send('GET', encodeURI(page), { Cookie: cookies.owner })
      expect(response.status, page).toBe(200)
      expect(header(response, 'content-type')).toMatch(/text\/html/)
      expect(response.body.indexOf(0), `0x00 in ${page}`).toBe(-1)
      const text = new TextDecoder('utf-8', { fatal: true }).decode(response.body)
      expect(text.includes('\uFFFD'), `U+FFFD in ${page}`).toBe(false)
      scanned += response.body.length
    }
    // Enough Chinese went through the renderer for a 2 KiB boundary to land mid-character many times.
    expect(scanned).toBeGreaterThan(150_000)
    const list = (await send('GET', '/needs', {})).body.toString('utf8')
    expect(list).toContain(CHINESE.slice(0, 20))
  })
})

describe('13. form parsing cannot be turned into a weapon', () => {
  it('answers a 60 000-field POST with 413 fast, and /healthz meanwhile', async () => {
    const body = Array.from({ length: 60_000 }, (_, i) => `f${i}=1`).join('&')
    expect(body.length).toBeLessThan(1024 * 1024)
    const started = Date.now()
    const [big, health] = await Promise.all([send('POST', '/login', FORM, body), send('GET', '/healthz')])
    expect(big.status).toBe(413)
    expect(health.status).toBe(200)
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('counts multipart fields too', async () => {
    const boundary = 'fz'
    const parts = Array.from(
      { length: 1_200 },
      (_, i) => `--${boundary}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n1\r\n`,
    )
    const body = `${parts.join('')}--${boundary}--\r\n`
    const response = await send('POST', '/login', { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body)
    expect(response.status).toBe(413)
  })
})

describe('14. every malformed request is a 4xx', () => {
  it('refuses a JSON or text body to a form action with 415', async () => {
    for (const type of ['application/json', 'text/plain', 'application/xml', 'garbage']) {
      const response = await send('POST', '/login', { 'Content-Type': type }, '{"login":"x","password":"y"}')
      expect(response.status, type).toBe(415)
    }
    expect((await send('POST', '/login', {}, 'login=x')).status).toBe(415)
  })

  it('refuses a malformed multipart body with 400', async () => {
    const cases: [string, string][] = [
      ['multipart/form-data', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--'],
      ['multipart/form-data; boundary=x', 'not multipart at all'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated'],
    ]
    for (const [type, body] of cases) {
      const response = await send('POST', '/login', { 'Content-Type': type }, body)
      expect(response.status, body).toBe(400)
    }
  })

  it('reads a well-formed multipart form like any other', async () => {
    const body =
      '--x\r\nContent-Disposition: form-data; name="lang"\r\n\r\nen\r\n--x\r\nContent-Disposition: form-data; name="redirectTo"\r\n\r\n/needs\r\n--x--\r\n'
    const response = await send('POST', '/lang', { 'Content-Type': 'multipart/form-data; boundary=x' }, body)
    expect(response.status).toBe(302)
    expect(header(response, 'location')).toBe('/needs')
  })

  it('gives a body-less POST an empty form, not a crash', async () => {
    expect((await send('POST', '/login')).status).toBe(400)
    expect((await send('POST', '/logout')).status).toBe(302)
  })

  it('answers an invalid Host or X-Forwarded-Host with 400', async () => {
    for (const host of ['', 'exa mple.com', 'a@b', 'x/y', 'host:99999', 'host:port', '[::1', 'ex\u00e4mple.com', '%41.example']) {
      const response = await send('GET', '/needs', { Host: host })
      expect(response.status, JSON.stringify(host)).toBe(400)
    }
    for (const forwarded of ['exa mple.com', 'a@b', 'ok.example, bad host', 'x/y']) {
      const response = await send('GET', '/needs', { 'X-Forwarded-Host': forwarded })
      expect(response.status, forwarded).toBe(400)
    }
    expect((await send('GET', '/needs', { Host: 'LOCALHOST:3000' })).status).toBe(200)
    expect((await send('GET', '/needs', { Host: '[::1]:3000' })).status).toBe(200)
  })

  it('answers an absolute-form or asterisk request target with 400', async () => {
    expect((await send('GET', 'http://evil.example/needs')).status).toBe(400)
    expect((await send('OPTIONS', '*')).status).toBe(400)
  })

  it('refuses a POST whose X-Forwarded-Host does not match its Origin with 403', async () => {
    const response = await send(
      'POST',
      '/lang',
      { ...FORM, Origin: 'http://127.0.0.1', 'X-Forwarded-Host': 'evil.example' },
      form({ lang: 'en' }),
    )
    expect(response.status).toBe(403)
    const other = await send(
      'POST',
      '/lang',
      { ...FORM, Origin: 'http://evil.example', 'X-Forwarded-Host': 'evil.example' },
      form({ lang: 'en' }),
    )
    expect(other.status).toBe(403)
    const same = await send(
      'POST',
      '/lang',
      { ...FORM, Origin: 'http://127.0.0.1', 'X-Forwarded-Host': '127.0.0.1' },
      form({ lang: 'en' }),
    )
    expect(same.status).toBe(302)
  })
})

describe('15. unread bodies do not poison keep-alive connections', () => {
  const big = `a=${'x'.repeat(200 * 1024)}`
  const cases: [string, string, Record<string, string>][] = [
    ['a route without an action (405)', '/needs', {}],
    ['/logout', '/logout', {}],
    ['a private action, signed out (redirect to sign-in)', '/account', {}],
    ['a cross-site POST (403)', '/lang', { Origin: 'http://evil.example' }],
  ]
  it.each(cases)('answers the next request promptly after a 200 KB POST to %s', async (_, target, extra) => {
    const first = rawRequest('POST', target, { ...FORM, ...extra }, big)
    const second = rawRequest('GET', '/healthz')
    const { responses, timedOut } = await exchange(server.port, first, {
      methods: ['POST', 'GET'],
      afterFirst: second,
      timeoutMs: 5_000,
    })
    expect(timedOut).toBe(false)
    expect(responses.map((r) => r.status)[0]).toBeLessThan(500)
    expect(responses[1]?.status).toBe(200)
    expect(responses[1]!.at - responses[0]!.at).toBeLessThan(1_000)
  })

  it('closes the connection after refusing an oversized body, so nothing is left to misread', async () => {
    const first = rawRequest('POST', '/needs', { ...FORM, 'Content-Length': String(5 * 1024 * 1024) })
    const { responses, closed } = await exchange(server.port, [first, Buffer.alloc(256 * 1024, 'a')], {
      methods: ['POST'],
      count: 2,
      timeoutMs: 5_000,
    })
    expect(responses[0]?.status).toBe(413)
    expect(header(responses[0]!, 'connection')).toBe('close')
    expect(closed).toBe(true)
  })
})
