import { AppError } from '../../utils/errors.js'
import type { Locale } from '../../i18n/index.js'
import { regionLabel, type ReferenceData } from '../reference/reference.server.js'
import { ruleSetById, ruleSets } from './catalogue.server.js'
import { isCurrent, type LocalText, type RuleSet } from './rule-set.js'

/*
 * The public policy pages (/policies, /policies/:id, issue 16 §1): every rule set the platform
 * applies, readable by anyone — a policy is public by nature. An expired set is listed and
 * marked (已失效，仅供参考), never hidden and never shown as current.
 */

export interface PolicySummary {
  id: string
  version: number
  name: LocalText
  document: LocalText
  issuer: LocalText
  validFrom: string
  validUntil: string | null
  current: boolean
  /** Region names, each with its ancestors. */
  regions: string[]
  hasGradient: boolean
  measureCount: number
}

function summary(ref: ReferenceData, s: RuleSet, today: string, locale: Locale): PolicySummary {
  return {
    id: s.id,
    version: s.version,
    name: s.name,
    document: s.document,
    issuer: s.issuer,
    validFrom: s.valid_from,
    validUntil: s.valid_until,
    current: isCurrent(s, today),
    regions: s.regions.map((code) => regionLabel(ref, code, locale) || code),
    hasGradient: !!s.levels,
    measureCount: s.measures?.length ?? 0,
  }
}

/** Every rule set (the highest version of each), current ones first, then by id. */
export function listPolicies(
  ref: ReferenceData,
  today: string,
  locale: Locale,
  sets: readonly RuleSet[] = ruleSets(),
): PolicySummary[] {
  const latest = new Map<string, RuleSet>()
  for (const s of sets) if ((latest.get(s.id)?.version ?? 0) < s.version) latest.set(s.id, s)
  return [...latest.values()]
    .map((s) => summary(ref, s, today, locale))
    .sort((a, b) => Number(b.current) - Number(a.current) || a.id.localeCompare(b.id))
}

/** One rule set in full with its summary; NOT_FOUND for an unknown id. */
export function policyDetail(
  ref: ReferenceData,
  id: string,
  today: string,
  locale: Locale,
): { summary: PolicySummary; set: RuleSet } {
  const set = /^[a-z0-9-]{3,60}$/.test(id) ? ruleSetById(id) : null
  if (!set) throw new AppError('NOT_FOUND', 'errors.notFound')
  return { summary: summary(ref, set, today, locale), set }
}
