/**
 * Catalogue of ratings (评价) on contracts: the seed 002 form, replies, the provider page.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {} as const

export const en: Record<keyof typeof zh, string> = {}
