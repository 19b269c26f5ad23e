import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { recordAudit } from '../../app/domain/audit/audit-log.server.js'
import * as auditLog from '../../app/routes/agency.audit-log.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, signIn } from '../support/factories.js'
import { call } from '../support/http.js'

const db = () => services().db

describe('audit log', () => {
  it('is append-only: SQL refuses every UPDATE and DELETE', async () => {
    await recordAudit(db(), { action: 'auth.signed_in', ip: '192.0.2.1' })
    await expect(sql`update audit_log set action = 'auth.signed_out'`.execute(db())).rejects.toThrow(/append-only/)
    await expect(sql`delete from audit_log`.execute(db())).rejects.toThrow(/append-only/)
  })

  it('cannot be given forged lines', async () => {
    await recordAudit(db(), {
      action: 'org.rejected',
      objectType: 'organisation',
      objectId: '1\n2026-01-01 admin approved everything',
      detail: { reason: 'ok\r\nFAKE LINE' },
    })
    const row = await db().selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(row.object_id).not.toMatch(/[\r\n]/)
    expect(row.detail).not.toMatch(/[\r\n]/)
    await expect(
      sql`insert into audit_log (at, action, detail) values ('2026-01-01', 'auth.signed_in', ${'a\nb'})`.execute(db()),
    ).rejects.toThrow(/CHECK|check constraint/) // SQLite's and PostgreSQL's words for it
  })

  it('shows an agency only the events of its jurisdiction', async () => {
    const agency = await insertOrg(db(), { kind: 'agency', region: '321000', agencyLevel: 'city' })
    const user = await insertUser(db())
    await addMember(db(), user.id, agency)
    const { cookie } = await signIn(db(), user.id, agency)
    await recordAudit(db(), { action: 'org.created', objectType: 'organisation', objectId: 'in-yangzhou', regionCode: '321023' })
    await recordAudit(db(), { action: 'org.created', objectType: 'organisation', objectId: 'in-lanzhou', regionCode: '620102' })
    const page = JSON.parse((await call(auditLog, { path: '/agency/audit-log', cookie })).body)
    const ids = page.entries.map((e: { objectId: string }) => e.objectId)
    expect(ids).toContain('in-yangzhou')
    expect(ids).not.toContain('in-lanzhou')

    const filtered = JSON.parse((await call(auditLog, { path: '/agency/audit-log?action=org.created', cookie })).body)
    expect(filtered.params.action).toBe('org.created')
    expect(new Set(filtered.entries.map((e: { action: string }) => e.action))).toEqual(new Set(['org.created']))
    // An unknown event type or page is ignored, not an error.
    const lenient = await call(auditLog, { path: '/agency/audit-log?action=drop%20table&page=x', cookie })
    expect(lenient.status).toBe(200)
    expect(JSON.parse(lenient.body)).toMatchObject({ params: { page: 1 }, page: 1 })
  })

  it('is for verified agencies only; a refusal is itself recorded', async () => {
    const enterprise = await insertOrg(db(), { region: '321023' })
    const user = await insertUser(db())
    await addMember(db(), user.id, enterprise)
    const { cookie } = await signIn(db(), user.id, enterprise)
    const denied = await call(auditLog, { path: '/agency/audit-log', cookie })
    expect(denied.status).toBe(403)
    const row = await db().selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(row).toMatchObject({ action: 'access.denied', actor_user_id: user.id, object_id: '/agency/audit-log' })
    expect(JSON.parse(row.detail)).toMatchObject({ permission: 'read:auditlog:role' })

    const visitor = await call(auditLog, { path: '/agency/audit-log' })
    expect(visitor.status).toBe(302)
  })
})
