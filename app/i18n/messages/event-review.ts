/**
 * Catalogue: Site visits (现场调研), the expert library and proposal review (方案评选).
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'eventReview.nav': '专家库',
} as const

export const en: Record<keyof typeof zh, string> = {
  'eventReview.nav': 'Expert library',
}
