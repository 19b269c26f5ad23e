import { z } from 'zod'
import { checkPassword, type PasswordProblem } from './password.server.js'

const PHONE = /^1[3-9]\d{9}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export type LoginId = { kind: 'phone'; value: string } | { kind: 'email'; value: string }

/** A phone (mainland mobile) or e-mail, normalised; null when it is neither. */
export function parseLoginId(raw: string): LoginId | null {
  const value = raw.trim().replace(/[\s-]/g, '')
  const phone = value.replace(/^\+?86/, '')
  if (PHONE.test(phone)) return { kind: 'phone', value: phone }
  const email = raw.trim().toLowerCase()
  if (email.length <= 120 && EMAIL.test(email)) return { kind: 'email', value: email }
  return null
}

const ZLoginId = z
  .string({ error: 'accounts.v.loginRequired' })
  .trim()
  .min(1, 'accounts.v.loginRequired')
  .max(120, 'accounts.v.loginTooLong')
  .transform((v, ctx) => {
    const id = parseLoginId(v)
    if (!id) {
      ctx.addIssue({ code: 'custom', message: 'accounts.v.loginInvalid' })
      return z.NEVER
    }
    return id
  })

const PASSWORD_PROBLEMS = {
  too_short: 'accounts.v.passwordTooShort',
  too_long: 'accounts.v.passwordTooLong',
  common: 'accounts.v.passwordCommon',
} as const satisfies Record<PasswordProblem, string>

/**
 * A new password: the whole policy (length, common passwords) runs here, with the
 * other field checks, so a sign-up form gets every problem in one round and one
 * message per field. (The policy lives in password.server.ts; this schema is only
 * ever parsed on the server.)
 */
const ZNewPassword = z.string({ error: 'accounts.v.passwordRequired' }).superRefine((password, ctx) => {
  if (password === '') {
    ctx.addIssue({ code: 'custom', message: 'accounts.v.passwordRequired' })
    return
  }
  const problem = checkPassword(password)
  if (problem) ctx.addIssue({ code: 'custom', message: PASSWORD_PROBLEMS[problem] })
})

export const ZRegisterInput = z
  .object({
    name: z
      .string({ error: 'accounts.v.nameRequired' })
      .trim()
      .min(1, 'accounts.v.nameRequired')
      .max(40, 'accounts.v.nameTooLong'),
    login: ZLoginId,
    password: ZNewPassword,
    passwordConfirm: z.string({ error: 'accounts.v.passwordConfirmRequired' }).min(1, 'accounts.v.passwordConfirmRequired'),
  })
  .refine((v) => v.password === v.passwordConfirm, {
    path: ['passwordConfirm'],
    message: 'accounts.v.passwordMismatch',
    // Compared whenever both were given, whatever else is wrong: one round of errors.
    when: ({ value }) => isRecord(value) && typeof value.password === 'string' && typeof value.passwordConfirm === 'string',
  })
export type TRegisterInput = z.infer<typeof ZRegisterInput>

export const ZLoginInput = z.object({
  login: z
    .string({ error: 'accounts.v.loginRequired' })
    .trim()
    .min(1, 'accounts.v.loginRequired')
    .max(120, 'accounts.v.loginTooLong'),
  password: z
    .string({ error: 'accounts.v.passwordRequired' })
    .min(1, 'accounts.v.passwordRequired')
    .max(128, 'accounts.v.passwordTooLong'),
  redirectTo: z.string().optional(),
})
export type TLoginInput = z.infer<typeof ZLoginInput>

/** The sign-in page's query: where to go afterwards (checked again before redirecting). */
export const ZLoginQuery = z.object({ redirectTo: z.string().optional().catch(undefined) })

/** Which organisation the session acts for from now on. */
export const ZSwitchOrgInput = z.object({
  orgId: z
    .string({ error: 'accounts.v.orgRequired' })
    .regex(/^[1-9]\d{0,15}$/, 'accounts.v.orgRequired')
    .transform(Number),
})
export type TSwitchOrgInput = z.infer<typeof ZSwitchOrgInput>

/** The account page's session buttons: end one other session (by its handle), or all others. */
export const ZEndSessionsInput = z.discriminatedUnion(
  'intent',
  [
    z.object({
      intent: z.literal('endSession'),
      handle: z.string({ error: 'errors.invalid' }).regex(/^[A-Za-z0-9_-]{16}$/, 'errors.invalid'),
    }),
    z.object({ intent: z.literal('endOthers') }),
  ],
  { error: 'errors.invalid' },
)
export type TEndSessionsInput = z.infer<typeof ZEndSessionsInput>

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
