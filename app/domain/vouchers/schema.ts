import { z } from 'zod'
import { VOUCHER_STATUSES } from '../../../db/enums.js'
import { zId, zPageParam } from '../shared/schema.js'
import { VOUCHER_LIMITS, VOUCHER_STEPS } from './rules.js'

/*
 * The forms of 服务券. Only these fields are read: anything else a client posts (status,
 * agency, enterprise, released …) is dropped by zod and changes nothing.
 */

/** 万元 with at most two decimals → hundredths (an integer, no float arithmetic); 0 < x ≤ 10 000 000. */
const zWanX100 = (key: string) =>
  z
    .string({ error: key })
    .transform((v) => v.replace(/[\s,，]/g, '').replace(/万元?$/, ''))
    .pipe(
      z
        .string()
        .regex(/^\d{1,8}(\.\d{1,2})?$/, key)
        .transform((v) => {
          const [whole, frac = ''] = v.split('.')
          return Number(whole) * 100 + Number(frac.padEnd(2, '0'))
        })
        .refine((n) => n >= 1 && n <= 1_000_000_000, key),
    )

const zDay = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, key)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), key)

const zText = (key: string, min: number, max: number, tooLong: string) =>
  z.string({ error: key }).trim().min(min, key).max(max, tooLong)

const zNote = z.string().trim().max(VOUCHER_LIMITS.noteMax, 'vouchers.v.noteTooLong').default('')
const zReason = zText('vouchers.v.reason', VOUCHER_LIMITS.reasonMin, VOUCHER_LIMITS.noteMax, 'vouchers.v.noteTooLong')

export const ZSchemeInput = z
  .object({
    name: zText('vouchers.v.name', 2, VOUCHER_LIMITS.nameMax, 'vouchers.v.name'),
    document: zText('vouchers.v.document', 2, VOUCHER_LIMITS.documentMax, 'vouchers.v.document'),
    validFrom: zDay('vouchers.v.validFrom'),
    validTo: zDay('vouchers.v.validTo'),
    yearlyBudget: zWanX100('vouchers.v.budget'),
    maxSharePct: z
      .string({ error: 'vouchers.v.share' })
      .trim()
      .regex(/^\d{1,3}$/, 'vouchers.v.share')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 100, 'vouchers.v.share'),
    maxPerVoucher: zWanX100('vouchers.v.maxPer'),
  })
  .refine((v) => v.validFrom <= v.validTo, { message: 'vouchers.v.dates', path: ['validTo'] })
  .refine((v) => v.maxPerVoucher <= v.yearlyBudget, { message: 'vouchers.v.maxPerOverBudget', path: ['maxPerVoucher'] })
export type SchemeInput = z.output<typeof ZSchemeInput>

export const ZIssueInput = z.object({
  schemeId: zId.or(z.string().transform(() => 0)).refine((n) => n > 0, 'vouchers.v.scheme'),
  contractId: zId.or(z.string().transform(() => 0)).refine((n) => n > 0, 'vouchers.v.contract'),
  amount: zWanX100('vouchers.v.amount'),
  note: zNote,
})
export type IssueInput = z.output<typeof ZIssueInput>

export const ZStepIntent = z.object({ step: z.enum(VOUCHER_STEPS, { error: 'errors.notFound' }) })

/** The provider's stage evidence: accepted milestones (checkboxes `milestone`) and a note. */
export const ZSubmitInput = z.object({
  milestone: z
    .union([zId, z.array(zId)], { error: 'vouchers.v.evidence' })
    .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
    .refine((v) => v.length >= 1 && v.length <= VOUCHER_LIMITS.evidenceMax, 'vouchers.v.evidence'),
  note: zNote,
})
export type SubmitInput = z.output<typeof ZSubmitInput>

export const ZNoteInput = z.object({ note: zNote })
export const ZReasonInput = z.object({ note: zReason })

export const ZReleaseInput = z.object({
  amount: zWanX100('vouchers.v.releaseAmount'),
  reference: zText('vouchers.v.reference', 1, VOUCHER_LIMITS.refMax, 'vouchers.v.reference'),
  releasedOn: zDay('vouchers.v.releasedOn'),
  note: zNote,
})
export type ReleaseInput = z.output<typeof ZReleaseInput>

export const ZVouchersQuery = z.object({
  page: zPageParam(10_000),
  status: z
    .string()
    .optional()
    .transform((v) =>
      (VOUCHER_STATUSES as readonly string[]).includes(v ?? '') ? (v as (typeof VOUCHER_STATUSES)[number]) : null,
    ),
})

export const ZIssueQuery = z.object({
  contract: z
    .string()
    .optional()
    .transform((v) => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : null)),
})
