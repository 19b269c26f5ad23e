/**
 * Catalogue of disputes (纠纷): opening and resolving.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'disputes.e.transition': '当前状态的纠纷不能执行此操作。',
} as const

export const en: Record<keyof typeof zh, string> = {
  'disputes.e.transition': 'A dispute in this state cannot do that.',
}
