/**
 * Catalogue: 1 meetings:1:1 meetings during an event (洽谈): availability, requests, the schedule, agendas, outcomes.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'meetings.nav': '洽谈会',
} as const

export const en: Record<keyof typeof zh, string> = {
  'meetings.nav': '1',
}
