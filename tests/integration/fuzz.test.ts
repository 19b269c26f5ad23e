/**
 * Property-based fuzzing of the whole HTTP surface (issue 7): generated requests over
 * every route (read from app/routes, so new routes are fuzzed as they appear), method and
 * role, with hostile paths, queries, headers, content types, bodies, Unicode and sizes,
 * sent as raw bytes over TCP to the real server (app/server.ts + the Remix build) started
 * in this process against this file's scratch database.
 *
 * What must hold for every request:
 * - the answer is never 5xx, and it arrives (no reset, no hang);
 * - an HTML page never carries a payload unescaped, nor a 0x00 byte;
 * - a redirect never leaves the site;
 * - the keep-alive connection stays usable: a GET /healthz sent after the answer on the
 *   same connection is answered (unless the server said Connection: close).
 *
 * CI runs FUZZ_RUNS (default 2000) requests with a fixed FUZZ_SEED; a larger opt-in run:
 *   FUZZ_RUNS=20000 npx vitest run tests/integration/fuzz.test.ts
 * prints a summary of statuses and latencies (FUZZ_KEEP_GOING=1 counts every failure
 * instead of stopping at the first; FUZZ_SHRINK=1 shrinks the first to a minimal request).
 *
 * Why over HTTP and not through the route modules: half of what went wrong (Host
 * headers, body size, content types, keep-alive, NUL bytes from the stream renderer)
 * lives in Express and the renderer, which a direct call to a loader never reaches.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { enqueueNeedChange, ensureNeedsIndex } from '../../app/domain/needs/search-index.server.js'
import { services } from '../../app/web/services.server.js'
import { withTransaction } from '../../db/transaction.js'
import { addMember, insertNeed, insertOrg, insertUser, signIn, TEST_PASSWORD } from '../support/factories.js'
import { exchange, header, rawRequest, type RawResponse } from '../support/raw-http.js'
import { startServer, type TestServer } from '../support/server.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000)
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_702)
/** FUZZ_KEEP_GOING=1 counts every failing request instead of stopping at the first (a survey). */
const KEEP_GOING = process.env.FUZZ_KEEP_GOING === '1'
const ROOT = path.resolve(import.meta.dirname, '../..')
const db = () => services().db

/** `/needs/$id` style templates from the flat route files: `needs.$id.tsx` → `/needs/$id`. */
function routeTemplates(): string[] {
  const files = fs.readdirSync(path.join(ROOT, 'app/routes')).filter((f) => /\.[jt]sx?$/.test(f) && !f.includes('.test.'))
  const templates = files.map((file) => {
    const segments = file.replace(/\.[jt]sx?$/, '').match(/(?:\[[^\]]*\]|[^.[])+/g) ?? []
    const kept = segments
      .map((s) => s.replace(/\[([^\]]*)\]/g, '$1'))
      .filter((s) => s !== '_index' && !s.startsWith('_'))
      .map((s) => s.replace(/_$/, ''))
    return `/${kept.join('/')}`
  })
  return [...new Set(templates)].sort()
}

/** Every field name a form of ours uses, and every fixed value (intents, languages). */
function formVocabulary(): { names: string[]; values: string[] } {
  const names = new Set<string>(['redirectTo', 'website'])
  const values = new Set<string>()
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/\.tsx$/.test(entry.name)) {
        const source = fs.readFileSync(full, 'utf8')
        for (const m of source.matchAll(/name="([^"]+)"/g)) if (m[1] !== 'viewport') names.add(m[1]!)
        for (const m of source.matchAll(/value="([A-Za-z_.-]+)"/g)) values.add(m[1]!)
      }
    }
  }
  walk(path.join(ROOT, 'app'))
  return { names: [...names].sort(), values: [...values].sort() }
}

type Role = 'anonymous' | 'noOrg' | 'owner' | 'member' | 'provider' | 'pending' | 'cityAgency' | 'provinceAgency'
const sessions: Record<Role, string[]> = {
  anonymous: [''],
  noOrg: [],
  owner: [],
  member: [],
  provider: [],
  pending: [],
  cityAgency: [],
  provinceAgency: [],
}
const ids = { needs: [] as number[], orgs: [] as number[], users: [] as number[] }
const logins: string[] = []
/** Stands for a real account's login in generated bodies; replaced when the request is sent. */
const LOGIN = 'fzLOGINfz'
let plain: TestServer
let proxied: TestServer

