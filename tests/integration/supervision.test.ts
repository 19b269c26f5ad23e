import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { addSupervisionLog, listSupervisionLogs } from '../../app/domain/contracts/supervision.server.js'
import { mayReadFilesOf } from '../../app/domain/files/files.server.js'
import { addDays, chinaDate } from '../../app/domain/needs/lifecycle.server.js'
import * as supervisionRoute from '../../app/routes/contracts.$id_.supervision.js'
import { AppError } from '../../app/utils/errors.js'
import { services } from '../../app/web/services.server.js'
import { call, type TestFile } from '../support/http.js'
import { contractWorld, type ContractWorld } from './contract-world.js'
import { db, type Person } from './matching-world.js'

/*
 * 监理日志 (issue 14 §4): only the appointed supervisor's members log, on an active
 * contract; the date is not in the future and not before the start minus 30 days; the
 * milestone is one of this contract; up to nine photos; every reader of the contract
 * reads the log (and its photos), a rival or an outsider gets 404.
 */

const store = () => services().storage
const today = () => chinaDate(new Date())

async function png(name: string): Promise<TestFile> {
  const bytes = new Uint8Array(
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#cc6633' } })
      .png()
      .toBuffer(),
  )
  return { name, bytes, type: 'image/png' }
}

function post(w: ContractWorld, who: Person, form: Record<string, string>, photos?: TestFile[]) {
  return call(supervisionRoute, {
    method: 'POST',
    path: `/contracts/${w.contractId}/supervision`,
    params: { id: String(w.contractId) },
    cookie: who.cookie,
    form,
    ...(photos ? { files: { photos } } : {}),
  })
}

const entry = (over: Record<string, string> = {}) => ({
  logDate: today(),
  findings: '现场检查：48 台设备已完成联网，机柜接线规范；2 号线数据延迟偏高，要求整改。',
  quality: 'acceptable',
  schedule: 'on_track',
  ...over,
})

const logsOf = (contractId: number) =>
  db().selectFrom('supervision_logs').selectAll().where('contract_id', '=', contractId).orderBy('id').execute()

