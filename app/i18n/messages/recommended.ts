/**
 * Catalogue of provider → needs (推荐需求) and saved searches.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'recommended.title': '',
} as const

export const en: Record<keyof typeof zh, string> = {
  'recommended.title': '',
}
