import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMeilisearchEngine } from '../../search/meilisearch-engine.js'

/**
 * No Meilisearch server is reachable here, so this checks the HTTP requests the
 * engine makes against a scripted fetch. The behaviour itself is covered by the
 * shared contract suite, which runs against a real server when MEILI_URL is set.
 */

interface Call {
  method: string
  path: string
  body: unknown
}

let calls: Call[]
let nextTask: number
let taskOutcome: Map<number, { status: string; error: { code: string; message: string } | null; type: string }>
let failNextWithCode: string | null
let searchResponse: unknown

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } })
}

function enqueue(type: string): Response {
  const uid = nextTask++
  const code = failNextWithCode
  failNextWithCode = null
  taskOutcome.set(uid, {
    type,
    status: code ? 'failed' : 'succeeded',
    error: code ? { code, message: `failed: ${code}` } : null,
  })
  return json({ taskUid: uid, indexUid: 'x', status: 'enqueued', type, enqueuedAt: new Date().toISOString() }, 202)
}

async function fakeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input.toString())
  const method = init?.method ?? 'GET'
  const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined
  const path = url.pathname
  calls.push({ method, path, body })
  const task = /^\/tasks\/(\d+)$/.exec(path)
  if (task) {
    const uid = Number(task[1])
    const outcome = taskOutcome.get(uid)
    if (!outcome) return json({ message: 'no task', code: 'task_not_found', type: 'invalid_request', link: '' }, 404)
    return json({
      uid,
      indexUid: 'x',
      batchUid: 0,
      canceledBy: null,
      duration: 'PT0S',
      enqueuedAt: '',
      startedAt: '',
      finishedAt: '',
      ...outcome,
    })
  }
  if (method === 'POST' && path === '/indexes') return enqueue('indexCreation')
  if (method === 'GET' && path.endsWith('/settings/ranking-rules')) {
    return json(['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'])
  }
  if (method === 'GET' && path.endsWith('/settings')) {
    return json({ filterableAttributes: ['industry', 'regions'], sortableAttributes: ['budgetMax', 'publishedAt'] })
  }
  if (method === 'PATCH' && path.endsWith('/settings')) return enqueue('settingsUpdate')
  if (method === 'POST' && path.endsWith('/documents')) return enqueue('documentAdditionOrUpdate')
  if (method === 'POST' && path.endsWith('/documents/delete-batch')) return enqueue('documentDeletion')
  if (method === 'DELETE' && path.endsWith('/documents')) return enqueue('documentDeletion')
  if (method === 'GET' && path.endsWith('/stats'))
    return json({ numberOfDocuments: 42, isIndexing: false, fieldDistribution: {} })
  if (method === 'POST' && path.endsWith('/search')) return json(searchResponse)
  return json({ message: `unexpected ${method} ${path}`, code: 'bad', type: 'invalid_request', link: '' }, 400)
}

const settings = { filterable: ['industry', 'regions', 'budgetMax'], sortable: ['publishedAt', 'budgetMax'] }

beforeEach(() => {
  calls = []
  nextTask = 1
  taskOutcome = new Map()
  failNextWithCode = null
  searchResponse = {
    hits: [{ id: 'need-1', display: { title: '数字化车间改造' } }],
    query: '',
    processingTimeMs: 1,
    hitsPerPage: 20,
    page: 1,
    totalPages: 1,
    totalHits: 1,
    facetDistribution: { industry: { C34: 1 } },
  }
  vi.stubGlobal('fetch', vi.fn(fakeFetch))
})

afterEach(() => {
  vi.unstubAllGlobals()
})

const engine = () => createMeilisearchEngine({ url: 'http://meili.test:7700', apiKey: 'k', indexPrefix: 'duijie_' })

