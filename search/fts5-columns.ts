import type BetterSqlite3 from 'better-sqlite3'
import type { SearchResult, SortDirection } from './engine.js'

/**
 * A membership test by rowid, for SQL that must keep to documents chosen in memory:
 * an array indexed by rowid when the rowids are dense enough, else a set.
 */
export function rowidMembership(rowids: ArrayLike<number>): (rowid: number) => boolean {
  let max = 0
  let min = 0
  for (let i = 0; i < rowids.length; i++) {
    max = Math.max(max, rowids[i]!)
    min = Math.min(min, rowids[i]!)
  }
  if (min >= 0 && Number.isInteger(max) && max <= 4 * rowids.length + 65_536) {
    const marked = new Uint8Array(max + 1)
    for (let i = 0; i < rowids.length; i++) marked[rowids[i]!] = 1
    return (rowid) => marked[rowid] === 1
  }
  const set = new Set<number>()
  for (let i = 0; i < rowids.length; i++) set.add(rowids[i]!)
  return (rowid) => set.has(rowid)
}

/**
 * An in-memory columnar copy of one index's attributes (docs/decisions/001-search.md):
 * filters, ranges, totals, facet counts and attribute-sorted pages are computed here
 * from typed arrays, because SQLite spends ~0.2 µs per search_attrs row and a
 * browse touches ~600 000 of them. The tables stay the source of truth; the engine
 * builds a copy at a generation of the index and applies its own writes to it.
 *
 * Documents live in slots (array positions), reused after a delete. Columns are
 * loaded the first time a query names their attribute, so attributes nobody
 * filters or sorts by cost no memory.
 *
 * So that a page costs what it shows rather than what the index holds, the copy
 * also keeps, per sortable attribute a query sorted by, its documents in that order
 * (kept in order by the engine's own writes): an attribute-sorted page is the first
 * documents of that order that pass the filters, a walk that stops when the page is
 * full. And per text query it keeps the matching documents until the next write, so
 * FTS5 is asked once per text, not once per request.
 */

/** One attribute value as written to search_attrs: exactly one of text and num is set. */
export interface AttrValue {
  field: string
  text: string | null
  num: number | null
}

interface TextColumnParts {
  values: string[]
  head: Int32Array
  pool: Int32Array
  poolUsed: number
  poolGarbage: number
}

/**
 * A copy as plain data, to be built on another thread (fts5-load-worker.ts) and handed
 * over: typed arrays are transferred, not copied. Slot numbers are kept.
 */
export interface ColumnsSnapshot {
  index: string
  generation: number
  used: number
  rowids: Float64Array
  slotOf: SlotIndexParts
  freeSlots: number[]
  columns: { field: string; text: TextColumnParts | null; num: Float64Array | null }[]
  orders: ({ field: string } & SortOrder)[]
}

/** `head` value of a document without the attribute; ≥ 0 is a value id, ≤ -2 a pool pointer. */
const NONE = -1

/**
 * A text attribute. Most documents hold one value, stored as its id in `head`
 * (four bytes per document); a list of several is a count followed by the ids in
 * `pool`, and `head` holds -2 - its offset. Replaced lists leave garbage in the
 * pool, which is compacted once it makes up half of it.
 */
class TextColumn {
  private readonly idOf = new Map<string, number>()
  /** Value id → value. Ids are never reused, so a count array is indexed by them. */
  readonly values: string[] = []
  head: Int32Array
  pool: Int32Array = new Int32Array(256)
  private poolUsed = 0
  private poolGarbage = 0

  constructor(capacity: number) {
    this.head = new Int32Array(capacity).fill(NONE)
  }

  /** What the column holds, for another thread to take over (see ColumnsSnapshot). */
  parts(): TextColumnParts {
    return { values: this.values, head: this.head, pool: this.pool, poolUsed: this.poolUsed, poolGarbage: this.poolGarbage }
  }

  static fromParts(parts: TextColumnParts): TextColumn {
    const column = new TextColumn(0)
    column.head = parts.head
    column.pool = parts.pool
    column.poolUsed = parts.poolUsed
    column.poolGarbage = parts.poolGarbage
    for (const value of parts.values) column.id(value)
    return column
  }

  grow(capacity: number): void {
    const head = new Int32Array(capacity).fill(NONE)
    head.set(this.head)
    this.head = head
  }

