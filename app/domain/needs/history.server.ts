import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, hasMessage, translator, type Locale } from '../../i18n/index.js'
import { industryName, regionLabel, scenarioName, type ReferenceData } from '../reference/reference.server.js'
import type { Actor } from '../accounts/actor.js'
import { diagnosisSide, loadDiagnosisRow } from '../diagnosis/access.server.js'
import {
  NEED_HISTORY_FIELDS,
  type NeedChange,
  type NeedHistoryEntry,
  type NeedHistoryField,
  type NeedSourceLink,
} from './authoring-views.js'

export { NEED_HISTORY_FIELDS, type NeedChange, type NeedHistoryEntry, type NeedHistoryField } from './authoring-views.js'

/*
 * A need's history, read from the audit log by object ('need', id): every event for
 * its owner's manage page; on its public page only the edits made while it was
 * published (need.updated with `published: true` in the detail), field by field,
 * before → after, with reference codes named in the reader's language.
 */

/** Entries per history: a need is edited a handful of times; beyond this the oldest are left out. */
export const NEED_HISTORY_LIMIT = 100

type Detail = Record<string, unknown>

function parseDetail(text: string): Detail {
  if (!text) return {}
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Detail) : {}
  } catch {
    return {}
  }
}

/** A recorded value as the reader reads it: codes named, flags and levels in words. */
function describe(ref: ReferenceData, locale: Locale, field: NeedHistoryField, raw: unknown): string {
  const t = translator(locale)
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return '—'
  const text = String(raw)
  if (text === '') return '—'
  switch (field) {
    case 'industry':
      return industryName(ref, text, locale) ?? text
    case 'region':
      return ref.regionsByCode.has(text) ? regionLabel(ref, text, locale) : text
    case 'scenarios':
      return text
        .split(',')
        .filter(Boolean)
        .map((c) => scenarioName(ref, c, locale) ?? c)
        .join(t('list.separator'))
    case 'level':
      return hasMessage(`level.${text}`) ? t(`level.${text}` as 'level.smart_line') : text
    case 'visibility':
      return hasMessage(`needForm.visibility.${text}`) ? t(`needForm.visibility.${text}` as 'needForm.visibility.public') : text
    case 'acceptsMatching':
      return raw === true || text === 'true' ? t('need.detail.matching.yes') : t('need.detail.matching.no')
    default:
      return text
  }
}

function changesOf(ref: ReferenceData, locale: Locale, detail: Detail): NeedChange[] {
  const changes = detail.changes
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return []
  const out: NeedChange[] = []
  for (const field of NEED_HISTORY_FIELDS) {
    const pair = (changes as Record<string, unknown>)[field]
    if (!Array.isArray(pair) || pair.length !== 2) continue
    out.push({ field, before: describe(ref, locale, field, pair[0]), after: describe(ref, locale, field, pair[1]) })
  }
  return out
}

/**
 * Need `needId`'s history, newest first. `publicOnly`: the edits made while it was
 * published, without who made them (the public page names the enterprise, not its staff).
 */
export async function needHistory(
  db: Kysely<DB>,
  ref: ReferenceData,
  needId: number,
  { publicOnly = false, locale = DEFAULT_LOCALE }: { publicOnly?: boolean; locale?: Locale } = {},
): Promise<NeedHistoryEntry[]> {
  const rows = await db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .select(['a.id', 'a.at', 'a.action', 'a.detail', 'u.name as actor_name'])
    .where('a.object_type', '=', 'need')
    .where('a.object_id', '=', String(needId))
    .$if(publicOnly, (q) => q.where('a.action', '=', 'need.updated'))
    .orderBy('a.id', 'desc')
    .limit(NEED_HISTORY_LIMIT)
    .execute()
  const entries: NeedHistoryEntry[] = []
  for (const r of rows) {
    const detail = parseDetail(r.detail)
    if (publicOnly && detail.published !== true) continue
    const changes = changesOf(ref, locale, detail)
    if (publicOnly && changes.length === 0) continue
    entries.push({
      id: r.id,
      at: String(r.at),
      action: r.action,
      actorName: publicOnly ? null : (r.actor_name ?? null),
      changes,
      reason: typeof detail.reason === 'string' ? detail.reason : '',
      from: typeof detail.from === 'string' ? detail.from : null,
      to: typeof detail.to === 'string' ? detail.to : null,
    })
  }
  return entries
}

/**
 * The diagnosis report a need came from, named for whoever reads its page; the link
 * only for those the report is open to (the enterprise, its diagnoser, agencies over
 * it: diagnosisSide), the version page of the diagnosis pages.
 */
export async function needSourceLink(
  db: Kysely<DB>,
  actor: Actor | null,
  ref: ReferenceData,
  reportVersionId: number | null,
  weaknessId: number | null,
): Promise<NeedSourceLink | null> {
  if (reportVersionId === null) return null
  const version = await db
    .selectFrom('diagnosis_report_versions')
    .select(['diagnosis_id', 'version'])
    .where('id', '=', reportVersionId)
    .executeTakeFirst()
  if (!version) return null
  const weakness =
    weaknessId === null
      ? undefined
      : await db.selectFrom('diagnosis_weaknesses').select('title').where('id', '=', weaknessId).executeTakeFirst()
  const diagnosis = await loadDiagnosisRow(db, version.diagnosis_id)
  const open = diagnosis ? diagnosisSide(actor, ref, diagnosis) !== null : false
  return {
    diagnosisId: version.diagnosis_id,
    version: version.version,
    weaknessTitle: weakness?.title ?? null,
    href: open ? `/diagnoses/${version.diagnosis_id}/versions/${version.version}` : null,
  }
}