describe('Meilisearch engine requests', () => {
  it('creates the index (tolerating an existing one) and applies settings with sort first', async () => {
    failNextWithCode = 'index_already_exists'
    await engine().ensureIndex('needs', settings)
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/indexes', body: { uid: 'duijie_needs', primaryKey: 'id' } })
    const patch = calls.find((c) => c.method === 'PATCH')
    expect(patch?.path).toBe('/indexes/duijie_needs/settings')
    expect(patch?.body).toMatchObject({
      searchableAttributes: ['title', 'body'],
      filterableAttributes: settings.filterable,
      sortableAttributes: settings.sortable,
      rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
      localizedAttributes: [{ attributePatterns: ['title', 'body'], locales: ['cmn'] }],
      pagination: { maxTotalHits: 1_000_000 },
    })
    // The lexicon's synonym groups (search/lexicon.json), every member to the others.
    const synonyms = (patch?.body as { synonyms: Record<string, string[]> }).synonyms
    expect(synonyms.mes).toEqual(['制造执行系统', '生产执行系统'])
    expect(synonyms['机器视觉']).toEqual(['视觉检测', '视觉质检', '视觉检验'])
  })

  it('fails when a task fails for another reason', async () => {
    failNextWithCode = 'invalid_api_key'
    await expect(engine().ensureIndex('needs', settings)).rejects.toThrow(/invalid_api_key/)
  })

  it('sends documents flat, with list values de-duplicated, and waits for the task', async () => {
    await engine().upsert('needs', [
      {
        id: 'need-1',
        title: 't',
        body: 'b',
        attributes: { regions: ['320000', '320000'], budgetMax: 3 },
        display: { title: 't' },
      },
    ])
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: '/indexes/duijie_needs/documents',
      body: [{ id: 'need-1', title: 't', body: 'b', regions: ['320000'], budgetMax: 3, display: { title: 't' } }],
    })
    expect(calls.some((c) => c.path === '/tasks/1')).toBe(true)
  })

  it('deletes by id and clears', async () => {
    await engine().delete('needs', ['need-1', 'need-2'])
    await engine().clear('needs')
    expect(calls.filter((c) => !c.path.startsWith('/tasks'))).toEqual([
      { method: 'POST', path: '/indexes/duijie_needs/documents/delete-batch', body: ['need-1', 'need-2'] },
      { method: 'DELETE', path: '/indexes/duijie_needs/documents', body: undefined },
    ])
    expect(await engine().count('needs')).toBe(42)
  })

  it('searches with quoted filters, all words required, exact paging and facets', async () => {
    const e = engine()
    await e.ensureIndex('needs', settings)
    calls = []
    const result = await e.search('needs', {
      text: '"视觉引导" -人工',
      filters: { regions: ['320000', 'x"y'] },
      ranges: { budgetMax: { min: 100 } },
      facets: ['industry', 'regions'],
      sort: { by: 'budgetMax', direction: 'asc' },
      page: 2,
      pageSize: 500,
    })
    expect(calls).toHaveLength(1)
    expect(calls[0]?.body).toEqual({
      q: '视觉 引导 人工',
      page: 2,
      hitsPerPage: 100,
      attributesToRetrieve: ['id', 'display'],
      matchingStrategy: 'all',
      locales: ['cmn'],
      filter: ['regions IN ["320000", "x\\"y"]', 'budgetMax >= 100'],
      facets: ['industry', 'regions'],
      sort: ['budgetMax:asc'],
    })
    expect(result).toEqual({
      hits: [{ id: 'need-1', display: { title: '数字化车间改造' } }],
      total: 1,
      page: 2,
      pageSize: 100,
      facets: { industry: { C34: 1 }, regions: {} },
      terms: ['视觉', '引导', '人工'],
    })
  })

  it("asks for ranking scores in relevance order, and for any word in 'any' mode", async () => {
    const e = engine()
    await e.ensureIndex('needs', settings)
    calls = []
    ;(searchResponse as { hits: unknown[] }).hits = [
      { id: 'need-1', display: {}, _rankingScore: 0.9 },
      { id: 'need-2', display: {}, _rankingScore: 0.4 },
    ]
    const result = await e.search('needs', { text: 'MES 冲压 的', match: 'any' })
    expect(calls[0]?.body).toMatchObject({ q: 'mes 冲压', matchingStrategy: 'frequency', showRankingScore: true })
    expect(result.hits).toEqual([
      { id: 'need-1', display: {}, score: 0.9 },
      { id: 'need-2', display: {}, score: 0.4 },
    ])
    expect(result.terms).toEqual(['mes', '制造执行系统', '生产执行系统', '冲压'])
    calls = []
    const sorted = await e.search('needs', { text: 'MES', sort: { by: 'budgetMax', direction: 'asc' } })
    expect(calls[0]?.body).toMatchObject({ matchingStrategy: 'all' })
    expect((calls[0]?.body as Record<string, unknown>).showRankingScore).toBeUndefined()
    expect(sorted.hits.every((h) => h.score === undefined)).toBe(true)
  })

  it('browses without text by the first sortable attribute, fetching settings it was not given', async () => {
    await engine().search('needs', { text: '!!!' })
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /indexes/duijie_needs/settings',
      'POST /indexes/duijie_needs/search',
    ])
    expect(calls[1]?.body).toMatchObject({ q: null, sort: ['budgetMax:desc'] })
  })

  it('rejects attributes the settings do not allow before calling the server', async () => {
    const e = engine()
    await e.ensureIndex('needs', settings)
    calls = []
    await expect(e.search('needs', { filters: { status: ['published'] } })).rejects.toThrow(/not filterable/)
    expect(calls).toEqual([])
  })
})
