import ExcelJS from 'exceljs'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../../db/types.js'
import { DIAGNOSIS_KINDS, type DiagnosisKind } from '../../../db/enums.js'
import { translator, type Locale, type MessageKey } from '../../i18n/index.js'
import { holdsConsultancy } from '../diagnosis/projects-gate.server.js'
import { normaliseUscc, validateUscc } from '../orgs/uscc.js'
import { USCC_MESSAGES } from '../orgs/schema.js'
import { isInJurisdiction, jurisdictionCodes } from '../reference/jurisdiction.js'
import { refName, regionLabel, type ReferenceData } from '../reference/reference.server.js'
import { columnLetter, IMPORT_COLUMNS, type ImportList } from './columns.js'
import { MAX_IMPORT_ROWS, MAX_IMPORT_UNPACKED_BYTES, MAX_ISSUES, PREVIEW_ROWS } from './limits.js'

/*
 * Imports of an agency's lists from .xlsx (issue 15 §7): the first sheet, its header in
 * row 1 in the template's order (app/domain/spreadsheets/columns.ts), data from row 2.
 * Every row is checked — the rules of the organisation form and the exchange format
 * (USCC with its check character, names of 2–100 characters, a contact phone's shape),
 * the region inside the agency's jurisdiction, and for diagnosis lists the rules of an
 * agency's assignment (app/domain/diagnosis/projects.server.ts: a verified enterprise of
 * the jurisdiction, a verified 诊断咨询机构, one live project per pair) — and every
 * problem is kept with its row and column. A file with any problem writes nothing; a
 * valid one is written whole, in one transaction, after 确认导入 (the checks run again
 * inside it, so a row that became invalid meanwhile stops the write).
 *
 * - enterprises: organisations of kind enterprise, verified by the importing agency
 *   (its owner or reviewer vouches, as when it approves an application), with their
 *   一企一档 row (规上 flag). A USCC already on the platform is a row error.
 * - diagnoses (诊断对接名单): the agency assigns a diagnoser to each enterprise, as
 *   /diagnoses/new does one at a time: an active project (origin agency), its report
 *   version 1 drafted.
 */

export interface ImportIssue {
  /** The spreadsheet's row (1: the header; 0: the file as a whole). */
  row: number
  /** A column key of the template ('' for the row or the file). */
  column: string
  message: MessageKey
  value: string
}

export interface PreviewRow {
  row: number
  label: string
  detail: string
}

interface RawRow {
  row: number
  cells: Record<string, string>
}

export interface EnterpriseRow {
  row: number
  name: string
  uscc: string
  regionCode: string
  industryCode: string
  aboveScale: boolean
  contactName: string
  contactPhone: string
}

export interface DiagnosisRow {
  row: number
  enterpriseOrgId: number
  enterpriseName: string
  providerOrgId: number
  providerName: string
  kind: DiagnosisKind
  note: string
}

export type Checked = { list: 'enterprises'; rows: EnterpriseRow[] } | { list: 'diagnoses'; rows: DiagnosisRow[] }

export interface CheckResult {
  /** Data rows in the file. */
  rowCount: number
  issues: ImportIssue[]
  /** All issues, including those beyond MAX_ISSUES. */
  issueCount: number
  checked: Checked | null
  preview: PreviewRow[]
}

type Db = Kysely<DB> | Transaction<DB>

const cut = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/* --------------------------------------------------------------- the file */

/**
 * What the zip's entries unpack to, from its central directory (without unpacking):
 * null when the bytes are not a zip (or a ZIP64 one, which no template is).
 */
export function unpackedSize(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const min = Math.max(0, bytes.length - 22 - 65_535)
  let eocd = -1
  for (let i = bytes.length - 22; i >= min; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return null
  const entries = view.getUint16(eocd + 10, true)
  let offset = view.getUint32(eocd + 16, true)
  let total = 0
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50) return null
    const size = view.getUint32(offset + 24, true)
    if (size === 0xffffffff) return null
    total += size
    offset += 46 + view.getUint16(offset + 28, true) + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true)
  }
  return total
}

/** Control characters (a cell may hold them; no column wants them), tabs and line breaks kept as spaces. */
function stripControls(text: string): string {
  let out = ''
  for (const ch of text) {
    const code = ch.codePointAt(0)!
    if (code === 9 || code === 10 || code === 13) out += ' '
    else if (code >= 32 && code !== 127) out += ch
  }
  return out
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('')
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: ExcelJS.CellValue }).result
      return result === undefined ? '' : cellText(result)
    }
    if ('text' in value && typeof value.text === 'string') return value.text
    if ('error' in value) return ''
  }
  return ''
}

