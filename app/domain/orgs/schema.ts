import { z } from 'zod'
import { zId, zPageParam } from '../shared/schema.js'
import { normaliseUscc, validateUscc } from './uscc.js'

import { MEMBER_ROLES, ORG_STATUSES, PROVIDER_KINDS, SELF_SERVICE_ORG_KINDS, type OrgStatus, type ProviderKind } from './enums.js'

// The enumerations live in enums.ts (importable in the browser); server modules keep importing them from here.
export {
  AGENCY_LEVELS,
  AGENCY_ROLES,
  COMPANY_ROLES,
  MEMBER_ROLES,
  MEMBERSHIP_STATUSES,
  ORG_KINDS,
  ORG_STATUSES,
  PROVIDER_KINDS,
  rolesFor,
  SELF_SERVICE_ORG_KINDS,
} from './enums.js'
export type { AgencyLevel, MemberRole, MembershipStatus, OrgKind, OrgStatus, ProviderKind } from './enums.js'

/** Why a USCC is refused, by the validator's reason. */
export const USCC_MESSAGES = {
  length: 'org.v.usccLength',
  charset: 'org.v.usccCharset',
  checksum: 'org.v.usccChecksum',
} as const

export const ZUscc = z
  .string({ error: 'org.v.usccRequired' })
  .transform(normaliseUscc)
  .superRefine((code, ctx) => {
    if (!code) {
      ctx.addIssue({ code: 'custom', message: 'org.v.usccRequired' })
      return
    }
    const result = validateUscc(code)
    if (!result.ok) ctx.addIssue({ code: 'custom', message: USCC_MESSAGES[result.reason] })
  })

/** A form field that may come once, repeated, or not at all, as a list. */
const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? (value as unknown[]) : value === undefined || value === '' ? [] : [value]

/**
 * What the agency reviews: who the organisation is (name, code, region: the region also
 * chooses the reviewing agency) and what it does (an enterprise's industry, a provider's kinds).
 */
const registrationShape = {
  kind: z.enum(SELF_SERVICE_ORG_KINDS, { error: 'org.v.kind' }),
  name: z.string({ error: 'org.v.nameRequired' }).trim().min(2, 'org.v.nameTooShort').max(100, 'org.v.nameTooLong'),
  uscc: ZUscc,
  region: z.string({ error: 'org.v.region' }).regex(/^[0-9A-Z]{6}$/, 'org.v.region'),
  industry: z.string().optional(),
  'providerKinds[]': z.preprocess(list, z.array(z.enum(PROVIDER_KINDS, { error: 'org.v.providerKind' }))),
}

/** How to reach the organisation and what it says of itself: its own words, not reviewed. */
const contactShape = {
  contactName: z.string().trim().max(40, 'org.v.contactNameTooLong').default(''),
  contactPhone: z
    .string()
    .trim()
    .max(20, 'org.v.contactPhoneTooLong')
    .regex(/^$|^[0-9+\-() ]{7,20}$/, 'org.v.contactPhone')
    .default(''),
  description: z.string().trim().max(1000, 'org.v.descriptionTooLong').default(''),
}

/** An enterprise names its industry, a provider at least one kind; also when other fields failed, so every error comes in one round. */
function registrationRules<S extends z.ZodType<{ kind: string; industry?: string; 'providerKinds[]': string[] }>>(schema: S) {
  return schema.superRefine(
    (v, ctx) => {
      if (v.kind === 'enterprise' && !/^C\d{2}$/.test(v.industry ?? '')) {
        ctx.addIssue({ code: 'custom', path: ['industry'], message: 'org.v.industry' })
      }
      if (v.kind === 'provider' && v['providerKinds[]'].length === 0) {
        ctx.addIssue({ code: 'custom', path: ['providerKinds[]'], message: 'org.v.providerKinds' })
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
}

/** The form's `providerKinds[]` as a list without repeats. */
function withProviderKinds<T extends { 'providerKinds[]': ProviderKind[] }>({ 'providerKinds[]': kinds, ...rest }: T) {
  return { ...rest, providerKinds: [...new Set(kinds)] }
}

/** The organisation form (create, and edit-and-resubmit after a rejection). */
export const ZOrgInput = registrationRules(z.object({ ...registrationShape, ...contactShape })).transform(withProviderKinds)
export type TOrgInput = z.infer<typeof ZOrgInput>

/** A verified organisation's contact person, phone and description (/org/edit): saved at once. */
export const ZOrgContactInput = z.object(contactShape)
export type TOrgContactInput = z.infer<typeof ZOrgContactInput>

/** A verified organisation's registration (/org/edit): a change sends it back to review. */
export const ZOrgRegistrationInput = registrationRules(z.object(registrationShape)).transform(withProviderKinds)
export type TOrgRegistrationInput = z.infer<typeof ZOrgRegistrationInput>

/** Which of /org/edit's forms was sent: none names a resubmission of a pending or rejected application. */
export const ZOrgEditIntent = z.object({
  intent: z.enum(['contact', 'registration'], { error: 'errors.badRequest' }).optional(),
})

export const ZRejectInput = z.object({
  reason: z
    .string({ error: 'audits.v.reasonRequired' })
    .trim()
    .min(2, 'audits.v.reasonRequired')
    .max(500, 'audits.v.reasonTooLong'),
})

/** The revision of the application the reviewer had in front of them. */
const zRevision = z
  .string({ error: 'audits.v.revision' })
  .regex(/^[1-9]\d{0,8}$/, 'audits.v.revision')
  .transform(Number)

/** The audit decision form: approve, or reject with a reason; both name the revision they were made on. */
export const ZAuditDecision = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('approve'), revision: zRevision }),
    z.object({ intent: z.literal('reject'), revision: zRevision }).extend(ZRejectInput.shape),
  ],
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
    .transform((v) =>
      (SELF_SERVICE_ORG_KINDS as readonly string[]).includes(v ?? '') ? (v as 'enterprise' | 'provider') : undefined,
    ),
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

/**
 * Invite secrets. The short code people type or read out: 12 characters of a
 * 32-letter alphabet without 0/O and 1/I (60 bits), shown as XXXX-XXXX-XXXX; blanks
 * and dashes are ignored when typed. The link's token: 32 random bytes, base64url
 * (256 bits). Both are stored only as hashes.
 */
export const INVITE_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
export const INVITE_CODE_LENGTH = 12
export const INVITE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

export const ZInviteCode = z
  .string({ error: 'join.v.codeRequired' })
  .transform((v) => v.replace(/[\s-]/g, '').toUpperCase())
  .pipe(
    z
      .string()
      .min(1, 'join.v.codeRequired')
      .regex(new RegExp(`^[${INVITE_CODE_ALPHABET}]{${INVITE_CODE_LENGTH}}$`), 'join.v.codeFormat'),
  )

/** An invite code typed into /join. */
export const ZJoinInput = z.object({ code: ZInviteCode })

/** The :code of a /join/:code link: the link's token. Anything else names no invitation (404). */
export const ZJoinLinkParams = z.object({ code: z.string().regex(INVITE_TOKEN_PATTERN) })

/** The owner's actions on /org. */
export const ZOrgPageAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('createInvite') }),
  z.object({ intent: z.literal('revokeInvite'), inviteId: zId }),
  z.object({ intent: z.literal('removeMember'), userId: zId }),
  // Confirms a pending member with a role, or changes an active member's role.
  z.object({
    intent: z.literal('setMemberRole'),
    userId: zId,
    role: z.enum(MEMBER_ROLES, { error: 'org.v.role' }),
  }),
])
export type TOrgPageAction = z.infer<typeof ZOrgPageAction>
