import ExcelJS from 'exceljs'

/*
 * The one way an agency list becomes an .xlsx download: sheets of a title line, a bold
 * header row of (Chinese, or the reader's language) column names and the rows, the
 * header frozen. Small lists (an event's batch, evaluation results, targets) are built
 * in the request with `listWorkbook` + `xlsxDownload`; long ones (enterprises, needs,
 * contracts of a province) go through the background tasks of this context
 * (app/domain/spreadsheets/tasks.server.ts), which use the same builder.
 */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export type Cell = string | number | null

export interface SheetColumn {
  header: string
  /** Column width in characters (default 14). */
  width?: number
}

export interface SheetSpec {
  /** The sheet tab's name (≤ 31 characters; Excel's limit — longer names are cut). */
  name: string
  /** A title line above the header, e.g. 扬州市 2022 年度目标完成情况. */
  title?: string
  columns: SheetColumn[]
  rows: Cell[][]
  /** Lines after the rows (a rule, a source, a note). */
  notes?: string[]
}

/** Characters Excel forbids in a sheet name. */
const SHEET_NAME_FORBIDDEN = /[\\/?*[\]:]/g

/**
 * A workbook of one or more tables. Strings are written as string cells (exceljs never
 * turns '=cmd()' into a formula), so a hostile value stays text when the file is opened.
 */
export async function listWorkbook(
  sheets: SheetSpec[],
  { creator, now = new Date() }: { creator: string; now?: Date },
): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = creator
  workbook.created = now
  const used = new Set<string>()
  for (const spec of sheets) {
    let name = spec.name.replace(SHEET_NAME_FORBIDDEN, ' ').slice(0, 31) || 'Sheet'
    for (let n = 2; used.has(name); n += 1) name = `${name.slice(0, 28)} ${n}`
    used.add(name)
    const headerRowIndex = spec.title ? 2 : 1
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: headerRowIndex }] })
    if (spec.title) sheet.addRow([spec.title]).font = { bold: true, size: 14 }
    const header = sheet.addRow(spec.columns.map((c) => c.header))
    header.font = { bold: true }
    header.alignment = { wrapText: true, vertical: 'middle' }
    for (const row of spec.rows) sheet.addRow(row)
    if (spec.notes?.length) {
      sheet.addRow([])
      for (const note of spec.notes) sheet.addRow([note])
    }
    spec.columns.forEach((c, i) => {
      sheet.getColumn(i + 1).width = c.width ?? 14
    })
  }
  const written = await workbook.xlsx.writeBuffer()
  const bytes = new Uint8Array(new ArrayBuffer(written.byteLength))
  bytes.set(new Uint8Array(written))
  return bytes
}

/**
 * `Content-Disposition` of a download with a Chinese name: an ASCII fallback for old
 * clients and the name itself encoded by RFC 5987 / 6266 (`filename*=UTF-8''…`).
 */
export function attachmentDisposition(name: string, asciiFallback: string): string {
  const fallback = asciiFallback.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

/** The headers of an .xlsx download named `fileName` (Chinese allowed; `.xlsx` appended). */
export function xlsxHeaders(body: Uint8Array, fileName: string, asciiFallback: string): Record<string, string> {
  return {
    'Content-Type': XLSX_MIME,
    'Content-Disposition': attachmentDisposition(`${fileName}.xlsx`, `${asciiFallback}.xlsx`),
    'Content-Length': String(body.length),
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
  }
}

/** A route's response for a workbook built in the request. */
export function xlsxDownload(body: Uint8Array<ArrayBuffer>, fileName: string, asciiFallback: string): Response {
  return new Response(body, { status: 200, headers: xlsxHeaders(body, fileName, asciiFallback) })
}