  id(value: string): number {
    let id = this.idOf.get(value)
    if (id === undefined) {
      id = this.values.length
      this.values.push(value)
      this.idOf.set(value, id)
    }
    return id
  }

  /** The id of a value some document holds or held, if any. */
  existingId(value: string): number | undefined {
    return this.idOf.get(value)
  }

  set(slot: number, ids: readonly number[]): void {
    const old = this.head[slot]!
    if (old < NONE) this.poolGarbage += this.pool[-old - 2]! + 1
    if (ids.length === 0) this.head[slot] = NONE
    else if (ids.length === 1) this.head[slot] = ids[0]!
    else {
      const at = this.reserve(ids.length + 1)
      this.pool[at] = ids.length
      this.pool.set(ids, at + 1)
      this.head[slot] = -2 - at
    }
    if (this.poolGarbage > 4096 && this.poolGarbage * 2 > this.poolUsed) this.compact()
  }

  /**
   * Fills an empty column from (value, slots holding it) groups: a document's
   * values arrive in different groups, so its list size is counted first.
   */
  load(groups: readonly (readonly [string, readonly number[]])[]): void {
    const sizes = new Int32Array(this.head.length)
    for (const [, slots] of groups) for (const slot of slots) sizes[slot]!++
    for (const [value, slots] of groups) {
      const id = this.id(value)
      for (const slot of slots) {
        const size = sizes[slot]!
        if (size === 1) {
          this.head[slot] = id
          continue
        }
        if (this.head[slot] === NONE) {
          const at = this.reserve(size + 1)
          this.pool[at] = 0
          this.head[slot] = -2 - at
        }
        const at = -this.head[slot]! - 2
        this.pool[at + 1 + this.pool[at]!] = id
        this.pool[at]!++
      }
    }
  }

  /** The slots whose document holds any value marked in `wanted`, kept in place in `slots`. */
  keepHolding(slots: Int32Array, wanted: Uint8Array): Int32Array {
    const { head, pool } = this
    let kept = 0
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!
      const h = head[slot]!
      let holds = false
      if (h >= 0) holds = wanted[h] === 1
      else if (h !== NONE) {
        const at = -h - 2
        const end = at + 1 + pool[at]!
        for (let j = at + 1; j < end && !holds; j++) holds = wanted[pool[j]!] === 1
      }
      if (holds) slots[kept++] = slot
    }
    return slots.subarray(0, kept)
  }

  /** Documents holding each value id, among `slots`; a document counts once per value. */
  count(slots: Int32Array): Int32Array {
    const counts = new Int32Array(this.values.length)
    const { head, pool } = this
    for (const slot of slots) {
      const h = head[slot]!
      if (h >= 0) counts[h]!++
      else if (h !== NONE) {
        const at = -h - 2
        const end = at + 1 + pool[at]!
        for (let i = at + 1; i < end; i++) counts[pool[i]!]!++
      }
    }
    return counts
  }

  /** Room for `n` more pool entries; returns where they start. */
  private reserve(n: number): number {
    if (this.poolUsed + n > this.pool.length) {
      const pool = new Int32Array(Math.max(this.pool.length * 2, this.poolUsed + n))
      pool.set(this.pool.subarray(0, this.poolUsed))
      this.pool = pool
    }
    const at = this.poolUsed
    this.poolUsed += n
    return at
  }

  private compact(): void {
    const old = this.pool
    this.pool = new Int32Array(Math.max(256, (this.poolUsed - this.poolGarbage) * 2))
    this.poolUsed = 0
    this.poolGarbage = 0
    for (let slot = 0; slot < this.head.length; slot++) {
      const h = this.head[slot]!
      if (h >= NONE) continue
      const from = -h - 2
      const n = old[from]! + 1
      const at = this.reserve(n)
      this.pool.set(old.subarray(from, from + n), at)
      this.head[slot] = -2 - at
    }
  }
}

/**
 * One attribute. Its values are text or numbers (a list is always text), and in
 * principle one document's may be text where another's is a number, as in
 * search_attrs; each part is allocated only once a value of its kind appears.
 */
interface Column {
  text: TextColumn | null
  /** The number per slot; NaN when the document has none. */
  num: Float64Array | null
}

function newNumbers(capacity: number): Float64Array {
  return new Float64Array(capacity).fill(Number.NaN)
}

/** One filter or range of a query, resolved against the columns once per search. */
type Condition =
  { text: TextColumn; wanted: Uint8Array; num?: undefined } | { num: Float64Array; lo: number; hi: number; text?: undefined }

