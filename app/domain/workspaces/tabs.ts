/*
 * The workspaces' tabs and filters (issue 14 §7): plain constants, browser-safe (the
 * pages import them; workspaces.server.ts builds the queries for them).
 */

export const WORKSPACE_PAGE_SIZE = 20

export const CONTRACT_TABS = ['draft', 'active', 'completed', 'terminated'] as const
export type ContractTab = (typeof CONTRACT_TABS)[number]

/** 我的项目: needs with bids waiting for a decision, then the contracts by status. */
export const ENTERPRISE_TABS = ['deciding', ...CONTRACT_TABS] as const
export type EnterpriseTab = (typeof ENTERPRISE_TABS)[number]

/** 合同监管's filters. */
export const AGENCY_FILTERS = ['all', 'unsupervised', 'late', 'disputed'] as const
export type AgencyFilter = (typeof AGENCY_FILTERS)[number]

/**
 * A row's next action: what the page's link says and where it goes.
 * compare 比较方案 · confirm 确认合同 · waitConfirm 等待对方确认 · review 验收/审核里程碑 ·
 * submit 提交里程碑 · rate 评价 · log 写监理日志 · dispute 处理纠纷 · appoint 指派监理 · view 查看
 */
export const NEXT_ACTIONS = [
  'compare',
  'confirm',
  'waitConfirm',
  'review',
  'submit',
  'rate',
  'log',
  'dispute',
  'appoint',
  'view',
] as const
export type NextAction = (typeof NEXT_ACTIONS)[number]
