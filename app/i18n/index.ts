import { en } from './en.js'
import { zhCN, type MessageKey } from './zh-CN.js'

export type { MessageKey }
export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'

const catalogues: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en }

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale]
  return (key, params) => {
    const template = catalogue[key] ?? zhCN[key]
    if (!params) return template
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
  }
}

/** Runtime check for keys built from data (enum values): falls back to the raw value. */
export function hasMessage(key: string): key is MessageKey {
  return key in zhCN
}