beforeAll(async () => {
  await ensureNeedsIndex(services().search)
  const enterprise = await insertOrg(db(), { name: '扬州恒鑫精密机械有限公司' })
  const provider = await insertOrg(db(), { kind: 'provider', name: '江苏智造服务有限公司', region: '320100' })
  const pending = await insertOrg(db(), { name: '待审核企业', status: 'pending' })
  const rejected = await insertOrg(db(), { name: '被驳回企业', status: 'rejected' })
  const city = await insertOrg(db(), { kind: 'agency', name: '扬州市工业和信息化局', region: '321000' })
  const province = await insertOrg(db(), {
    kind: 'agency',
    name: '江苏省工业和信息化厅',
    region: '320000',
    agencyLevel: 'province',
  })
  ids.orgs.push(enterprise, provider, pending, rejected, city, province)
  const roleOrg: [Role, number | null, 'owner' | 'member'][] = [
    ['noOrg', null, 'owner'],
    ['owner', enterprise, 'owner'],
    ['member', enterprise, 'member'],
    ['provider', provider, 'owner'],
    ['pending', pending, 'owner'],
    ['cityAgency', city, 'owner'],
    ['provinceAgency', province, 'owner'],
  ]
  for (const [role, org, membership] of roleOrg) {
    const user = await insertUser(db(), { name: `模糊测试${role}` })
    ids.users.push(user.id)
    logins.push(user.login)
    if (org) await addMember(db(), user.id, org, membership)
    // Several sessions each: a fuzzed /logout or "end other sessions" ends some.
    for (let i = 0; i < 6; i += 1) sessions[role].push((await signIn(db(), user.id, org)).cookie)
  }
  for (let i = 0; i < 12; i += 1) {
    ids.needs.push(
      await insertNeed(db(), i % 2 ? enterprise : pending, {
        title: `机器视觉焊缝检测需求${i}<fz-seed>`,
        description: '焊接工序依赖人工目检，漏检率高。'.repeat(1 + (i % 4)),
        visibility: i % 3 === 0 ? 'verified_providers' : 'public',
      }),
    )
  }
  await withTransaction(db(), async (trx, afterCommit) => {
    for (const id of ids.needs) await enqueueNeedChange(trx, afterCommit, id)
  })
  plain = await startServer()
  proxied = await startServer({ env: { TRUST_PROXY: '1' } })
}, 180_000)

afterAll(async () => {
  await plain?.close()
  await proxied?.close()
})

// ---------------------------------------------------------------- generators

/** Marked payloads: if any of these appears verbatim in a page, something was not escaped. */
const PAYLOADS = [
  '<fz-x>',
  '"><fz-x a=1>',
  "'><fz-x>",
  '</script><fz-x>',
  '</textarea><fz-x>',
  '<!--<fz-x>-->',
  '{{<fz-x>}}',
  '<svg/onload=fz>',
  'javascript:fz()',
]
const UNSAFE_IN_HTML = ['<fz-', '<svg/onload=fz', 'href="javascript:', "href='javascript:"]

const hostile = fc.oneof(
  fc.constantFrom(...PAYLOADS),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e3',
    '0x10',
    '9'.repeat(30),
    'NaN',
    'null',
    'undefined',
    'true',
    '[]',
    '{}',
    "' OR 1=1 --",
    '"; DROP TABLE users; --',
    'MATCH * NEAR(',
    '视觉 OR 检测',
    '\u0000',
    '\r\nX-Injected: 1',
    '/%0d%0aX:1',
    '/%09/evil.example',
    '//evil.example',
    '/\\evil.example',
    'https://evil.example',
    '../../etc/passwd',
    '%',
    '%E0%A4%A',
    '%00',
    '\uFEFF',
    '\u202E',
    '\uD800',
    '𠀀𪚥',
    'Ω≈ç√',
    'ｆｕｌｌｗｉｄｔｈ',
    '13900000001',
    'a@b.example',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'智改数转供需对接视觉检测企业服务商主管部门'), maxLength: 60 }),
  fc.integer({ min: -5, max: 100_000 }).map(String),
  fc.nat({ max: 5_000 }).map((n) => 'x'.repeat(n)),
)

const templates = routeTemplates()
const vocabulary = formVocabulary()

const paramValue = fc.oneof(fc.constantFrom(...['1', '2', '3', '999999', '0']), fc.nat({ max: 40 }).map(String), hostile)

/** encodeURIComponent for any string: a lone surrogate goes out as U+FFFD, as a browser would send it. */
const enc = (value: string) => encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'))