/**
 * A query's filters (a document holds any of the values) and ranges (inclusive)
 * against the columns: narrows a list of slots in place, one loop per condition.
 * Valid until the next write to the copy (columns may be reallocated).
 */
export class Selection {
  constructor(
    private readonly conditions: readonly Condition[],
    /** Some condition names an attribute no document holds in that form: nothing passes. */
    readonly impossible: boolean,
  ) {}

  /** Keeps, in place and in order, the slots passing every condition; returns them. */
  narrow(slots: Int32Array): Int32Array {
    if (this.impossible) return slots.subarray(0, 0)
    let kept = slots
    for (const c of this.conditions) {
      if (kept.length === 0) break
      kept = c.text ? c.text.keepHolding(kept, c.wanted) : keepInRange(kept, c.num, c.lo, c.hi)
    }
    return kept
  }
}

function keepInRange(slots: Int32Array, num: Float64Array, lo: number, hi: number): Int32Array {
  let kept = 0
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!
    // NaN (no number) fails both comparisons.
    if (num[slot]! >= lo && num[slot]! <= hi) slots[kept++] = slot
  }
  return slots.subarray(0, kept)
}

/**
 * The live documents in one sortable attribute's ascending order: those with a
 * number by (value, rowid), then those without by rowid. Descending is the same
 * lists read backwards: documents without the attribute still come last, and ties
 * go by rowid in the sort's direction (as firstSlots orders them).
 */
interface SortOrder {
  present: Int32Array
  presentLength: number
  missing: Int32Array
  missingLength: number
}

/** Per text query, the matching documents: this many queries, this many slots in all. */
const MATCH_CACHE_ENTRIES = 64
const MATCH_CACHE_SLOTS = 2_000_000
/**
 * A write of more documents than this drops the sort orders, to be sorted again when
 * next needed, instead of moving each document within them (a move shifts up to the
 * whole order: cheap for one document, not for a rebuild's batch of 1 000).
 */
export const ORDER_UPDATE_MAX = 100
/** A walk reads its order in chunks, the first this long, doubling up to the last. */
const FIRST_CHUNK = 64
const MAX_CHUNK = 8192

/**
 * Rowid → slot. SQLite hands out rowids from 1 upwards, so an array indexed by rowid
 * holds them (a Map lookup cost ~0.15 µs, which a text query matching 50 000
 * documents paid 50 000 times); a rowid far beyond the number of documents goes to
 * a Map instead, so a sparse range cannot make the array huge.
 */
class SlotIndex {
  private dense: Int32Array = new Int32Array(0)
  private readonly sparse = new Map<number, number>()
  size = 0

  /** The slot of `rowid`, or -1. */
  get(rowid: number): number {
    if (this.isDense(rowid)) return this.dense[rowid]!
    return this.sparse.get(rowid) ?? -1
  }

  set(rowid: number, slot: number): void {
    if (this.get(rowid) === -1) this.size++
    if (!this.isDense(rowid) && Number.isInteger(rowid) && rowid >= 0 && rowid < 8 * this.size + 65_536) {
      const dense = new Int32Array(Math.max(1024, Math.ceil(rowid * 1.5))).fill(-1)
      dense.set(this.dense)
      for (const [r, s] of this.sparse) {
        if (r < dense.length) {
          dense[r] = s
          this.sparse.delete(r)
        }
      }
      this.dense = dense
    }
    if (this.isDense(rowid)) this.dense[rowid] = slot
    else this.sparse.set(rowid, slot)
  }

  delete(rowid: number): void {
    if (this.get(rowid) === -1) return
    this.size--
    if (this.isDense(rowid)) this.dense[rowid] = -1
    else this.sparse.delete(rowid)
  }

  private isDense(rowid: number): boolean {
    return rowid >= 0 && rowid < this.dense.length && Number.isInteger(rowid)
  }

  parts(): SlotIndexParts {
    return { dense: this.dense, sparse: [...this.sparse], size: this.size }
  }

  static fromParts(parts: SlotIndexParts): SlotIndex {
    const index = new SlotIndex()
    index.dense = parts.dense
    for (const [rowid, slot] of parts.sparse) index.sparse.set(rowid, slot)
    index.size = parts.size
    return index
  }
}

interface SlotIndexParts {
  dense: Int32Array
  sparse: [number, number][]
  size: number
}

