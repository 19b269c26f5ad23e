/*
 * The columns of each export and import (pure; the page shows them too). A header is a
 * catalogue key (Chinese, or English for a reader in English); an import's columns are
 * fixed in the template's order, so an issue names its column by letter and header.
 */

export const EXPORT_LISTS = ['enterprises', 'needs', 'providers', 'contracts'] as const
export type ExportList = (typeof EXPORT_LISTS)[number]

export const IMPORT_LISTS = ['enterprises', 'diagnoses'] as const
export type ImportList = (typeof IMPORT_LISTS)[number]

export type AnyList = ExportList | ImportList

export const EXPORT_COLUMNS = {
  enterprises: [
    { key: 'name', width: 32 },
    { key: 'uscc', width: 22 },
    { key: 'region', width: 24 },
    { key: 'industry', width: 24 },
    { key: 'aboveScale', width: 10 },
    { key: 'diagnosed', width: 12 },
    { key: 'needs', width: 10 },
    { key: 'contactName', width: 12 },
    { key: 'contactPhone', width: 16 },
  ],
  needs: [
    { key: 'id', width: 10 },
    { key: 'title', width: 36 },
    { key: 'enterprise', width: 30 },
    { key: 'region', width: 24 },
    { key: 'industry', width: 24 },
    { key: 'level', width: 14 },
    { key: 'budget', width: 16 },
    { key: 'status', width: 10 },
    { key: 'publishedOn', width: 12 },
    { key: 'deadline', width: 12 },
  ],
  providers: [
    { key: 'name', width: 32 },
    { key: 'uscc', width: 22 },
    { key: 'region', width: 24 },
    { key: 'kinds', width: 36 },
    { key: 'contactName', width: 12 },
    { key: 'contactPhone', width: 16 },
  ],
  contracts: [
    { key: 'id', width: 10 },
    { key: 'title', width: 36 },
    { key: 'enterprise', width: 30 },
    { key: 'provider', width: 30 },
    { key: 'region', width: 24 },
    { key: 'amount', width: 14 },
    { key: 'status', width: 12 },
    { key: 'supervisor', width: 30 },
    { key: 'startDate', width: 12 },
    { key: 'createdOn', width: 12 },
  ],
} as const satisfies Record<ExportList, readonly { key: string; width: number }[]>

export interface ImportColumn {
  key: string
  required: boolean
  width: number
  /** Longest text the cell may hold (characters). */
  max: number
}

export const IMPORT_COLUMNS = {
  enterprises: [
    { key: 'name', required: true, width: 32, max: 100 },
    { key: 'uscc', required: true, width: 22, max: 18 },
    { key: 'region', required: true, width: 20, max: 60 },
    { key: 'industry', required: true, width: 20, max: 100 },
    { key: 'aboveScale', required: false, width: 12, max: 4 },
    { key: 'contactName', required: false, width: 12, max: 40 },
    { key: 'contactPhone', required: false, width: 16, max: 20 },
  ],
  diagnoses: [
    { key: 'enterpriseUscc', required: true, width: 22, max: 18 },
    { key: 'providerUscc', required: true, width: 22, max: 18 },
    { key: 'kind', required: true, width: 18, max: 60 },
    { key: 'note', required: false, width: 36, max: 500 },
  ],
} as const satisfies Record<ImportList, readonly ImportColumn[]>

/** Column letter of a 0-based index (A … Z, AA …). */
export function columnLetter(index: number): string {
  let n = index + 1
  let s = ''
  while (n > 0) {
    const r = (n - 1) % 26
    s = String.fromCharCode(65 + r) + s
    n = Math.floor((n - 1) / 26)
  }
  return s
}

/** The letter of an import column by its key ('' for the file as a whole). */
export function importColumnLetter(list: ImportList, key: string): string {
  const i = IMPORT_COLUMNS[list].findIndex((c) => c.key === key)
  return i < 0 ? '' : columnLetter(i)
}

export function isExportList(value: string): value is ExportList {
  return (EXPORT_LISTS as readonly string[]).includes(value)
}

export function isImportList(value: string): value is ImportList {
  return (IMPORT_LISTS as readonly string[]).includes(value)
}
