import type { Insertable, Kysely } from 'kysely'
import type { SurveyGrade, SurveyOverall } from '../../../../db/enums.js'
import type { DB } from '../../../../db/types.js'
import type { CrossCheck, ExchangeType, IdSpace, WriteContext } from '../exchange-type.server.js'
import { insertReturningIds, insertRows, unknownCodes } from '../exchange-type.server.js'
import type { ExchangeIssue } from '../issues.js'
import { ZDiagnosisReportV1, type TDiagnosisReportV1 } from '../schemas/diagnosis-report.v1.js'
import { ORGANISATION } from './organisation.server.js'

export const DIAGNOSIS_REPORT = 'diagnosis_report'
const CHUNK = 500

/** The fact a need's `source` asks of its report: that version holds that weakness. */
export function weaknessFact(version: number, seq: number): string {
  return `w:${version}:${seq}`
}

export const diagnosisReportSpace: IdSpace = {
  name: DIAGNOSIS_REPORT,
  table: 'diagnoses',
  exportPrefix: 'diag',
  async loadFacts(db, ids) {
    const out = new Map<number, Record<string, boolean>>()
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK)
      for (const r of await db.selectFrom('diagnoses').select('id').where('id', 'in', part).execute()) out.set(r.id, {})
      for (const r of await db
        .selectFrom('diagnosis_report_versions as v')
        .innerJoin('diagnosis_weaknesses as w', 'w.version_id', 'v.id')
        .select(['v.diagnosis_id', 'v.version', 'w.seq'])
        .where('v.diagnosis_id', 'in', part)
        .execute()) {
        const facts = out.get(r.diagnosis_id)
        if (facts) facts[weaknessFact(r.version, r.seq)] = true
      }
    }
    return out
  },
}

// ---------------------------------------------------------------- state (ids resolved)

interface WeaknessState {
  scenario_code: string
  severity: 'high' | 'medium' | 'low'
  title: string
  description: string
  indicator: string
  current_value: string
  target_value: string
}

interface VersionState {
  id: number
  confirmed_by: number | null
  columns: {
    version: number
    status: 'draft' | 'submitted' | 'confirmed' | 'superseded'
    basics: string
    solution: string
    benchmark_peer: string
    benchmark_notes: string
    maturity_level: number | null
    return_reason: string
    created_at: string
    submitted_at: string | null
    confirmed_at: string | null
  }
  weaknesses: WeaknessState[]
  recommendations: { provider_org_id: number; note: string }[]
}

interface RecordState {
  kind: 'site_visit' | 'training' | 'briefing'
  occurred_on: string
  minutes: number
  team_size: number
  leader: string
  team_members: string
  content: string
}

interface SurveyState {
  version: number
  process: SurveyGrade
  analysis: SurveyGrade
  proposal: SurveyGrade
  competence: SurveyGrade
  result: SurveyGrade
  overall: SurveyOverall
  comment: string
  filled_at: string
  agency_opinion: string
  agency_org_id: number | null
  agency_at: string | null
}

interface DiagnosisState {
  id: number
  row: {
    enterprise_org_id: number
    provider_org_id: number
    kind: 'chain' | 'factory' | 'workshop' | 'digital_app'
    status: 'proposed' | 'active' | 'completed' | 'declined' | 'cancelled'
    origin: 'enterprise' | 'provider' | 'agency'
    assigned_by_org_id: number | null
    note: string
    created_at: string
    responded_at: string | null
    completed_at: string | null
  }
  versions: VersionState[]
  records: (RecordState & { id: number })[]
  survey: (SurveyState & { filled_by: number }) | null
}

function iso(v: string | Date | null | undefined): string | null {
  return v === null || v === undefined ? null : new Date(v).toISOString()
}

