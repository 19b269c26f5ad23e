import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { SelfAssessmentKind } from '../../../db/enums.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { translator, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { reserve, type RateLimitRule } from '../../utils/rate-limit.server.js'
import type { Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { isEngagedDiagnoser } from '../diagnosis/access.server.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { writeArchiveFields } from '../enterprises/archive.server.js'
import { auditFor, ownEnterprise } from '../enterprises/own-enterprise.server.js'
import { getReferenceData, type ReferenceData } from '../reference/reference.server.js'
import {
  answerProblems,
  parseQuestionnaire,
  questionnaireKey,
  reachedFromDimensions,
  scoreAssessment,
  type Answers,
  type AssessmentResult,
  type Questionnaire,
} from './questionnaire.js'

/*
 * Self-assessments (自评估, issue 16 §2). An enterprise's members (edit:enterprise-archive:own)
 * answer a questionnaire (seed/reference/assessments/*.json); the result is a new row of
 * self_assessments (never updated: the rows are the history, so progress shows). The
 * results feed 一企一档: policy/facts.server.ts reads the latest sme_digital level; a
 * maturity self-check that reaches level 1 or more writes enterprise_profiles.maturity_level
 * in the same transaction, audited the way the archive's history reads it
 * ('enterprise.profile_updated' / 'enterprise_profile' / the org's id, `changes`).
 *
 * One submission per form: the form carries a token, reserved for 10 minutes (a double
 * click or a resend is refused, 409); at most 20 submissions an hour per enterprise.
 * Read-only views: the enterprise itself, agencies over its region, and a provider that
 * diagnoses (or diagnosed) it.
 */

export const ASSESSMENT_DIR = 'seed/reference/assessments'
export const ASSESSMENT_SUBMIT_LIMIT: RateLimitRule = { limit: 20, windowMs: 60 * 60_000 }
const TOKEN_RULE: RateLimitRule = { limit: 1, windowMs: 10 * 60_000 }
export const HISTORY_PAGE_SIZE = 20
/** Points per kind in the progress chart (the latest ones). */
export const PROGRESS_POINTS = 8

export function loadQuestionnairesFrom(dir: string): Questionnaire[] {
  const seen = new Set<string>()
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const origin = path.join(dir, file)
      const q = parseQuestionnaire(JSON.parse(readFileSync(origin, 'utf8')) as unknown, origin)
      if (seen.has(questionnaireKey(q))) throw new Error(`${origin}: ${questionnaireKey(q)} is defined twice`)
      seen.add(questionnaireKey(q))
      return q
    })
}

let cached: Questionnaire[] | null = null
function questionnaires(): Questionnaire[] {
  cached ??= loadQuestionnairesFrom(path.resolve(process.cwd(), ASSESSMENT_DIR))
  return cached
}

/** The current questionnaire of a kind (the highest version). */
export function currentQuestionnaire(kind: SelfAssessmentKind): Questionnaire {
  const q = questionnaires()
    .filter((x) => x.kind === kind)
    .sort((a, b) => b.version - a.version)[0]
  if (!q) throw new Error(`no questionnaire of kind ${kind}`)
  return q
}

/** The current questionnaires' dimension names, which the history's progress bars are labelled by. */
export function dimensionLabels() {
  return {
    sme_digital: currentQuestionnaire('sme_digital').dimensions.map((d) => ({ id: d.id, title: d.title })),
    maturity: currentQuestionnaire('maturity').dimensions.map((d) => ({ id: d.id, title: d.title })),
  }
}

export function questionnaireOf(key: string): Questionnaire | null {
  return questionnaires().find((q) => questionnaireKey(q) === key) ?? null
}

