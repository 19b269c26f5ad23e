/**
 * Catalogue of the diagnosis context (issue 12). zh-CN is the source of truth; `en` must give
 * every key (the type checks it). `{name}` placeholders are filled by t().
 */
export const zh = {
  'diagnosis.nav': '诊断报告',
}

export const en: Record<keyof typeof zh, string> = {
  'diagnosis.nav': 'Diagnosis reports',
}
