/**
 * Catalogue: The policy rules (rule sets, levels, criteria, application rules, rewards, subsidy measures), shared by the policy pages (issue 16).
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {} as const

export const en: Record<keyof typeof zh, string> = {}
