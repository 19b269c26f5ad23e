import { z } from 'zod'
import { PROVIDER_LIMITS } from './enums.js'

/*
 * The consortium form (总承包 + 分包): its name, the lead's own scope and share, and one
 * numbered row per member (m1Org, m1Scope, m1Share … ; m1Remove on the edit form). The
 * members are chosen on the page by searching verified providers (the picks travel in
 * the URL, so it works without scripts); each row carries the member's organisation id.
 * The shares, the lead's included, must sum to exactly 100: the use case checks that and
 * shows the sum (consortia.server.ts).
 */

/** Rows for members besides the lead. */
export const MAX_CONSORTIUM_MEMBER_ROWS = PROVIDER_LIMITS.consortiumMembers - 1

export const memberField = (n: number, part: 'Org' | 'Scope' | 'Share' | 'Remove') => `m${n}${part}`

const share = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^\d{1,3}$/, key)
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, key)

const rowShape: Record<string, z.ZodType<string, unknown>> = {}
for (let n = 1; n <= MAX_CONSORTIUM_MEMBER_ROWS; n++) {
  rowShape[memberField(n, 'Org')] = z.string().trim().default('')
  rowShape[memberField(n, 'Scope')] = z.string().trim().max(200, 'consortium.v.scopeTooLong').default('')
  rowShape[memberField(n, 'Share')] = z.string().trim().default('')
  rowShape[memberField(n, 'Remove')] = z.string().default('')
}

export interface ConsortiumMemberInput {
  orgId: number
  scope: string
  sharePercent: number
}

export interface ConsortiumInput {
  name: string
  leadScope: string
  leadShare: number
  members: ConsortiumMemberInput[]
}

const isId = (v: string) => /^[1-9]\d{0,9}$/.test(v) && Number(v) <= 2_147_483_647

export const ZConsortiumInput = z
  .object({
    name: z.string({ error: 'consortium.v.name' }).trim().min(2, 'consortium.v.name').max(80, 'consortium.v.name'),
    leadScope: z.string().trim().max(200, 'consortium.v.scopeTooLong').default(''),
    leadShare: share('consortium.v.share'),
    ...rowShape,
  })
  .superRefine((v, ctx) => {
    const raw = v as unknown as Record<string, string>
    const seen = new Set<string>()
    let members = 0
    for (let n = 1; n <= MAX_CONSORTIUM_MEMBER_ROWS; n++) {
      const org = raw[memberField(n, 'Org')] ?? ''
      if (!org || raw[memberField(n, 'Remove')]) continue
      if (!isId(org) || seen.has(org)) {
        ctx.addIssue({ code: 'custom', path: [memberField(n, 'Org')], message: 'consortium.v.member' })
        continue
      }
      seen.add(org)
      members += 1
      if (!share('x').safeParse(raw[memberField(n, 'Share')] ?? '').success) {
        ctx.addIssue({ code: 'custom', path: [memberField(n, 'Share')], message: 'consortium.v.share' })
      }
    }
    if (members === 0) ctx.addIssue({ code: 'custom', path: ['members'], message: 'consortium.v.membersRequired' })
  })
  .transform((v): ConsortiumInput => {
    const raw = v as unknown as Record<string, string>
    const members: ConsortiumMemberInput[] = []
    for (let n = 1; n <= MAX_CONSORTIUM_MEMBER_ROWS; n++) {
      const org = raw[memberField(n, 'Org')] ?? ''
      if (!org || raw[memberField(n, 'Remove')]) continue
      members.push({
        orgId: Number(org),
        scope: raw[memberField(n, 'Scope')] ?? '',
        sharePercent: Number(raw[memberField(n, 'Share')]),
      })
    }
    return { name: v.name, leadScope: v.leadScope, leadShare: v.leadShare, members }
  })
export type TConsortiumInput = z.infer<typeof ZConsortiumInput>

/** The member picker's state, in the URL: the search words and the organisations picked so far. */
export const ZConsortiumPickQuery = z.object({
  q: z
    .string()
    .optional()
    .transform((v) => (v ? v.trim().slice(0, 40) : '')),
  m: z.preprocess(
    (value): unknown[] => (Array.isArray(value) ? (value as unknown[]) : value === undefined || value === '' ? [] : [value]),
    z.array(z.string()).transform((ids) => [...new Set(ids.filter(isId).map(Number))].slice(0, MAX_CONSORTIUM_MEMBER_ROWS)),
  ),
})
export type TConsortiumPickQuery = z.infer<typeof ZConsortiumPickQuery>

/**
 * What is done on the consortium's page: a member's owner confirms or declines (`seen`
 * is the consortium's updated_at when the page was shown: terms changed meanwhile are
 * not confirmed blind); the lead's owner changes it (the form above) or dissolves it.
 */
export const ZConsortiumIntent = z.object({
  intent: z.enum(['confirm', 'decline', 'update', 'dissolve'], { error: 'errors.badRequest' }),
  seen: z.string().max(40).default(''),
})