export interface AssessmentRow {
  id: number
  kind: SelfAssessmentKind
  questionnaire: string
  score: number
  level: number
  /** maturity: the level reached (0: level 1 not yet met). */
  reached: number
  dimensions: Record<string, number>
  createdAt: string
  /** The day in China (YYYY-MM-DD). */
  date: string
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

function toRow(r: {
  id: number
  kind: SelfAssessmentKind
  questionnaire: string
  score: number
  level: number
  dimensions: string
  created_at: unknown
}): AssessmentRow {
  const dims: Record<string, number> = {}
  for (const [k, v] of Object.entries(parseJson(r.dimensions))) if (typeof v === 'number') dims[k] = v
  const q = questionnaireOf(r.questionnaire)
  return {
    id: r.id,
    kind: r.kind,
    questionnaire: r.questionnaire,
    score: Number(r.score),
    level: r.level,
    reached: q ? reachedFromDimensions(q, dims, r.level) : r.level,
    dimensions: dims,
    createdAt: new Date(String(r.created_at)).toISOString(),
    date: chinaDate(new Date(String(r.created_at))),
  }
}
const COLUMNS = ['id', 'kind', 'questionnaire', 'score', 'level', 'dimensions', 'created_at'] as const

export interface SubmitInput {
  kind: SelfAssessmentKind
  token: string
  answers: Answers
}

/** Scores and keeps a self-assessment of the acting enterprise. Returns the new row's id. */
export async function submitAssessment(
  db: Database,
  actor: Actor,
  input: SubmitInput,
  now: Date = new Date(),
): Promise<{ id: number; result: AssessmentResult }> {
  const ref = await getReferenceData(db)
  const org = await ownEnterprise(db, actor, ref)
  const q = currentQuestionnaire(input.kind)
  const problems = answerProblems(q, input.answers)
  const missing = Object.keys(problems)
  if (missing.length) {
    const fieldErrors = Object.fromEntries(
      missing.map((id) => [`q_${id}`, problems[id] === 'missing' ? 'assessment.v.answer' : 'assessment.v.option'] as const),
    )
    throw new AppError('VALIDATION', missing.length === 1 ? 'errors.validationOne' : 'errors.validation', {
      fieldErrors,
      params: { count: missing.length },
    })
  }
  const answers: Answers = Object.fromEntries(q.questions.map((x) => [x.id, input.answers[x.id]!]))
  const result = scoreAssessment(q, answers)
  try {
    await reserve(db, [
      { key: `assessment-token:${input.token}`, rule: TOKEN_RULE },
      { key: `assessment-submit:org:${org.id}`, rule: ASSESSMENT_SUBMIT_LIMIT },
    ])
  } catch (error) {
    // The token's own refusal is a second submission of the same form, not an abuse.
    if (error instanceof AppError && error.code === 'RATE_LIMITED') {
      const again = await tokenUsed(db, input.token)
      if (again) throw new AppError('CONFLICT', 'assessment.e.duplicate')
    }
    throw error
  }
  const id = await archiveRaceRetried(() =>
    withTransaction(db, async (trx) => {
      const { id } = await trx
        .insertInto('self_assessments')
        .values({
          org_id: org.id,
          kind: input.kind,
          questionnaire: questionnaireKey(q),
          answers: JSON.stringify(answers),
          score: result.score,
          level: result.level,
          dimensions: JSON.stringify(result.dimensions),
          created_by: actor.userId,
          created_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await recordAudit(trx, {
        action: 'assessment.completed',
        ...auditFor(actor, org),
        objectType: 'self_assessment',
        objectId: id,
        detail: { kind: input.kind, questionnaire: questionnaireKey(q), score: result.score, level: result.level },
      })
      if (input.kind === 'maturity' && result.reached >= 1) {
        // Into 一企一档, as the archive writes: the revision moves, so an archive form opened
        // before this refuses to overwrite it.
        await writeArchiveFields(trx, actor, org, { maturityLevel: result.reached }, { detail: { assessment: id } })
      }
      return id
    }),
  )
  return { id, result }
}

/**
 * Runs `write` again when a colleague's archive save landed between its read and its
 * update (or both made the archive's first row): the result is the enterprise's answers,
 * already paid for by the form's token, so it is not thrown away for a race.
 */
async function archiveRaceRetried<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write()
    } catch (error) {
      const raced = uniqueViolation(error) || (error instanceof AppError && error.code === 'CONFLICT')
      if (!raced) throw error
      if (attempt === 3) throw uniqueViolation(error) ? new AppError('CONFLICT', 'enterprises.e.stale') : error
    }
  }
}