/** Diagnoses with everything a line carries, by id or by enterprise. */
async function loadDiagnoses(db: Kysely<DB>, by: 'id' | 'enterprise_org_id', keys: readonly number[]): Promise<DiagnosisState[]> {
  const out: DiagnosisState[] = []
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await db
      .selectFrom('diagnoses')
      .selectAll()
      .where(by, 'in', keys.slice(i, i + CHUNK))
      .orderBy('enterprise_org_id')
      .orderBy('id')
      .execute()
    if (rows.length === 0) continue
    const byId = new Map<number, DiagnosisState>()
    for (const r of rows) {
      const state: DiagnosisState = {
        id: r.id,
        row: {
          enterprise_org_id: r.enterprise_org_id,
          provider_org_id: r.provider_org_id,
          kind: r.kind,
          status: r.status,
          origin: r.origin,
          assigned_by_org_id: r.assigned_by_org_id,
          note: r.note,
          created_at: iso(r.created_at)!,
          responded_at: iso(r.responded_at),
          completed_at: iso(r.completed_at),
        },
        versions: [],
        records: [],
        survey: null,
      }
      byId.set(r.id, state)
      out.push(state)
    }
    const ids = [...byId.keys()]
    const versions = await db
      .selectFrom('diagnosis_report_versions')
      .selectAll()
      .where('diagnosis_id', 'in', ids)
      .orderBy('diagnosis_id')
      .orderBy('version')
      .execute()
    const versionById = new Map<number, VersionState>()
    for (const v of versions) {
      const state: VersionState = {
        id: v.id,
        confirmed_by: v.confirmed_by,
        columns: {
          version: v.version,
          status: v.status,
          basics: v.basics,
          solution: v.solution,
          benchmark_peer: v.benchmark_peer,
          benchmark_notes: v.benchmark_notes,
          maturity_level: v.maturity_level,
          return_reason: v.return_reason,
          created_at: iso(v.created_at)!,
          submitted_at: iso(v.submitted_at),
          confirmed_at: iso(v.confirmed_at),
        },
        weaknesses: [],
        recommendations: [],
      }
      versionById.set(v.id, state)
      byId.get(v.diagnosis_id)?.versions.push(state)
    }
    const versionIds = [...versionById.keys()]
    for (let j = 0; j < versionIds.length; j += CHUNK) {
      const part = versionIds.slice(j, j + CHUNK)
      for (const w of await db
        .selectFrom('diagnosis_weaknesses')
        .select(['version_id', 'scenario_code', 'severity', 'title', 'description', 'indicator', 'current_value', 'target_value'])
        .where('version_id', 'in', part)
        .orderBy('version_id')
        .orderBy('seq')
        .execute()) {
        const { version_id, ...weakness } = w
        versionById.get(version_id)?.weaknesses.push(weakness)
      }
      for (const r of await db
        .selectFrom('diagnosis_recommendations')
        .select(['version_id', 'provider_org_id', 'note'])
        .where('version_id', 'in', part)
        .orderBy('version_id')
        .orderBy('seq')
        .execute())
        versionById.get(r.version_id)?.recommendations.push({ provider_org_id: r.provider_org_id, note: r.note })
    }
    for (const r of await db
      .selectFrom('diagnosis_service_records')
      .select(['id', 'diagnosis_id', 'kind', 'occurred_on', 'minutes', 'team_size', 'leader', 'team_members', 'content'])
      .where('diagnosis_id', 'in', ids)
      .orderBy('diagnosis_id')
      .orderBy('id')
      .execute()) {
      const { diagnosis_id, ...record } = r
      byId.get(diagnosis_id)?.records.push(record)
    }
    for (const s of await db.selectFrom('diagnosis_surveys').selectAll().where('diagnosis_id', 'in', ids).execute()) {
      const state = byId.get(s.diagnosis_id)
      const version = state?.versions.find((v) => v.id === s.version_id)
      if (!state || !version) continue
      state.survey = {
        version: version.columns.version,
        process: s.process,
        analysis: s.analysis,
        proposal: s.proposal,
        competence: s.competence,
        result: s.result,
        overall: s.overall,
        comment: s.comment,
        filled_at: iso(s.filled_at)!,
        agency_opinion: s.agency_opinion,
        agency_org_id: s.agency_org_id,
        agency_at: iso(s.agency_at),
        filled_by: s.filled_by,
      }
    }
  }
  return out
}

