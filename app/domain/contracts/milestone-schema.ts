import { z } from 'zod'
import { zId } from '../shared/schema.js'
import { MILESTONE_LIMITS, QUALITY_JUDGEMENTS, SCHEDULE_JUDGEMENTS } from './milestone-limits.js'

/*
 * The milestone and supervision forms: only these fields are read. Anything else a
 * client posts (status, round of another milestone, amount, providerId …) is dropped by
 * zod and changes nothing: the milestone is the one in the URL, the side is the
 * actor's role on the contract.
 */

/** /contracts/:id/milestones/:mid */
export const ZMilestoneParams = z.object({ id: zId, mid: zId })

export const ZMilestoneIntent = z.object({ intent: z.enum(['submit', 'review'], { error: 'errors.invalid' }) })

export const ZSubmitMilestone = z.object({
  evidence: z
    .string({ error: 'milestones.v.evidence' })
    .trim()
    .min(1, 'milestones.v.evidence')
    .max(MILESTONE_LIMITS.evidenceMax, 'milestones.v.evidenceTooLong'),
})
export type SubmitMilestoneInput = z.output<typeof ZSubmitMilestone>

export const ZReviewMilestone = z.object({
  round: z
    .string({ error: 'milestones.e.stale' })
    .regex(/^[1-9]\d{0,4}$/, 'milestones.e.stale')
    .transform(Number),
  decision: z.enum(['accepted', 'rejected'], { error: 'milestones.v.decision' }),
  reason: z.string().trim().max(MILESTONE_LIMITS.reasonMax, 'milestones.v.reasonTooLong').default(''),
})
export type ReviewMilestoneInput = z.output<typeof ZReviewMilestone>

export const ZSupervisionLog = z.object({
  logDate: z
    .string({ error: 'milestones.v.logDate' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'milestones.v.logDate')
    .refine(
      (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
      'milestones.v.logDate',
    ),
  findings: z
    .string({ error: 'milestones.v.findings' })
    .trim()
    .min(1, 'milestones.v.findings')
    .max(MILESTONE_LIMITS.findingsMax, 'milestones.v.findingsTooLong'),
  quality: z.enum(QUALITY_JUDGEMENTS, { error: 'milestones.v.quality' }),
  schedule: z.enum(SCHEDULE_JUDGEMENTS, { error: 'milestones.v.schedule' }),
  milestoneId: z
    .string({ error: 'milestones.v.milestone' })
    .trim()
    .default('')
    .refine((v) => v === '' || /^[1-9]\d{0,9}$/.test(v), 'milestones.v.milestone')
    .transform((v) => (v === '' ? null : Number(v))),
})
export type SupervisionLogInput = z.output<typeof ZSupervisionLog>

export const ZLogsQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) })
