/**
 * Reads a V8 .cpuprofile written while one page was under load and says where the
 * server's main thread spent its time: SQLite queries, the search engine's filters
 * and facet counting, React rendering, serialisation (JSON for loader data and the
 * HTML's hydration context), compression, HTTP. Frames in the bundled server build
 * are mapped back to their source file through the build's source map.
 */
import fs from 'node:fs'
import { SourceMap } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
  columnNumber: number
  /** Added by the preload when the server has a source map for the frame's file. */
  originalSource?: string
  originalLine?: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

export const CATEGORIES = [
  'sqlite',
  'postgres driver',
  'query building',
  'search: FTS5 match',
  'search: filters',
  'search: sort/page',
  'search: facet counting',
  'search: other',
  'tokenizer',
  'domain + loaders',
  'rendering',
  'serialisation',
  'validation',
  'remix runtime',
  'http + express',
  'compression',
  'gc',
  'other',
] as const
export type Category = (typeof CATEGORIES)[number]

export interface ProfileSummary {
  /** Sampled busy time of the main thread (idle excluded), ms. */
  busyMs: number
  byCategory: Map<Category, number>
  /** Functions by self time, with their source location. */
  top: { name: string; where: string; category: Category; ms: number }[]
  /** SQLite time (queries and FTS5) by the app or search function that ran the query. */
  queries: { caller: string; ms: number }[]
}

interface Origin {
  /** Source path relative to the app root, or a node_modules package path. */
  source: string
  name: string
  /** 1-based line in the source, when known. */
  line?: number
}

/** Maps generated positions of one bundled file to source files. */
class Mapper {
  private readonly maps = new Map<string, SourceMap | null>()

