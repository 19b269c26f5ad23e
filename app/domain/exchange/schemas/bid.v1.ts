import { z } from 'zod'
import { BID_STATUSES } from '../../bids/lifecycle.js'
import { zExternalId, zInt, zText, zTimestamp } from './common.js'

/** An amount in 万元 with at most two decimals (hundredths of 万元 in the database). */
export const zWan = (min: number, max: number) =>
  z
    .number()
    .min(min)
    .max(max)
    .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'exchange.v.wanDecimals')

/**
 * `{"type":"bid","version":1,"externalId":…,"need":"<need>","provider":"<provider>",…}`:
 * a provider's 方案 on a need (issue 14 §1): price, period, plan, the contract template it
 * proposes and where it stands. Consortium bids are carried as the lead's bid (the split
 * is not part of version 1).
 */
export const ZBidV1 = z
  .strictObject({
    type: z.literal('bid'),
    version: z.literal(1),
    externalId: zExternalId,
    need: zExternalId,
    provider: zExternalId,
    /** 万元, two decimals at most. */
    priceWan: zWan(0.01, 1_000_000),
    durationDays: zInt(1, 3650),
    plan: zText(0, 20000).default(''),
    /** A contract_template (its current version is proposed), or null. */
    template: zExternalId.nullable().default(null),
    status: z.enum(BID_STATUSES).default('submitted'),
    statusReason: zText(0, 500).default(''),
    revision: zInt(1, 100000).default(1),
    createdAt: zTimestamp,
    updatedAt: zTimestamp.optional(),
    withdrawnAt: zTimestamp.nullable().default(null),
  })
  .superRefine((b, ctx) => {
    if ((b.status === 'withdrawn') !== (b.withdrawnAt !== null)) {
      ctx.addIssue({ code: 'custom', path: ['withdrawnAt'], message: 'exchange.v.withdrawnAt', input: b.withdrawnAt })
    }
  })
export type TBidV1 = z.infer<typeof ZBidV1>
