/**
 * Catalogue: The agency's titles view and title reviews (复核) (issue 16).
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'titles.nav': '称号管理',
} as const

export const en: Record<keyof typeof zh, string> = {
  'titles.nav': 'Titles',
}
