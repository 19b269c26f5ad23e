import { z } from 'zod'
import { PROVIDER_LIMITS } from '../../providers/enums.js'
import { MAX_SERVED_REGIONS } from '../../providers/schema.js'
import { zDate, zExternalId, zIndustryCode, zInt, zRegionCode, zScenarioCode, zText, zUniqueList, thisYear } from './common.js'

/** Dates of qualifications start in 1950 (as the profile's form). */
const zQualificationDate = zDate.refine((d) => d >= '1950-01-01', 'exchange.v.date')

/** One 资质: name, issuer, certificate number and validity (no end: does not expire). */
export const ZQualificationV1 = z
  .strictObject({
    name: zText(2, 60),
    issuer: zText(0, 60).default(''),
    certificateNo: zText(0, 60).default(''),
    validFrom: zQualificationDate.nullable().default(null),
    validUntil: zQualificationDate.nullable().default(null),
  })
  .superRefine((q, ctx) => {
    if (q.validFrom && q.validUntil && q.validUntil < q.validFrom) {
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'exchange.v.validity', input: q.validUntil })
    }
  })

/**
 * `{"type":"provider_profile","version":1,"organisation":"<externalId>",…}`: a
 * provider's 能力画像 beyond its organisation line (contact and description are the
 * organisation's). A line is the whole profile: its lists replace what the profile held
 * (industries, scenarios and regions are sets; qualifications keep their order). The
 * rules are the profile form's (app/domain/providers/schema.ts).
 */
export const ZProviderProfileV1 = z
  .strictObject({
    type: z.literal('provider_profile'),
    version: z.literal(1),
    /** The provider's organisation (externalId of an organisation line, or one imported before). */
    organisation: zExternalId,
    teamSize: zInt(1, 1_000_000).nullable().default(null),
    foundedYear: zInt(1900, 2100)
      .refine((y) => y <= thisYear(), 'exchange.v.futureYear')
      .nullable()
      .default(null),
    website: z
      .string()
      .trim()
      .max(200)
      .regex(/^$|^https?:\/\/[^\s]+$/, 'exchange.v.website')
      .default(''),
    /** Serves the whole country (regions may then be empty). */
    nationwide: z.boolean().default(false),
    industries: zUniqueList(zIndustryCode, 31).default([]),
    scenarios: zUniqueList(zScenarioCode, 60).default([]),
    regions: zUniqueList(zRegionCode, MAX_SERVED_REGIONS).default([]),
    qualifications: z.array(ZQualificationV1).max(PROVIDER_LIMITS.qualificationsPerProvider).default([]),
  })
  .superRefine((p, ctx) => {
    if (p.nationwide && p.regions.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['regions'], message: 'exchange.v.nationwideRegions', input: p.regions })
    }
  })
export type TProviderProfileV1 = z.infer<typeof ZProviderProfileV1>
export type TQualificationV1 = z.infer<typeof ZQualificationV1>
