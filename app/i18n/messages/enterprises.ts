/**
 * Catalogue of the enterprises context (issue 12). zh-CN is the source of truth; `en` must give
 * every key (the type checks it). `{name}` placeholders are filled by t().
 */
export const zh = {
  'enterprises.nav': '一企一档',
  'workspace.enterprise': '企业工作台',
  'enterprises.next.archive': '完善一企一档',
  'enterprises.next.myNeeds': '我的需求',
  'enterprises.next.diagnoses': '诊断报告',
  'enterprises.next.agencyEnterprises': '辖区企业与诊断覆盖',
  'diagnosis.next.provider': '诊断项目',
}

export const en: Record<keyof typeof zh, string> = {
  'enterprises.nav': 'Enterprise archive',
  'workspace.enterprise': 'Enterprise workspace',
  'enterprises.next.archive': 'Complete the enterprise archive',
  'enterprises.next.myNeeds': 'My needs',
  'enterprises.next.diagnoses': 'Diagnosis reports',
  'enterprises.next.agencyEnterprises': 'Enterprises and diagnosis coverage',
  'diagnosis.next.provider': 'Diagnosis projects',
}
