import { beforeAll, describe, expect, it } from 'vitest'
import { ensureNeedsIndex, enqueueNeedChange, NEEDS_INDEX } from '../../app/domain/needs/search-index.server.js'
import { searchVocabulary } from '../../app/domain/needs/search-suggest.server.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import * as needs from '../../app/routes/needs._index.js'
import * as providers from '../../app/routes/providers._index.js'
import * as savedSearches from '../../app/routes/provider.saved-searches.js'
import { services } from '../../app/web/services.server.js'
import { withTransaction } from '../../db/transaction.js'
import { didYouMean } from '../../search/suggest.js'
import { addMember, insertNeed, insertOrg, insertUser, signIn } from '../support/factories.js'
import { call } from '../support/http.js'
import { indexNow, insertProvider } from './provider-directory-fixtures.js'

/*
 * Search that understands the field, through the real engine (FTS5 on SQLite,
 * PostgreSQL's under vitest.pg.config.ts): the hall's and the directory's loaders hand
 * the matched words to the page, cut excerpts around them, and suggest a corrected
 * query when the words find nothing.
 */

const db = () => services().db
const ids: Record<string, number> = {}
const LONG_INTRO = '企业主要生产汽车零部件，现有冲压、焊接、涂装三条产线，年产值约三亿元，员工四百余人。'.repeat(4)

beforeAll(async () => {
  await ensureNeedsIndex(services().search)
  const yz = await insertOrg(db(), { name: '扬州恒鑫精密机械有限公司', region: '321023' })
  ids.vision = await insertNeed(db(), yz, {
    title: '焊缝视觉检测系统建设',
    description: `${LONG_INTRO}焊接工序依赖人工目检，计划引入视觉检测系统替代人工。`,
    industry: 'C36',
    scenarios: ['S305'],
  })
  ids.mes = await insertNeed(db(), yz, {
    title: 'MES 生产执行系统实施',
    description: '车间排产靠人工，需要实施 MES 打通计划与现场。',
    industry: 'C34',
    scenarios: ['S301'],
  })
  ids.wms = await insertNeed(db(), yz, {
    title: '原料仓储管理数字化',
    description: '原料仓库账实不符，需要仓储管理系统与条码。',
    industry: 'C34',
    scenarios: ['S307'],
  })
  await withTransaction(db(), async (trx, afterCommit) => {
    for (const id of Object.values(ids)) await enqueueNeedChange(trx, afterCommit, id)
  })
  ids.provider = await insertProvider(db(), {
    name: '扬州智造视觉检测有限公司',
    region: '321003',
    kinds: ['integrator'],
    description: `${LONG_INTRO}专注机器视觉与焊缝检测。`,
    industries: ['C36'],
    scenarios: ['S305'],
  })
  await indexNow(db(), [ids.provider])
})

// Each test file has its own database, but the search budget is per process: use distinct client addresses.
let client = 0
const list = async (route: typeof needs | typeof providers, path: string, cookie?: string) => {
  client++
  const outcome = await call(route, { path, cookie, ip: `198.51.100.${client}` })
  expect(outcome.status, path).toBe(200)
  return JSON.parse(outcome.body)
}
const q = (text: string) => encodeURIComponent(text)

describe('didYouMean through the engine', () => {
  const suggest = async (text: string, filters: Record<string, string[]> = { visibility: ['public'] }) =>
    didYouMean(services().search, NEEDS_INDEX, { text, filters }, await searchVocabulary(await getReferenceData(db())))

  it('corrects homophone typos, Latin typos and drops a stray word, with the count found', async () => {
    expect(await suggest('试觉检测')).toEqual({ text: '视觉检测', total: 1 })
    expect(await suggest('仓出管理')).toMatchObject({ text: '仓储管理' })
    expect(await suggest('MSE')).toMatchObject({ text: 'MES' })
    expect(await suggest('ERPP 仓储管理')).toMatchObject({ text: '仓储管理' })
    expect(await suggest('视觉检测 区块链')).toEqual({ text: '视觉检测', total: 1 })
  })

  it('keeps the filters: nothing to suggest when the filters exclude every correction', async () => {
    expect(await suggest('试觉检测', { visibility: ['public'], industry: ['C13'] })).toBeNull()
    expect(await suggest('区块链')).toBeNull()
  })
})