/** Every spelling a header may have: the template's (zh, en), with or without the required mark. */
function headerMatches(list: ImportList, key: string, text: string): boolean {
  const clean = text.replace(/[*＊\s]/g, '')
  return (['zh-CN', 'en'] as const).some(
    (l) => translator(l)(`spreadsheets.col.${list}.${key}` as MessageKey).replace(/[*＊\s]/g, '') === clean,
  )
}

/** The file's header and data rows, or file-level issues (not an .xlsx, too big unpacked, wrong header, too many rows). */
export async function readImportFile(list: ImportList, bytes: Uint8Array): Promise<{ rows: RawRow[]; issues: ImportIssue[] }> {
  const size = unpackedSize(bytes)
  if (size === null) return { rows: [], issues: [{ row: 0, column: '', message: 'spreadsheets.v.notXlsx', value: '' }] }
  if (size > MAX_IMPORT_UNPACKED_BYTES) {
    return { rows: [], issues: [{ row: 0, column: '', message: 'spreadsheets.v.unpackedTooLarge', value: '' }] }
  }
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer)
  } catch {
    return { rows: [], issues: [{ row: 0, column: '', message: 'spreadsheets.v.notXlsx', value: '' }] }
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) return { rows: [], issues: [{ row: 0, column: '', message: 'spreadsheets.v.noRows', value: '' }] }
  const columns = IMPORT_COLUMNS[list]
  const issues: ImportIssue[] = []
  const header = sheet.getRow(1)
  columns.forEach((c, i) => {
    const text = cellText(header.getCell(i + 1).value).trim()
    if (!headerMatches(list, c.key, text)) {
      issues.push({ row: 1, column: c.key, message: 'spreadsheets.v.header', value: cut(text) })
    }
  })
  if (issues.length) return { rows: [], issues }
  const rows: RawRow[] = []
  let tooMany = false
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1 || tooMany) return
    const cells: Record<string, string> = {}
    let any = false
    columns.forEach((c, i) => {
      const text = stripControls(cellText(row.getCell(i + 1).value)).trim()
      cells[c.key] = text
      if (text) any = true
    })
    if (!any) return
    if (rows.length >= MAX_IMPORT_ROWS) {
      tooMany = true
      return
    }
    rows.push({ row: rowNumber, cells })
  })
  if (tooMany) {
    return {
      rows: [],
      issues: [{ row: 0, column: '', message: 'spreadsheets.v.tooManyRows', value: String(MAX_IMPORT_ROWS) }],
    }
  }
  if (rows.length === 0) return { rows: [], issues: [{ row: 0, column: '', message: 'spreadsheets.v.noRows', value: '' }] }
  return { rows, issues: [] }
}

/* -------------------------------------------------------------- the checks */

class Issues {
  list: ImportIssue[] = []
  count = 0
  add(row: number, column: string, message: MessageKey, value: string) {
    this.count += 1
    if (this.list.length < MAX_ISSUES) this.list.push({ row, column, message, value: cut(value) })
  }
}

