import type BetterSqlite3 from 'better-sqlite3'
import type { SearchResult, SortDirection } from './engine.js'

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
 */

/** One attribute value as written to search_attrs: exactly one of text and num is set. */
export interface AttrValue {
  field: string
  text: string | null
  num: number | null
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
  pool = new Int32Array(256)
  private poolUsed = 0
  private poolGarbage = 0

  constructor(capacity: number) {
    this.head = new Int32Array(capacity).fill(NONE)
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

export class IndexColumns {
  private readonly slotOf = new Map<number, number>()
  /** Slot → rowid; 0 marks a free slot (SQLite assigns the engine's rowids from 1). */
  private rowids: Float64Array
  /** Slots handed out so far, live or free: every loop over slots stops here. */
  private used = 0
  private readonly freeSlots: number[] = []
  private readonly columns = new Map<string, Column>()

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

  /** Applies an upsert already written to the tables. */
  upsert(rowid: number, attrs: readonly AttrValue[]): void {
    const slot = this.slotFor(rowid)
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
  }

  /** Applies a delete already written to the tables. */
  remove(rowid: number): void {
    const slot = this.slotOf.get(rowid)
    if (slot === undefined) return
    for (const column of this.columns.values()) {
      column.text?.set(slot, [])
      if (column.num) column.num[slot] = Number.NaN
    }
    this.slotOf.delete(rowid)
    this.rowids[slot] = 0
    this.freeSlots.push(slot)
  }

  /**
   * Slots of the documents passing every filter (any of the values) and range
   * (inclusive), among `candidates` (rowids, e.g. the text matches) or all
   * documents. Each condition narrows the list in one loop of its own.
   */
  matching(
    candidates: readonly number[] | null,
    filters: readonly (readonly [string, readonly string[]])[],
    ranges: readonly (readonly [string, { min?: number; max?: number }])[],
  ): Int32Array {
    let slots: Int32Array = new Int32Array(candidates ? candidates.length : this.slotOf.size)
    let n = 0
    if (candidates) {
      for (const rowid of candidates) {
        const slot = this.slotOf.get(rowid)
        if (slot !== undefined) slots[n++] = slot
      }
    } else {
      for (let slot = 0; slot < this.used; slot++) if (this.rowids[slot] !== 0) slots[n++] = slot
    }
    slots = slots.subarray(0, n)
    for (const [field, values] of filters) slots = this.keepHolding(slots, field, values)
    for (const [field, range] of ranges) slots = this.keepInRange(slots, field, range)
    return slots
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
   * Rowids of the first `k` of `slots` in the order `sort` gives (documents without
   * the attribute last), ties by rowid in the same direction; with no sort, by
   * rowid descending, newest first.
   */
  firstRowids(slots: Int32Array, k: number, sort: { by: string; direction: SortDirection } | null): number[] {
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
    return best.sorted().map((slot) => this.rowids[slot]!)
  }

  /** A membership test by rowid for `slots`, for SQL that must keep to them. */
  membership(slots: Int32Array): (rowid: number) => boolean {
    const marked = new Uint8Array(this.used)
    for (const slot of slots) marked[slot] = 1
    return (rowid) => {
      const slot = this.slotOf.get(rowid)
      return slot !== undefined && marked[slot] === 1
    }
  }

  private keepHolding(slots: Int32Array, field: string, values: readonly string[]): Int32Array {
    const { text } = this.column(field)
    if (!text) return slots.subarray(0, 0)
    const wanted = new Uint8Array(text.values.length)
    for (const value of values) {
      const id = text.existingId(value)
      if (id !== undefined) wanted[id] = 1
    }
    return text.keepHolding(slots, wanted)
  }

  private keepInRange(slots: Int32Array, field: string, { min, max }: { min?: number; max?: number }): Int32Array {
    const { num } = this.column(field)
    if (!num) return slots.subarray(0, 0)
    const lo = min ?? Number.NEGATIVE_INFINITY
    const hi = max ?? Number.POSITIVE_INFINITY
    let kept = 0
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!
      // NaN (no number) fails both comparisons.
      if (num[slot]! >= lo && num[slot]! <= hi) slots[kept++] = slot
    }
    return slots.subarray(0, kept)
  }

  private slotFor(rowid: number): number {
    let slot = this.slotOf.get(rowid)
    if (slot !== undefined) return slot
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
        if (slot !== undefined) slots.push(slot)
      }
      groups.push([value, slots])
    }
    let text: TextColumn | null = null
    if (groups.length > 0) {
      text = new TextColumn(capacity)
      text.load(groups)
    }
    let num: Float64Array | null = null
    // Numbers are read as such: JSON would print them with fewer digits.
    const numRows = this.sqlite
      .prepare('SELECT doc, num FROM search_attrs WHERE idx = ? AND field = ? AND num IS NOT NULL')
      .raw()
      .iterate(this.index, field) as IterableIterator<[number, number]>
    for (const [rowid, value] of numRows) {
      const slot = this.slotOf.get(rowid)
      if (slot === undefined) continue
      num ??= newNumbers(capacity)
      num[slot] = value
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
