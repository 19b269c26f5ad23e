/**
 * Catalogue: District targets and the 评分细则 of seed 001 附件2.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'targets.nav': '目标考核',
} as const

export const en: Record<keyof typeof zh, string> = {
  'targets.nav': 'District targets',
}
