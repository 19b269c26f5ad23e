import { z } from 'zod'
import { MAX_ID } from '../shared/schema.js'
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
    .transform(Number)
    // Beyond the id columns' range (PostgreSQL integer) there is no such organisation.
    .refine((n) => n <= MAX_ID, 'accounts.v.orgRequired'),
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

/** "Confirm password" equals "password" (compared whenever both were given, whatever else is wrong). */
function withConfirmation<S extends z.ZodObject<{ password: z.ZodType; passwordConfirm: z.ZodType }>>(schema: S) {
  return schema.refine((v) => v.password === v.passwordConfirm, {
    path: ['passwordConfirm'],
    message: 'accounts.v.passwordMismatch',
    when: ({ value }) => isRecord(value) && typeof value.password === 'string' && typeof value.passwordConfirm === 'string',
  })
}

const ZPasswordConfirm = z.string({ error: 'accounts.v.passwordConfirmRequired' }).min(1, 'accounts.v.passwordConfirmRequired')

/** A one-time code as typed: six digits, blanks ignored. */
const ZCode = z
  .string({ error: 'accounts.v.codeRequired' })
  .transform((v) => v.replace(/\s/g, ''))
  .pipe(
    z
      .string()
      .min(1, 'accounts.v.codeRequired')
      .regex(/^\d{6}$/, 'accounts.v.codeFormat'),
  )

/**
 * /forgot: ask for a code (intent `send`), then reset with it (intent `reset`).
 */
export const ZForgotAction = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('send'), login: ZLoginId }),
    withConfirmation(
      z.object({
        intent: z.literal('reset'),
        login: ZLoginId,
        code: ZCode,
        password: ZNewPassword,
        passwordConfirm: ZPasswordConfirm,
      }),
    ),
  ],
  { error: 'errors.invalid' },
)
export type TForgotAction = z.infer<typeof ZForgotAction>
export type TResetWithCodeInput = Extract<TForgotAction, { intent: 'reset' }>

/** /reset?token=…: the operator's one-time link. */
export const ZResetLinkQuery = z.object({ token: z.string().max(200).optional().catch(undefined) })
export const ZResetWithLinkInput = withConfirmation(
  z.object({
    token: z.string({ error: 'accounts.reset.linkInvalid' }).max(200, 'accounts.reset.linkInvalid'),
    password: ZNewPassword,
    passwordConfirm: ZPasswordConfirm,
  }),
)
export type TResetWithLinkInput = z.infer<typeof ZResetWithLinkInput>

/** /account/password: the current password, and the new one twice. */
export const ZChangePasswordInput = withConfirmation(
  z.object({
    currentPassword: z
      .string({ error: 'accounts.v.currentPasswordRequired' })
      .min(1, 'accounts.v.currentPasswordRequired')
      .max(128, 'accounts.v.passwordTooLong'),
    password: ZNewPassword,
    passwordConfirm: ZPasswordConfirm,
  }),
).refine((v) => v.password !== v.currentPassword, {
  path: ['password'],
  message: 'accounts.password.sameAsCurrent',
  when: ({ value }) => isRecord(value) && typeof value.password === 'string' && typeof value.currentPassword === 'string',
})
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>

export const CONTACT_KINDS = ['phone', 'email'] as const
export type ContactKind = (typeof CONTACT_KINDS)[number]
const ZContactKind = z.enum(CONTACT_KINDS, { error: 'errors.invalid' })

/** /account/verify: send a code to one of the account's contacts, or confirm it. */
export const ZVerifyAction = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('send'), contact: ZContactKind }),
    z.object({ intent: z.literal('confirm'), contact: ZContactKind, code: ZCode }),
  ],
  { error: 'errors.invalid' },
)
export type TVerifyAction = z.infer<typeof ZVerifyAction>