function charCount(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

const YES = new Set(['是', 'y', 'yes', '1', 'true', '√', '规上'])
const NO = new Set(['否', 'n', 'no', '0', 'false', '', '×', '规下'])

/** Checks a column's length and required-ness; returns whether to go on with it. */
function present(list: ImportList, issues: Issues, r: RawRow, key: string): boolean {
  const column = IMPORT_COLUMNS[list].find((c) => c.key === key)!
  const v = r.cells[key] ?? ''
  if (!v) {
    if (column.required) issues.add(r.row, key, 'spreadsheets.v.required', '')
    return false
  }
  if (charCount(v) > column.max) {
    issues.add(r.row, key, 'spreadsheets.v.tooLong', v)
    return false
  }
  return true
}

function checkUscc(issues: Issues, r: RawRow, key: string): string | null {
  const code = normaliseUscc(r.cells[key] ?? '')
  const result = validateUscc(code)
  if (!result.ok) {
    issues.add(r.row, key, USCC_MESSAGES[result.reason], r.cells[key] ?? '')
    return null
  }
  return code
}

async function inChunks<T, R>(items: T[], size: number, read: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = []
  for (let i = 0; i < items.length; i += size) out.push(...(await read(items.slice(i, i + size))))
  return out
}

/** Every region of the jurisdiction by code and by name (zh and en); a name two regions share is ambiguous. */
function regionFinder(ref: ReferenceData, agencyRegion: string) {
  const codes = new Set(jurisdictionCodes(ref, agencyRegion))
  const byName = new Map<string, string | null>()
  for (const code of codes) {
    const region = ref.regionsByCode.get(code)
    if (!region) continue
    for (const name of new Set([region.name, region.name_en].filter(Boolean))) {
      const key = name.toLowerCase()
      byName.set(key, byName.has(key) && byName.get(key) !== code ? null : code)
    }
  }
  return (text: string): { code: string } | { problem: MessageKey } => {
    const upper = text.toUpperCase()
    if (/^[0-9A-Z]{6}$/.test(upper)) {
      if (!ref.regionsByCode.has(upper)) return { problem: 'spreadsheets.v.region' }
      return isInJurisdiction(ref, agencyRegion, upper) ? { code: upper } : { problem: 'spreadsheets.v.regionOutside' }
    }
    const found = byName.get(text.toLowerCase())
    if (found === null) return { problem: 'spreadsheets.v.regionAmbiguous' }
    return found ? { code: found } : { problem: 'spreadsheets.v.region' }
  }
}

function industryFinder(ref: ReferenceData) {
  const byName = new Map<string, string>()
  for (const i of ref.industries) {
    byName.set(i.name.toLowerCase(), i.code)
    if (i.name_en) byName.set(i.name_en.toLowerCase(), i.code)
  }
  return (text: string): string | null => {
    const upper = text.toUpperCase()
    if (ref.industriesByCode.has(upper)) return upper
    return byName.get(text.toLowerCase()) ?? null
  }
}

async function checkEnterprises(db: Db, ref: ReferenceData, agencyRegion: string, raw: RawRow[], issues: Issues) {
  const findRegion = regionFinder(ref, agencyRegion)
  const findIndustry = industryFinder(ref)
  const candidates: (EnterpriseRow | null)[] = []
  const seen = new Map<string, number>()
  for (const r of raw) {
    const before = issues.count
    const row: EnterpriseRow = {
      row: r.row,
      name: '',
      uscc: '',
      regionCode: '',
      industryCode: '',
      aboveScale: false,
      contactName: '',
      contactPhone: '',
    }
    if (present('enterprises', issues, r, 'name')) {
      if (charCount(r.cells.name!) < 2) issues.add(r.row, 'name', 'spreadsheets.v.tooShort', r.cells.name!)
      else row.name = r.cells.name!
    }
    if (present('enterprises', issues, r, 'uscc')) {
      const code = checkUscc(issues, r, 'uscc')
      if (code) {
        const first = seen.get(code)
        if (first !== undefined) issues.add(r.row, 'uscc', 'spreadsheets.v.usccRepeated', code)
        else seen.set(code, r.row)
        row.uscc = code
      }
    }
    if (present('enterprises', issues, r, 'region')) {
      const found = findRegion(r.cells.region!)
      if ('code' in found) row.regionCode = found.code
      else issues.add(r.row, 'region', found.problem, r.cells.region!)
    }
    if (present('enterprises', issues, r, 'industry')) {
      const code = findIndustry(r.cells.industry!)
      if (code) row.industryCode = code
      else issues.add(r.row, 'industry', 'spreadsheets.v.industry', r.cells.industry!)
    }
    if (present('enterprises', issues, r, 'aboveScale')) {
      const v = r.cells.aboveScale!.toLowerCase()
      if (YES.has(v)) row.aboveScale = true
      else if (!NO.has(v)) issues.add(r.row, 'aboveScale', 'spreadsheets.v.yesNo', r.cells.aboveScale!)
    }
    if (present('enterprises', issues, r, 'contactName')) row.contactName = r.cells.contactName!
    if (present('enterprises', issues, r, 'contactPhone')) {
      if (/^[0-9+\-() ]{7,20}$/.test(r.cells.contactPhone!)) row.contactPhone = r.cells.contactPhone!
      else issues.add(r.row, 'contactPhone', 'spreadsheets.v.phone', r.cells.contactPhone!)
    }
    candidates.push(issues.count === before ? row : null)
  }
  // A USCC the platform already holds (any organisation but a rejected application).
  const codes = [...seen.keys()]
  const taken = new Set(
    (
      await inChunks(codes, 500, (part) =>
        db.selectFrom('organisations').select('uscc').where('uscc', 'in', part).where('status', '<>', 'rejected').execute(),
      )
    ).map((r) => r.uscc),
  )
  const rows: EnterpriseRow[] = []
  for (const row of candidates) {
    if (!row) continue
    if (taken.has(row.uscc)) {
      issues.add(row.row, 'uscc', 'spreadsheets.v.usccTaken', row.uscc)
      continue
    }
    rows.push(row)
  }
  return rows
}

function kindFinder() {
  const map = new Map<string, DiagnosisKind>()
  for (const k of DIAGNOSIS_KINDS) {
    map.set(k, k)
    for (const l of ['zh-CN', 'en'] as const) {
      map.set(translator(l)(`enterprises.diagnosisKind.${k}`).toLowerCase(), k)
    }
  }
  return (text: string) => map.get(text.toLowerCase()) ?? null
}

async function checkDiagnoses(db: Db, ref: ReferenceData, agencyRegion: string, raw: RawRow[], issues: Issues) {
  const findKind = kindFinder()
  interface Candidate {
    row: number
    enterprise: string | null
    provider: string | null
    kind: DiagnosisKind | null
    note: string
  }
  const candidates: Candidate[] = raw.map((r) => {
    const c: Candidate = { row: r.row, enterprise: null, provider: null, kind: null, note: '' }
    if (present('diagnoses', issues, r, 'enterpriseUscc')) c.enterprise = checkUscc(issues, r, 'enterpriseUscc')
    if (present('diagnoses', issues, r, 'providerUscc')) c.provider = checkUscc(issues, r, 'providerUscc')
    if (present('diagnoses', issues, r, 'kind')) {
      c.kind = findKind(r.cells.kind!)
      if (!c.kind) issues.add(r.row, 'kind', 'spreadsheets.v.kind', r.cells.kind!)
    }
    if (present('diagnoses', issues, r, 'note')) c.note = r.cells.note!
    return c
  })
  const enterpriseCodes = [...new Set(candidates.map((c) => c.enterprise).filter((c): c is string => !!c))]
  const providerCodes = [...new Set(candidates.map((c) => c.provider).filter((c): c is string => !!c))]
  const enterprises = new Map(
    (
      await inChunks(enterpriseCodes, 500, (part) =>
        db
          .selectFrom('organisations')
          .select(['id', 'name', 'uscc', 'region_code'])
          .where('uscc', 'in', part)
          .where('kind', '=', 'enterprise')
          .where('status', '=', 'verified')
          .execute(),
      )
    ).map((o) => [o.uscc!, o]),
  )
  const providers = new Map(
    (
      await inChunks(providerCodes, 500, (part) =>
        db
          .selectFrom('organisations')
          .select(['id', 'name', 'uscc'])
          .where('uscc', 'in', part)
          .where('kind', '=', 'provider')
          .where('status', '=', 'verified')
          .where(holdsConsultancy)
          .execute(),
      )
    ).map((o) => [o.uscc!, o]),
  )
  const enterpriseIds = [...enterprises.values()].map((e) => e.id)
  const live = new Set(
    (
      await inChunks(enterpriseIds, 500, (part) =>
        db
          .selectFrom('diagnoses')
          .select(['enterprise_org_id', 'provider_org_id'])
          .where('enterprise_org_id', 'in', part)
          .where('status', 'in', ['proposed', 'active'])
          .execute(),
      )
    ).map((d) => `${d.enterprise_org_id}:${d.provider_org_id}`),
  )
  const pairs = new Set<string>()
  const rows: DiagnosisRow[] = []
  for (const c of candidates) {
    let ok = c.kind !== null
    const enterprise = c.enterprise ? enterprises.get(c.enterprise) : undefined
    const provider = c.provider ? providers.get(c.provider) : undefined
    if (c.enterprise && !enterprise) {
      issues.add(c.row, 'enterpriseUscc', 'spreadsheets.v.enterpriseUnknown', c.enterprise)
      ok = false
    } else if (enterprise && !isInJurisdiction(ref, agencyRegion, enterprise.region_code)) {
      issues.add(c.row, 'enterpriseUscc', 'spreadsheets.v.enterpriseOutside', c.enterprise!)
      ok = false
    }
    if (c.provider && !provider) {
      issues.add(c.row, 'providerUscc', 'spreadsheets.v.diagnoserUnknown', c.provider)
      ok = false
    }
    if (!enterprise || !provider || !ok) continue
    const pair = `${enterprise.id}:${provider.id}`
    if (live.has(pair)) {
      issues.add(c.row, 'providerUscc', 'spreadsheets.v.livePair', c.provider!)
      continue
    }
    if (pairs.has(pair)) {
      issues.add(c.row, 'providerUscc', 'spreadsheets.v.pairRepeated', c.provider!)
      continue
    }
    pairs.add(pair)
    rows.push({
      row: c.row,
      enterpriseOrgId: enterprise.id,
      enterpriseName: enterprise.name,
      providerOrgId: provider.id,
      providerName: provider.name,
      kind: c.kind!,
      note: c.note,
    })
  }
  return rows
}

/** Reads and checks a file: its issues (none → the rows to write) and its preview. */
export async function checkImport(
  db: Db,
  ref: ReferenceData,
  agencyRegion: string,
  list: ImportList,
  bytes: Uint8Array,
  locale: Locale,
): Promise<CheckResult> {
  const file = await readImportFile(list, bytes)
  if (file.issues.length) {
    return { rowCount: file.rows.length, issues: file.issues, issueCount: file.issues.length, checked: null, preview: [] }
  }
  const issues = new Issues()
  const t = translator(locale)
  let checked: Checked
  let preview: PreviewRow[]
  if (list === 'enterprises') {
    const rows = await checkEnterprises(db, ref, agencyRegion, file.rows, issues)
    checked = { list, rows }
    preview = rows.slice(0, PREVIEW_ROWS).map((r) => ({
      row: r.row,
      label: cut(r.name),
      detail: cut(
        [
          r.uscc,
          regionLabel(ref, r.regionCode, locale),
          refName(ref.industriesByCode.get(r.industryCode)!, locale),
          r.aboveScale ? t('spreadsheets.aboveScale') : '',
        ]
          .filter(Boolean)
          .join(' · '),
        400,
      ),
    }))
  } else {
    const rows = await checkDiagnoses(db, ref, agencyRegion, file.rows, issues)
    checked = { list, rows }
    preview = rows.slice(0, PREVIEW_ROWS).map((r) => ({
      row: r.row,
      label: cut(r.enterpriseName),
      detail: cut(`${r.providerName} · ${t(`enterprises.diagnosisKind.${r.kind}`)}`, 400),
    }))
  }
  const sorted = issues.list.sort((a, b) => a.row - b.row || columnIndex(list, a.column) - columnIndex(list, b.column))
  return {
    rowCount: file.rows.length,
    issues: sorted,
    issueCount: issues.count,
    checked: issues.count ? null : checked,
    preview: issues.count ? [] : preview,
  }
}

function columnIndex(list: ImportList, key: string): number {
  return IMPORT_COLUMNS[list].findIndex((c) => c.key === key)
}

/** "B" for the uscc column of an enterprise list. */
export function issueColumnLetter(list: ImportList, key: string): string {
  const i = columnIndex(list, key)
  return i < 0 ? '' : columnLetter(i)
}

/* --------------------------------------------------------------- writing */

/** Writes checked rows (inside the caller's transaction). Returns the ids written. */
export async function writeImport(
  trx: Transaction<DB>,
  checked: Checked,
  { userId, agencyOrgId, now }: { userId: number; agencyOrgId: number; now: string },
): Promise<number[]> {
  const ids: number[] = []
  if (checked.list === 'enterprises') {
    for (const r of checked.rows) {
      const org = await trx
        .insertInto('organisations')
        .values({
          kind: 'enterprise',
          name: r.name,
          uscc: r.uscc,
          region_code: r.regionCode,
          industry_code: r.industryCode,
          contact_name: r.contactName,
          contact_phone: r.contactPhone,
          status: 'verified',
          created_at: now,
          submitted_at: now,
          reviewed_at: now,
          reviewed_by: userId,
          updated_at: now,
          is_demo: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('enterprise_profiles')
        .values({ org_id: org.id, above_scale: r.aboveScale ? 1 : 0, updated_by: userId, updated_at: now })
        .execute()
      ids.push(org.id)
    }
    return ids
  }
  for (const r of checked.rows) {
    const row = await trx
      .insertInto('diagnoses')
      .values({
        enterprise_org_id: r.enterpriseOrgId,
        provider_org_id: r.providerOrgId,
        kind: r.kind,
        status: 'active',
        origin: 'agency',
        assigned_by_org_id: agencyOrgId,
        note: r.note,
        created_by: userId,
        responded_by: userId,
        responded_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // Report version 1, a draft, as an active project gets at once (projects.server.ts).
    await trx
      .insertInto('diagnosis_report_versions')
      .values({ diagnosis_id: row.id, version: 1, status: 'draft', created_by: userId, created_at: now, updated_at: now })
      .execute()
    ids.push(row.id)
  }
  return ids
}