export class IndexColumns {
  private slotOf = new SlotIndex()
  /** Slot → rowid; 0 marks a free slot (SQLite assigns the engine's rowids from 1). */
  private rowids: Float64Array
  /** Slots handed out so far, live or free: every loop over slots stops here. */
  private used = 0
  private readonly freeSlots: number[] = []
  private readonly columns = new Map<string, Column>()
  /** Sort orders of the attributes queries sorted by (see SortOrder), built on first use. */
  private readonly orders = new Map<string, SortOrder>()
  /** Text query (FTS5 expression) → matching slots; emptied by every write. */
  private readonly matches = new Map<string, Int32Array>()
  private matchSlotsCached = 0
  /** Writes larger than this drop the sort orders instead of updating them (tests lower it). */
  orderUpdateMax = ORDER_UPDATE_MAX

  /** `generation` is the index generation the copy matches; the engine advances it with its writes. */
  private constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly index: string,
    public generation: number,
    capacity: number,
  ) {
    this.rowids = new Float64Array(capacity)
  }

  /** The documents of `index` as they are in the current transaction, without any column yet. */
  static load(sqlite: BetterSqlite3.Database, index: string, generation: number): IndexColumns {
    const rowids = sqlite.prepare('SELECT rowid FROM search_docs WHERE idx = ?').pluck().all(index) as number[]
    const columns = new IndexColumns(sqlite, index, generation, Math.max(64, rowids.length))
    for (const rowid of rowids) columns.slotFor(rowid)
    return columns
  }

  /** Reads the columns of `fields` and the sort orders of `sortable` now, rather than on first use. */
  loadAll(fields: readonly string[], sortable: readonly string[]): void {
    for (const field of fields) this.column(field)
    for (const field of sortable) this.sortOrder(field)
  }

  /** The copy as plain data, and the buffers to transfer with it; this copy must not be used after. */
  snapshot(): { snapshot: ColumnsSnapshot; transfer: ArrayBuffer[] } {
    const snapshot: ColumnsSnapshot = {
      index: this.index,
      generation: this.generation,
      used: this.used,
      rowids: this.rowids,
      slotOf: this.slotOf.parts(),
      freeSlots: [...this.freeSlots],
      columns: [...this.columns].map(([field, c]) => ({ field, text: c.text?.parts() ?? null, num: c.num })),
      orders: [...this.orders].map(([field, o]) => ({ field, ...o })),
    }
    const buffers = new Set<ArrayBuffer>([snapshot.rowids.buffer as ArrayBuffer, snapshot.slotOf.dense.buffer as ArrayBuffer])
    for (const c of snapshot.columns) {
      if (c.text) buffers.add(c.text.head.buffer as ArrayBuffer).add(c.text.pool.buffer as ArrayBuffer)
      if (c.num) buffers.add(c.num.buffer as ArrayBuffer)
    }
    for (const o of snapshot.orders) buffers.add(o.present.buffer as ArrayBuffer).add(o.missing.buffer as ArrayBuffer)
    return { snapshot, transfer: [...buffers] }
  }

  /** A copy built elsewhere from its snapshot; columns it lacks are read from `sqlite` when first used. */
  static fromSnapshot(sqlite: BetterSqlite3.Database, s: ColumnsSnapshot): IndexColumns {
    const columns = new IndexColumns(sqlite, s.index, s.generation, 0)
    columns.rowids = s.rowids
    columns.used = s.used
    columns.slotOf = SlotIndex.fromParts(s.slotOf)
    columns.freeSlots.push(...s.freeSlots)
    for (const c of s.columns) columns.columns.set(c.field, { text: c.text ? TextColumn.fromParts(c.text) : null, num: c.num })
    for (const { field, ...order } of s.orders) columns.orders.set(field, order)
    return columns
  }

  /** Applies upserts already written to the tables. */
  upsertMany(docs: readonly (readonly [number, readonly AttrValue[]])[]): void {
    this.changed(docs.length)
    for (const [rowid, attrs] of docs) this.upsert(rowid, attrs)
  }

  /** Applies deletes already written to the tables. */
  removeMany(rowids: readonly number[]): void {
    this.changed(rowids.length)
    for (const rowid of rowids) this.remove(rowid)
  }

  /** Before a write of `n` documents: what was derived from the documents no longer holds. */
  private changed(n: number): void {
    this.matches.clear()
    this.matchSlotsCached = 0
    if (n > this.orderUpdateMax) this.orders.clear()
  }

  private upsert(rowid: number, attrs: readonly AttrValue[]): void {
    const existed = this.slotOf.get(rowid) !== -1
    const slot = this.slotFor(rowid)
    if (existed) for (const [field, order] of this.orders) this.leaveOrder(order, field, slot)
    for (const [field, column] of this.columns) {
      const ids: number[] = []
      let num = Number.NaN
      for (const a of attrs) {
        if (a.field !== field) continue
        if (a.text !== null) {
          column.text ??= new TextColumn(this.rowids.length)
          ids.push(column.text.id(a.text))
        } else if (a.num !== null) {
          column.num ??= newNumbers(this.rowids.length)
          num = a.num
        }
      }
      column.text?.set(slot, ids)
      if (column.num) column.num[slot] = num
    }
    for (const [field, order] of this.orders) this.enterOrder(order, field, slot)
  }

  private remove(rowid: number): void {
    const slot = this.slotOf.get(rowid)
    if (slot === -1) return
    for (const [field, order] of this.orders) this.leaveOrder(order, field, slot)
    for (const column of this.columns.values()) {
      column.text?.set(slot, [])
      if (column.num) column.num[slot] = Number.NaN
    }
    this.slotOf.delete(rowid)
    this.rowids[slot] = 0
    this.freeSlots.push(slot)
  }

  /**
   * The slots matching a text query, in FTS5's order, if they were read since the last
   * write (putMatch): FTS5 is asked once per text until the next write.
   */
  cachedMatch(match: string): Int32Array | undefined {
    const slots = this.matches.get(match)
    if (slots) {
      // Most recently used last, so the first entry is the one to drop.
      this.matches.delete(match)
      this.matches.set(match, slots)
    }
    return slots
  }

  /** Remembers the rowids matching a text query (read at this copy's generation); returns their slots. */
  putMatch(match: string, rowids: ArrayLike<number>): Int32Array {
    const slots = this.slotsOf(rowids).slice()
    const n = slots.length
    if (n <= MATCH_CACHE_SLOTS) {
      for (const [key, old] of this.matches) {
        if (this.matches.size < MATCH_CACHE_ENTRIES && this.matchSlotsCached + n <= MATCH_CACHE_SLOTS) break
        this.matches.delete(key)
        this.matchSlotsCached -= old.length
      }
      this.matches.set(match, slots)
      this.matchSlotsCached += n
    }
    return slots
  }

  /** A query's filters and ranges, resolved against the columns (loaded if needed). */
  selection(
    filters: readonly (readonly [string, readonly string[]])[],
    ranges: readonly (readonly [string, { min?: number; max?: number }])[],
  ): Selection {
    const conditions: Condition[] = []
    let impossible = false
    for (const [field, values] of filters) {
      const { text } = this.column(field)
      if (!text) {
        impossible = true
        continue
      }
      const wanted = new Uint8Array(text.values.length)
      let any = false
      for (const value of values) {
        const id = text.existingId(value)
        if (id !== undefined) {
          wanted[id] = 1
          any = true
        }
      }
      if (!any) impossible = true
      conditions.push({ text, wanted })
    }
    for (const [field, { min, max }] of ranges) {
      const { num } = this.column(field)
      if (!num) {
        impossible = true
        continue
      }
      conditions.push({ num, lo: min ?? Number.NEGATIVE_INFINITY, hi: max ?? Number.POSITIVE_INFINITY })
    }
    return new Selection(conditions, impossible)
  }

  /**
   * Slots of the documents `selection` passes, among `candidates` (slots, e.g. the
   * text matches, whose order is kept) or all documents. A new array: the candidates
   * are left as they are.
   */
  matching(candidates: Int32Array | null, selection: Selection): Int32Array {
    if (candidates) return selection.narrow(candidates.slice())
    const slots = new Int32Array(this.slotOf.size)
    let n = 0
    for (let slot = 0; slot < this.used; slot++) if (this.rowids[slot] !== 0) slots[n++] = slot
    return selection.narrow(slots.subarray(0, n))
  }

  /** Value → number of documents among `slots`, per field; values no document holds are left out. */
  facets(slots: Int32Array, fields: readonly string[]): SearchResult['facets'] {
    const facets: SearchResult['facets'] = {}
    for (const field of fields) {
      const { text, num } = this.column(field)
      const counts: Record<string, number> = {}
      if (text) {
        const perId = text.count(slots)
        const ids = [...perId.keys()].filter((id) => perId[id]! > 0)
        ids.sort((a, b) => (text.values[a]! < text.values[b]! ? -1 : 1))
        for (const id of ids) counts[text.values[id]!] = perId[id]!
      }
      if (num) {
        const perValue = new Map<number, number>()
        for (const slot of slots) {
          const v = num[slot]!
          if (!Number.isNaN(v)) perValue.set(v, (perValue.get(v) ?? 0) + 1)
        }
        // A number and a text value that print alike ("5" and 5) share one key.
        for (const v of [...perValue.keys()].sort((a, b) => a - b)) {
          const key = String(v)
          counts[key] = (counts[key] ?? 0) + (perValue.get(v) ?? 0)
        }
      }
      facets[field] = counts
    }
    return facets
  }

  /**
   * The first `k` of `slots` in the order `sort` gives (documents without the
   * attribute last), ties by rowid in the same direction; with no sort, by rowid
   * descending, newest first. A bounded heap: for lists that are not in order.
   */
  firstSlots(slots: Int32Array, k: number, sort: { by: string; direction: SortDirection } | null): number[] {
    // The order as two ascending numeric keys: the value (Infinity when missing, so
    // last) and the rowid, both negated for descending.
    const sign = sort?.direction === 'asc' ? 1 : -1
    const values = sort === null ? null : this.column(sort.by).num
    const best = new SmallestK(Math.min(k, slots.length))
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!
      const v = values ? values[slot]! : 0
      best.offer(Number.isNaN(v) ? Number.POSITIVE_INFINITY : sign * v, sign * this.rowids[slot]!, slot)
    }
    return best.sorted()
  }

  /**
   * The first `k` documents in the order `sort` gives (as firstSlots) that
   * `selection` passes. Reads the attribute's sort order in growing chunks and stops
   * once it has `k`: a first page costs about k ÷ (the share of documents passing),
   * not the size of the index.
   */
  firstInOrder(sort: { by: string; direction: SortDirection }, selection: Selection, k: number): Int32Array {
    const out = new Int32Array(k)
    let n = 0
    if (k === 0 || selection.impossible) return out.subarray(0, 0)
    const sorted = this.sortOrder(sort.by)
    const step = sort.direction === 'asc' ? 1 : -1
    const segments: [Int32Array, number, 1 | -1][] = [
      [sorted.present, sorted.presentLength, step],
      [sorted.missing, sorted.missingLength, step],
    ]
    let chunk = Math.max(FIRST_CHUNK, Math.min(MAX_CHUNK, k))
    const buffer = new Int32Array(MAX_CHUNK)
    for (const [list, length, step] of segments) {
      for (let done = 0; done < length && n < k;) {
        const size = Math.min(chunk, length - done)
        const view = buffer.subarray(0, size)
        if (step === 1) view.set(list.subarray(done, done + size))
        else for (let i = 0; i < size; i++) view[i] = list[length - 1 - done - i]!
        done += size
        const kept = selection.narrow(view)
        const take = Math.min(kept.length, k - n)
        out.set(kept.subarray(0, take), n)
        n += take
        chunk = Math.min(chunk * 2, MAX_CHUNK)
      }
    }
    return out.subarray(0, n)
  }

  /** The rowids of slots, in their order. */
  rowidsOf(slots: ArrayLike<number>): number[] {
    return Array.from(slots, (slot) => this.rowids[slot]!)
  }

  /** The slot of a rowid; -1 when no document has it. */
  slotOfRowid(rowid: number): number {
    return this.slotOf.get(rowid)
  }

  /** The slots of rowids, in their order; rowids of no document are left out. */
  slotsOf(rowids: ArrayLike<number>): Int32Array {
    const slots = new Int32Array(rowids.length)
    let n = 0
    for (let i = 0; i < rowids.length; i++) {
      const slot = this.slotOf.get(rowids[i]!)
      if (slot !== -1) slots[n++] = slot
    }
    return slots.subarray(0, n)
  }

  /** The rowids of slots, as a typed array (to hand to another thread). */
  rowidArray(slots: Int32Array): Float64Array {
    const out = new Float64Array(slots.length)
    for (let i = 0; i < slots.length; i++) out[i] = this.rowids[slots[i]!]!
    return out
  }

  /** The sort order of `field`, sorted now if no write has kept it. */
  private sortOrder(field: string): SortOrder {
    let order = this.orders.get(field)
    if (order) return order
    const { num } = this.column(field)
    // Sorted without a comparator (typed arrays sort numbers natively, ~10× faster than
    // calling back for every comparison): the live rowids, then the values; each slot,
    // taken in rowid order, goes to the next free place of its value's block, so ties
    // are in rowid order. (0 and -0 share a block: the comparisons below treat them as equal.)
    const byRowid = new Float64Array(this.slotOf.size)
    let n = 0
    for (let slot = 0; slot < this.used; slot++) if (this.rowids[slot] !== 0) byRowid[n++] = this.rowids[slot]!
    byRowid.subarray(0, n).sort()
    const values = new Float64Array(n)
    let p = 0
    if (num)
      for (let i = 0; i < n; i++) {
        const v = num[this.slotOf.get(byRowid[i]!)]!
        if (!Number.isNaN(v)) values[p++] = v
      }
    const sortedValues = values.subarray(0, p).sort()
    const present = new Int32Array(Math.max(64, n))
    const missing = new Int32Array(Math.max(64, n))
    const taken = new Int32Array(p)
    let m = 0
    for (let i = 0; i < n; i++) {
      const slot = this.slotOf.get(byRowid[i]!)
      const v = num ? num[slot]! : Number.NaN
      if (Number.isNaN(v)) {
        missing[m++] = slot
        continue
      }
      let lo = 0
      let hi = p
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (sortedValues[mid]! < v) lo = mid + 1
        else hi = mid
      }
      present[lo + taken[lo]!++] = slot
    }
    order = { present, presentLength: p, missing, missingLength: m }
    this.orders.set(field, order)
    return order
  }

  /** Where a slot with (value, rowid) goes in an order's list: the first position not before it. */
  private position(list: Int32Array, length: number, num: Float64Array | null, value: number, rowid: number): number {
    const rowids = this.rowids
    let lo = 0
    let hi = length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const other = list[mid]!
      const v = num === null || Number.isNaN(value) ? 0 : num[other]! - value
      if (v < 0 || (v === 0 && rowids[other]! < rowid)) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Takes a live slot out of an order, by its current value. */
  private leaveOrder(order: SortOrder, field: string, slot: number): void {
    const num = this.columns.get(field)?.num ?? null
    const value = num ? num[slot]! : Number.NaN
    const inPresent = !Number.isNaN(value)
    const list = inPresent ? order.present : order.missing
    const length = inPresent ? order.presentLength : order.missingLength
    const at = this.position(list, length, inPresent ? num : null, value, this.rowids[slot]!)
    if (list[at] !== slot || at >= length) {
      // Not where it should be: never expected, but an order out of step is rebuilt, not trusted.
      this.orders.delete(field)
      return
    }
    list.copyWithin(at, at + 1, length)
    if (inPresent) order.presentLength--
    else order.missingLength--
  }

  /** Puts a live slot into an order, by its current value. */
  private enterOrder(order: SortOrder, field: string, slot: number): void {
    if (this.orders.get(field) !== order) return
    const num = this.columns.get(field)?.num ?? null
    const value = num ? num[slot]! : Number.NaN
    const inPresent = !Number.isNaN(value)
    let list = inPresent ? order.present : order.missing
    const length = inPresent ? order.presentLength : order.missingLength
    if (length === list.length) {
      const bigger = new Int32Array(list.length * 2)
      bigger.set(list)
      list = bigger
      if (inPresent) order.present = list
      else order.missing = list
    }
    const at = this.position(list, length, inPresent ? num : null, value, this.rowids[slot]!)
    list.copyWithin(at + 1, at, length)
    list[at] = slot
    if (inPresent) order.presentLength++
    else order.missingLength++
  }

  private slotFor(rowid: number): number {
    let slot = this.slotOf.get(rowid)
    if (slot !== -1) return slot
    slot = this.freeSlots.pop() ?? this.used++
    if (slot >= this.rowids.length) this.grow(this.rowids.length * 2)
    this.rowids[slot] = rowid
    this.slotOf.set(rowid, slot)
    return slot
  }

  private grow(capacity: number): void {
    const rowids = new Float64Array(capacity)
    rowids.set(this.rowids)
    this.rowids = rowids
    for (const column of this.columns.values()) {
      column.text?.grow(capacity)
      if (column.num) {
        const num = newNumbers(capacity)
        num.set(column.num)
        column.num = num
      }
    }
  }

  /** The column of `field`, read from search_attrs on first use. */
  private column(field: string): Column {
    let column = this.columns.get(field)
    if (column) return column
    const capacity = this.rowids.length
    const groups: [string, number[]][] = []
    // One row per distinct value with its documents as a JSON array: far fewer
    // rows to hand to JavaScript than one per document.
    const textRows = this.sqlite
      .prepare(
        `SELECT text, json_group_array(doc) FROM search_attrs
          WHERE idx = ? AND field = ? AND text IS NOT NULL GROUP BY text`,
      )
      .raw()
      .iterate(this.index, field) as IterableIterator<[string, string]>
    for (const [value, docs] of textRows) {
      const slots: number[] = []
      for (const rowid of JSON.parse(docs) as number[]) {
        const slot = this.slotOf.get(rowid)
        if (slot !== -1) slots.push(slot)
      }
      groups.push([value, slots])
    }
    let text: TextColumn | null = null
    if (groups.length > 0) {
      text = new TextColumn(capacity)
      text.load(groups)
    }
    let num: Float64Array | null = null
    // Numbers are read as such (JSON would print them with fewer digits), documents and
    // values as two plain lists in the same order (the index's: a document has one number
    // per attribute, so (num, doc) is unique): half the cost of a row per document.
    const byIndex = 'FROM search_attrs WHERE idx = ? AND field = ? AND num IS NOT NULL ORDER BY num, doc'
    const docs = this.sqlite.prepare(`SELECT doc ${byIndex}`).pluck().all(this.index, field) as number[]
    const values = this.sqlite.prepare(`SELECT num ${byIndex}`).pluck().all(this.index, field) as number[]
    for (let i = 0; i < docs.length; i++) {
      const slot = this.slotOf.get(docs[i]!)
      if (slot === -1) continue
      num ??= newNumbers(capacity)
      num[slot] = values[i]!
    }
    column = { text, num }
    this.columns.set(field, column)
    return column
  }
}