async function tokenUsed(db: Database, token: string): Promise<boolean> {
  const row = await db
    .selectFrom('rate_limit_events')
    .select('id')
    .where('key', '=', `assessment-token:${token}`)
    .limit(1)
    .executeTakeFirst()
  return Boolean(row)
}

export interface HistoryPage {
  org: { id: number; name: string }
  rows: AssessmentRow[]
  page: number
  pageCount: number
  /** The latest PROGRESS_POINTS per kind, oldest first. */
  progress: Record<SelfAssessmentKind, AssessmentRow[]>
  /** May the viewer start a new one (the enterprise itself). */
  own: boolean
}

async function historyOf(db: Kysely<DB>, org: { id: number; name: string }, page: number, own: boolean): Promise<HistoryPage> {
  const { total } = await db
    .selectFrom('self_assessments')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('org_id', '=', org.id)
    .executeTakeFirstOrThrow()
  const pageCount = Math.max(1, Math.ceil(Number(total) / HISTORY_PAGE_SIZE))
  const current = Math.min(page, pageCount)
  const [rows, sme, maturity] = await Promise.all([
    db
      .selectFrom('self_assessments')
      .select(COLUMNS)
      .where('org_id', '=', org.id)
      .orderBy('id', 'desc')
      .limit(HISTORY_PAGE_SIZE)
      .offset((current - 1) * HISTORY_PAGE_SIZE)
      .execute(),
    ...(['sme_digital', 'maturity'] as const).map((kind) =>
      db
        .selectFrom('self_assessments')
        .select(COLUMNS)
        .where('org_id', '=', org.id)
        .where('kind', '=', kind)
        .orderBy('id', 'desc')
        .limit(PROGRESS_POINTS)
        .execute(),
    ),
  ])
  return {
    org,
    rows: rows.map(toRow),
    page: current,
    pageCount,
    progress: { sme_digital: sme!.map(toRow).reverse(), maturity: maturity!.map(toRow).reverse() },
    own,
  }
}

/** The acting enterprise's history. */
export async function ownHistory(db: Database, actor: Actor, page: number): Promise<HistoryPage> {
  const ref = await getReferenceData(db)
  const org = await ownEnterprise(db, actor, ref)
  return historyOf(db, { id: org.id, name: org.name }, page, true)
}

/** May the actor read this enterprise's self-assessments? */
async function readableEnterprise(db: Kysely<DB>, actor: Actor, ref: ReferenceData, orgId: number) {
  const org = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'kind', 'region_code'])
    .where('id', '=', orgId)
    .executeTakeFirst()
  if (!org || org.kind !== 'enterprise' || !actor.org) throw new AppError('NOT_FOUND', 'errors.notFound')
  const own = actor.org.orgId === org.id && can(actor, ref, 'edit:enterprise-archive:own', { orgId: org.id })
  const ok =
    own ||
    can(actor, ref, 'read:enterprise-archive:jurisdiction', { regionCode: org.region_code }) ||
    (actor.org.kind === 'provider' &&
      actor.org.status === 'verified' &&
      actor.org.membership === 'active' &&
      (await isEngagedDiagnoser(db, actor.org.orgId, org.id)))
  // Not found rather than forbidden: whether an enterprise assessed itself is its own business.
  if (!ok) throw new AppError('NOT_FOUND', 'errors.notFound')
  return { org, own }
}

/** Read-only history of an enterprise for its agencies and its diagnoser (and itself). */
export async function enterpriseHistory(db: Database, actor: Actor, orgId: number, page: number): Promise<HistoryPage> {
  const ref = await getReferenceData(db)
  const { org, own } = await readableEnterprise(db, actor, ref, orgId)
  return historyOf(db, { id: org.id, name: org.name }, page, own)
}

