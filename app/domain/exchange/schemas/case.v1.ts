import { z } from 'zod'
import { PROVIDER_LIMITS } from '../../providers/enums.js'
import { parseMetricNumber } from '../../providers/schema.js'
import { zExternalId, zIndustryCode, zInt, zRegionCode, zScenarioCode, zText, zUniqueList, thisYear } from './common.js'

/** A measured value as the case form takes it: under a billion, at most 4 decimals. */
const zMetricNumber = z.number().refine((n) => parseMetricNumber(String(n)) === n, 'exchange.v.metricNumber')

/** A measured result: 不良品率 2.1 % → 0.6 %; a change alone (能耗 −12 %) has no `before`. */
export const ZCaseMetricV1 = z.strictObject({
  name: zText(1, 40),
  before: zMetricNumber.nullable().default(null),
  after: zMetricNumber,
  unit: zText(0, 16).default(''),
})

/**
 * `{"type":"case","version":1,"externalId":…,"provider":"<externalId>",…}`: a
 * provider's 案例, by the case form's rules (app/domain/providers/schema.ts). Platform verification (平台验证) is never imported: only a contract
 * completed on the platform sets it.
 */
export const ZCaseV1 = z.strictObject({
  type: z.literal('case'),
  version: z.literal(1),
  externalId: zExternalId,
  provider: zExternalId,
  title: zText(4, 80),
  /** The client's name, or an anonymised description (某汽车零部件企业) with clientAnonymised. */
  client: zText(2, 60),
  clientAnonymised: z.boolean().default(false),
  industryCode: zIndustryCode,
  regionCode: zRegionCode.nullable().default(null),
  scenarios: zUniqueList(zScenarioCode, 20).min(1),
  /** 万元 */
  investmentWan: zInt(0, 10_000_000).nullable().default(null),
  year: zInt(1990, 2100).refine((y) => y <= thisYear(), 'exchange.v.futureYear'),
  summary: zText(1, 4000),
  metrics: z.array(ZCaseMetricV1).max(PROVIDER_LIMITS.metricsPerCase).default([]),
})
export type TCaseV1 = z.infer<typeof ZCaseV1>
export type TCaseMetricV1 = z.infer<typeof ZCaseMetricV1>