/** Whether the pair (key, tie) comes after (otherKey, otherTie) in ascending order. */
function after(key: number, tie: number, otherKey: number, otherTie: number): boolean {
  return key > otherKey || (key === otherKey && tie > otherTie)
}

/**
 * The items with the `k` smallest (key, tie) pairs. A max-heap holds the best k
 * offered so far with its worst at the root, so most offers cost one comparison
 * with the root and n offers cost at most n·log k. Ties are rowids, so the order is total.
 */
class SmallestK {
  private readonly keys: Float64Array
  private readonly ties: Float64Array
  private readonly items: Int32Array
  private size = 0

  constructor(private readonly k: number) {
    this.keys = new Float64Array(k)
    this.ties = new Float64Array(k)
    this.items = new Int32Array(k)
  }

  offer(key: number, tie: number, item: number): void {
    if (this.size < this.k) this.add(key, tie, item)
    else if (this.k > 0 && after(this.keys[0]!, this.ties[0]!, key, tie)) this.replaceRoot(key, tie, item)
  }

  /** The items, smallest pair first. */
  sorted(): number[] {
    const { keys, ties } = this
    const order = Array.from({ length: this.size }, (_, i) => i)
    order.sort((a, b) => (after(keys[a]!, ties[a]!, keys[b]!, ties[b]!) ? 1 : -1))
    return order.map((i) => this.items[i]!)
  }

  private add(key: number, tie: number, item: number): void {
    let i = this.size++
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!after(key, tie, this.keys[parent]!, this.ties[parent]!)) break
      this.move(parent, i)
      i = parent
    }
    this.put(i, key, tie, item)
  }

  private replaceRoot(key: number, tie: number, item: number): void {
    const { keys, ties } = this
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= this.size) break
      if (child + 1 < this.size && after(keys[child + 1]!, ties[child + 1]!, keys[child]!, ties[child]!)) child++
      if (!after(keys[child]!, ties[child]!, key, tie)) break
      this.move(child, i)
      i = child
    }
    this.put(i, key, tie, item)
  }

  private move(from: number, to: number): void {
    this.put(to, this.keys[from]!, this.ties[from]!, this.items[from]!)
  }

  private put(at: number, key: number, tie: number, item: number): void {
    this.keys[at] = key
    this.ties[at] = tie
    this.items[at] = item
  }
}
