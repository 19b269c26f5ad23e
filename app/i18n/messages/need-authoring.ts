/**
 * Catalogue of needs written by enterprises: the need form, the life cycle, 我的需求
 * (issue 12). zh-CN is the source of truth; `en` must give every key (the type checks it).
 * `{name}` placeholders are filled by t().
 */
export const zh = {
  'myNeeds.nav': '我的需求',
}

export const en: Record<keyof typeof zh, string> = {
  'myNeeds.nav': 'My needs',
}
