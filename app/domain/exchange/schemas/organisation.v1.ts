import { z } from 'zod'
import { AGENCY_LEVELS, ORG_KINDS, PROVIDER_KINDS } from '../../orgs/enums.js'
import { normaliseUscc, validateUscc } from '../../orgs/uscc.js'
import { USCC_MESSAGES } from '../../orgs/schema.js'
import { zExternalId, zIndustryCode, zRegionCode, zText, zUniqueList } from './common.js'

/**
 * `{"type":"organisation","version":1,…}`: an enterprise, provider or agency as its
 * registration and contact say (the organisation form's rules, app/domain/orgs/schema.ts).
 * `status` is a request only: an import makes an organisation verified when the line
 * says "verified" AND the operator passes --mark-verified (audited); otherwise pending,
 * for its agency to review.
 */
export const ZOrganisationV1 = z
  .strictObject({
    type: z.literal('organisation'),
    version: z.literal(1),
    externalId: zExternalId,
    kind: z.enum(ORG_KINDS),
    name: zText(2, 100),
    /** 统一社会信用代码: enterprises and providers; an agency's is optional. */
    uscc: z
      .string()
      .transform(normaliseUscc)
      .superRefine((code, ctx) => {
        const result = validateUscc(code)
        if (!result.ok) ctx.addIssue({ code: 'custom', message: USCC_MESSAGES[result.reason], input: code })
      })
      .nullable()
      .default(null),
    regionCode: zRegionCode,
    /** Agencies: province, city or county (as their region). */
    agencyLevel: z.enum(AGENCY_LEVELS).nullable().default(null),
    /** Enterprises: their GB/T 4754 division. */
    industryCode: zIndustryCode.nullable().default(null),
    /** Providers: one or more kinds. */
    providerKinds: zUniqueList(z.enum(PROVIDER_KINDS), PROVIDER_KINDS.length).default([]),
    contact: z
      .strictObject({
        name: zText(0, 40).default(''),
        phone: z
          .string()
          .trim()
          .regex(/^$|^[0-9+\-() ]{7,20}$/, 'exchange.v.phone')
          .default(''),
      })
      .default({ name: '', phone: '' }),
    description: zText(0, 1000).default(''),
    status: z.enum(['pending', 'verified']).default('pending'),
  })
  .superRefine((o, ctx) => {
    const needs = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message, input: undefined })
    const notFor = (path: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message: 'exchange.v.notForKind', params: { kind: o.kind }, input: undefined })
    if (o.kind !== 'agency' && o.uscc === null) needs('uscc', 'exchange.v.usccRequired')
    if (o.kind === 'enterprise' && o.industryCode === null) needs('industryCode', 'exchange.v.industryRequired')
    if (o.kind !== 'enterprise' && o.industryCode !== null) notFor('industryCode')
    if (o.kind === 'provider' && o.providerKinds.length === 0) needs('providerKinds', 'exchange.v.providerKindsRequired')
    if (o.kind !== 'provider' && o.providerKinds.length > 0) notFor('providerKinds')
    if (o.kind === 'agency' && o.agencyLevel === null) needs('agencyLevel', 'exchange.v.agencyLevelRequired')
    if (o.kind !== 'agency' && o.agencyLevel !== null) notFor('agencyLevel')
  })
export type TOrganisationV1 = z.infer<typeof ZOrganisationV1>
