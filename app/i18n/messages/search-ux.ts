/**
 * Catalogue of search that understands the field: highlighted matches, did-you-mean, saving a search from the hall.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'searchUx.title': '',
} as const

export const en: Record<keyof typeof zh, string> = {
  'searchUx.title': '',
}
