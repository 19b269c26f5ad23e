import * as accounts from './messages/accounts.js'
import * as bids from './messages/bids.js'
import * as agency from './messages/agency.js'
import * as common from './messages/common.js'
import * as diagnosis from './messages/diagnosis.js'
import * as diagnosisService from './messages/diagnosis-service.js'
import * as directory from './messages/directory.js'
import * as enterprises from './messages/enterprises.js'
import * as exchange from './messages/exchange.js'
import * as files from './messages/files.js'
import * as home from './messages/home.js'
import * as matching from './messages/matching.js'
import * as matchingFactors from './messages/matching-factors.js'
import * as needAuthoring from './messages/need-authoring.js'
import * as needs from './messages/needs.js'
import * as notifications from './messages/notifications.js'
import * as orgs from './messages/orgs.js'
import * as providers from './messages/providers.js'
import * as recommended from './messages/recommended.js'
import * as searchUx from './messages/search-ux.js'
import * as templates from './messages/templates.js'
import * as contracts from './messages/contracts.js'
import * as milestones from './messages/milestones.js'
import * as disputes from './messages/disputes.js'
import * as workspaces from './messages/workspaces.js'
import * as ratings from './messages/ratings.js'
import * as events from './messages/events.js'
import * as eventReview from './messages/event-review.js'
import * as meetings from './messages/meetings.js'
import * as pool from './messages/pool.js'
import * as evaluation from './messages/evaluation.js'
import * as targets from './messages/targets.js'
import * as dashboard from './messages/dashboard.js'
import * as spreadsheets from './messages/spreadsheets.js'
import * as policy from './messages/policy.js'
import * as assessment from './messages/assessment.js'
import * as gradient from './messages/gradient.js'
import * as vouchers from './messages/vouchers.js'
import * as titles from './messages/titles.js'
import * as projectPool from './messages/project-pool.js'

/*
 * One catalogue per context under ./messages, merged here. zh-CN is the source of
 * truth: its keys define MessageKey, and each context's `en` must provide the same
 * keys (checked by the type system). A new context adds its file and one line below.
 * Server messages (AppError, zod) are keys too, never Chinese text used as an id.
 */
export const zhCN = {
  ...common.zh,
  ...home.zh,
  ...needs.zh,
  ...accounts.zh,
  ...orgs.zh,
  ...agency.zh,
  ...exchange.zh,
  ...files.zh,
  ...directory.zh,
  ...providers.zh,
  ...templates.zh,
  ...enterprises.zh,
  ...diagnosis.zh,
  ...diagnosisService.zh,
  ...needAuthoring.zh,
  ...matchingFactors.zh,
  ...matching.zh,
  ...recommended.zh,
  ...searchUx.zh,
  ...bids.zh,
  ...notifications.zh,
  ...contracts.zh,
  ...milestones.zh,
  ...disputes.zh,
  ...workspaces.zh,
  ...ratings.zh,
  ...events.zh,
  ...eventReview.zh,
  ...meetings.zh,
  ...pool.zh,
  ...evaluation.zh,
  ...targets.zh,
  ...dashboard.zh,
  ...spreadsheets.zh,
  ...policy.zh,
  ...assessment.zh,
  ...gradient.zh,
  ...vouchers.zh,
  ...titles.zh,
  ...projectPool.zh,
} as const
export type MessageKey = keyof typeof zhCN
export const en: Record<MessageKey, string> = {
  ...common.en,
  ...home.en,
  ...needs.en,
  ...accounts.en,
  ...orgs.en,
  ...agency.en,
  ...exchange.en,
  ...providers.en,
  ...directory.en,
  ...files.en,
  ...templates.en,
  ...enterprises.en,
  ...diagnosis.en,
  ...diagnosisService.en,
  ...needAuthoring.en,
  ...matchingFactors.en,
  ...matching.en,
  ...recommended.en,
  ...searchUx.en,
  ...bids.en,
  ...notifications.en,
  ...contracts.en,
  ...milestones.en,
  ...disputes.en,
  ...workspaces.en,
  ...ratings.en,
  ...events.en,
  ...eventReview.en,
  ...meetings.en,
  ...pool.en,
  ...evaluation.en,
  ...targets.en,
  ...dashboard.en,
  ...spreadsheets.en,
  ...policy.en,
  ...assessment.en,
  ...gradient.en,
  ...vouchers.en,
  ...titles.en,
  ...projectPool.en,
}

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'

const catalogues: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en }

export type MessageParams = Record<string, string | number>
export type Translate = (key: MessageKey, params?: MessageParams) => string

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** Runtime check for keys that arrive as data (enum values, server errors, flash cookies). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key)
}

/**
 * A field's message with the params its words need, as the one string a form failure
 * holds per field: `key?name=value&…` (URL-encoded). A failure's params are its form
 * message's, and a field that shares words with it (每项资质最多 {limit} 份) needs them
 * too; a key whose words have no placeholder stays bare. `useMessage` reads both forms.
 */
export function messageRef(key: string, params?: MessageParams | null): string {
  if (!params || !hasMessage(key) || !/\{\w+\}/.test(zhCN[key])) return key
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))
  return `${key}?${query}`
}

/** The key and params of a `messageRef` (a bare key has none). */
export function parseMessageRef(ref: string): { key: string; params: MessageParams | null } {
  const at = ref.indexOf('?')
  if (at < 0) return { key: ref, params: null }
  return { key: ref.slice(0, at), params: Object.fromEntries(new URLSearchParams(ref.slice(at + 1))) }
}

export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale]
  return (key, params) => {
    const template = catalogue[key] ?? zhCN[key] ?? key
    if (!params) return template
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
  }
}

/**
 * Stored or sent params in the reader's language. A param named `fooKey` holds a catalogue
 * key and is read as `foo`, translated when shown, so a notice or an error reads in the
 * language of whoever reads it rather than the one of the moment it was written. Two
 * rounds: a key's message may itself use another (降级为{level} with `levelKey`). Other
 * params (names, numbers, dates) are data and pass as they are.
 */
export function localizedParams(t: Translate, params: MessageParams): MessageParams {
  let out: MessageParams = { ...params }
  for (let round = 0; round < 2; round++) {
    const next: MessageParams = { ...out }
    for (const [k, v] of Object.entries(params)) {
      if (k.length > 3 && k.endsWith('Key') && typeof v === 'string' && hasMessage(v)) next[k.slice(0, -3)] = t(v, out)
    }
    out = next
  }
  return out
}
