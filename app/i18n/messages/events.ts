/**
 * Catalogue: matchmaking events (供需对接会): the event, its stages, the batch of needs,
 * provider registration, intents, follow-ups, outcomes.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'events.nav': '供需对接会',
  'events.e.notFound': '没有找到这场对接会，或您无权查看。',
  'events.e.stageClosed': '对接会当前所处阶段不开放此操作。',

  'events.stage.draft': '草稿',
  'events.stage.needs_call': '需求发榜',
  'events.stage.provider_call': '服务商征集',
  'events.stage.site_visits': '现场调研',
  'events.stage.proposal_review': '方案评选',
  'events.stage.intents': '意向签约',
  'events.stage.follow_up': '服务跟进',
  'events.stage.closed': '已结束',
  'events.stage.cancelled': '已取消',
} as const

export const en: Record<keyof typeof zh, string> = {
  'events.nav': 'Matchmaking events',
  'events.e.notFound': 'This matchmaking event was not found, or you may not see it.',
  'events.e.stageClosed': 'The event’s current stage does not allow this.',

  'events.stage.draft': 'Draft',
  'events.stage.needs_call': 'Call for needs',
  'events.stage.provider_call': 'Call for providers',
  'events.stage.site_visits': 'Site visits',
  'events.stage.proposal_review': 'Proposal review',
  'events.stage.intents': 'Letters of intent',
  'events.stage.follow_up': 'Follow-up',
  'events.stage.closed': 'Closed',
  'events.stage.cancelled': 'Cancelled',
}
