import { z } from 'zod'

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
  .string({ error: '请输入手机号或邮箱' })
  .trim()
  .min(1, '请输入手机号或邮箱')
  .max(120, '手机号或邮箱过长')
  .transform((v, ctx) => {
    const id = parseLoginId(v)
    if (!id) {
      ctx.addIssue({ code: 'custom', message: '请输入有效的手机号（11 位）或邮箱地址' })
      return z.NEVER
    }
    return id
  })

export const ZRegisterInput = z
  .object({
    name: z.string({ error: '请输入姓名' }).trim().min(1, '请输入姓名').max(40, '姓名不能超过 40 个字'),
    login: ZLoginId,
    password: z.string({ error: '请输入密码' }).min(1, '请输入密码').max(128, '密码不能超过 128 个字符'),
    passwordConfirm: z.string({ error: '请再次输入密码' }),
  })
  .refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], message: '两次输入的密码不一致' })
export type TRegisterInput = z.infer<typeof ZRegisterInput>

export const ZLoginInput = z.object({
  login: z.string({ error: '请输入手机号或邮箱' }).trim().min(1, '请输入手机号或邮箱').max(120, '手机号或邮箱过长'),
  password: z.string({ error: '请输入密码' }).min(1, '请输入密码').max(128, '密码不能超过 128 个字符'),
  redirectTo: z.string().optional(),
})
export type TLoginInput = z.infer<typeof ZLoginInput>
