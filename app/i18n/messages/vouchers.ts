/**
 * Catalogue: Service vouchers (服务券) (issue 16).
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'vouchers.nav': '服务券',
} as const

export const en: Record<keyof typeof zh, string> = {
  'vouchers.nav': 'Service vouchers',
}
