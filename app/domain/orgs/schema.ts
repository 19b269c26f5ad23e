import { z } from 'zod'
import { zId, zPageParam } from '../shared/schema.js'
import { normaliseUscc, validateUscc } from './uscc.js'

export const ORG_KINDS = ['enterprise', 'provider', 'agency'] as const
export type OrgKind = (typeof ORG_KINDS)[number]
/** Kinds a person may register themselves; agencies are created by an administrator. */
export const SELF_SERVICE_ORG_KINDS = ['enterprise', 'provider'] as const

export const ORG_STATUSES = ['pending', 'verified', 'rejected'] as const
export type OrgStatus = (typeof ORG_STATUSES)[number]

export const PROVIDER_KINDS = ['equipment', 'it_engineering', 'integrator', 'consultancy', 'supervisor'] as const
export type ProviderKind = (typeof PROVIDER_KINDS)[number]

export const AGENCY_LEVELS = ['province', 'city', 'county'] as const
export type AgencyLevel = (typeof AGENCY_LEVELS)[number]

export const MEMBER_ROLES = ['owner', 'member'] as const
export type MemberRole = (typeof MEMBER_ROLES)[number]

export const USCC_MESSAGES = {
  length: '统一社会信用代码应为 18 位',
  charset: '统一社会信用代码只能包含数字和大写字母（不使用 I、O、Z、S、V）',
  checksum: '统一社会信用代码校验位不正确，请核对后重新输入',
} as const

export const ZUscc = z
  .string({ error: '请输入统一社会信用代码' })
  .transform(normaliseUscc)
  .superRefine((code, ctx) => {
    if (!code) {
      ctx.addIssue({ code: 'custom', message: '请输入统一社会信用代码' })
      return
    }
    const result = validateUscc(code)
    if (!result.ok) ctx.addIssue({ code: 'custom', message: USCC_MESSAGES[result.reason] })
  })

const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value])

/** The organisation form (create, and edit-and-resubmit after a rejection). */
export const ZOrgInput = z
  .object({
    kind: z.enum(SELF_SERVICE_ORG_KINDS, { error: '请选择组织类型' }),
    name: z
      .string({ error: '请输入组织名称' })
      .trim()
      .min(2, '组织名称至少 2 个字')
      .max(100, '组织名称不能超过 100 个字'),
    uscc: ZUscc,
    region: z.string({ error: '请选择所在地区' }).regex(/^[0-9A-Z]{6}$/, '请选择所在地区'),
    industry: z.string().optional(),
    'providerKinds[]': z.preprocess(list, z.array(z.enum(PROVIDER_KINDS, { error: '服务商类型无效' }))),
    contactName: z.string().trim().max(40, '联系人不能超过 40 个字').default(''),
    contactPhone: z
      .string()
      .trim()
      .max(20, '联系电话过长')
      .regex(/^$|^[0-9+\-() ]{7,20}$/, '联系电话格式不正确')
      .default(''),
    description: z.string().trim().max(1000, '简介不能超过 1000 个字').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'enterprise' && !/^C\d{2}$/.test(v.industry ?? '')) {
      ctx.addIssue({ code: 'custom', path: ['industry'], message: '请选择所属行业' })
    }
    if (v.kind === 'provider' && v['providerKinds[]'].length === 0) {
      ctx.addIssue({ code: 'custom', path: ['providerKinds[]'], message: '请至少选择一种服务商类型' })
    }
  })
  .transform(({ 'providerKinds[]': providerKinds, ...rest }) => ({ ...rest, providerKinds: [...new Set(providerKinds)] }))
export type TOrgInput = z.infer<typeof ZOrgInput>

export const ZRejectInput = z.object({
  reason: z
    .string({ error: 'audits.v.reasonRequired' })
    .trim()
    .min(2, 'audits.v.reasonRequired')
    .max(500, 'audits.v.reasonTooLong'),
})

/** The audit decision form: approve, or reject with a reason. */
export const ZAuditDecision = z.discriminatedUnion(
  'intent',
  [z.object({ intent: z.literal('approve') }), z.object({ intent: z.literal('reject') }).extend(ZRejectInput.shape)],
  { error: 'audits.v.intent' },
)
export type TAuditDecision = z.infer<typeof ZAuditDecision>

/** Route params of an application under review: `/agency/audits/:orgId`. */
export const ZApplicationParams = z.object({ orgId: zId })

export const ZAuditQueueParams = z.object({
  status: z
    .string()
    .optional()
    .transform((v) => ((ORG_STATUSES as readonly string[]).includes(v ?? '') ? (v as OrgStatus) : 'pending')),
  kind: z
    .string()
    .optional()
    .transform((v) => ((SELF_SERVICE_ORG_KINDS as readonly string[]).includes(v ?? '') ? (v as 'enterprise' | 'provider') : undefined)),
  region: z
    .string()
    .optional()
    .transform((v) => (v && /^[0-9A-Z]{6}$/.test(v) ? v : undefined)),
  q: z
    .string()
    .optional()
    .transform((v) => v?.trim().slice(0, 50) || undefined),
  page: zPageParam(10_000),
})
export type TAuditQueueParams = z.infer<typeof ZAuditQueueParams>

export const ZInviteCode = z
  .string({ error: '请输入邀请码' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z2-9]{8}$/, '邀请码为 8 位字母或数字')
