/**
 * npm run admin:create-agency -- --name 扬州市工业和信息化局 --region 321000 --level city \
 *   --owner-name 张三 --login 13900000021 --password '…'
 */
import { parseArgs } from 'node:util'
import { createDb } from '../../db/connection.js'
import { migrateToLatest } from '../../db/migrate.js'
import { loadReferenceData } from '../../seed/reference.js'
import { createAgency } from '../domain/orgs/agencies.server.js'
import { AGENCY_LEVELS, type AgencyLevel } from '../domain/orgs/schema.js'
import { hasMessage, translator } from '../i18n/index.js'
import { parseEnv } from '../utils/env.server.js'
import { AppError } from '../utils/errors.js'

const USAGE = `用法：npm run admin:create-agency -- --name <机构名称> --region <行政区划代码> --level <province|city|county>
         --owner-name <管理员姓名> --login <手机号或邮箱> --password <密码>`

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
      },
      strict: true,
    }))
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    process.exit(2)
  }
  const { name, region, level, login } = values
  const password = values.password ?? ''
  if (!name || !region || !level || !login || !(AGENCY_LEVELS as readonly string[]).includes(level)) {
    console.error(`参数不完整或层级无效。\n\n${USAGE}`)
    process.exit(2)
  }
  const env = parseEnv()
  const { db } = createDb(env.DATABASE_PATH)
  try {
    await migrateToLatest(db)
    await loadReferenceData(db)
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
  } catch (error) {
    if (error instanceof AppError) {
      const message = hasMessage(error.key) ? t(error.key, error.params) : error.key
      console.error(t('agencies.failed', { message }))
      process.exitCode = 2
    } else throw error
  } finally {
    await db.destroy()
  }
}

await main()