/** A line as state, its external ids resolved. */
function stateOf(record: TDiagnosisReportV1, org: (externalId: string) => number): Omit<DiagnosisState, 'id'> {
  return {
    row: {
      enterprise_org_id: org(record.enterprise),
      provider_org_id: org(record.provider),
      kind: record.kind,
      status: record.status,
      origin: record.origin,
      assigned_by_org_id: record.assignedBy === null ? null : org(record.assignedBy),
      note: record.note,
      created_at: record.createdAt,
      responded_at: record.respondedAt,
      completed_at: record.completedAt,
    },
    versions: [...record.reportVersions]
      .sort((a, b) => a.version - b.version)
      .map((v) => ({
        id: 0,
        confirmed_by: null,
        columns: {
          version: v.version,
          status: v.status,
          basics: v.basics,
          solution: v.solution,
          benchmark_peer: v.benchmarkPeer,
          benchmark_notes: v.benchmarkNotes,
          maturity_level: v.maturityLevel,
          return_reason: v.returnReason,
          created_at: v.createdAt,
          submitted_at: v.submittedAt,
          confirmed_at: v.confirmedAt,
        },
        weaknesses: v.weaknesses.map((w) => ({
          scenario_code: w.scenario,
          severity: w.severity,
          title: w.title,
          description: w.description,
          indicator: w.indicator,
          current_value: w.current,
          target_value: w.target,
        })),
        recommendations: v.recommendedProviders.map((r) => ({ provider_org_id: org(r.provider), note: r.note })),
      })),
    records: record.serviceRecords.map((r) => ({
      id: 0,
      kind: r.kind,
      occurred_on: r.occurredOn,
      minutes: r.minutes,
      team_size: r.teamSize,
      leader: r.leader,
      team_members: r.teamMembers,
      content: r.content,
    })),
    survey: record.survey
      ? {
          version: record.survey.version,
          process: record.survey.process,
          analysis: record.survey.analysis,
          proposal: record.survey.proposal,
          competence: record.survey.competence,
          result: record.survey.result,
          overall: record.survey.overall,
          comment: record.survey.comment,
          filled_at: record.survey.filledAt,
          agency_opinion: record.survey.agencyOpinion,
          agency_org_id: record.survey.agency === null ? null : org(record.survey.agency),
          agency_at: record.survey.agencyAt,
          filled_by: 0,
        }
      : null,
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** What a line compares by: everything but row ids and who signed. */
function comparable(s: Omit<DiagnosisState, 'id'>) {
  return {
    row: s.row,
    versions: s.versions.map((v) => ({ columns: v.columns, weaknesses: v.weaknesses, recommendations: v.recommendations })),
    records: s.records.map(({ id: _id, ...r }) => r),
    survey: s.survey ? { ...s.survey, filled_by: 0 } : null,
  }
}

/** The enterprise's first active owner: who confirms (签字盖章) and fills the survey. */
async function ownersOf(db: Kysely<DB>, orgIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  for (let i = 0; i < orgIds.length; i += CHUNK) {
    for (const r of await db
      .selectFrom('memberships')
      .select(['org_id', 'user_id'])
      .where('role', '=', 'owner')
      .where('status', '=', 'active')
      .where('org_id', 'in', orgIds.slice(i, i + CHUNK))
      .orderBy('user_id')
      .execute())
      if (!out.has(r.org_id)) out.set(r.org_id, r.user_id)
  }
  return out
}

function signs(record: TDiagnosisReportV1): boolean {
  return record.survey !== null || record.reportVersions.some((v) => v.status === 'confirmed' || v.status === 'superseded')
}

function weaknessRows(versionId: number, weaknesses: readonly WeaknessState[]): Insertable<DB['diagnosis_weaknesses']>[] {
  return weaknesses.map((w, i) => ({ version_id: versionId, seq: i + 1, ...w }))
}

function recommendationRows(versionId: number, v: VersionState): Insertable<DB['diagnosis_recommendations']>[] {
  return v.recommendations.map((r, i) => ({
    version_id: versionId,
    provider_org_id: r.provider_org_id,
    seq: i + 1,
    note: r.note,
  }))
}

function versionRow(diagnosisId: number, v: VersionState, signer: number | null, now: string) {
  const confirmed = v.columns.status === 'confirmed' || v.columns.status === 'superseded'
  return {
    diagnosis_id: diagnosisId,
    ...v.columns,
    confirmed_by: confirmed ? (v.confirmed_by ?? signer) : null,
    updated_at: now,
  }
}

async function writeDiagnoses(ctx: WriteContext, batch: readonly { line: number; record: TDiagnosisReportV1 }[]): Promise<void> {
  const { trx, ids, now } = ctx
  await ids.load(
    DIAGNOSIS_REPORT,
    batch.map((b) => b.record.externalId),
    trx,
  )
  await ids.load(
    ORGANISATION,
    batch.flatMap(({ record: r }) => [
      r.enterprise,
      r.provider,
      ...(r.assignedBy ? [r.assignedBy] : []),
      ...(r.survey?.agency ? [r.survey.agency] : []),
      ...r.reportVersions.flatMap((v) => v.recommendedProviders.map((p) => p.provider)),
    ]),
    trx,
  )
  const org = (externalId: string) => ids.require(ORGANISATION, externalId)
  const mapped = batch.map((b) => ids.get(DIAGNOSIS_REPORT, b.record.externalId)).filter((id): id is number => id !== undefined)
  const current = new Map((await loadDiagnoses(trx, 'id', mapped)).map((d) => [d.id, d]))
  const owners = await ownersOf(trx, [...new Set(batch.map((b) => org(b.record.enterprise)))])
  const signerOf = (enterpriseId: number) => owners.get(enterpriseId) ?? ctx.options.operator?.userId ?? null

  const weaknesses: Insertable<DB['diagnosis_weaknesses']>[] = []
  const recommendations: Insertable<DB['diagnosis_recommendations']>[] = []
  const records: Insertable<DB['diagnosis_service_records']>[] = []
  const surveys: { diagnosisId: number; state: Omit<DiagnosisState, 'id'>; signer: number | null; was: DiagnosisState | null }[] =
    []
  const created: { record: TDiagnosisReportV1; state: Omit<DiagnosisState, 'id'> }[] = []

  for (const { record } of batch) {
    const state = stateOf(record, org)
    const was = current.get(ids.get(DIAGNOSIS_REPORT, record.externalId) ?? 0)
    if (!was) {
      created.push({ record, state })
      continue
    }
    if (same(comparable(state), comparable(was))) {
      ctx.count(DIAGNOSIS_REPORT, 'unchanged')
      continue
    }
    const signer = signerOf(state.row.enterprise_org_id)
    await trx
      .updateTable('diagnoses')
      .set({ ...state.row, updated_at: now })
      .where('id', '=', was.id)
      .execute()
    // The survey names a version: it goes first, and comes back once the versions are right.
    if (was.survey) await trx.deleteFrom('diagnosis_surveys').where('diagnosis_id', '=', was.id).execute()
    const wanted = new Set(state.versions.map((v) => v.columns.version))
    for (const old of was.versions) {
      if (!wanted.has(old.columns.version)) await trx.deleteFrom('diagnosis_report_versions').where('id', '=', old.id).execute()
    }
    for (const v of state.versions) {
      const old = was.versions.find((o) => o.columns.version === v.columns.version)
      if (!old) {
        const [versionId] = await insertReturningIds(trx, 'diagnosis_report_versions', [
          { ...versionRow(was.id, v, signer, now), created_by: null },
        ])
        weaknesses.push(...weaknessRows(versionId!, v.weaknesses))
        recommendations.push(...recommendationRows(versionId!, v))
        continue
      }
      if (!same(old.columns, v.columns)) {
        await trx
          .updateTable('diagnosis_report_versions')
          .set((eb) => ({
            ...versionRow(was.id, { ...v, confirmed_by: old.confirmed_by }, signer, now),
            revision: eb('revision', '+', 1),
          }))
          .where('id', '=', old.id)
          .execute()
      }
      // Weaknesses keep their rows (needs name them): updated by number, the surplus removed.
      for (const [i, w] of v.weaknesses.entries()) {
        const before = old.weaknesses[i]
        if (!before) weaknesses.push({ version_id: old.id, seq: i + 1, ...w })
        else if (!same(before, w)) {
          await trx
            .updateTable('diagnosis_weaknesses')
            .set(w)
            .where('version_id', '=', old.id)
            .where('seq', '=', i + 1)
            .execute()
        }
      }
      if (old.weaknesses.length > v.weaknesses.length) {
        await trx
          .deleteFrom('diagnosis_weaknesses')
          .where('version_id', '=', old.id)
          .where('seq', '>', v.weaknesses.length)
          .execute()
      }
      if (!same(old.recommendations, v.recommendations)) {
        await trx.deleteFrom('diagnosis_recommendations').where('version_id', '=', old.id).execute()
        recommendations.push(...recommendationRows(old.id, v))
      }
    }
    // Service records keep their rows (photos hang on them): updated in order, the surplus removed.
    for (const [i, r] of state.records.entries()) {
      const before = was.records[i]
      const { id: _id, ...columns } = r
      if (!before) records.push({ diagnosis_id: was.id, ...columns, created_by: null, created_at: now, updated_at: now })
      else {
        const { id: beforeId, ...old } = before
        if (!same(old, columns)) {
          await trx
            .updateTable('diagnosis_service_records')
            .set({ ...columns, updated_at: now })
            .where('id', '=', beforeId)
            .execute()
        }
      }
    }
    const surplus = was.records.slice(state.records.length).map((r) => r.id)
    if (surplus.length) await trx.deleteFrom('diagnosis_service_records').where('id', 'in', surplus).execute()
    surveys.push({ diagnosisId: was.id, state, signer, was })
    ctx.count(DIAGNOSIS_REPORT, 'updated')
  }

  const newIds = await insertReturningIds(
    trx,
    'diagnoses',
    created.map(({ state }) => ({
      ...state.row,
      created_by: null,
      responded_by: null,
      updated_at: now,
    })),
  )
  const newVersions: { diagnosisId: number; v: VersionState; signer: number | null }[] = []
  created.forEach(({ record, state }, i) => {
    const id = newIds[i]!
    ids.stage(DIAGNOSIS_REPORT, record.externalId, id, now)
    const signer = signerOf(state.row.enterprise_org_id)
    for (const v of state.versions) newVersions.push({ diagnosisId: id, v, signer })
    for (const { id: _id, ...r } of state.records) {
      records.push({ diagnosis_id: id, ...r, created_by: null, created_at: now, updated_at: now })
    }
    surveys.push({ diagnosisId: id, state, signer, was: null })
    ctx.count(DIAGNOSIS_REPORT, 'created')
  })
  const versionIds = await insertReturningIds(
    trx,
    'diagnosis_report_versions',
    newVersions.map(({ diagnosisId, v, signer }) => ({ ...versionRow(diagnosisId, v, signer, now), created_by: null })),
  )
  newVersions.forEach(({ v }, i) => {
    weaknesses.push(...weaknessRows(versionIds[i]!, v.weaknesses))
    recommendations.push(...recommendationRows(versionIds[i]!, v))
  })
  await insertRows(trx, 'diagnosis_weaknesses', weaknesses)
  await insertRows(trx, 'diagnosis_recommendations', recommendations)
  await insertRows(trx, 'diagnosis_service_records', records)

  // Surveys last: they name the version they rate.
  const withSurvey = surveys.filter((s) => s.state.survey !== null)
  const versionRows = new Map<string, number>()
  for (let i = 0; i < withSurvey.length; i += CHUNK) {
    for (const v of await trx
      .selectFrom('diagnosis_report_versions')
      .select(['id', 'diagnosis_id', 'version'])
      .where(
        'diagnosis_id',
        'in',
        withSurvey.slice(i, i + CHUNK).map((s) => s.diagnosisId),
      )
      .execute())
      versionRows.set(`${v.diagnosis_id}:${v.version}`, v.id)
  }
  await insertRows(
    trx,
    'diagnosis_surveys',
    withSurvey.map(({ diagnosisId, state, signer, was }) => {
      const { version, filled_by: _f, ...survey } = state.survey!
      const filledBy = was?.survey?.filled_by ?? signer
      if (filledBy === null) throw new Error(`exchange: no one to fill the survey of diagnosis ${diagnosisId}`)
      return {
        diagnosis_id: diagnosisId,
        version_id: versionRows.get(`${diagnosisId}:${version}`)!,
        ...survey,
        agency_by: null,
        filled_by: filledBy,
      }
    }),
  )
}

const LIVE = new Set(['proposed', 'active'])

/**
 * Checks across lines and against the database: a confirmed report is signed (签字盖章)
 * and a survey filled by a person — the enterprise's owner on this platform, else the
 * operator running the import; without either the line is refused. And an enterprise
 * and a diagnoser have at most one live (proposed or active) project, in the file and
 * in the database.
 */
function diagnosisChecks(options: { operator: { userId: number } | null }): CrossCheck<TDiagnosisReportV1> {
  const needing: { line: number; enterprise: string }[] = []
  const live: { line: number; externalId: string; enterprise: string; provider: string }[] = []
  const livePairs = new Map<string, number>()
  return {
    add(record, line) {
      if (!options.operator && signs(record)) needing.push({ line, enterprise: record.enterprise })
      if (!LIVE.has(record.status)) return []
      const pair = JSON.stringify([record.enterprise, record.provider])
      const first = livePairs.get(pair)
      if (first !== undefined) return [{ line, path: ['status'], key: 'exchange.v.liveInFile', params: { line: first } }]
      livePairs.set(pair, line)
      live.push({ line, externalId: record.externalId, enterprise: record.enterprise, provider: record.provider })
      return []
    },
    async finish(db, ids) {
      const issues: ExchangeIssue[] = []
      await ids.load(ORGANISATION, [...needing.map((n) => n.enterprise), ...live.flatMap((l) => [l.enterprise, l.provider])], db)
      if (needing.length > 0) {
        const orgIds = needing.map((n) => ids.get(ORGANISATION, n.enterprise)).filter((id): id is number => id !== undefined)
        const owners = await ownersOf(db, [...new Set(orgIds)])
        for (const n of needing) {
          const id = ids.get(ORGANISATION, n.enterprise)
          if (id === undefined || !owners.has(id))
            issues.push({ line: n.line, path: ['enterprise'], key: 'exchange.v.signerNeeded' })
        }
      }
      const known = live.filter(
        (l) => ids.get(ORGANISATION, l.enterprise) !== undefined && ids.get(ORGANISATION, l.provider) !== undefined,
      )
      if (known.length > 0) {
        await ids.load(
          DIAGNOSIS_REPORT,
          known.map((l) => l.externalId),
          db,
        )
        const enterprises = [...new Set(known.map((l) => ids.get(ORGANISATION, l.enterprise)!))]
        const existing = new Map<string, number>()
        for (let i = 0; i < enterprises.length; i += CHUNK) {
          for (const r of await db
            .selectFrom('diagnoses')
            .select(['id', 'enterprise_org_id', 'provider_org_id'])
            .where('enterprise_org_id', 'in', enterprises.slice(i, i + CHUNK))
            .where('status', 'in', ['proposed', 'active'])
            .execute())
            existing.set(`${r.enterprise_org_id}:${r.provider_org_id}`, r.id)
        }
        for (const l of known) {
          const other = existing.get(`${ids.get(ORGANISATION, l.enterprise)}:${ids.get(ORGANISATION, l.provider)}`)
          if (other !== undefined && other !== ids.get(DIAGNOSIS_REPORT, l.externalId)) {
            issues.push({ line: l.line, path: ['status'], key: 'exchange.v.liveTaken', params: { id: other } })
          }
        }
      }
      return issues
    },
  }
}

export const diagnosisReportType: ExchangeType<TDiagnosisReportV1> = {
  type: DIAGNOSIS_REPORT,
  current: 1,
  schemas: { 1: ZDiagnosisReportV1 },
  key: (d) => d.externalId,
  defines: (d) => ({
    space: DIAGNOSIS_REPORT,
    externalId: d.externalId,
    facts: Object.fromEntries(
      d.reportVersions.flatMap((v) => v.weaknesses.map((_w, i) => [weaknessFact(v.version, i + 1), true])),
    ),
  }),
  references: (d) => [
    {
      path: ['enterprise'],
      space: ORGANISATION,
      externalId: d.enterprise,
      expect: { facts: { kind: 'enterprise' }, key: 'exchange.v.notEnterprise' },
    },
    {
      path: ['provider'],
      space: ORGANISATION,
      externalId: d.provider,
      expect: { facts: { kind: 'provider' }, key: 'exchange.v.notProvider' },
    },
    ...(d.assignedBy
      ? [
          {
            path: ['assignedBy'],
            space: ORGANISATION,
            externalId: d.assignedBy,
            expect: { facts: { kind: 'agency' }, key: 'exchange.v.notAgency' },
          },
        ]
      : []),
    ...(d.survey?.agency
      ? [
          {
            path: ['survey', 'agency'],
            space: ORGANISATION,
            externalId: d.survey.agency,
            expect: { facts: { kind: 'agency' }, key: 'exchange.v.notAgency' },
          },
        ]
      : []),
    ...d.reportVersions.flatMap((v, i) =>
      v.recommendedProviders.map((r, j) => ({
        path: ['reportVersions', i, 'recommendedProviders', j, 'provider'],
        space: ORGANISATION,
        externalId: r.provider,
        expect: { facts: { kind: 'provider' }, key: 'exchange.v.notProvider' },
      })),
    ),
  ],
  checkCodes: (d, ref, line) =>
    d.reportVersions.flatMap((v, i) =>
      v.weaknesses.flatMap((w, j) =>
        unknownCodes(
          line,
          ['reportVersions', i, 'weaknesses', j, 'scenario'],
          [w.scenario],
          ref.scenariosByCode,
          'exchange.v.unknownScenario',
        ).map((issue) => ({ ...issue, path: ['reportVersions', i, 'weaknesses', j, 'scenario'] })),
      ),
    ),
  crossCheck: (options) => diagnosisChecks(options),
  // After the organisations (and their profiles): the needs made from weaknesses come after.
  phase: () => 3,
  write: writeDiagnoses,
}

// ---------------------------------------------------------------- reading (export)

/** The organisations a set of enterprises' diagnoses name (diagnosers, recommended providers, agencies). */
export async function partiesOfDiagnoses(db: Kysely<DB>, enterpriseIds: readonly number[]): Promise<number[]> {
  const out = new Set<number>()
  for (const d of await loadDiagnoses(db, 'enterprise_org_id', enterpriseIds)) {
    out.add(d.row.provider_org_id)
    if (d.row.assigned_by_org_id !== null) out.add(d.row.assigned_by_org_id)
    if (d.survey?.agency_org_id) out.add(d.survey.agency_org_id)
    for (const v of d.versions) for (const r of v.recommendations) out.add(r.provider_org_id)
  }
  return [...out].sort((a, b) => a - b)
}

/** The diagnosis ids of these enterprises, in export order. */
export async function diagnosesOf(db: Kysely<DB>, enterpriseIds: readonly number[]): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < enterpriseIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('diagnoses')
      .select(['id', 'enterprise_org_id'])
      .where('enterprise_org_id', 'in', enterpriseIds.slice(i, i + CHUNK))
      .execute()
    const order = new Map(enterpriseIds.map((id, k) => [id, k]))
    rows.sort((a, b) => (order.get(a.enterprise_org_id) ?? 0) - (order.get(b.enterprise_org_id) ?? 0) || a.id - b.id)
    out.push(...rows.map((r) => r.id))
  }
  return out
}

