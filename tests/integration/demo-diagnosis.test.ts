import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serviceProgress } from '../../app/domain/diagnosis/minimums.js'
import type { DiagnosisKind, ServiceRecordKind } from '../../db/enums.js'
import type { Database } from '../../db/connection.js'
import { generateDemo, type GenerateDemoResult } from '../../seed/demo-writer.js'
import { all, freshTestDb, type FreshTestDb } from '../support/test-db.js'

/*
 * Issue 12, item 9: the demo data's enterprise archives and diagnoses have the shapes
 * the pages rely on — confirmed versions confirmed by an owner of the enterprise,
 * weaknesses on every report, surveys only on projects with a confirmed version, the
 * diagnosers verified consultancies, needs made from weaknesses of confirmed reports,
 * deadlines that fit the need's status — and come out the same for the same seed.
 */

const fresh: FreshTestDb[] = []
const NOW = '2026-11-01'

async function seed(needs: number, seedNo = 42) {
  const target = await freshTestDb('demo_diag')
  fresh.push(target)
  const opened = target.open()
  const result = await generateDemo(opened.db, opened.sqlite, { needs, seed: seedNo })
  return { ...opened, result }
}

let db: Database
let close: () => Promise<void>
let result: GenerateDemoResult

beforeAll(async () => {
  ;({ db, close, result } = await seed(1200))
}, 120_000)

afterAll(async () => {
  await close?.()
  for (const target of fresh) await target.drop()
})

type Row = Record<string, unknown>

