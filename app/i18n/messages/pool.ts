/**
 * Catalogue: The provider pool (服务商资源池): applications, expert review, public notice, objections, admission, quotas.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'pool.nav': '服务商资源池',

  'auditAction.pool.round_created': '发布入库批次',
  'auditAction.pool.round_updated': '修改入库批次',
  'auditAction.pool.applied': '申请入库',
  'auditAction.pool.application_withdrawn': '撤回入库申请',
  'auditAction.pool.experts_assigned': '指派入库评审专家',
  'auditAction.pool.reviewed': '提交入库评审意见',
  'auditAction.pool.tie_declared': '专家声明利害关系',
  'auditAction.pool.notice_started': '开始入库公示',
  'auditAction.pool.objection_filed': '提出公示异议',
  'auditAction.pool.objection_decided': '处理公示异议',
  'auditAction.pool.admitted': '准予入库',
  'auditAction.pool.rejected': '不予入库',
  'auditAction.pool.removed': '移出资源池',
} as const

export const en: Record<keyof typeof zh, string> = {
  'pool.nav': 'Provider pool',

  'auditAction.pool.round_created': 'Pool round opened',
  'auditAction.pool.round_updated': 'Pool round changed',
  'auditAction.pool.applied': 'Applied to a pool',
  'auditAction.pool.application_withdrawn': 'Pool application withdrawn',
  'auditAction.pool.experts_assigned': 'Pool reviewers assigned',
  'auditAction.pool.reviewed': 'Pool review submitted',
  'auditAction.pool.tie_declared': 'Expert declared a tie',
  'auditAction.pool.notice_started': 'Pool public notice started',
  'auditAction.pool.objection_filed': 'Objection filed',
  'auditAction.pool.objection_decided': 'Objection decided',
  'auditAction.pool.admitted': 'Admitted to the pool',
  'auditAction.pool.rejected': 'Not admitted to the pool',
  'auditAction.pool.removed': 'Removed from the pool',
}
