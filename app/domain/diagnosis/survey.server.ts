import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DiagnosisKind, DiagnosisStatus, SurveyGrade, SurveyOverall } from '../../../db/enums.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import { diagnosisFor, ENGAGED_STATUSES, type DiagnosisAccess, type DiagnosisSide } from './access.server.js'
import { SURVEY_ITEMS, type SurveyItem, type TSurveyInput, type TSurveyReview } from './survey-schema.js'

/*
 * 服务商诊断服务满意度调查表 (seed 002's attachment), one per diagnosis project
 * (diagnosis_surveys' primary key is the diagnosis):
 * - the enterprise fills it ('rate:diagnosis:own': a verified enterprise's active member)
 *   once a report version of the project is confirmed (签字盖章); it rates the latest
 *   confirmed version (version_id). It is read-only afterwards: a second submission, or
 *   two at once, is a CONFLICT (the primary key decides a race), never a 500;
 * - an agency whose jurisdiction holds the enterprise ('review:diagnosis-survey:jurisdiction':
 *   owner or reviewer) adds its 审核意见 once;
 * - the enterprise, the provider and the agencies read it (diagnosisFor);
 * - providerSurveySummary gathers a provider's surveys for its public page (its rating).
 */

export const SURVEY_OBJECT_TYPE = 'diagnosis_survey'

export interface SurveyView {
  versionId: number
  version: number | null
  grades: Record<SurveyItem, SurveyGrade>
  overall: SurveyOverall
  comment: string
  filledByName: string | null
  filledAt: string
  agencyOpinion: string
  agencyName: string | null
  agencyByName: string | null
  agencyAt: string | null
}

export interface SurveyPage {
  diagnosis: {
    id: number
    kind: DiagnosisKind
    status: DiagnosisStatus
    enterpriseName: string
    providerName: string
  }
  side: DiagnosisSide
  survey: SurveyView | null
  /** The latest confirmed report version (what a survey filled now rates), if any. */
  confirmed: { id: number; version: number; confirmedAt: string } | null
  /** The actor may fill the survey now. */
  canFill: boolean
  /** The actor may add the agency's opinion now. */
  canReview: boolean
  /** Why the enterprise cannot fill it yet ('notConfirmed' | 'status'), when it cannot. */
  waitingFor: 'notConfirmed' | 'status' | null
}

async function latestConfirmed(db: Kysely<DB>, diagnosisId: number) {
  const row = await db
    .selectFrom('diagnosis_report_versions')
    .select(['id', 'version', 'confirmed_at'])
    .where('diagnosis_id', '=', diagnosisId)
    .where('confirmed_at', 'is not', null)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? { id: row.id, version: row.version, confirmedAt: String(row.confirmed_at) } : null
}

async function loadSurvey(db: Kysely<DB>, diagnosisId: number): Promise<SurveyView | null> {
  const row = await db
    .selectFrom('diagnosis_surveys as s')
    .leftJoin('diagnosis_report_versions as v', 'v.id', 's.version_id')
    .leftJoin('users as f', 'f.id', 's.filled_by')
    .leftJoin('users as a', 'a.id', 's.agency_by')
    .leftJoin('organisations as o', 'o.id', 's.agency_org_id')
    .select([
      's.version_id',
      'v.version',
      's.process',
      's.analysis',
      's.proposal',
      's.competence',
      's.result',
      's.overall',
      's.comment',
      'f.name as filled_by_name',
      's.filled_at',
      's.agency_opinion',
      'o.name as agency_name',
      'a.name as agency_by_name',
      's.agency_at',
    ])
    .where('s.diagnosis_id', '=', diagnosisId)
    .executeTakeFirst()
  if (!row) return null
  return {
    versionId: row.version_id,
    version: row.version ?? null,
    grades: {
      process: row.process,
      analysis: row.analysis,
      proposal: row.proposal,
      competence: row.competence,
      result: row.result,
    },
    overall: row.overall,
    comment: row.comment,
    filledByName: row.filled_by_name ?? null,
    filledAt: String(row.filled_at),
    agencyOpinion: row.agency_opinion,
    agencyName: row.agency_name ?? null,
    agencyByName: row.agency_by_name ?? null,
    agencyAt: row.agency_at === null ? null : String(row.agency_at),
  }
}