/** These diagnoses as lines, in the order given. */
export async function* readDiagnosisReports(
  db: Kysely<DB>,
  diagnosisIds: readonly number[],
  externalIds: ReadonlyMap<number, string>,
  orgExternalIds: ReadonlyMap<number, string>,
): AsyncGenerator<TDiagnosisReportV1> {
  const org = (id: number) => orgExternalIds.get(id) ?? ''
  for (let i = 0; i < diagnosisIds.length; i += CHUNK) {
    const part = diagnosisIds.slice(i, i + CHUNK)
    const states = new Map((await loadDiagnoses(db, 'id', part)).map((d) => [d.id, d]))
    for (const id of part) {
      const d = states.get(id)
      if (!d) continue
      yield {
        type: 'diagnosis_report',
        version: 1,
        externalId: externalIds.get(id) ?? '',
        enterprise: org(d.row.enterprise_org_id),
        provider: org(d.row.provider_org_id),
        kind: d.row.kind,
        status: d.row.status,
        origin: d.row.origin,
        assignedBy: d.row.assigned_by_org_id === null ? null : org(d.row.assigned_by_org_id),
        note: d.row.note,
        createdAt: d.row.created_at,
        respondedAt: d.row.responded_at,
        completedAt: d.row.completed_at,
        reportVersions: d.versions.map((v) => ({
          version: v.columns.version,
          status: v.columns.status,
          basics: v.columns.basics,
          solution: v.columns.solution,
          benchmarkPeer: v.columns.benchmark_peer,
          benchmarkNotes: v.columns.benchmark_notes,
          maturityLevel: v.columns.maturity_level,
          returnReason: v.columns.return_reason,
          createdAt: v.columns.created_at,
          submittedAt: v.columns.submitted_at,
          confirmedAt: v.columns.confirmed_at,
          weaknesses: v.weaknesses.map((w) => ({
            scenario: w.scenario_code,
            severity: w.severity,
            title: w.title,
            description: w.description,
            indicator: w.indicator,
            current: w.current_value,
            target: w.target_value,
          })),
          recommendedProviders: v.recommendations.map((r) => ({ provider: org(r.provider_org_id), note: r.note })),
        })),
        serviceRecords: d.records.map((r) => ({
          kind: r.kind,
          occurredOn: r.occurred_on,
          minutes: r.minutes,
          teamSize: r.team_size,
          leader: r.leader,
          teamMembers: r.team_members,
          content: r.content,
        })),
        survey: d.survey
          ? {
              version: d.survey.version,
              process: d.survey.process,
              analysis: d.survey.analysis,
              proposal: d.survey.proposal,
              competence: d.survey.competence,
              result: d.survey.result,
              overall: d.survey.overall,
              comment: d.survey.comment,
              filledAt: d.survey.filled_at,
              agencyOpinion: d.survey.agency_opinion,
              agency: d.survey.agency_org_id === null ? null : org(d.survey.agency_org_id),
              agencyAt: d.survey.agency_at,
            }
          : null,
      }
    }
  }
}