export interface AssessmentView {
  row: AssessmentRow
  orgId: number
  orgName: string
  own: boolean
  questionnaire: Questionnaire | null
  result: AssessmentResult | null
  answers: Answers
  /** The previous assessment of the same kind (for the change). */
  previous: AssessmentRow | null
}

/** One result, for those who may read the enterprise's assessments. */
export async function getAssessment(db: Database, actor: Actor, id: number): Promise<AssessmentView> {
  const ref = await getReferenceData(db)
  const row = await db
    .selectFrom('self_assessments')
    .select([...COLUMNS, 'org_id', 'answers'])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'errors.notFound')
  const { org, own } = await readableEnterprise(db, actor, ref, row.org_id)
  const q = questionnaireOf(row.questionnaire)
  const answers: Answers = {}
  for (const [k, v] of Object.entries(parseJson(row.answers))) if (typeof v === 'string') answers[k] = v
  const complete = q && Object.keys(answerProblems(q, answers)).length === 0
  const previous = await db
    .selectFrom('self_assessments')
    .select(COLUMNS)
    .where('org_id', '=', row.org_id)
    .where('kind', '=', row.kind)
    .where('id', '<', row.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return {
    row: toRow(row),
    orgId: org.id,
    orgName: org.name,
    own,
    questionnaire: q,
    result: q && complete ? scoreAssessment(q, answers) : null,
    answers,
    previous: previous ? toRow(previous) : null,
  }
}

/** The enterprise's latest assessment of each kind (for a diagnosis report's first draft). */
export async function latestAssessments(
  db: Kysely<DB>,
  orgId: number,
): Promise<Partial<Record<SelfAssessmentKind, AssessmentRow>>> {
  const out: Partial<Record<SelfAssessmentKind, AssessmentRow>> = {}
  for (const kind of ['sme_digital', 'maturity'] as const) {
    const r = await db
      .selectFrom('self_assessments')
      .select(COLUMNS)
      .where('org_id', '=', orgId)
      .where('kind', '=', kind)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (r) out[kind] = toRow(r)
  }
  return out
}

/** The form of a new self-assessment: the acting enterprise only. */
export async function assessmentForm(db: Database, actor: Actor, kind: SelfAssessmentKind): Promise<Questionnaire> {
  const ref = await getReferenceData(db)
  await ownEnterprise(db, actor, ref)
  return currentQuestionnaire(kind)
}

/**
 * "A diagnosis report can start from them": what the first draft of a diagnosis report is
 * prefilled with (shown in the editor, saved when the diagnoser saves): the latest
 * maturity level reached and a basics paragraph citing the latest assessments. Null when
 * the enterprise has none.
 */
export async function reportPrefill(
  db: Kysely<DB>,
  orgId: number,
  locale: Locale,
): Promise<{ basics: string; maturityLevel: number | null } | null> {
  const latest = await latestAssessments(db, orgId)
  const rows = (['sme_digital', 'maturity'] as const).flatMap((k) => (latest[k] ? [latest[k]] : []))
  if (rows.length === 0) return null
  const t = translator(locale)
  const lines = rows.map((r) =>
    t('assessment.prefill.line', {
      kind: t(`assessment.kind.${r.kind}`),
      date: r.date,
      score: r.score,
      level:
        r.kind === 'maturity'
          ? t(`assessment.levelName.maturity.${r.reached as 0 | 1 | 2 | 3 | 4 | 5}`)
          : t(`assessment.levelName.sme_digital.${r.level as 1 | 2 | 3 | 4}`),
    }),
  )
  const maturity = latest.maturity
  return {
    basics: t('assessment.prefill.basics', { lines: lines.join(locale === 'en' ? '; ' : '；') }),
    maturityLevel: maturity && maturity.reached >= 1 ? maturity.reached : null,
  }
}
