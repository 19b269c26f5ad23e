import { z } from 'zod'
import {
  DIAGNOSIS_KINDS,
  DIAGNOSIS_ORIGINS,
  DIAGNOSIS_STATUSES,
  REPORT_STATUSES,
  SERVICE_RECORD_KINDS,
  SEVERITIES,
  SURVEY_GRADES,
  SURVEY_OVERALLS,
} from '../../../../db/enums.js'
import { zDate, zExternalId, zInt, zScenarioCode, zText, zTimestamp } from './common.js'

/** 短板: scenario, severity, what, the indicator now and its target (设备联网率 35% → 80%). */
export const ZWeaknessV1 = z.strictObject({
  scenario: zScenarioCode,
  severity: z.enum(SEVERITIES),
  title: zText(4, 80),
  description: zText(1, 2000),
  indicator: zText(0, 40).default(''),
  current: zText(0, 40).default(''),
  target: zText(0, 40).default(''),
})

export const ZRecommendationV1 = z.strictObject({
  /** External id of a **provider**. */
  provider: zExternalId,
  note: zText(0, 200).default(''),
})

export const ZReportVersionV1 = z
  .strictObject({
    version: zInt(1, 1000),
    status: z.enum(REPORT_STATUSES),
    basics: zText(0, 8000).default(''),
    solution: zText(0, 20000).default(''),
    benchmarkPeer: zText(0, 100).default(''),
    benchmarkNotes: zText(0, 2000).default(''),
    maturityLevel: zInt(1, 5).nullable().default(null),
    returnReason: zText(0, 1000).default(''),
    createdAt: zTimestamp,
    submittedAt: zTimestamp.nullable().default(null),
    /** 签字盖章: when the enterprise confirmed it (confirmed and superseded versions). */
    confirmedAt: zTimestamp.nullable().default(null),
    weaknesses: z.array(ZWeaknessV1).max(50).default([]),
    recommendedProviders: z.array(ZRecommendationV1).max(20).default([]),
  })
  .superRefine((v, ctx) => {
    const confirmed = v.status === 'confirmed' || v.status === 'superseded'
    if (confirmed !== (v.confirmedAt !== null)) {
      ctx.addIssue({ code: 'custom', path: ['confirmedAt'], message: 'exchange.v.confirmedAt', input: v.confirmedAt })
    }
    const seen = new Set<string>()
    v.recommendedProviders.forEach((r, i) => {
      if (seen.has(r.provider)) {
        ctx.addIssue({
          code: 'custom',
          path: ['recommendedProviders', i, 'provider'],
          message: 'exchange.v.repeated',
          input: r.provider,
        })
      }
      seen.add(r.provider)
    })
  })

/** 考勤: a site visit, training or briefing (photos are not part of version 1). */
export const ZServiceRecordV1 = z.strictObject({
  kind: z.enum(SERVICE_RECORD_KINDS),
  occurredOn: zDate,
  minutes: zInt(1, 1440),
  teamSize: zInt(1, 200),
  leader: zText(0, 40).default(''),
  teamMembers: zText(0, 500).default(''),
  content: zText(1, 4000),
})

const zGrade = z.enum(SURVEY_GRADES)

/** 满意度调查表 (seed 002) on a confirmed version, with the agency's opinion if any. */
export const ZSurveyV1 = z
  .strictObject({
    /** The confirmed version it rates. */
    version: zInt(1, 1000),
    process: zGrade,
    analysis: zGrade,
    proposal: zGrade,
    competence: zGrade,
    result: zGrade,
    overall: z.enum(SURVEY_OVERALLS),
    comment: zText(0, 1000).default(''),
    filledAt: zTimestamp,
    agencyOpinion: zText(0, 1000).default(''),
    /** External id of the **agency** that gave the opinion. */
    agency: zExternalId.nullable().default(null),
    agencyAt: zTimestamp.nullable().default(null),
  })
  .superRefine((s, ctx) => {
    if ((s.agency === null) !== (s.agencyAt === null)) {
      ctx.addIssue({ code: 'custom', path: ['agencyAt'], message: 'exchange.v.agencyOpinion', input: s.agencyAt })
    }
  })

/**
 * `{"type":"diagnosis_report","version":1,"externalId":…,"enterprise":…,"provider":…,…}`:
 * a 诊断项目 with its report versions (weaknesses, recommended providers), service
 * records and satisfaction survey — what seed 002 asks be gathered to the provincial
 * platform.
 */
export const ZDiagnosisReportV1 = z
  .strictObject({
    type: z.literal('diagnosis_report'),
    version: z.literal(1),
    externalId: zExternalId,
    /** External id of an **enterprise**. */
    enterprise: zExternalId,
    /** External id of a **provider** (诊断咨询机构). */
    provider: zExternalId,
    kind: z.enum(DIAGNOSIS_KINDS),
    status: z.enum(DIAGNOSIS_STATUSES),
    origin: z.enum(DIAGNOSIS_ORIGINS),
    /** External id of the **agency** that assigned the diagnoser (origin "agency"). */
    assignedBy: zExternalId.nullable().default(null),
    note: zText(0, 500).default(''),
    createdAt: zTimestamp,
    respondedAt: zTimestamp.nullable().default(null),
    completedAt: zTimestamp.nullable().default(null),
    reportVersions: z.array(ZReportVersionV1).max(50).default([]),
    serviceRecords: z.array(ZServiceRecordV1).max(500).default([]),
    survey: ZSurveyV1.nullable().default(null),
  })
  .superRefine((d, ctx) => {
    if (d.enterprise === d.provider)
      ctx.addIssue({ code: 'custom', path: ['provider'], message: 'exchange.v.sameParty', input: d.provider })
    if ((d.origin === 'agency') !== (d.assignedBy !== null)) {
      ctx.addIssue({ code: 'custom', path: ['assignedBy'], message: 'exchange.v.assignedBy', input: d.assignedBy })
    }
    const numbers = new Set<number>()
    d.reportVersions.forEach((v, i) => {
      if (numbers.has(v.version))
        ctx.addIssue({ code: 'custom', path: ['reportVersions', i, 'version'], message: 'exchange.v.repeated', input: v.version })
      numbers.add(v.version)
    })
    const confirmed = d.reportVersions.filter((v) => v.status === 'confirmed')
    if (confirmed.length > 1)
      ctx.addIssue({ code: 'custom', path: ['reportVersions'], message: 'exchange.v.oneConfirmed', input: null })
    if ((d.status === 'completed') !== (confirmed.length === 1)) {
      ctx.addIssue({ code: 'custom', path: ['status'], message: 'exchange.v.completedConfirmed', input: d.status })
    }
    if (
      d.survey &&
      !d.reportVersions.some((v) => v.version === d.survey?.version && (v.status === 'confirmed' || v.status === 'superseded'))
    ) {
      ctx.addIssue({ code: 'custom', path: ['survey', 'version'], message: 'exchange.v.surveyVersion', input: d.survey.version })
    }
  })
export type TDiagnosisReportV1 = z.infer<typeof ZDiagnosisReportV1>
