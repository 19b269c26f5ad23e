/**
 * Catalogue of need → providers (/needs/:id/matches), invitations and 推荐对接, the agency's weights (/agency/matching).
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'matching.title': '',
} as const

export const en: Record<keyof typeof zh, string> = {
  'matching.title': '',
}
