import { describe, expect, it } from 'vitest'
import { recordAudit } from '../../app/domain/audit/audit-log.server.js'
import * as auditLog from '../../app/routes/agency.audit-log.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, signIn } from '../support/factories.js'
import { call } from '../support/http.js'

const db = () => services().db

interface Entry {
  action: string
  objectType: string | null
  objectId: string | null
  objectName: string | null
  objectOrgKind: string | null
  actorName: string | null
  actorOrgName: string | null
}

describe('audit log entries name their objects', () => {
  it('gives the user’s or organisation’s name, and nothing for other objects or ids that name nothing', async () => {
    const agency = await insertOrg(db(), { kind: 'agency', region: '321000', agencyLevel: 'city', name: '名称测试工信局' })
    const reviewer = await insertUser(db(), { name: '审核员甲' })
    await addMember(db(), reviewer.id, agency)
    const { cookie } = await signIn(db(), reviewer.id, agency)
    const applicant = await insertOrg(db(), { region: '321023', status: 'pending', name: '名称测试精工有限公司' })
    const member = await insertUser(db(), { name: '成员乙' })

    const marker = `names-${Date.now()}`
    await recordAudit(db(), {
      action: 'org.approved',
      actorUserId: reviewer.id,
      actorOrgId: agency,
      objectType: 'organisation',
      objectId: applicant,
      regionCode: '321023',
      detail: { marker },
    })
    await recordAudit(db(), { action: 'org.member_removed', objectType: 'user', objectId: member.id, regionCode: '321023' })
    await recordAudit(db(), { action: 'access.denied', objectType: 'route', objectId: '/agency/audits', regionCode: '321023' })
    await recordAudit(db(), { action: 'org.switched', objectType: 'organisation', objectId: '999999999', regionCode: '321023' })

    const response = await call(auditLog, { path: '/agency/audit-log', cookie })
    expect(response.status).toBe(200)
    const entries = (JSON.parse(response.body) as { entries: Entry[] }).entries.slice(0, 4)
    expect(entries.map((e) => [e.action, e.objectName, e.objectOrgKind])).toEqual([
      ['org.switched', null, null],
      ['access.denied', null, null],
      ['org.member_removed', '成员乙', null],
      ['org.approved', '名称测试精工有限公司', 'enterprise'],
    ])
    expect(entries[3]).toMatchObject({ actorName: '审核员甲', actorOrgName: '名称测试工信局', objectId: String(applicant) })
  })
})