function fillTemplate(template: string, values: string[]): string {
  let i = 0
  return template
    .split('/')
    .map((segment) => (segment.startsWith('$') ? enc(values[i++] ?? '1') : segment))
    .join('/')
}

const pathArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.constantFrom(...templates), fc.array(paramValue, { minLength: 2, maxLength: 2 }))
      .map(([t, v]) => fillTemplate(t, v)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/does-not-exist',
      '/build/nope.js',
      '/needs/',
      '//needs',
      '/needs/../org',
      '/%2e%2e/org',
      '/%ff',
      '/needs%00',
      '/.env',
      '/favicon.ico',
    ),
  },
  { weight: 1, arbitrary: hostile.map((h) => `/${enc(h)}`) },
)

const queryArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.constantFrom(
            'q',
            'page',
            'sort',
            'region',
            'industry',
            'status',
            'redirectTo',
            'parent',
            'index',
            'kind',
            'level',
            'budgetMin',
            'scenario',
          ),
          hostile,
        ),
        {
          maxLength: 5,
        },
      )
      .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${enc(v)}`).join('&')}`),
  },
  // Remix data requests, as client-side navigation sends them.
  {
    weight: 1,
    arbitrary: fc.constantFrom(...templates).map((t) => `?_data=${enc(`routes${t.replace(/\//g, '.') || '._index'}`)}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('?index', '?_data=root', '?_data=', '?%', '?a=%E0%A4%A', `?q=${'%E8%A7%86'.repeat(300)}`),
  },
)

const formFields = fc.array(
  fc.tuple(
    fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...vocabulary.names) }, { weight: 1, arbitrary: hostile }),
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...vocabulary.values, LOGIN, TEST_PASSWORD, 'en', 'zh-CN', '321000', '1', '2') },
      { weight: 3, arbitrary: hostile },
    ),
  ),
  { maxLength: 12 },
)

interface Body {
  contentType: string | null
  bytes: Buffer
  /** Over the 1 MiB limit on purpose: 413, and the server may close before reading it all. */
  oversized: boolean
}

const urlencoded = (fields: [string, string][]) => fields.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')

