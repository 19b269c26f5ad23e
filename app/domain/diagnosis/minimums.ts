/*
 * The minimum service a diagnosis owes the enterprise (Jiangsu 2022 诊断工作通知 §三, seed 002):
 * site visits per kind (智能工厂/工业互联网标杆工厂 ≥ 8, 智能车间 ≥ 3, 数字化应用 ≥ 1), each
 * ≥ 3 hours, a team of ≥ 5 led by an experienced expert; 2 trainings of ≥ 2 hours each;
 * ≥ 2 briefings to the enterprise's head. The seed sets no visit count for 产业链 diagnosis:
 * the platform applies the factory minimum, the most demanding one (decision record 008).
 * Pure and browser-safe: the project page, the workspace lists and the tests share it.
 */
import type { DiagnosisKind, ServiceRecordKind } from '../../../db/enums.js'

export const SITE_VISITS_REQUIRED: Record<DiagnosisKind, number> = {
  chain: 8,
  factory: 8,
  workshop: 3,
  digital_app: 1,
}
export const VISIT_MIN_MINUTES = 180
export const TEAM_MIN_SIZE = 5
export const TRAININGS_REQUIRED = 2
export const TRAINING_MIN_MINUTES = 120
export const BRIEFINGS_REQUIRED = 2

/** What a service record contributes: its kind, length and team. */
export interface ServiceRecordFacts {
  kind: ServiceRecordKind
  minutes: number
  teamSize: number
}

/** Why one record does not count towards the minimum. */
export type RecordFlag = 'short_visit' | 'small_team' | 'short_training'

export function recordFlags(record: ServiceRecordFacts): RecordFlag[] {
  const flags: RecordFlag[] = []
  if (record.kind === 'site_visit') {
    if (record.minutes < VISIT_MIN_MINUTES) flags.push('short_visit')
    if (record.teamSize < TEAM_MIN_SIZE) flags.push('small_team')
  }
  if (record.kind === 'training' && record.minutes < TRAINING_MIN_MINUTES) flags.push('short_training')
  return flags
}

export interface ProgressLine {
  kind: ServiceRecordKind
  /** Records that meet the rules (a flagged record is listed but does not count). */
  counted: number
  /** All records of the kind, flagged ones included. */
  total: number
  required: number
  met: boolean
}

export interface ServiceProgress {
  lines: ProgressLine[]
  /** Every minimum met. */
  complete: boolean
  /** Records with at least one flag. */
  flagged: number
}

/** "现场诊断 3/8 次, 培训 1/2 次, 汇报 0/2 次": progress of a diagnosis of this kind. */
export function serviceProgress(kind: DiagnosisKind, records: readonly ServiceRecordFacts[]): ServiceProgress {
  const required: Record<ServiceRecordKind, number> = {
    site_visit: SITE_VISITS_REQUIRED[kind],
    training: TRAININGS_REQUIRED,
    briefing: BRIEFINGS_REQUIRED,
  }
  let flagged = 0
  const counted: Record<ServiceRecordKind, number> = { site_visit: 0, training: 0, briefing: 0 }
  const total: Record<ServiceRecordKind, number> = { site_visit: 0, training: 0, briefing: 0 }
  for (const record of records) {
    total[record.kind] += 1
    if (recordFlags(record).length > 0) flagged += 1
    else counted[record.kind] += 1
  }
  const lines = (['site_visit', 'training', 'briefing'] as const).map((k) => ({
    kind: k,
    counted: counted[k],
    total: total[k],
    required: required[k],
    met: counted[k] >= required[k],
  }))
  return { lines, complete: lines.every((l) => l.met), flagged }
}