describe('keeping the log', () => {
  it('the supervisor’s member logs with photos and a milestone: row, event, audit; mass assignment ignored', async () => {
    const w = await contractWorld({ supervised: true })
    const outcome = await post(
      w,
      w.supervisor,
      {
        ...entry({ milestoneId: String(w.milestoneIds[1]) }),
        // Mass assignment: none of these may change anything.
        org_id: String(w.enterprise.orgId),
        author_id: String(w.enterprise.userId),
        contract_id: String(w.contractId + 1),
        contractId: String(w.contractId + 1),
        created_at: '2001-01-01T00:00:00Z',
      },
      [await png('现场一.png'), await png('现场二.png')],
    )
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe(`/contracts/${w.contractId}/supervision`)
    const logs = await logsOf(w.contractId)
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatchObject({
      org_id: w.supervisor.orgId,
      author_id: w.supervisor.userId,
      milestone_id: w.milestoneIds[1],
      log_date: today(),
      quality: 'acceptable',
      schedule: 'on_track',
    })
    expect(logs[0]!.created_at).not.toContain('2001')
    const photos = await db()
      .selectFrom('files')
      .selectAll()
      .where('object_type', '=', 'supervision_log')
      .where('object_id', '=', logs[0]!.id)
      .execute()
    expect(photos.map((p) => p.purpose)).toEqual(['supervision_photo', 'supervision_photo'])
    const events = await db()
      .selectFrom('contract_events')
      .selectAll()
      .where('contract_id', '=', w.contractId)
      .where('kind', '=', 'supervision_logged')
      .execute()
    expect(events).toHaveLength(1)
    expect(JSON.parse(events[0]!.detail)).toMatchObject({ date: today() })
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'supervision.logged')
      .where('object_id', '=', String(logs[0]!.id))
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      actor_user_id: w.supervisor.userId,
      actor_org_id: w.supervisor.orgId,
      region_code: w.region,
    })

    // Every reader reads it and its photos; a rival, an outsider, an unappointed supervisor: 404.
    for (const p of [w.enterprise, w.providerMember, w.supervisor, w.agencyViewer]) {
      const page = await listSupervisionLogs(db(), p.actor, w.contractId, 1)
      expect(page.logs).toHaveLength(1)
      expect(page.logs[0]!.photos).toHaveLength(2)
      expect(page.mayLog).toBe(p === w.supervisor)
      expect(await mayReadFilesOf(db(), p.actor, 'supervision_log', logs[0]!.id)).toBe(true)
    }
    for (const p of [w.rival, w.outsider, w.notSupervisor, w.agencyElsewhere]) {
      const page = await call(supervisionRoute, {
        path: `/contracts/${w.contractId}/supervision`,
        params: { id: String(w.contractId) },
        cookie: p.cookie,
      })
      expect(page.status).toBe(404)
      expect(await mayReadFilesOf(db(), p.actor, 'supervision_log', logs[0]!.id)).toBe(false)
    }
  })

  it('only the supervisor logs: the parties and agencies 403, the others 404', async () => {
    const w = await contractWorld({ supervised: true })
    for (const p of [w.enterprise, w.provider, w.agencyOver]) expect((await post(w, p, entry())).status).toBe(403)
    for (const p of [w.rival, w.outsider, w.notSupervisor]) expect((await post(w, p, entry())).status).toBe(404)
    // A supervisor appointed elsewhere, on a contract without one: 404.
    const unsupervised = await contractWorld()
    expect((await post(unsupervised, w.supervisor, entry())).status).toBe(404)
    expect(await logsOf(w.contractId)).toEqual([])
  })

  it('checks the date, the judgements, the milestone and the photos (400 on the field)', async () => {
    const w = await contractWorld({ supervised: true })
    const other = await contractWorld()
    // The world's start date (a UTC date: it may be a day before China's today).
    const { start_date } = await db()
      .selectFrom('contracts')
      .select('start_date')
      .where('id', '=', w.contractId)
      .executeTakeFirstOrThrow()
    const start = String(start_date)
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ logDate: addDays(today(), 1) }, 'logDate', 'milestones.v.logDateFuture'],
      [{ logDate: addDays(start, -31) }, 'logDate', 'milestones.v.logDateEarly'],
      [{ logDate: '2026-13-01' }, 'logDate', 'milestones.v.logDate'],
      [{ quality: 'excellent' }, 'quality', 'milestones.v.quality'],
      [{ schedule: '' }, 'schedule', 'milestones.v.schedule'],
      [{ findings: '' }, 'findings', 'milestones.v.findings'],
      [{ milestoneId: String(other.milestoneIds[0]) }, 'milestoneId', 'milestones.v.milestone'],
    ]
    for (const [over, field, key] of cases) {
      const outcome = await post(w, w.supervisor, entry(over))
      expect(outcome.status, JSON.stringify(over)).toBe(400)
      expect(JSON.parse(outcome.body).fieldErrors[field]).toBe(key)
    }
    // 30 days before the start is still fine.
    expect((await post(w, w.supervisor, entry({ logDate: addDays(start, -30) }))).status).toBe(302)
    const ten = await Promise.all(Array.from({ length: 10 }, (_, i) => png(`p${i}.png`)))
    const many = await post(w, w.supervisor, entry(), ten)
    expect([400, 413]).toContain(many.status)
    expect(await logsOf(w.contractId)).toHaveLength(1)
  })

  it('a draft or completed contract takes no entry (409)', async () => {
    for (const status of ['draft', 'completed'] as const) {
      const w = await contractWorld({ status, supervised: true })
      const error = await addSupervisionLog(db(), store(), w.supervisor.actor, w.contractId, {
        logDate: today(),
        findings: '检查',
        quality: 'good',
        schedule: 'ahead',
        milestoneId: null,
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('INVALID_STATE')
      const page = await listSupervisionLogs(db(), w.supervisor.actor, w.contractId, 1)
      expect(page.mayLog).toBe(false)
    }
  })

  it('lists 20 a page, newest date first', async () => {
    const w = await contractWorld({ supervised: true })
    const now = new Date().toISOString()
    await db()
      .insertInto('supervision_logs')
      .values(
        Array.from({ length: 23 }, (_, i) => ({
          contract_id: w.contractId,
          org_id: w.supervisor.orgId,
          author_id: w.supervisor.userId,
          log_date: addDays(today(), -i),
          findings: `第 ${i + 1} 次检查`,
          quality: 'good' as const,
          schedule: 'on_track' as const,
          created_at: now,
        })),
      )
      .execute()
    const first = await listSupervisionLogs(db(), w.enterprise.actor, w.contractId, 1)
    expect(first).toMatchObject({ total: 23, pageCount: 2, page: 1 })
    expect(first.logs).toHaveLength(20)
    expect(first.logs[0]!.logDate).toBe(today())
    const second = await listSupervisionLogs(db(), w.enterprise.actor, w.contractId, 2)
    expect(second.logs).toHaveLength(3)
    // Past the end: the last page.
    expect((await listSupervisionLogs(db(), w.enterprise.actor, w.contractId, 99)).page).toBe(2)
  })
})
