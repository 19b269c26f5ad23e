/**
 * Catalogue: The project pool (项目培育库) (issue 16).
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'projectPool.nav': '项目培育库',
} as const

export const en: Record<keyof typeof zh, string> = {
  'projectPool.nav': 'Project pool',
}
