import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Cell, SheetColumn } from './workbook.server.js'

/*
 * A long list written row by row (exceljs' streaming writer): each committed row is
 * zipped as it comes, so an export of 100 000 rows holds the compressed file and one
 * chunk of rows, never the whole sheet as objects. The same layout as listWorkbook
 * (workbook.server.ts): a title line, a bold frozen header, the rows, notes.
 */
export interface StreamedSheet {
  addRows(rows: Cell[][]): void
  /** Lines after the rows; then the file's bytes. */
  finish(notes?: string[]): Promise<Uint8Array<ArrayBuffer>>
}

export function streamedSheet({
  name,
  title,
  columns,
  creator,
}: {
  name: string
  title?: string
  columns: SheetColumn[]
  creator: string
}): StreamedSheet {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false })
  workbook.creator = creator
  workbook.created = new Date()
  const headerRowIndex = title ? 2 : 1
  const sheet = workbook.addWorksheet(name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet', {
    views: [{ state: 'frozen', ySplit: headerRowIndex }],
  })
  sheet.columns = columns.map((c) => ({ width: c.width ?? 14 }))
  if (title) {
    const row = sheet.addRow([title])
    row.font = { bold: true, size: 14 }
    row.commit()
  }
  const header = sheet.addRow(columns.map((c) => c.header))
  header.font = { bold: true }
  header.alignment = { wrapText: true, vertical: 'middle' }
  header.commit()
  return {
    addRows(rows) {
      for (const r of rows) sheet.addRow(r).commit()
    },
    async finish(notes = []) {
      if (notes.length) {
        sheet.addRow([]).commit()
        for (const note of notes) sheet.addRow([note]).commit()
      }
      sheet.commit()
      await workbook.commit()
      const all = Buffer.concat(chunks)
      const bytes = new Uint8Array(new ArrayBuffer(all.length))
      bytes.set(all)
      return bytes
    },
  }
}
