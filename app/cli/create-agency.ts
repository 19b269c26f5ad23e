/**
 * npm run admin:create-agency -- --name 扬州市工业和信息化局 --region 321000 --level city \
 *   --owner-name 张三 --login 13900000021
 *
 * The password of a new owner account is typed at a prompt (or read from stdin with
 * --password-stdin), never given on the command line. An existing account becomes the
 * owner only when its phone or e-mail is verified.
 */
import { parseArgs } from 'node:util'
import { migrateToLatest } from '../../db/migrate.js'
import { openDatabase } from '../../db/open.js'
import { loadReferenceData } from '../../seed/reference.js'
import { findAccountId } from '../domain/accounts/accounts.server.js'
import { createAgency } from '../domain/orgs/agencies.server.js'
import { AGENCY_LEVELS, type AgencyLevel } from '../domain/orgs/schema.js'
import { hasMessage, translator } from '../i18n/index.js'
import { parseEnv } from '../utils/env.server.js'
import { AppError } from '../utils/errors.js'
import { readSecret } from './read-secret.js'

const USAGE = `用法：npm run admin:create-agency -- --name <机构名称> --region <行政区划代码> --level <province|city|county>
         --owner-name <管理员姓名> --login <手机号或邮箱> [--password-stdin]
新账号的密码在提示符下输入（不回显），或用 --password-stdin 从标准输入的第一行读取。`

const t = translator('zh-CN')

async function main() {
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        name: { type: 'string' },
        region: { type: 'string' },
        level: { type: 'string' },
        'owner-name': { type: 'string' },
        login: { type: 'string' },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean' },
      },
      strict: true,
    }))
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    process.exit(2)
  }
  const { name, region, level, login } = values
  if (values.password !== undefined) {
    console.error(
      `--password 已停用：命令行参数会留在 shell 历史和进程列表中。请在提示符下输入，或使用 --password-stdin。\n` +
        `--password is no longer accepted (shell history, ps); type it at the prompt or use --password-stdin.\n\n${USAGE}`,
    )
    process.exit(2)
  }
  if (!name || !region || !level || !login || !(AGENCY_LEVELS as readonly string[]).includes(level)) {
    console.error(`参数不完整或层级无效。\n\n${USAGE}`)
    process.exit(2)
  }
  const env = parseEnv()
  const database = openDatabase(env, { postgres: { applicationName: 'duijie-cli' } })
  const { db } = database
  try {
    await migrateToLatest(db)
    await loadReferenceData(db)
    // Only a new account needs a password; an existing one keeps its own.
    let password = ''
    if (!(await findAccountId(db, login))) {
      const fromStdin = values['password-stdin'] === true
      password = await readSecret(`新管理员账号的密码 / password for the new owner account (${login}): `, { fromStdin })
      if (process.stdin.isTTY && !fromStdin) {
        const again = await readSecret('再次输入 / again: ')
        if (again !== password) {
          console.error('两次输入的密码不一致 / the passwords differ')
          process.exitCode = 2
          return
        }
      }
    }
    const result = await createAgency(db, {
      name,
      regionCode: region,
      level: level as AgencyLevel,
      owner: { name: values['owner-name'] ?? '', login, password },
    })
    console.log(
      t('agencies.created', { name, orgId: result.orgId, login }) +
        t(result.newUser ? 'agencies.created.newUser' : 'agencies.created.existingUser'),
    )
    if (result.newUser) {
      console.log(
        '该管理员须先登录并在“我的账号 → 验证联系方式”（/account/verify）中验证手机号或邮箱，才能审核入驻申请。\n' +
          'The owner must verify their phone or e-mail at /account/verify before they can review applications.',
      )
    }
  } catch (error) {
    if (error instanceof AppError) {
      const message = hasMessage(error.key) ? t(error.key, error.params) : error.key
      console.error(t('agencies.failed', { message }))
      process.exitCode = 2
    } else throw error
  } finally {
    await database.close()
  }
}

await main()
