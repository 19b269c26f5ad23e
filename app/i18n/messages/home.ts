/**
 * Catalogue of the home page.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 * `{name}` placeholders are filled by t().
 */
export const zh = {
  'home.title': '智改数转供需对接平台',
  'home.description': '面向制造业智能化改造和数字化转型的供需对接平台',
  'home.lead': '企业发布改造需求，服务商按能力匹配投标，主管部门全程审核与监理。',
  'home.browse': '浏览需求大厅',
  'home.searchPlaceholder': '如：视觉检测、数字化车间',
  'home.stats': '平台概况',
  'home.stats.openNeeds': '征集中的需求',
  'home.stats.publicNeeds': '已发布需求',
  'home.stats.enterprises': '企业',
  'home.stats.providers': '服务商',
  'home.stats.budget': '征集中需求预算合计（万元）',
  'home.latest': '最新发布的需求',
  'home.latest.empty': '还没有已发布的需求。',
  'home.how': '对接流程',
  'home.how.1': '诊断：诊断机构入企诊断，出具诊断报告',
  'home.how.2': '发榜：企业依据诊断报告发布改造需求',
  'home.how.3': '揭榜：服务商检索、匹配需求并提交方案',
  'home.how.4': '签约：企业择优选定，按标准合同约定付款节点',
  'home.how.5': '监理与验收：第三方监理跟进，双方互评',
} as const

export const en: Record<keyof typeof zh, string> = {
  'home.title': 'Smart transformation matchmaking',
  'home.description': 'The supply–demand marketplace for smart transformation and digital upgrade of manufacturing',
  'home.lead': 'Enterprises publish upgrade needs, providers match and bid, agencies audit and supervise.',
  'home.browse': 'Browse upgrade needs',
  'home.searchPlaceholder': 'e.g. vision inspection',
  'home.stats': 'At a glance',
  'home.stats.openNeeds': 'Open needs',
  'home.stats.publicNeeds': 'Published needs',
  'home.stats.enterprises': 'Enterprises',
  'home.stats.providers': 'Providers',
  'home.stats.budget': 'Budget of open needs (¥ million)',
  'home.latest': 'Latest needs',
  'home.latest.empty': 'No needs have been published yet.',
  'home.how': 'How it works',
  'home.how.1': 'Diagnosis: a consultancy diagnoses the enterprise and writes a report',
  'home.how.2': 'Publish: the enterprise publishes upgrade needs from the report',
  'home.how.3': 'Bid: providers search, match and submit proposals',
  'home.how.4': 'Contract: the enterprise awards, with payment milestones from a standard contract',
  'home.how.5': 'Supervision and acceptance: a supervisor follows up, both sides rate',
}
