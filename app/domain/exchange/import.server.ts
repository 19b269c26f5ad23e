import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import { withTransaction } from '../../../db/transaction.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { enqueueNeedChange, enqueueNeedsOfOrg } from '../needs/search-index.server.js'
import { enqueueProviderChange } from '../providers/search-index.server.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import type {
  CrossCheck,
  ExchangeRecord,
  ExchangeType,
  Facts,
  ImportOptions,
  Reference,
  WriteContext,
  WriteOutcome,
} from './exchange-type.server.js'
import { ExchangeIds } from './ids.server.js'
import { issuesFromZod, type ExchangeIssue } from './issues.js'
import { EXCHANGE_TYPES, ID_SPACES } from './registry.server.js'

/*
 * `npm run import` (app/cli/import.ts): an exchange file (docs/exchange.md) into the
 * database. The whole file is checked first, streamed line by line (what is kept is
 * the ids lines define and refer to, not the lines): JSON, type and version, the
 * type's schema, reference codes, references to other lines or to objects imported
 * before, and what must be unique. Any error: nothing is written, and every error is
 * reported with its line and field. Otherwise the file is read again, once per write
 * phase (what a line refers to is written before it), and written in one transaction,
 * each line created, updated or left alone according to its external id.
 */

/** A file's bytes, readable more than once (once per pass). */
export interface ByteSource {
  /** For messages and the audit log (the file's name). */
  name: string
  /** Bytes, when known (progress). */
  size?: number
  open(): AsyncIterable<Uint8Array>
}

export interface ImportProgress {
  stage: 'validate' | 'write'
  /** Bytes read (validate) or lines written (write). */
  done: number
  total: number
}

export interface TypeCounts {
  created: number
  updated: number
  unchanged: number
}

export type ImportResult =
  | {
      ok: false
      /** The first MAX_ISSUES issues, in line order. */
      issues: ExchangeIssue[]
      /** All issues, including those left out. */
      issueCount: number
      lines: number
    }
  | {
      ok: true
      lines: number
      /** Lines holding a record (blank lines are skipped). */
      records: number
      counts: Record<string, TypeCounts>
      /** Organisations made verified (--mark-verified, audited). */
      verified: number
      /** Organisations a line asked to verify that were imported pending (no --mark-verified). */
      verifyNotApplied: number
    }

/** The file changed between the check and the write: the transaction is rolled back. */
export class ExchangeFileChangedError extends Error {
  constructor() {
    super('exchange file changed while it was imported / 导入过程中文件被修改')
    this.name = 'ExchangeFileChangedError'
  }
}

export const MAX_LINE_BYTES = 1 << 20
export const MAX_ISSUES = 1000
const BATCH = 500

const TYPES = new Map(EXCHANGE_TYPES.map((t) => [t.type, t]))

interface RawLine {
  no: number
  /** null: longer than MAX_LINE_BYTES, or not UTF-8 (`problem` says which). */
  text: string | null
  problem?: 'tooLong' | 'encoding'
  /** Bytes read so far. */
  bytes: number
}

/** The file's lines, with bounded memory: a line over MAX_LINE_BYTES is skipped and reported, not buffered. */
async function* readLines(source: ByteSource, hash: { digest?: string }): AsyncGenerator<RawLine> {
  const sha = createHash('sha256')
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let parts: Uint8Array[] = []
  let length = 0
  let tooLong = false
  let no = 0
  let bytes = 0
  const finish = (): RawLine => {
    no += 1
    if (tooLong) return { no, text: null, problem: 'tooLong', bytes }
    const buffer = Buffer.concat(parts, length)
    let text: string
    try {
      text = decoder.decode(buffer)
    } catch {
      return { no, text: null, problem: 'encoding', bytes }
    }
    if (no === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    if (text.endsWith('\r')) text = text.slice(0, -1)
    return { no, text, bytes }
  }
  for await (const chunk of source.open()) {
    sha.update(chunk)
    let start = 0
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start)
      const end = nl === -1 ? chunk.length : nl
      const piece = chunk.subarray(start, end)
      if (!tooLong) {
        if (length + piece.length > MAX_LINE_BYTES) {
          tooLong = true
          parts = []
          length = 0
        } else if (piece.length > 0) {
          parts.push(piece)
          length += piece.length
        }
      }
      bytes += end - start + (nl === -1 ? 0 : 1)
      if (nl === -1) break
      yield finish()
      parts = []
      length = 0
      tooLong = false
      start = nl + 1
    }
  }
  if (length > 0 || tooLong) yield finish()
  hash.digest = sha.digest('hex')
}

