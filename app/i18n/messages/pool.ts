/**
 * Catalogue: The provider pool (服务商资源池): applications, expert review, public notice, objections, admission, quotas.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'pool.nav': '服务商资源池',
} as const

export const en: Record<keyof typeof zh, string> = {
  'pool.nav': 'Provider pool',
}
