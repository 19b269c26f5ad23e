import { describe, expect, it } from 'vitest'
import * as auditQueue from '../../app/routes/agency.audits._index.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, signIn } from '../support/factories.js'
import { call } from '../support/http.js'

// Queries whose meaning used to rest on SQLite's behaviour, held on both dialects
// (this file also runs under `npm run test:pg`).

const db = () => services().db

describe('the audit queue search', () => {
  it('ignores Latin letter case on either database (SQLite’s LIKE does, PostgreSQL’s does not)', async () => {
    const agency = await insertOrg(db(), { kind: 'agency', region: '321000', agencyLevel: 'city' })
    const reviewer = await insertUser(db())
    await addMember(db(), reviewer.id, agency)
    const { cookie } = await signIn(db(), reviewer.id, agency)
    const org = await insertOrg(db(), { kind: 'enterprise', status: 'pending', name: '扬州ACME Robotics智能装备有限公司' })
    for (const q of ['acme', 'ACME', 'Acme robotics', '智能装备']) {
      const page = await call(auditQueue, { path: `/agency/audits?q=${encodeURIComponent(q)}`, cookie })
      expect(page.status).toBe(200)
      const { queue } = JSON.parse(page.body) as { queue: { items: { id: number }[] } }
      expect(
        queue.items.map((i) => i.id),
        q,
      ).toContain(org)
    }
    // LIKE's wildcards typed by a person are text.
    const percent = await call(auditQueue, { path: `/agency/audits?q=${encodeURIComponent('AC%E')}`, cookie })
    expect((JSON.parse(percent.body) as { queue: { items: { id: number }[] } }).queue.items.map((i) => i.id)).not.toContain(org)
  })
})
