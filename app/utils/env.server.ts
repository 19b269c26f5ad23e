import fs from 'node:fs'
import { z } from 'zod'

const ZEnv = z
  .object({
    NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_PATH: z.string().min(1).default('data/duijie.db'),
    SEARCH_ENGINE: z.enum(['sqlite', 'meilisearch']).default('sqlite'),
    MEILI_URL: z.url().optional(),
    MEILI_API_KEY: z.string().optional(),
    MEILI_INDEX_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]*$/)
      .default('duijie_'),
    /** Demo needs generated when the database is empty at start. */
    DEMO_NEEDS: z.coerce.number().int().min(0).max(1_000_000).default(600),
    /** Lets tests and local HTTP runs drop the Secure cookie flag. */
    INSECURE_COOKIES: z.enum(['0', '1']).default('0'),
    /** Reverse-proxy hops whose X-Forwarded-For is trusted (0 = connect directly). */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  })
  .superRefine((env, ctx) => {
    if (env.SEARCH_ENGINE === 'meilisearch' && !env.MEILI_URL) {
      ctx.addIssue({ code: 'custom', path: ['MEILI_URL'], message: 'SEARCH_ENGINE=meilisearch 时必须设置 MEILI_URL' })
    }
  })

export type Env = z.infer<typeof ZEnv>

export class EnvError extends Error {}

/** Validates process.env; the message names every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // A .env file fills in what the real environment leaves unset.
  if (source === process.env && process.env.NODE_ENV !== 'test' && fs.existsSync('.env')) process.loadEnvFile('.env')
  // Empty strings from .env files mean "not set".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const result = ZEnv.safeParse(cleaned)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`)
    throw new EnvError(`环境变量配置错误 / invalid environment:\n${lines.join('\n')}`)
  }
  return result.data
}

let cached: Env | undefined
export function getEnv(): Env {
  cached ??= parseEnv()
  return cached
}