type Parsed = { type: ExchangeType<ExchangeRecord>; record: ExchangeRecord } | { issues: ExchangeIssue[]; broken?: string }

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** One line: JSON, a known type and version, its schema, and (with `ref`) its reference codes. */
function parseLine(line: RawLine, ref: ReferenceData | null): Parsed | null {
  const no = line.no
  if (line.text === null) {
    return {
      issues: [
        {
          line: no,
          path: [],
          key: line.problem === 'tooLong' ? 'exchange.v.lineTooLong' : 'exchange.v.encoding',
          params: { max: MAX_LINE_BYTES },
        },
      ],
    }
  }
  if (line.text.trim() === '') return null
  let value: unknown
  try {
    value = JSON.parse(line.text)
  } catch {
    return { issues: [{ line: no, path: [], key: 'exchange.v.json' }] }
  }
  if (!isPlainObject(value)) return { issues: [{ line: no, path: [], key: 'exchange.v.notObject' }] }
  if (typeof value.type !== 'string') {
    return {
      issues: [{ line: no, path: ['type'], key: value.type === undefined ? 'exchange.v.required' : 'exchange.v.type.string' }],
    }
  }
  const type = TYPES.get(value.type)
  if (!type) {
    return {
      issues: [
        {
          line: no,
          path: ['type'],
          key: 'exchange.v.unknownType',
          params: { type: value.type, known: [...TYPES.keys()].join(', ') },
        },
      ],
    }
  }
  const broken = typeof value.externalId === 'string' ? `${type.type}:${value.externalId}` : undefined
  const schema = typeof value.version === 'number' ? type.schemas[value.version] : undefined
  if (!schema) {
    return {
      issues: [
        {
          line: no,
          path: ['version'],
          key: value.version === undefined ? 'exchange.v.required' : 'exchange.v.unknownVersion',
          params: { type: type.type, versions: Object.keys(type.schemas).join(', ') },
        },
      ],
      broken,
    }
  }
  const result = schema.safeParse(value)
  if (!result.success) return { issues: issuesFromZod(no, result.error, value), broken }
  if (ref) {
    const issues = type.checkCodes(result.data, ref, no)
    if (issues.length > 0) return { issues, broken }
  }
  return { type, record: result.data }
}

class IssueList {
  readonly kept: ExchangeIssue[] = []
  count = 0
  add(issues: readonly ExchangeIssue[]): void {
    for (const issue of issues) {
      this.count += 1
      if (this.kept.length < MAX_ISSUES) this.kept.push(issue)
    }
  }
}

interface Plan {
  lines: number
  records: number
  phases: number[]
  /** Each line's write phase (PHASE_NONE: blank), so a write pass parses only its own lines. */
  lineP: LinePhases
  digest: string
}

const PHASE_NONE = 255

/** One byte per line: the write phase of each line, growing as the file is read (1 MB per million lines). */
class LinePhases {
  private bytes = new Uint8Array(1024)
  set(line: number, phase: number): void {
    if (line >= this.bytes.length) {
      const grown = new Uint8Array(Math.max(line + 1, this.bytes.length * 2))
      grown.set(this.bytes)
      this.bytes = grown
    }
    this.bytes[line] = phase + 1
  }
  /** The phase of a line, or PHASE_NONE. */
  get(line: number): number {
    const v = line < this.bytes.length ? (this.bytes[line] ?? 0) : 0
    return v === 0 ? PHASE_NONE : v - 1
  }
}

