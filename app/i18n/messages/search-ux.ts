/**
 * Catalogue of search that understands the field: highlighted matches, did-you-mean, saving a search from the hall.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'searchUx.didYouMean': '您是不是要找「{query}」？',
  'searchUx.didYouMean.needs': '（{count} 条需求）',
  'searchUx.didYouMean.providers': '（{count} 家服务商）',
  'searchUx.save.title': '保存此搜索',
  'searchUx.save.hint': '有新发布的需求符合这些条件时，我们会通知您。',
  'searchUx.save.name': '搜索名称',
  'searchUx.save.submit': '保存搜索',
  'searchUx.save.manage': '管理已保存的搜索',
  'searchUx.save.defaultName': '我的需求搜索',
} as const

export const en: Record<keyof typeof zh, string> = {
  'searchUx.didYouMean': 'Did you mean “{query}”?',
  'searchUx.didYouMean.needs': '({count} found)',
  'searchUx.didYouMean.providers': '({count} found)',
  'searchUx.save.title': 'Save this search',
  'searchUx.save.hint': 'We will let you know when newly published needs match these criteria.',
  'searchUx.save.name': 'Name of the search',
  'searchUx.save.submit': 'Save search',
  'searchUx.save.manage': 'Manage saved searches',
  'searchUx.save.defaultName': 'My needs search',
}
