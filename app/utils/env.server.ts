import fs from 'node:fs'
import { z } from 'zod'

export type SearchEngineKind = 'sqlite' | 'postgres' | 'meilisearch'

const ZEnv = z
  .object({
    NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** SQLite file, used when DATABASE_URL is unset. */
    DATABASE_PATH: z.string().min(1).default('data/duijie.db'),
    /**
     * Uploaded files (FileStorage). Default: `files/` beside the SQLite file (data/files).
     * With several instances, a folder on a volume they all mount.
     */
    FILES_DIR: z.string().min(1).optional(),
    /** PostgreSQL instead of SQLite (issue 10): postgres://user:password@host:5432/database. */
    DATABASE_URL: z
      .string()
      .trim()
      .regex(/^postgres(?:ql)?:\/\/\S+$/i, {
        error:
          'DATABASE_URL 须为 postgres:// 或 postgresql:// 地址（使用 SQLite 时不设置，改用 DATABASE_PATH）/ must be a postgres:// URL',
      })
      .optional(),
    /**
     * `sqlite` (FTS5 in the SQLite file), `postgres` (PostgreSQL's full-text search in its
     * database) or `meilisearch`. Default: the database's own engine.
     */
    SEARCH_ENGINE: z.enum(['sqlite', 'postgres', 'meilisearch']).optional(),
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
    /** SMTP server for e-mail (codes): smtp://user:pass@host:587 or smtps://…:465. Unset: no e-mail is sent. */
    SMTP_URL: z
      .url({ protocol: /^smtps?$/, error: 'SMTP_URL 须为 smtp:// 或 smtps:// 地址 / must be an smtp:// or smtps:// URL' })
      .optional(),
    /**
     * The site's address as people reach it (https://duijie.example.cn): links in e-mails
     * (saved-search notifications) start with it. Unset: the links are paths (/needs/42).
     */
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: 'PUBLIC_URL 须为 http:// 或 https:// 地址 / must be an http(s):// URL' })
      .optional(),
    /** The From: of e-mail sent. */
    SMTP_FROM: z.string().min(3).max(200).default('对接 Duijie <no-reply@localhost>'),
    /** SMS gateway for text messages (codes): `log` writes them to the server log (development, staging). */
    SMS_GATEWAY: z.enum(['none', 'log']).default('none'),
    /**
     * The development mailbox (/dev/mailbox) shows every message no transport took.
     * Default: on outside production, off in production; `1` turns it on even there, on
     * purpose (the end-to-end tests): anyone can then read everyone's codes.
     */
    DEV_MAILBOX: z.enum(['0', '1']).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.SEARCH_ENGINE === 'meilisearch' && !env.MEILI_URL) {
      ctx.addIssue({ code: 'custom', path: ['MEILI_URL'], message: 'SEARCH_ENGINE=meilisearch 时必须设置 MEILI_URL' })
    }
    if (env.SEARCH_ENGINE === 'sqlite' && env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['SEARCH_ENGINE'],
        message:
          'SEARCH_ENGINE=sqlite 需要 SQLite 数据库；使用 PostgreSQL 时请选 postgres 或 meilisearch / sqlite search needs the SQLite database',
      })
    }
    if (env.SEARCH_ENGINE === 'postgres' && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['SEARCH_ENGINE'],
        message: 'SEARCH_ENGINE=postgres 需要设置 DATABASE_URL（PostgreSQL）/ postgres search needs DATABASE_URL',
      })
    }
  })
  // Unset, the engine is the database's own: FTS5 on SQLite, full-text search on PostgreSQL.
  .transform((env) => {
    const engine: SearchEngineKind = env.SEARCH_ENGINE ?? (env.DATABASE_URL ? 'postgres' : 'sqlite')
    return { ...env, SEARCH_ENGINE: engine }
  })

export type Env = z.output<typeof ZEnv>

/** Whether /dev/mailbox exists: asked for explicitly, or by default outside production. */
export function devMailboxEnabled(env: Pick<Env, 'NODE_ENV' | 'DEV_MAILBOX'> = getEnv()): boolean {
  return env.DEV_MAILBOX === undefined ? env.NODE_ENV !== 'production' : env.DEV_MAILBOX === '1'
}

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