/** The check: every line, then what the lines refer to. */
async function validate(
  db: Kysely<DB>,
  source: ByteSource,
  options: ImportOptions,
  ids: ExchangeIds,
  issues: IssueList,
  onProgress?: (p: ImportProgress) => void,
): Promise<Plan> {
  const ref = await getReferenceData(db)
  const defined = new Map<string, Map<string, { line: number; facts: Facts }>>()
  const keys = new Map<string, Map<string, number>>()
  const broken = new Set<string>()
  const references: { line: number; ref: Reference }[] = []
  const crossChecks = new Map<string, CrossCheck<ExchangeRecord>>()
  const phases = new Set<number>()
  const lineP = new LinePhases()
  const hash: { digest?: string } = {}
  let lines = 0
  let records = 0
  const total = source.size ?? 0
  let lastReport = 0
  for await (const raw of readLines(source, hash)) {
    lines = raw.no
    if (onProgress && raw.bytes - lastReport >= 256 * 1024) {
      lastReport = raw.bytes
      onProgress({ stage: 'validate', done: raw.bytes, total: Math.max(total, raw.bytes) })
    }
    const parsed = parseLine(raw, ref)
    if (parsed === null) continue
    if ('issues' in parsed) {
      issues.add(parsed.issues)
      if (parsed.broken) broken.add(parsed.broken)
      continue
    }
    const { type, record } = parsed
    records += 1
    const key = type.key(record)
    let seen = keys.get(type.type)
    if (!seen) keys.set(type.type, (seen = new Map<string, number>()))
    const first = seen.get(key)
    if (first !== undefined) {
      issues.add([
        {
          line: raw.no,
          path: [type.defines ? 'externalId' : 'organisation'],
          key: 'exchange.v.duplicate',
          params: { line: first },
        },
      ])
      continue
    }
    seen.set(key, raw.no)
    const definition = type.defines?.(record)
    if (definition) {
      let space = defined.get(definition.space)
      if (!space) defined.set(definition.space, (space = new Map<string, { line: number; facts: Facts }>()))
      space.set(definition.externalId, { line: raw.no, facts: definition.facts })
    }
    for (const r of type.references(record)) references.push({ line: raw.no, ref: r })
    if (type.crossCheck) {
      let check = crossChecks.get(type.type)
      if (!check) crossChecks.set(type.type, (check = type.crossCheck(options)))
      issues.add(check.add(record, raw.no))
    }
    const phase = type.phase(record)
    if (phase < 0 || phase >= PHASE_NONE - 1) throw new Error(`exchange type ${type.type}: phase ${phase} out of range`)
    phases.add(phase)
    lineP.set(raw.no, phase)
  }
  onProgress?.({ stage: 'validate', done: Math.max(total, lastReport), total: Math.max(total, lastReport) })

  // What the file does not define must be in the database already.
  const outside = new Map<string, Set<string>>()
  for (const { ref: r } of references) {
    if (defined.get(r.space)?.has(r.externalId)) continue
    let set = outside.get(r.space)
    if (!set) outside.set(r.space, (set = new Set()))
    set.add(r.externalId)
  }
  const dbFacts = new Map<string, Map<string, Facts>>()
  for (const [spaceName, externalIds] of outside) {
    const space = ID_SPACES.get(spaceName)
    if (!space) continue
    await ids.load(spaceName, externalIds, db)
    const entityIds = [...externalIds].map((e) => ids.get(spaceName, e)).filter((id): id is number => id !== undefined)
    const facts = await space.loadFacts(db, entityIds)
    const byExternal = new Map<string, Facts>()
    for (const e of externalIds) {
      const id = ids.get(spaceName, e)
      const f = id === undefined ? undefined : facts.get(id)
      if (f) byExternal.set(e, f)
    }
    dbFacts.set(spaceName, byExternal)
  }
  for (const { line, ref: r } of references) {
    const facts = defined.get(r.space)?.get(r.externalId)?.facts ?? dbFacts.get(r.space)?.get(r.externalId)
    if (!facts) {
      // The line defining it has errors of its own, reported there.
      if (broken.has(`${r.space}:${r.externalId}`)) continue
      issues.add([{ line, path: r.path, key: 'exchange.v.unresolved', params: { id: r.externalId, type: r.space } }])
      continue
    }
    if (r.expect && Object.entries(r.expect.facts).some(([k, v]) => facts[k] !== v)) {
      issues.add([{ line, path: r.path, key: r.expect.key, params: { id: r.externalId } }])
    }
  }
  for (const check of crossChecks.values()) issues.add(await check.finish(db, ids))
  issues.kept.sort((a, b) => a.line - b.line)
  return { lines, records, phases: [...phases].sort((a, b) => a - b), lineP, digest: hash.digest ?? '' }
}

