import { z } from 'zod'
import { zExternalId, zText, zTimestamp } from './common.js'

const GRADES = ['very_good', 'good', 'fair', 'poor'] as const

/**
 * `{"type":"contract_rating","version":1,"contract":"<contract>","side":"enterprise",…}`:
 * one side's rating of a completed contract (issue 14 §6) — `enterprise` rates the
 * provider, `provider` rates the enterprise, `supervisor` scores the delivery — with the
 * five items of the side's form in order, the overall verdict, the comment and the rated
 * side's reply. One per contract and side (its key).
 */
export const ZContractRatingV1 = z
  .strictObject({
    type: z.literal('contract_rating'),
    version: z.literal(1),
    contract: zExternalId,
    side: z.enum(['enterprise', 'provider', 'supervisor']),
    items: z.array(z.enum(GRADES)).length(5),
    overall: z.enum(['satisfied', 'fairly_satisfied', 'dissatisfied']),
    comment: zText(0, 1000).default(''),
    reply: zText(0, 1000).default(''),
    createdAt: zTimestamp,
    repliedAt: zTimestamp.nullable().default(null),
  })
  .superRefine((r, ctx) => {
    if ((r.repliedAt !== null) !== (r.reply !== '')) {
      ctx.addIssue({ code: 'custom', path: ['repliedAt'], message: 'exchange.v.repliedAt', input: r.repliedAt })
    }
  })
export type TContractRatingV1 = z.infer<typeof ZContractRatingV1>
