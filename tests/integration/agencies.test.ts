import { describe, expect, it } from 'vitest'
import { createAgency } from '../../app/domain/orgs/agencies.server.js'
import { AppError } from '../../app/utils/errors.js'
import { services } from '../../app/web/services.server.js'
import { insertUser } from '../support/factories.js'

const db = () => services().db

describe('creating an agency (admin:create-agency)', () => {
  it('creates a verified agency with its first owner', async () => {
    const result = await createAgency(db(), {
      name: '扬州市工业和信息化局',
      regionCode: '321000',
      level: 'city',
      owner: { name: '张三', login: '13700001111', password: 'Strong-pass-2026' },
    })
    expect(result.newUser).toBe(true)
    const org = await db().selectFrom('organisations').selectAll().where('id', '=', result.orgId).executeTakeFirstOrThrow()
    expect(org).toMatchObject({ kind: 'agency', status: 'verified', agency_level: 'city', region_code: '321000', uscc: null })
    const membership = await db()
      .selectFrom('memberships')
      .selectAll()
      .where('org_id', '=', result.orgId)
      .executeTakeFirstOrThrow()
    expect(membership).toMatchObject({ user_id: result.userId, role: 'owner' })
  })

  it('makes an existing account the owner without touching its password', async () => {
    const user = await insertUser(db())
    const before = await db().selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()
    const result = await createAgency(db(), {
      name: '宝应县工业和信息化局',
      regionCode: '321023',
      level: 'county',
      owner: { name: '', login: user.login, password: '' },
    })
    expect(result).toMatchObject({ userId: user.id, newUser: false })
    const after = await db().selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(after.password_hash).toBe(before.password_hash)
  })

  it('refuses a level that does not match the region, an unknown region, a bad login and a weak password', async () => {
    const owner = { name: '李四', login: '13700002222', password: 'Strong-pass-2026' }
    const refusal = (input: Parameters<typeof createAgency>[1]) =>
      createAgency(db(), input).then(
        () => null,
        (error: unknown) => (error instanceof AppError ? { code: error.code, key: error.key, params: error.params } : error),
      )
    expect(await refusal({ name: '甘肃省工业和信息化厅', regionCode: '620000', level: 'city', owner })).toEqual({
      code: 'VALIDATION',
      key: 'agencies.e.levelMismatch.province',
      params: { name: '甘肃省' },
    })
    expect(await refusal({ name: '不存在的局', regionCode: '999999', level: 'city', owner })).toEqual({
      code: 'VALIDATION',
      key: 'agencies.e.unknownRegion',
      params: { code: '999999' },
    })
    expect(
      await refusal({ name: '兰州市工业和信息化局', regionCode: '620100', level: 'city', owner: { ...owner, login: 'nobody' } }),
    ).toMatchObject({
      key: 'agencies.e.login',
    })
    expect(
      await refusal({
        name: '兰州市工业和信息化局',
        regionCode: '620100',
        level: 'city',
        owner: { ...owner, password: '12345678' },
      }),
    ).toMatchObject({ code: 'VALIDATION', key: 'agencies.e.passwordCommon' })
    const agencies = await db().selectFrom('organisations').select('name').where('kind', '=', 'agency').execute()
    expect(agencies.map((a) => a.name)).not.toContain('兰州市工业和信息化局')
  })

  it('turns a racing creation of the same new owner into a conflict, not a crash', async () => {
    const owner = { name: '王五', login: '13700003333', password: 'Strong-pass-2026' }
    const results = await Promise.allSettled([
      createAgency(db(), { name: '嘉峪关市工业和信息化局', regionCode: '620200', level: 'city', owner }),
      createAgency(db(), { name: '金昌市工业和信息化局', regionCode: '620300', level: 'city', owner }),
    ])
    const fulfilled = results.filter((r) => r.status === 'fulfilled')
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(fulfilled).toHaveLength(1)
    expect(rejected).toHaveLength(1)
    expect(rejected[0]!.reason).toBeInstanceOf(AppError)
    expect(rejected[0]!.reason).toMatchObject({ code: 'CONFLICT', key: 'agencies.e.loginTaken' })
  })
})
