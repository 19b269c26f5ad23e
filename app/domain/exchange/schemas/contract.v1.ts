import { z } from 'zod'
import { CONTRACT_STATUSES, MILESTONE_STATUSES } from '../../../../db/enums.js'
import { zWan } from './bid.v1.js'
import { zDate, zExternalId, zInt, zText, zTimestamp } from './common.js'

/** A payment milestone (付款节点) of a contract, in order; its amount follows from the percent. */
export const ZContractMilestoneV1 = z.strictObject({
  name: zText(1, 100),
  percent: zInt(1, 100),
  dueDate: zDate,
  criteria: zText(0, 2000).default(''),
  status: z.enum(MILESTONE_STATUSES).default('pending'),
  /** The submission the current decisions belong to (0: never submitted). */
  round: zInt(0, 1000).default(0),
  submittedAt: zTimestamp.nullable().default(null),
  acceptedAt: zTimestamp.nullable().default(null),
  /** When the late job flagged it (逾期). */
  lateFlaggedAt: zTimestamp.nullable().default(null),
})

/** 电子确认 of one side: when (the person is the side's owner on the importing platform). */
const ZConfirmation = z.strictObject({ at: zTimestamp }).nullable().default(null)

/**
 * `{"type":"contract","version":1,"externalId":…,"bid":"<bid>","need":"<need>",
 * "enterprise":"<enterprise>","provider":"<provider>",…}`: the contract of an awarded bid
 * (issue 14 §3): terms, milestones with their status and dates, both confirmations, the
 * 监理机构 an agency appointed, and where it stands. Submissions, reviews, 监理日志,
 * disputes and the timeline are not part of version 1.
 */
export const ZContractV1 = z
  .strictObject({
    type: z.literal('contract'),
    version: z.literal(1),
    externalId: zExternalId,
    bid: zExternalId,
    need: zExternalId,
    enterprise: zExternalId,
    provider: zExternalId,
    title: zText(1, 200),
    amountWan: zWan(0.01, 1_000_000),
    startDate: zDate.nullable().default(null),
    constructionDays: zInt(1, 3650),
    technicalStandards: z.array(zText(1, 200)).max(50).default([]),
    acceptanceStandards: zText(0, 4000).default(''),
    qualityTerms: zText(0, 4000).default(''),
    warrantyMonths: zInt(0, 120),
    disputeClause: zText(0, 2000).default(''),
    status: z.enum(CONTRACT_STATUSES).default('draft'),
    statusReason: zText(0, 1000).default(''),
    revision: zInt(1, 100000).default(1),
    confirmations: z
      .strictObject({ enterprise: ZConfirmation, provider: ZConfirmation })
      .default({ enterprise: null, provider: null }),
    supervisor: z
      .strictObject({
        /** A provider of kind 监理 (supervisor). */
        organisation: zExternalId,
        /** The agency that appointed it. */
        appointedBy: zExternalId,
        appointedAt: zTimestamp,
      })
      .nullable()
      .default(null),
    milestones: z.array(ZContractMilestoneV1).min(1).max(20),
    createdAt: zTimestamp,
    activatedAt: zTimestamp.nullable().default(null),
    closedAt: zTimestamp.nullable().default(null),
  })
  .superRefine((c, ctx) => {
    const issue = (path: (string | number)[], message: string, params?: Record<string, string | number>) =>
      ctx.addIssue({ code: 'custom', path, message, params, input: undefined })
    const sum = c.milestones.reduce((s, m) => s + m.percent, 0)
    if (sum !== 100) issue(['milestones'], 'exchange.v.milestoneSum', { sum })
    c.milestones.forEach((m, i) => {
      const before = c.milestones[i - 1]
      if (before && m.dueDate < before.dueDate) issue(['milestones', i, 'dueDate'], 'exchange.v.dueOrder')
      if (c.startDate !== null && m.dueDate < c.startDate) issue(['milestones', i, 'dueDate'], 'exchange.v.dueBeforeStart')
      if ((m.status === 'accepted') !== (m.acceptedAt !== null)) issue(['milestones', i, 'acceptedAt'], 'exchange.v.acceptedAt')
      if (m.status !== 'pending' && m.round === 0) issue(['milestones', i, 'round'], 'exchange.v.roundNeeded')
    })
    const both = c.confirmations.enterprise !== null && c.confirmations.provider !== null
    if (c.status !== 'draft' && (!both || c.activatedAt === null)) issue(['confirmations'], 'exchange.v.notConfirmed')
    if (c.status === 'draft' && c.activatedAt !== null) issue(['activatedAt'], 'exchange.v.draftActivated')
    if (c.status === 'draft' && c.milestones.some((m) => m.status !== 'pending'))
      issue(['milestones'], 'exchange.v.draftMilestones')
    if (c.status === 'completed' && c.milestones.some((m) => m.status !== 'accepted')) {
      issue(['milestones'], 'exchange.v.completedMilestones')
    }
    if ((c.status === 'completed' || c.status === 'terminated') !== (c.closedAt !== null))
      issue(['closedAt'], 'exchange.v.closedAt')
  })
export type TContractV1 = z.infer<typeof ZContractV1>