/**
 * Checks `source` and, when every line is valid, writes it (one transaction). With
 * errors nothing is written and the result lists them.
 */
export async function importExchangeFile(
  db: Kysely<DB>,
  source: ByteSource,
  options: ImportOptions,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportResult> {
  if (options.markVerified && !options.operator) throw new Error('importExchangeFile: markVerified needs the operator')
  const ids = new ExchangeIds(db, ID_SPACES)
  const issues = new IssueList()
  const plan = await validate(db, source, options, ids, issues, onProgress)
  if (issues.count > 0) return { ok: false, issues: issues.kept, issueCount: issues.count, lines: plan.lines }
  if (options.dryRun) return { ok: true, lines: plan.lines, records: plan.records, counts: {}, verified: 0, verifyNotApplied: 0 }

  const ref = await getReferenceData(db)
  const counts: Record<string, TypeCounts> = {}
  const written = { n: 0 }
  const providers = new Set<number>()
  const enterprises = new Set<number>()
  const needs = new Set<number>()
  const tally = { verified: 0, verifyNotApplied: 0 }

  await withTransaction(db, async (trx, afterCommit) => {
    // Mappings read during the check may be stale inside the transaction: read afresh.
    const writeIds = new ExchangeIds(trx, ID_SPACES)
    const ctx: WriteContext = {
      trx,
      afterCommit,
      ids: writeIds,
      ref,
      options,
      now: new Date().toISOString(),
      count(type: string, outcome: WriteOutcome) {
        const c = (counts[type] ??= { created: 0, updated: 0, unchanged: 0 })
        c[outcome] += 1
        written.n += 1
      },
      providerChanged: (id) => providers.add(id),
      enterpriseChanged: (id) => enterprises.add(id),
      needChanged: (id) => needs.add(id),
      tally,
    }
    for (const phase of plan.phases) {
      const batches = new Map<ExchangeType<ExchangeRecord>, { line: number; record: ExchangeRecord }[]>()
      const flush = async (type: ExchangeType<ExchangeRecord>) => {
        const batch = batches.get(type)
        if (!batch?.length) return
        batches.set(type, [])
        await type.write(ctx, batch)
        await writeIds.flush(trx)
        onProgress?.({ stage: 'write', done: written.n, total: plan.records })
      }
      const hash: { digest?: string } = {}
      for await (const raw of readLines(source, hash)) {
        if (plan.lineP.get(raw.no) !== phase) continue
        const parsed = parseLine(raw, null)
        if (parsed === null) continue
        if ('issues' in parsed) throw new ExchangeFileChangedError()
        if (parsed.type.phase(parsed.record) !== phase) throw new ExchangeFileChangedError()
        let batch = batches.get(parsed.type)
        if (!batch) batches.set(parsed.type, (batch = []))
        batch.push({ line: raw.no, record: parsed.record })
        if (batch.length >= BATCH) await flush(parsed.type)
      }
      for (const type of batches.keys()) await flush(type)
      if (hash.digest !== plan.digest) throw new ExchangeFileChangedError()
    }
    for (const id of [...providers].sort((a, b) => a - b)) await enqueueProviderChange(trx, afterCommit, id)
    for (const id of [...enterprises].sort((a, b) => a - b)) await enqueueNeedsOfOrg(trx, afterCommit, id)
    for (const id of [...needs].sort((a, b) => a - b)) await enqueueNeedChange(trx, afterCommit, id)
    await recordAudit(trx, {
      action: 'exchange.imported',
      actorUserId: options.operator?.userId ?? null,
      objectType: 'exchange_file',
      objectId: options.source.slice(0, 64),
      detail: {
        source: options.source,
        lines: plan.lines,
        records: plan.records,
        sha256: plan.digest,
        markVerified: options.markVerified,
        verified: tally.verified,
        ...Object.fromEntries(Object.entries(counts).map(([type, c]) => [type, `${c.created}/${c.updated}/${c.unchanged}`])),
      },
    })
  })
  return {
    ok: true,
    lines: plan.lines,
    records: plan.records,
    counts,
    verified: tally.verified,
    verifyNotApplied: tally.verifyNotApplied,
  }
}
