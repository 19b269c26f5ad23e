/**
 * Catalogue: Provider evaluation (供应商评价): schemes, yearly results and tiers, appeals, sanctions, rechecks.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'evaluation.nav': '服务商评价',
} as const

export const en: Record<keyof typeof zh, string> = {
  'evaluation.nav': 'Provider evaluation',
}