  origin(frame: CallFrame): Origin {
    if (frame.originalSource) {
      const source = normalise(
        frame.originalSource.startsWith('file:') ? fileURLToPath(frame.originalSource) : frame.originalSource,
      )
      const line = (frame.originalLine ?? 0) + 1
      return { source, line, name: frame.functionName || enclosing(source, line) }
    }
    const file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url
    // Packages ship their own maps (to their own sources): keep their package path.
    if (file.includes('/node_modules/')) return { source: normalise(file), name: frame.functionName || '(anonymous)' }
    let map = this.maps.get(file)
    if (map === undefined) {
      map = null
      const mapFile = `${file}.map`
      if (file && fs.existsSync(mapFile)) {
        try {
          map = new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8')) as never)
        } catch {
          map = null
        }
      }
      this.maps.set(file, map)
    }
    if (map) {
      const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as {
        originalSource?: string
        originalLine?: number
        name?: string
      }
      if (entry.originalSource) {
        const source = normalise(entry.originalSource.replace(/^file:\/\//, ''))
        const line = (entry.originalLine ?? 0) + 1
        return { source, line, name: frame.functionName || enclosing(source, line) }
      }
    }
    return { source: normalise(file), name: frame.functionName || '(anonymous)' }
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const sourceLines = new Map<string, string[]>()
const METHOD =
  /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\s*\*?\s*([A-Za-z_$][\w$]*)|(?:(?:private|public|protected|static|get|set|override)\s+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\([^;]*\)\s*(?::[^=;]*)?\{\s*$|(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=)/

/** The function or method an anonymous function sits in, by reading its source upwards. */
function enclosing(source: string, line: number): string {
  let lines = sourceLines.get(source)
  if (!lines) {
    const file = path.join(ROOT, source)
    lines = fs.existsSync(file) && !source.startsWith('node_modules/') ? fs.readFileSync(file, 'utf8').split('\n') : []
    sourceLines.set(source, lines)
  }
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const m = METHOD.exec(lines[i]!)
    const name = m?.[1] ?? m?.[2] ?? m?.[3]
    if (name && !['if', 'for', 'while', 'switch', 'catch', 'return'].includes(name)) return `(anonymous in ${name})`
  }
  return '(anonymous)'
}

/** `…/node_modules/react-dom/cjs/x.js` → `node_modules/react-dom/cjs/x.js`; app files relative to their root. */
function normalise(file: string): string {
  const nm = file.lastIndexOf('node_modules/')
  if (nm >= 0) return file.slice(nm)
  for (const root of ['app/', 'search/', 'db/', 'seed/']) {
    const at = file.lastIndexOf(`/${root}`)
    if (at >= 0) return file.slice(at + 1)
  }
  return file.startsWith('../') ? file.replace(/^(\.\.\/)+/, '') : file
}

const SQLITE_NATIVE = new Set(['all', 'get', 'run', 'iterate', 'prepare', 'exec', 'pragma', 'Statement', 'transaction'])
const FACET_FUNCTIONS = /(^|in )(facets|count)\)?$/
const FILTER_FUNCTIONS = /(^|in )(matching|keepHolding|keepInRange|membership|column|load)\)?$/
const SORT_FUNCTIONS = /(^|in )(firstRowids|offer|sorted|after|SmallestK)\)?$/

function categorise(origin: Origin, frame: CallFrame): Category | null {
  const { source, name } = origin
  if (frame.functionName === '(garbage collector)') return 'gc'
  if (frame.functionName === '(program)' || frame.functionName === '(root)') return 'other'
  if (source === '') return null // native or builtin: decided by who called it
  if (source.startsWith('node_modules/better-sqlite3/')) return 'sqlite'
  // node-postgres: the pool, the wire protocol, the row parsers (bench:http --pg).
  if (/^node_modules\/(pg|pg-pool|pg-protocol|pg-types|pg-connection-string|postgres-[a-z]+)\//.test(source))
    return 'postgres driver'
  if (source.startsWith('node_modules/kysely/')) return 'query building'
  if (source.startsWith('node_modules/@node-rs/jieba/') || source === 'search/tokenizer.ts') return 'tokenizer'
  if (source === 'search/fts5-columns.ts') {
    if (FACET_FUNCTIONS.test(name)) return 'search: facet counting'
    if (FILTER_FUNCTIONS.test(name)) return 'search: filters'
    if (SORT_FUNCTIONS.test(name)) return 'search: sort/page'
    return 'search: other'
  }
  if (source.startsWith('search/')) return 'search: other'
  if (/^node_modules\/(react|react-dom|react-router|react-router-dom|@remix-run\/react)\//.test(source)) return 'rendering'
  if (/^app\/(routes|components|root\.tsx|i18n\/use-t)/.test(source)) return 'rendering'
  if (source.startsWith('node_modules/zod/')) return 'validation'
  if (source.startsWith('app/') || source.startsWith('db/') || source.startsWith('seed/')) return 'domain + loaders'
  if (source.startsWith('node_modules/@remix-run/')) return 'remix runtime'
  if (source.startsWith('node_modules/compression/') || /^node:zlib|internal\/zlib/.test(source) || source === 'zlib')
    return 'compression'
  if (
    source.startsWith('node_modules/express/') ||
    source.startsWith('node_modules/') ||
    source.startsWith('node:') ||
    source.startsWith('internal/') ||
    !source.includes('/')
  ) {
    return 'http + express'
  }
  return 'other'
}

/** Native frames (no url) go to their caller's category, with a few exceptions. */
function nativeCategory(frame: CallFrame, parent: Category | null, parentSource: string): Category {
  const name = frame.functionName
  if (name === '(garbage collector)') return 'gc'
  if (name === 'stringify' || name === 'parse' || name === 'escapeHtml') return 'serialisation'
  if (SQLITE_NATIVE.has(name) && /^(node_modules\/(better-sqlite3|kysely)\/|search\/|app\/|db\/)/.test(parentSource)) {
    return parentSource.startsWith('search/') ? 'search: FTS5 match' : 'sqlite'
  }
  if (/^(deflate|gzip|brotli|zlib)/i.test(name) || parent === 'compression') return 'compression'
  if (name === 'cut' || name === 'cutForSearch' || name === 'tag')
    return parent === 'tokenizer' ? 'tokenizer' : (parent ?? 'other')
  return parent ?? 'other'
}

export function summariseProfile(file: string, topN = 8): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parentOf = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id)

  // Self time per node from the sample stream.
  const selfUs = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!
    const next = profile.timeDeltas[i + 1] ?? 0
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, next))
  }

  const mapper = new Mapper()
  const origins = new Map<number, Origin>()
  const originOf = (id: number): Origin => {
    let o = origins.get(id)
    if (!o) {
      o = mapper.origin(byId.get(id)!.callFrame)
      origins.set(id, o)
    }
    return o
  }
  const categories = new Map<number, Category>()
  const categoryOf = (id: number): Category => {
    const known = categories.get(id)
    if (known) return known
    const node = byId.get(id)!
    const origin = originOf(id)
    let cat = categorise(origin, node.callFrame)
    if (cat === null) {
      const parent = parentOf.get(id)
      const parentCat = parent === undefined ? null : categoryOf(parent)
      const parentSource = parent === undefined ? '' : originOf(parent).source
      cat = nativeCategory(node.callFrame, parentCat, parentSource)
    }
    categories.set(id, cat)
    return cat
  }

  const byCategory = new Map<Category, number>()
  const byFunction = new Map<string, { name: string; where: string; category: Category; ms: number }>()
  let busyUs = 0
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame
    if (frame.functionName === '(idle)') continue
    busyUs += us
    const cat = categoryOf(id)
    byCategory.set(cat, (byCategory.get(cat) ?? 0) + us / 1000)
    const origin = originOf(id)
    const where = origin.source ? `${path.basename(origin.source)}${origin.line ? `:${origin.line}` : ''}` : '(native)'
    const key = `${origin.name}@${where}`
    const entry = byFunction.get(key) ?? { name: origin.name, where, category: cat, ms: 0 }
    entry.ms += us / 1000
    byFunction.set(key, entry)
  }
  const top = [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, topN)

  const byCaller = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const cat = categoryOf(id)
    if (cat !== 'sqlite' && cat !== 'search: FTS5 match') continue
    let at = parentOf.get(id)
    let caller = '(unknown)'
    while (at !== undefined) {
      const o = originOf(at)
      if (/^(app|search|db)\//.test(o.source)) {
        caller = `${o.name} (${path.basename(o.source)}${o.line ? `:${o.line}` : ''})`
        break
      }
      at = parentOf.get(at)
    }
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + us / 1000)
  }
  const queries = [...byCaller]
    .map(([caller, ms]) => ({ caller, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 4)
  return { busyMs: busyUs / 1000, byCategory, top, queries }
}
