/**
 * Catalogue: The gradient self-check (梯度自评) and the reward and subsidy estimates (issue 16).
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'gradient.nav': '梯度自评与奖补',
} as const

export const en: Record<keyof typeof zh, string> = {
  'gradient.nav': 'Gradient check and rewards',
}
