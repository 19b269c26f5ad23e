/**
 * Catalogue of a diagnosis's service records (考勤) and its satisfaction survey
 * (满意度调查表), issue 12. zh-CN is the source of truth; `en` must give every key.
 */
export const zh = {
  'records.nav': '服务记录',
}

export const en: Record<keyof typeof zh, string> = {
  'records.nav': 'Service records',
}