function multipart(fields: [string, string][], boundary: string): string {
  const parts = fields.map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/["\r\n]/g, '')}"\r\n\r\n${v}\r\n`,
  )
  return `${parts.join('')}--${boundary}--\r\n`
}

const bodyArb: fc.Arbitrary<Body> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ contentType: null, bytes: Buffer.alloc(0), oversized: false }) },
  {
    weight: 6,
    arbitrary: formFields.map((f) => ({
      contentType: 'application/x-www-form-urlencoded',
      bytes: Buffer.from(urlencoded(f)),
      oversized: false,
    })),
  },
  {
    weight: 2,
    arbitrary: formFields.map((f) => ({
      contentType: 'multipart/form-data; boundary=fzB0undary',
      bytes: Buffer.from(multipart(f, 'fzB0undary')),
      oversized: false,
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'multipart/form-data',
          'multipart/form-data; boundary=',
          'multipart/form-data; boundary=zz',
          'multipart/mixed; boundary=zz',
        ),
        fc.string({ unit: 'binary', maxLength: 200 }),
      )
      .map(([t, s]) => ({
        contentType: t,
        bytes: Buffer.from(`--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\n${s}`),
        oversized: false,
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('application/json', 'text/plain', 'application/xml', 'application/octet-stream', 'x', ''),
        formFields,
      )
      .map(([t, f]) => ({
        contentType: t,
        bytes: Buffer.from(JSON.stringify(Object.fromEntries(f))),
        oversized: false,
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 2_000 })
      .map((b) => ({ contentType: 'application/x-www-form-urlencoded', bytes: Buffer.from(b), oversized: false })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 900, max: 1_400 }).map((fields) => ({
      contentType: 'application/x-www-form-urlencoded',
      bytes: Buffer.from(Array.from({ length: fields }, (_, i) => `f${i}=1`).join('&')),
      oversized: false,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1024 * 1024 - 64, max: 1024 * 1024 + 64 }).map((size) => ({
      contentType: 'application/x-www-form-urlencoded',
      bytes: Buffer.alloc(size, 'a'),
      oversized: size > 1024 * 1024,
    })),
  },
)

const hostHeader = fc.oneof(
  { weight: 12, arbitrary: fc.constant('SELF') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'localhost',
      'LOCALHOST:80',
      '[::1]:1',
      'evil.example',
      'a b',
      'a@b',
      'x/y',
      'h:99999',
      'h:p',
      '',
      '\u00e4.example',
      '%41',
    ),
  },
)
const originHeader = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.constant('SELF') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'null',
      'http://evil.example',
      'https://127.0.0.1',
      'garbage',
      'http://[::1',
      'http://127.0.0.1:1',
    ),
  },
)
const forwardedHost = fc.oneof(
  { weight: 8, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom('SELF', 'evil.example', 'a b', 'SELF, evil.example', 'evil.example, SELF', '') },
)

const roles = Object.keys(sessions) as Role[]
const requestArb = fc.record({
  method: fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom('GET', 'POST') },
    { weight: 2, arbitrary: fc.constantFrom('HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
  ),
  path: pathArb,
  query: queryArb,
  role: fc.constantFrom(...roles),
  session: fc.nat(),
  extraCookie: fc.oneof(
    { weight: 6, arbitrary: fc.constant('') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'lang=en',
        'lang=garbage',
        'lang=%E0',
        'duijie_flash=eyJrZXkiOiJhdXRoLmxvZ2dlZE91dCJ9',
        'duijie_flash=!!!',
        'duijie_sid=forged',
        'duijie_sid=',
        '__Host-duijie_sid=x',
      ),
    },
  ),
  host: hostHeader,
  origin: originHeader,
  forwarded: forwardedHost,
  forwardedFor: fc.oneof(fc.constant(null), fc.constantFrom('203.0.113.9', 'garbage', '::1, 10.0.0.1', ''), fc.ipV4()),
  userAgent: fc.oneof(
    fc.constant('fuzz'),
    fc.constant('Googlebot/2.1 (+http://www.google.com/bot.html)'),
    hostile.map((h) => h.replace(/[\r\n\0]/g, '')),
  ),
  accept: fc.constantFrom('text/html', 'application/json', '*/*', ''),
  referer: fc.option(fc.constantFrom(...PAYLOADS), { nil: null }),
  body: bodyArb,
  proxied: fc.boolean(),
})

type GeneratedRequest = typeof requestArb extends fc.Arbitrary<infer T> ? T : never

// ---------------------------------------------------------------- the property

interface Stats {
  total: number
  byStatus: Map<number, number>
  latencies: number[]
  failures: string[]
}
const stats: Stats = { total: 0, byStatus: new Map(), latencies: [], failures: [] }

/** Header values must be latin1 without CR/LF for the request to be one HTTP request at all. */
const headerSafe = (value: string) =>
  Buffer.from(value, 'utf8')
    .toString('latin1')
    .replace(/[\r\n\0]/g, '')

function build(request: GeneratedRequest, server: TestServer): { bytes: Buffer[]; method: string; target: string } {
  const self = `127.0.0.1:${server.port}`
  const target = `${request.path}${request.query}`
  const headers: Record<string, string> = {}
  headers.Host = request.host === 'SELF' ? self : headerSafe(request.host)
  if (request.origin) headers.Origin = request.origin === 'SELF' ? `http://${self}` : request.origin
  if (request.forwarded !== null) headers['X-Forwarded-Host'] = headerSafe(request.forwarded.replace(/SELF/g, self))
  if (request.forwardedFor !== null) headers['X-Forwarded-For'] = request.forwardedFor
  const pool = sessions[request.role]
  const cookie = [pool[request.session % pool.length] ?? '', request.extraCookie].filter(Boolean).join('; ')
  if (cookie) headers.Cookie = cookie
  headers['User-Agent'] = headerSafe(request.userAgent)
  if (request.accept) headers.Accept = request.accept
  if (request.referer) headers.Referer = headerSafe(request.referer)
  const hasBody =
    request.method !== 'GET' && request.method !== 'HEAD'
      ? request.body.bytes.length > 0 || request.body.contentType !== null
      : false
  if (hasBody && request.body.contentType !== null) headers['Content-Type'] = request.body.contentType
  const body =
    hasBody && request.body.bytes.includes(LOGIN)
      ? Buffer.from(request.body.bytes.toString('latin1').replaceAll(LOGIN, logins[request.session % logins.length]!), 'latin1')
      : request.body.bytes
  const head = rawRequest(request.method, target, headers, hasBody ? body : undefined)
  return { bytes: [head], method: request.method, target }
}

function check(
  request: GeneratedRequest,
  server: TestServer,
  response: RawResponse | undefined,
  followUp: RawResponse | undefined,
  closed: boolean,
): string | null {
  const oversized = request.body.oversized && request.method !== 'GET' && request.method !== 'HEAD'
  if (!response) return oversized && closed ? null : 'no answer'
  if (response.status >= 500) return `status ${response.status}: ${response.body.toString('utf8').slice(0, 300)}`
  const type = header(response, 'content-type') ?? ''
  if (type.includes('text/html')) {
    const html = response.body.toString('utf8')
    const leak = UNSAFE_IN_HTML.find((marker) => html.includes(marker))
    if (leak)
      return `unescaped ${leak} in the page: …${html.slice(Math.max(0, html.indexOf(leak) - 120), html.indexOf(leak) + 60)}…`
    if (response.body.includes(0)) return '0x00 byte in the page'
  }
  const location = header(response, 'location')
  if (location !== undefined && response.status >= 300 && response.status < 400) {
    let target: URL
    try {
      target = new URL(location, server.origin)
    } catch {
      return `unparseable Location ${JSON.stringify(location)}`
    }
    if (target.origin !== server.origin || /^\/\/|^\/\\|[\t\r\n]/.test(location))
      return `redirect off the site: ${JSON.stringify(location)}`
  }
  const keptAlive = !/close/i.test(header(response, 'connection') ?? '')
  if (keptAlive && (!followUp || followUp.status !== 200))
    return `keep-alive connection unusable after the answer (follow-up: ${followUp?.status ?? 'none'})`
  return null
}

async function fire(request: GeneratedRequest): Promise<boolean> {
  const server = request.proxied ? proxied : plain
  const { bytes, method, target } = build(request, server)
  const followUp = rawRequest('GET', '/healthz', { Host: `127.0.0.1:${server.port}` })
  const started = Date.now()
  const { responses, closed } = await exchange(server.port, bytes, {
    methods: [method, 'GET'],
    afterFirst: followUp,
    timeoutMs: 15_000,
  })
  stats.total += 1
  stats.latencies.push(responses[0]?.at ?? Date.now() - started)
  const status = responses[0]?.status ?? 0
  stats.byStatus.set(status, (stats.byStatus.get(status) ?? 0) + 1)
  const problem = check(request, server, responses[0], responses[1], closed)
  if (problem) {
    stats.failures.push(
      `${method} ${target} as ${request.role} (${request.body.contentType ?? 'no body'}, ${request.body.bytes.length} B): ${problem}`,
    )
    return KEEP_GOING
  }
  return true
}

describe('fuzzing every route, method and role over HTTP', () => {
  it('reads the routes to fuzz from app/routes', () => {
    expect(templates).toEqual(
      expect.arrayContaining(['/', '/login', '/needs', '/needs/$id', '/agency/audits/$orgId', '/join/$code', '/favicon.ico']),
    )
    expect(vocabulary.names).toEqual(expect.arrayContaining(['login', 'password', 'redirectTo', 'lang', 'intent']))
  })

  it(
    `answers ${RUNS} generated requests without a 5xx, a leak, an off-site redirect or a stuck connection`,
    async () => {
      // React Router's development build (NODE_ENV=test) warns on every unmatched URL: thousands of lines.
      const warn = console.warn.bind(console)
      const quiet = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
        if (!String(args[0]).startsWith('No routes matched location')) warn(...args)
      })
      const started = Date.now()
      try {
        await fc.assert(fc.asyncProperty(requestArb, fire), {
          numRuns: RUNS,
          seed: SEED,
          endOnFailure: process.env.FUZZ_SHRINK !== '1',
        })
      } finally {
        quiet.mockRestore()
        const seconds = (Date.now() - started) / 1000
        const sorted = [...stats.latencies].sort((a, b) => a - b)
        const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
        const statuses = [...stats.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`)
        console.log(
          [
            `fuzz: ${stats.total} requests (seed ${SEED}) in ${seconds.toFixed(1)} s, ${stats.failures.length} failing`,
            `statuses: ${statuses.join(' ')}`,
            `latency ms: p50 ${pct(50)}, p95 ${pct(95)}, p99 ${pct(99)}, max ${sorted.at(-1) ?? 0}`,
            `routes: ${templates.join(' ')}`,
            ...stats.failures.slice(0, 10).map((f) => `  ✗ ${f}`),
          ].join('\n'),
        )
      }
      expect(stats.failures.slice(0, 10)).toEqual([])
    },
    Math.max(120_000, RUNS * 400),
  )
})