describe('demo enterprises and diagnoses', () => {
  it('has archives with consistent bands and a few gradient titles', async () => {
    expect(result.diagnosisData.profiles).toBeGreaterThan(200)
    const profiles = await all<Row>(db, 'select * from enterprise_profiles')
    expect(profiles).toHaveLength(result.diagnosisData.profiles)
    for (const p of profiles) {
      // 规上: revenue of 2000 万元 and more.
      expect(Number(p.above_scale), JSON.stringify(p)).toBe(p.revenue_band === 'lt_2k' ? 0 : 1)
      expect(Number(p.maturity_level)).toBeGreaterThanOrEqual(1)
      expect(Number(p.maturity_level)).toBeLessThanOrEqual(5)
    }
    expect(profiles.some((p) => Number(p.above_scale) === 1)).toBe(true)
    expect(profiles.some((p) => Number(p.above_scale) === 0)).toBe(true)
    const titles = await all<Row>(
      db,
      'select t.*, p.above_scale from enterprise_titles t join enterprise_profiles p on p.org_id = t.org_id',
    )
    expect(titles.length).toBeGreaterThan(0)
    for (const t of titles) {
      expect(Number(t.above_scale)).toBe(1)
      // Never awarded in the future (the titles view's demo titles are dated from the demo's day).
      expect(String(t.awarded_on) <= new Date().toISOString().slice(0, 10)).toBe(true)
    }
  })

  it('diagnoses are done by verified consultancies for verified enterprises', async () => {
    const rows = await all<Row>(
      db,
      `select d.status, e.kind as ekind, e.status as estatus, p.kind as pkind, p.status as pstatus, p.provider_kinds
         from diagnoses d join organisations e on e.id = d.enterprise_org_id join organisations p on p.id = d.provider_org_id`,
    )
    expect(rows.length).toBeGreaterThanOrEqual(8)
    for (const r of rows) {
      expect([r.ekind, r.estatus, r.pkind, r.pstatus]).toEqual(['enterprise', 'verified', 'provider', 'verified'])
      expect(JSON.parse(String(r.provider_kinds))).toContain('consultancy')
    }
    const statuses = new Set(rows.map((r) => r.status))
    expect(statuses.has('completed')).toBe(true)
    expect(statuses.has('active')).toBe(true)
  })

  it('every confirmed version was confirmed by an owner of the enterprise; completed ⇔ a confirmed version', async () => {
    const versions = await all<Row>(
      db,
      `select v.id, v.status, v.confirmed_by, v.confirmed_at, v.submitted_at, d.status as dstatus, d.enterprise_org_id,
              (select count(*) from memberships m where m.user_id = v.confirmed_by and m.org_id = d.enterprise_org_id
                  and m.role = 'owner' and m.status = 'active') as owner,
              (select count(*) from diagnosis_weaknesses w where w.version_id = v.id) as weaknesses
         from diagnosis_report_versions v join diagnoses d on d.id = v.diagnosis_id`,
    )
    expect(versions.some((v) => v.status === 'confirmed')).toBe(true)
    expect(versions.some((v) => v.status === 'draft' || v.status === 'submitted')).toBe(true)
    for (const v of versions) {
      expect(Number(v.weaknesses), `version ${String(v.id)}`).toBeGreaterThanOrEqual(2)
      expect(Number(v.weaknesses)).toBeLessThanOrEqual(6)
      if (v.status === 'confirmed' || v.status === 'superseded') {
        expect(Number(v.owner), `version ${String(v.id)}`).toBe(1)
        expect(String(v.confirmed_at) > String(v.submitted_at)).toBe(true)
      }
    }
    const diagnoses = await all<Row>(
      db,
      `select d.id, d.status, d.completed_at,
              (select count(*) from diagnosis_report_versions v where v.diagnosis_id = d.id and v.status = 'confirmed') as confirmed
         from diagnoses d`,
    )
    for (const d of diagnoses) {
      expect(Number(d.confirmed), `diagnosis ${String(d.id)}`).toBe(d.status === 'completed' ? 1 : 0)
      expect(d.completed_at === null).toBe(d.status !== 'completed')
    }
  })

  it('weaknesses name a scenario, a severity and an indicator going from now to a target', async () => {
    const weaknesses = await all<Row>(db, 'select * from diagnosis_weaknesses')
    expect(weaknesses.length).toBe(result.diagnosisData.weaknesses)
    for (const w of weaknesses) {
      expect(String(w.scenario_code)).toMatch(/^S\d{3}$/)
      expect(['high', 'medium', 'low']).toContain(w.severity)
      expect(String(w.indicator).length).toBeGreaterThan(1)
      expect(String(w.current_value)).toMatch(/^\d+%$/)
      expect(String(w.target_value)).toMatch(/^\d+%$/)
    }
    const recommended = await all<Row>(
      db,
      `select o.status, r.provider_org_id, d.provider_org_id as diagnoser from diagnosis_recommendations r
         join organisations o on o.id = r.provider_org_id
         join diagnosis_report_versions v on v.id = r.version_id join diagnoses d on d.id = v.diagnosis_id`,
    )
    expect(recommended.length).toBeGreaterThan(0)
    for (const r of recommended) {
      expect(r.status).toBe('verified')
      expect(r.provider_org_id).not.toBe(r.diagnoser)
    }
  })

  it('surveys only on projects with a confirmed version, filled by an owner; records meet or miss the minimums', async () => {
    const surveys = await all<Row>(
      db,
      `select s.*, v.confirmed_at, v.status as vstatus, v.diagnosis_id as vdiagnosis, d.status as dstatus,
              (select count(*) from memberships m where m.user_id = s.filled_by and m.org_id = d.enterprise_org_id and m.role = 'owner') as owner
         from diagnosis_surveys s join diagnosis_report_versions v on v.id = s.version_id join diagnoses d on d.id = s.diagnosis_id`,
    )
    expect(surveys.length).toBeGreaterThan(0)
    for (const s of surveys) {
      expect([s.vstatus, s.dstatus, s.vdiagnosis, Number(s.owner)]).toEqual(['confirmed', 'completed', s.diagnosis_id, 1])
      expect(String(s.filled_at) > String(s.confirmed_at)).toBe(true)
    }
    const records = await all<{ diagnosis_id: number; kind: ServiceRecordKind; minutes: number; team_size: number }>(
      db,
      'select diagnosis_id, kind, minutes, team_size from diagnosis_service_records',
    )
    const completed = await all<{ id: number; kind: DiagnosisKind }>(
      db,
      "select id, kind from diagnoses where status = 'completed'",
    )
    const progress = completed.map((d) =>
      serviceProgress(
        d.kind,
        records.filter((r) => r.diagnosis_id === d.id).map((r) => ({ kind: r.kind, minutes: r.minutes, teamSize: r.team_size })),
      ),
    )
    expect(progress.some((p) => p.complete)).toBe(true)
    expect(progress.some((p) => !p.complete)).toBe(true)
    expect(progress.some((p) => p.flagged > 0)).toBe(true)
  })

  it('企业 A has a completed diagnosis with a confirmed report and a survey; the diagnoser account has one in progress', async () => {
    const rows = await all<Row>(
      db,
      `select u.phone, d.status, o.provider_kinds, o.status as ostatus,
              (select count(*) from diagnosis_report_versions v where v.diagnosis_id = d.id and v.status = 'confirmed') as confirmed,
              (select count(*) from diagnosis_surveys s where s.diagnosis_id = d.id) as surveys
         from users u join memberships m on m.user_id = u.id join organisations o on o.id = m.org_id
         join diagnoses d on d.enterprise_org_id = o.id or d.provider_org_id = o.id
        where u.phone in ('13900000001', '13900000013')
        order by u.phone, d.id`,
    )
    const a = rows.filter((r) => r.phone === '13900000001')
    expect(a.some((r) => r.status === 'completed' && Number(r.confirmed) === 1 && Number(r.surveys) === 1)).toBe(true)
    const diagnoser = rows.filter((r) => r.phone === '13900000013')
    expect(diagnoser.length).toBeGreaterThan(0)
    expect(diagnoser[0]?.ostatus).toBe('verified')
    expect(JSON.parse(String(diagnoser[0]?.provider_kinds))).toContain('consultancy')
    expect(diagnoser.some((r) => r.status === 'active')).toBe(true)
    expect(result.accounts.map((x) => x.phone)).toContain('13900000013')
  })

  it('needs made from weaknesses name a weakness of a confirmed report of their enterprise; deadlines fit the status', async () => {
    const linked = await all<Row>(
      db,
      `select n.id, n.org_id, n.created_at, d.enterprise_org_id, v.status, v.confirmed_at, w.version_id, n.source_report_id,
              w.scenario_code, (select count(*) from need_scenarios s where s.need_id = n.id and s.scenario_code = w.scenario_code) as has
         from needs n join diagnosis_weaknesses w on w.id = n.source_weakness_id
         join diagnosis_report_versions v on v.id = w.version_id join diagnoses d on d.id = v.diagnosis_id
        where n.source_weakness_id is not null`,
    )
    expect(linked.length).toBeGreaterThan(0)
    const count = await all<{ n: number }>(
      db,
      'select count(*) as n from needs where source_weakness_id is not null or source_report_id is not null',
    )
    expect(Number(count[0]?.n)).toBe(linked.length)
    for (const n of linked) {
      expect(n.org_id).toBe(n.enterprise_org_id)
      expect(n.version_id).toBe(n.source_report_id)
      expect(n.status).toBe('confirmed')
      expect(String(n.created_at) > String(n.confirmed_at)).toBe(true)
      expect(Number(n.has)).toBe(1)
    }
    const deadlines = await all<{ status: string; deadline: string | null }>(db, 'select status, deadline from needs')
    const published = deadlines.filter((d) => d.status === 'published')
    expect(published.every((d) => d.deadline !== null && d.deadline > NOW)).toBe(true)
    // Spread out: they do not all expire on one day.
    expect(new Set(published.map((d) => d.deadline)).size).toBeGreaterThan(30)
    const expired = deadlines.filter((d) => d.status === 'expired')
    expect(expired.length).toBeGreaterThan(0)
    expect(expired.every((d) => d.deadline !== null && d.deadline < NOW)).toBe(true)
  })

  it('the same seed gives the same archives and diagnoses', async () => {
    const tables = [
      ['enterprise_profiles', 'org_id'],
      ['enterprise_titles', 'id'],
      ['diagnoses', 'id'],
      ['diagnosis_report_versions', 'id'],
      ['diagnosis_weaknesses', 'id'],
      ['diagnosis_recommendations', 'version_id, provider_org_id'],
      ['diagnosis_service_records', 'id'],
      ['diagnosis_surveys', 'diagnosis_id'],
    ] as const
    const dump = async (target: Database) => {
      const out: Record<string, unknown[]> = {}
      for (const [table, order] of tables) out[table] = await all(target, `select * from ${table} order by ${order}`)
      out.needs = await all(target, 'select id, deadline, source_report_id, source_weakness_id, title from needs order by id')
      out.owners = await all(target, 'select id, name, email from users where phone is null order by id')
      return out
    }
    const a = await seed(300, 7)
    const b = await seed(300, 7)
    try {
      const first = await dump(a.db)
      expect(await dump(b.db)).toEqual(first)
      expect(first.diagnoses?.length).toBeGreaterThan(0)
    } finally {
      await a.close()
      await b.close()
    }
  }, 120_000)
})
