import { describe, expect, it } from 'vitest'
import { createAgency } from '../../app/domain/orgs/agencies.server.js'
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
    const membership = await db().selectFrom('memberships').selectAll().where('org_id', '=', result.orgId).executeTakeFirstOrThrow()
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

  it('refuses a level that does not match the region, an unknown region and a weak password', async () => {
    const owner = { name: '李四', login: '13700002222', password: 'Strong-pass-2026' }
    await expect(createAgency(db(), { name: '甘肃省工业和信息化厅', regionCode: '620000', level: 'city', owner })).rejects.toThrow(/省级/)
    await expect(createAgency(db(), { name: '不存在的局', regionCode: '999999', level: 'city', owner })).rejects.toThrow(/不存在/)
    await expect(
      createAgency(db(), { name: '兰州市工业和信息化局', regionCode: '620100', level: 'city', owner: { ...owner, password: '12345678' } }),
    ).rejects.toThrow(/常见/)
    const agencies = await db().selectFrom('organisations').select('name').where('kind', '=', 'agency').execute()
    expect(agencies.map((a) => a.name)).not.toContain('兰州市工业和信息化局')
  })
})