function canRate(actor: Actor | null, ref: ReferenceData, access: DiagnosisAccess): boolean {
  return access.side === 'enterprise' && can(actor, ref, 'rate:diagnosis:own', { orgId: access.diagnosis.enterpriseOrgId })
}

function mayReview(actor: Actor | null, ref: ReferenceData, access: DiagnosisAccess): boolean {
  return can(actor, ref, 'review:diagnosis-survey:jurisdiction', { regionCode: access.diagnosis.regionCode })
}

function isEngaged(access: DiagnosisAccess): boolean {
  return (ENGAGED_STATUSES as readonly string[]).includes(access.diagnosis.status)
}

/** /diagnoses/:id/survey: the survey (or the form), for everyone who may see the diagnosis. */
export async function getSurvey(db: Database, actor: Actor | null, diagnosisId: number): Promise<SurveyPage> {
  const ref = await getReferenceData(db)
  const access = await diagnosisFor(db, actor, ref, diagnosisId)
  const [survey, confirmed] = await Promise.all([loadSurvey(db, diagnosisId), latestConfirmed(db, diagnosisId)])
  const waitingFor = !isEngaged(access) ? 'status' : confirmed ? null : 'notConfirmed'
  const d = access.diagnosis
  return {
    diagnosis: { id: d.id, kind: d.kind, status: d.status, enterpriseName: d.enterpriseName, providerName: d.providerName },
    side: access.side,
    survey,
    confirmed,
    canFill: survey === null && waitingFor === null && canRate(actor, ref, access),
    canReview: survey !== null && survey.agencyAt === null && mayReview(actor, ref, access),
    waitingFor: survey === null ? waitingFor : null,
  }
}

function alreadyFilled(): AppError {
  return new AppError('CONFLICT', 'survey.e.already')
}

/** The enterprise fills the survey of the diagnosis (once; after a report version was confirmed). */
export async function fillSurvey(db: Database, actor: Actor, diagnosisId: number, input: TSurveyInput): Promise<void> {
  const ref = await getReferenceData(db)
  try {
    await withTransaction(db, async (trx) => {
      const access = await diagnosisFor(trx, actor, ref, diagnosisId)
      authorize(actor, ref, 'rate:diagnosis:own', { orgId: access.diagnosis.enterpriseOrgId })
      if (access.side !== 'enterprise') throw new AppError('FORBIDDEN', 'errors.forbidden')
      if (!isEngaged(access)) throw new AppError('CONFLICT', 'survey.e.status')
      const existing = await trx
        .selectFrom('diagnosis_surveys')
        .select('diagnosis_id')
        .where('diagnosis_id', '=', diagnosisId)
        .executeTakeFirst()
      if (existing) throw alreadyFilled()
      const confirmed = await latestConfirmed(trx, diagnosisId)
      if (!confirmed) throw new AppError('CONFLICT', 'survey.e.notConfirmed')
      await trx
        .insertInto('diagnosis_surveys')
        .values({
          diagnosis_id: diagnosisId,
          version_id: confirmed.id,
          process: input.process,
          analysis: input.analysis,
          proposal: input.proposal,
          competence: input.competence,
          result: input.result,
          overall: input.overall,
          comment: input.comment,
          filled_by: actor.userId,
          filled_at: new Date().toISOString(),
        })
        .execute()
      await recordAudit(trx, {
        action: 'survey.filled',
        ...auditActor(actor),
        regionCode: access.diagnosis.regionCode,
        objectType: SURVEY_OBJECT_TYPE,
        objectId: diagnosisId,
        detail: {
          diagnosisId,
          versionId: confirmed.id,
          providerOrgId: access.diagnosis.providerOrgId,
          process: input.process,
          analysis: input.analysis,
          proposal: input.proposal,
          competence: input.competence,
          result: input.result,
          overall: input.overall,
        },
      })
    })
  } catch (error) {
    // Two submissions at once: the primary key lets one in.
    if (uniqueViolation(error)) throw alreadyFilled()
    throw error
  }
}

