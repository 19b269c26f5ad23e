/**
 * Catalogue of the matching factors (app/domain/matching: factor names, reasons of a breakdown, weights).
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'matchingFactors.title': '',
} as const

export const en: Record<keyof typeof zh, string> = {
  'matchingFactors.title': '',
}
