import { z } from 'zod'
import { NEED_STATUSES, TARGET_LEVELS } from '../../needs/enums.js'
import { zDate, zExternalId, zIndustryCode, zInt, zRegionCode, zScenarioCode, zText, zTimestamp, zUniqueList } from './common.js'

/** The weakness of a confirmed diagnosis report a need was made from. */
export const ZNeedSourceV1 = z.strictObject({
  /** External id of a `diagnosis_report` (the project). */
  report: zExternalId,
  /** Its report version. */
  version: zInt(1, 1000),
  /** The weakness's number (seq) in that version. */
  weakness: zInt(1, 50),
})

/**
 * `{"type":"need","version":1,"externalId":…,"organisation":"<enterprise externalId>",…}`:
 * an enterprise's 改造需求 with every column (DOMAIN.md §4): what, where, scenarios,
 * level, budget, timing, status and its deadline (投标截止), and the diagnosis weakness it
 * came from.
 */
export const ZNeedV1 = z
  .strictObject({
    type: z.literal('need'),
    version: z.literal(1),
    externalId: zExternalId,
    organisation: zExternalId,
    title: zText(4, 80),
    description: zText(0, 5000),
    industryCode: zIndustryCode,
    regionCode: zRegionCode,
    scenarios: zUniqueList(zScenarioCode, 5).min(1),
    targetLevel: z.enum(TARGET_LEVELS),
    /** 万元 */
    budgetMinWan: zInt(0, 10_000_000),
    budgetMaxWan: zInt(0, 10_000_000),
    expectedStart: zDate,
    durationMonths: zInt(1, 60),
    acceptsMatching: z.boolean().default(true),
    expectedResults: zText(0, 2000).default(''),
    visibility: z.enum(['public', 'verified_providers']).default('public'),
    status: z.enum(NEED_STATUSES).default('draft'),
    /** Why the last status change happened (withdrawn, closed …). */
    statusReason: zText(0, 500).default(''),
    /** 投标截止 */
    deadline: zDate.nullable().default(null),
    createdAt: zTimestamp.optional(),
    publishedAt: zTimestamp.nullable().default(null),
    source: ZNeedSourceV1.nullable().default(null),
  })
  .superRefine((n, ctx) => {
    if (n.budgetMaxWan < n.budgetMinWan) {
      ctx.addIssue({ code: 'custom', path: ['budgetMaxWan'], message: 'exchange.v.budgetOrder', input: n.budgetMaxWan })
    }
    if (n.status !== 'draft' && n.publishedAt === null) {
      ctx.addIssue({ code: 'custom', path: ['publishedAt'], message: 'exchange.v.publishedAtRequired', input: null })
    }
  })
export type TNeedV1 = z.infer<typeof ZNeedV1>