describe('/needs', () => {
  it('hands the matched words to the page and cuts the excerpt around the first', async () => {
    const { result, suggestion } = await list(needs, `/needs?q=${q('视觉检测')}`)
    expect(result.items.map((i: { id: number }) => i.id)).toEqual([ids.vision])
    // 视觉检测 is a lexicon term: its synonyms (机器视觉 …) are matched and marked too.
    expect(result.terms).toEqual(expect.arrayContaining(['视觉检测', '机器视觉']))
    expect(suggestion).toBeNull()
    const excerpt: string = result.items[0].excerpt
    expect(excerpt.startsWith('…')).toBe(true)
    expect(excerpt).toContain('视觉检测')
    expect(Array.from(excerpt.replaceAll('…', '')).length).toBeLessThanOrEqual(120)
  })

  it('keeps the document excerpt when the match is at the beginning, and has no terms without words', async () => {
    const matched = await list(needs, `/needs?q=${q('排产')}`)
    expect(matched.result.items[0].excerpt).toBe('车间排产靠人工，需要实施 MES 打通计划与现场。')
    const browse = await list(needs, '/needs')
    expect(browse.result.terms).toEqual([])
    expect(browse.suggestion).toBeNull()
  })

  it('suggests a corrected query for an empty result, with the other filters applied', async () => {
    const typo = await list(needs, `/needs?q=${q('试觉检测')}&industry=C36`)
    expect(typo.result.total).toBe(0)
    expect(typo.suggestion).toEqual({ q: '视觉检测', total: 1 })
    const filtered = await list(needs, `/needs?q=${q('试觉检测')}&industry=C13`)
    expect(filtered.suggestion).toBeNull()
    const latin = await list(needs, `/needs?q=MSE`)
    expect(latin.suggestion).toMatchObject({ q: 'MES' })
  })

  it('offers 保存搜索 to a signed-in verified provider only', async () => {
    const cookieFor = async (kind: 'enterprise' | 'provider', status: 'verified' | 'pending' = 'verified') => {
      const org = await insertOrg(db(), { kind, status, region: '321002' })
      const user = await insertUser(db())
      await addMember(db(), user.id, org)
      return (await signIn(db(), user.id, org)).cookie
    }
    expect((await list(needs, `/needs?q=MES`)).canSaveSearch).toBe(false)
    expect((await list(needs, `/needs?q=MES`, await cookieFor('enterprise'))).canSaveSearch).toBe(false)
    expect((await list(needs, `/needs?q=MES`, await cookieFor('provider', 'pending'))).canSaveSearch).toBe(false)
    const provider = await cookieFor('provider')
    const hall = await list(needs, `/needs?q=MES&industry=C34&budgetMin=50&page=1`, provider)
    expect(hall.canSaveSearch).toBe(true)
    // What the 保存搜索 form posts (needs._index.tsx, SaveSearchForm): the hall's parameters under their own names.
    const form: Record<string, string> = { intent: 'create', name: 'MES' }
    for (const key of ['q', 'industry', 'region', 'scenario', 'level', 'status', 'budgetMin', 'budgetMax', 'sort']) {
      if (hall.params[key] !== undefined) form[key] = String(hall.params[key])
    }
    const saved = await call(savedSearches, { method: 'POST', path: '/provider/saved-searches', cookie: provider, form })
    expect(saved.status).toBe(302)
    const row = await db().selectFrom('saved_searches').select(['name', 'query']).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(row.name).toBe('MES')
    expect(JSON.parse(row.query)).toMatchObject({ q: 'MES', industry: 'C34', budgetMin: '50' })
  })

  it('never fails on hostile or long text with no hits', async () => {
    for (const text of ['<script>alert(1)</script>', '试觉'.repeat(150), 'ＭＳＥ', '"*^(', '😀 区块链']) {
      await list(needs, `/needs?q=${q(text)}`)
    }
  })
})

describe('/providers', () => {
  it('hands the matched words to the page and suggests a corrected query', async () => {
    const found = await list(providers, `/providers?q=${q('焊缝')}`)
    expect(found.result.items.map((i: { id: number }) => i.id)).toEqual([ids.provider])
    expect(found.result.terms).toEqual(expect.arrayContaining(['焊缝']))
    expect(found.result.items[0].excerpt).toContain('焊缝')
    const typo = await list(providers, `/providers?q=${q('试觉检测')}&kind=integrator`)
    expect(typo.result.total).toBe(0)
    expect(typo.suggestion).toMatchObject({ q: '视觉检测' })
    expect((await list(providers, `/providers?q=${q('试觉检测')}&kind=consultancy`)).suggestion).toBeNull()
  })
})
