/**
 * Catalogue of workspaces: 我的项目, 我的合同, 监理项目, 合同监管.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {} as const

export const en: Record<keyof typeof zh, string> = {}
