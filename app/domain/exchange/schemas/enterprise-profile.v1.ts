import { z } from 'zod'
import { GRADIENT_TITLES, REVENUE_BANDS, SIZE_BANDS, STAFF_BANDS, TITLE_STATUSES } from '../../../../db/enums.js'
import { zDate, zExternalId, zInt, zPercent, zText } from './common.js'

/** A 智能工厂梯度 title held, with its dates. */
export const ZEnterpriseTitleV1 = z
  .strictObject({
    title: z.enum(GRADIENT_TITLES),
    /** The scenario of an 优秀场景 (excellent_scenario); empty for the others. */
    scene: zText(0, 80).default(''),
    issuer: zText(0, 60).default(''),
    awardedOn: zDate,
    expiresOn: zDate.nullable().default(null),
    status: z.enum(TITLE_STATUSES).default('held'),
  })
  .superRefine((t, ctx) => {
    if (t.expiresOn !== null && t.expiresOn <= t.awardedOn) {
      ctx.addIssue({ code: 'custom', path: ['expiresOn'], message: 'exchange.v.titleDates', input: t.expiresOn })
    }
  })

/**
 * `{"type":"enterprise_profile","version":1,"organisation":"<externalId>",…}`: an
 * enterprise's 一企一档 beyond its organisation line (industry, region and name are
 * there): bands, the four gradient indicators, MES coverage, maturity and titles. One
 * line per enterprise; a line is the whole archive (titles replaced in the order given).
 */
export const ZEnterpriseProfileV1 = z.strictObject({
  type: z.literal('enterprise_profile'),
  version: z.literal(1),
  organisation: zExternalId,
  sizeBand: z.enum(SIZE_BANDS).nullable().default(null),
  /** 规上 (above designated size). */
  aboveScale: z.boolean().default(false),
  revenueBand: z.enum(REVENUE_BANDS).nullable().default(null),
  staffBand: z.enum(STAFF_BANDS).nullable().default(null),
  mainProducts: zText(0, 500).default(''),
  /** 数字化研发设计工具普及率 % */
  rdToolsPct: zPercent.nullable().default(null),
  /** 生产装备数控化率 % */
  equipmentNcPct: zPercent.nullable().default(null),
  /** 关键工序数控化率 % */
  keyProcessNcPct: zPercent.nullable().default(null),
  /** 经营管理数字化普及率 % */
  mgmtDigitalPct: zPercent.nullable().default(null),
  mesCoveragePct: zPercent.nullable().default(null),
  /** GB/T 39116 智能制造能力成熟度 1–5. */
  maturityLevel: zInt(1, 5).nullable().default(null),
  /** The year the indicators are of. */
  indicatorsYear: zInt(2000, 2100).nullable().default(null),
  titles: z.array(ZEnterpriseTitleV1).max(20).default([]),
})
export type TEnterpriseProfileV1 = z.infer<typeof ZEnterpriseProfileV1>
export type TEnterpriseTitleV1 = z.infer<typeof ZEnterpriseTitleV1>
