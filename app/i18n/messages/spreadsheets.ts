/**
 * Catalogue: Excel exports and imports of an agency's lists, run as background tasks.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'spreadsheets.nav': '导入导出',
} as const

export const en: Record<keyof typeof zh, string> = {
  'spreadsheets.nav': 'Import and export',
}
