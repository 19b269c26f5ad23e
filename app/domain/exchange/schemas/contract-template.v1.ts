import { z } from 'zod'
import { PRICE_MODELS, PROVIDER_LIMITS, TEMPLATE_STATUSES } from '../../providers/enums.js'
import { zExternalId, zIndustryCode, zInt, zScenarioCode, zText, zUniqueList } from './common.js'

/** A payment milestone (付款节点): its share of the price and what must be accepted first. */
export const ZMilestoneV1 = z.strictObject({
  name: zText(1, 40),
  percent: zInt(1, 100),
  criteria: zText(0, 500).default(''),
})

/**
 * `{"type":"contract_template","version":1,"externalId":…,"owner":"<externalId>",…}`:
 * a 标准合同 with the fields of its current version (DOMAIN.md §4). An agency's
 * templates are official (官方范本); a provider's may derive from an official one
 * (`derivedFrom`). The template form's rules (app/domain/providers/template-schema.ts):
 * milestones with different names summing to exactly 100; a fixed price is one amount
 * (priceMaxWan absent or equal), a range both ends, 面议 (quote) none.
 */
export const ZContractTemplateV1 = z
  .strictObject({
    type: z.literal('contract_template'),
    version: z.literal(1),
    externalId: zExternalId,
    /** The owning organisation: an agency for an official template, else a provider. */
    owner: zExternalId,
    official: z.boolean(),
    title: zText(4, 80),
    industryCode: zIndustryCode.nullable().default(null),
    scenarios: zUniqueList(zScenarioCode, 10).min(1),
    status: z.enum(TEMPLATE_STATUSES).default('active'),
    /** The official template (externalId) a provider's template derives from. */
    derivedFrom: zExternalId.nullable().default(null),
    constructionDays: zInt(1, 3650),
    technicalStandards: z.array(zText(1, 60)).min(1).max(PROVIDER_LIMITS.standardsPerTemplate),
    acceptanceStandards: zText(1, 4000),
    qualityTerms: zText(0, 4000).default(''),
    warrantyMonths: zInt(0, 120),
    priceModel: z.enum(PRICE_MODELS),
    /** 万元 */
    priceMinWan: zInt(0, 10_000_000).nullable().default(null),
    priceMaxWan: zInt(0, 10_000_000).nullable().default(null),
    milestones: z.array(ZMilestoneV1).min(1).max(PROVIDER_LIMITS.milestonesPerTemplate),
    disputeClause: zText(1, 2000),
  })
  .superRefine((t, ctx) => {
    const issue = (path: string, message: string, params?: Record<string, string | number>) =>
      ctx.addIssue({ code: 'custom', path: [path], message, params, input: undefined })
    const sum = t.milestones.reduce((s, m) => s + m.percent, 0)
    if (sum !== 100) issue('milestones', 'exchange.v.milestoneSum', { sum })
    if (t.official && t.derivedFrom !== null) issue('derivedFrom', 'exchange.v.officialDerived')
    if (t.priceModel !== 'quote' && t.priceMinWan === null) issue('priceMinWan', 'exchange.v.priceRequired')
    if (t.priceModel === 'range' && t.priceMaxWan === null) issue('priceMaxWan', 'exchange.v.priceRequired')
    if (t.priceMinWan !== null && t.priceMaxWan !== null && t.priceMaxWan < t.priceMinWan) {
      issue('priceMaxWan', 'exchange.v.priceOrder')
    }
    if (t.priceModel === 'fixed' && t.priceMaxWan !== null && t.priceMaxWan !== t.priceMinWan) {
      issue('priceMaxWan', 'exchange.v.priceFixed')
    }
    if (t.priceModel === 'quote') {
      if (t.priceMinWan !== null) issue('priceMinWan', 'exchange.v.priceQuote')
      if (t.priceMaxWan !== null) issue('priceMaxWan', 'exchange.v.priceQuote')
    }
    const names = new Set<string>()
    t.milestones.forEach((m, i) => {
      if (names.has(m.name)) {
        ctx.addIssue({ code: 'custom', path: ['milestones', i, 'name'], message: 'exchange.v.repeated', input: m.name })
      }
      names.add(m.name)
    })
  })
export type TContractTemplateV1 = z.infer<typeof ZContractTemplateV1>
export type TMilestoneV1 = z.infer<typeof ZMilestoneV1>
