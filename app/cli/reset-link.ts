/**
 * npm run admin:reset-link -- --login 13912345678 [--base-url https://duijie.example.cn]
 *
 * Prints a one-time link with which the account chooses a new password: for an
 * operator to hand over (by phone, in person) when no code can reach the account.
 * The link works once, for 24 hours; using it ends every session of the account.
 */
import { parseArgs } from 'node:util'
import { migrateToLatest } from '../../db/migrate.js'
import { openDatabase } from '../../db/open.js'
import { issueResetLink } from '../domain/accounts/recovery.server.js'
import { hasMessage, translator } from '../i18n/index.js'
import { parseEnv } from '../utils/env.server.js'
import { AppError } from '../utils/errors.js'

const USAGE = `用法 / usage: npm run admin:reset-link -- --login <手机号或邮箱> [--base-url <站点地址，默认 http://localhost:PORT>]`

async function main() {
  let values
  try {
    ;({ values } = parseArgs({ options: { login: { type: 'string' }, 'base-url': { type: 'string' } }, strict: true }))
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    process.exit(2)
  }
  if (!values.login) {
    console.error(USAGE)
    process.exit(2)
  }
  const env = parseEnv()
  const baseUrl = values['base-url'] ?? `http://localhost:${env.PORT}`
  if (!/^https?:\/\/[^/\s]+\/?$/.test(baseUrl)) {
    console.error(`--base-url 须为站点根地址，如 https://duijie.example.cn / must be the site's origin\n\n${USAGE}`)
    process.exit(2)
  }
  const database = openDatabase(env, { postgres: { applicationName: 'duijie-cli' } })
  const { db } = database
  try {
    await migrateToLatest(db)
    const { url, expiresAt } = await issueResetLink(db, values.login, baseUrl)
    console.log(
      `一次性重置链接（${expiresAt.toISOString()} 前有效，仅可使用一次）/ one-time reset link (valid until then, once):`,
    )
    console.log(url)
  } catch (error) {
    if (error instanceof AppError) {
      const t = translator('zh-CN')
      console.error(hasMessage(error.key) ? t(error.key, error.params) : error.key)
      process.exitCode = 2
    } else throw error
  } finally {
    await database.close()
  }
}

await main()
