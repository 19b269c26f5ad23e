/**
 * Catalogue of contracts (合同): drafting from an awarded bid, confirmation, the contract page and its print, supervisor appointment.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'contracts.e.notFound': '没有找到这份合同。',
  'contracts.e.transition': '当前状态的合同不能执行此操作。',
  'contracts.e.notAwarded': '只有已中标的方案才能生成合同。',
} as const

export const en: Record<keyof typeof zh, string> = {
  'contracts.e.notFound': 'No such contract.',
  'contracts.e.transition': 'A contract in this state cannot do that.',
  'contracts.e.notAwarded': 'Only an awarded bid makes a contract.',
}
