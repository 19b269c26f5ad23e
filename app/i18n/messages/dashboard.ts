/**
 * Catalogue: The agency dashboard (数据看板).
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'dashboard.nav': '数据看板',
} as const

export const en: Record<keyof typeof zh, string> = {
  'dashboard.nav': 'Dashboard',
}