/** An agency of the enterprise's jurisdiction adds its 审核意见 to a filled survey (once). */
export async function reviewSurvey(db: Database, actor: Actor, diagnosisId: number, input: TSurveyReview): Promise<void> {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const access = await diagnosisFor(trx, actor, ref, diagnosisId)
    const org = authorize(actor, ref, 'review:diagnosis-survey:jurisdiction', { regionCode: access.diagnosis.regionCode })
    const survey = await trx
      .selectFrom('diagnosis_surveys')
      .select(['agency_at'])
      .where('diagnosis_id', '=', diagnosisId)
      .executeTakeFirst()
    if (!survey) throw new AppError('CONFLICT', 'survey.e.notFilled')
    if (survey.agency_at !== null) throw new AppError('CONFLICT', 'survey.e.reviewed')
    const result = await trx
      .updateTable('diagnosis_surveys')
      .set({
        agency_opinion: input.opinion,
        agency_org_id: org.orgId,
        agency_by: actor.userId,
        agency_at: new Date().toISOString(),
      })
      .where('diagnosis_id', '=', diagnosisId)
      .where('agency_at', 'is', null)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'survey.e.reviewed')
    await recordAudit(trx, {
      action: 'survey.reviewed',
      ...auditActor(actor),
      regionCode: access.diagnosis.regionCode,
      objectType: SURVEY_OBJECT_TYPE,
      objectId: diagnosisId,
      detail: { diagnosisId, opinion: input.opinion },
    })
  })
}

export interface ProviderSurveySummary {
  /** Surveys filled for the provider's diagnoses. */
  count: number
  /** How many answered each overall verdict. */
  overall: Record<SurveyOverall, number>
  /** Per item, the share (0–100, whole percent) graded 很好 or 较好. */
  goodShare: Record<SurveyItem, number>
}

/** A provider's satisfaction surveys together (its public page's rating): one aggregate query. */
export async function providerSurveySummary(db: Kysely<DB>, providerOrgId: number): Promise<ProviderSurveySummary> {
  const good = (column: SurveyItem) =>
    sql<number>`sum(case when ${sql.ref(`s.${column}`)} in ('very_good', 'good') then 1 else 0 end)`.as(column)
  const overall = (value: SurveyOverall) => sql<number>`sum(case when s.overall = ${value} then 1 else 0 end)`.as(`o_${value}`)
  const row = await db
    .selectFrom('diagnosis_surveys as s')
    .innerJoin('diagnoses as d', 'd.id', 's.diagnosis_id')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      ...SURVEY_ITEMS.map(good),
      overall('satisfied'),
      overall('fairly_satisfied'),
      overall('dissatisfied'),
    ])
    .where('d.provider_org_id', '=', providerOrgId)
    .executeTakeFirstOrThrow()
  const r = row as unknown as Record<string, number | string | null>
  const count = Number(r.n ?? 0)
  const share = (k: SurveyItem) => (count === 0 ? 0 : Math.round((Number(r[k] ?? 0) * 100) / count))
  return {
    count,
    overall: {
      satisfied: Number(r.o_satisfied ?? 0),
      fairly_satisfied: Number(r.o_fairly_satisfied ?? 0),
      dissatisfied: Number(r.o_dissatisfied ?? 0),
    },
    goodShare: {
      process: share('process'),
      analysis: share('analysis'),
      proposal: share('proposal'),
      competence: share('competence'),
      result: share('result'),
    },
  }
}
