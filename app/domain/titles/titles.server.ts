import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { GradientTitle, TitleReviewOutcome, TitleStatus } from '../../../db/enums.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, translator, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { reserve, type RateLimitRule } from '../../utils/rate-limit.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { titleVersion, todayInChina } from '../enterprises/archive.server.js'
import { notify } from '../notifications/notify.server.js'
import type { TitleState } from '../policy/gradient.js'
import type { LocalText } from '../policy/rule-set.js'
import { rulesForRegion } from '../policy/region-rules.server.js'
import { isInJurisdiction, jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData, regionLabel, type ReferenceData } from '../reference/reference.server.js'
import { listWorkbook, xlsxDownload } from '../spreadsheets/workbook.server.js'
import type { ReviewInput, TitlesQuery } from './schema.js'
import {
  DEFAULT_VALIDITY,
  downgradeTargets,
  extendedExpiry,
  standing,
  stateBounds,
  validityOf,
  type Validity,
} from './validity.js'

/*
 * 称号管理 (issue 16 §7): an agency's view of the 智能工厂梯度 titles held by enterprises of
 * its jurisdiction — counts per title and state, the list (reviews due first), the record
 * of reviews (复核) — and the review itself. Any verified agency member reads
 * (read:policy-tools:role; the queries narrow to the jurisdiction); owners and reviewers of
 * an agency over the enterprise's region decide (review:title:jurisdiction):
 * - passed: the title's expiry moves `years` on from its old expiry (rule set, default 3);
 * - downgraded: the title's status becomes 'downgraded' and the enterprise holds the lower
 *   level chosen from the decision's day, for `years`;
 * - revoked: the title's status becomes 'revoked'.
 * One transaction: the conditional update (the title still held, with the expiry the form
 * was filled in on) is the guard — a second decision on the same title is a 409; a row in
 * title_reviews, the audit (under the archive's object, so the enterprise's 变更记录 shows
 * it) and a notice to the enterprise's owners. Validity comes from the enterprise's
 * region's gradient rule set (validity.ts); where there is none, 3 years / 3 months.
 */

export const TITLES_PAGE_SIZE = 20
export const REVIEWS_PAGE_SIZE = 10
/** Rows an export holds at most; the sheet says when the filter has more. */
export const TITLES_EXPORT_MAX = 5000
export const TITLES_EXPORT_LIMIT: RateLimitRule = { limit: 20, windowMs: 10 * 60_000 }

interface AgencyRef {
  orgId: number
  name: string
  regionCode: string
}

function agencyOf(actor: Actor, ref: ReferenceData): AgencyRef {
  const org = actor.org
  if (!org || org.kind !== 'agency') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:policy-tools:role' } })
  }
  authorize(actor, ref, 'read:policy-tools:role')
  return { orgId: org.orgId, name: org.orgName, regionCode: org.regionCode }
}

// ---------------------------------------------------------------- validity per region

interface ValidityGroup {
  validity: Validity
  codes: string[]
}

/** The jurisdiction's regions grouped by the validity their rule set gives (default where none). */
function validityGroups(ref: ReferenceData, agencyRegion: string, today: string): ValidityGroup[] {
  const groups = new Map<string, ValidityGroup>()
  for (const code of jurisdictionCodes(ref, agencyRegion)) {
    const validity = validityOf(rulesForRegion(ref, code, today).gradient)
    const key = validity.ruleSetId ?? ''
    const group = groups.get(key) ?? { validity, codes: [] }
    group.codes.push(code)
    groups.set(key, group)
  }
  return [...groups.values()]
}

function validityForRegion(ref: ReferenceData, regionCode: string, today: string): Validity {
  return validityOf(rulesForRegion(ref, regionCode, today).gradient)
}

interface StateSql {
  expired: RawBuilder<unknown>
  due: RawBuilder<unknown>
  valid: RawBuilder<unknown>
  rank: RawBuilder<number>
}

/** The states of a title as SQL over `t` (enterprise_titles) and `o` (its enterprise), by each group's bounds. */
function stateSql(groups: readonly ValidityGroup[], today: string): StateSql {
  const within = (g: ValidityGroup, through: string, awardedThrough: string) =>
    sql`(o.region_code in (${sql.join(g.codes)}) and ((t.expires_on is not null and t.expires_on <= ${through}) or (t.expires_on is null and t.awarded_on <= ${awardedThrough})))`
  const any = (parts: RawBuilder<unknown>[]) => (parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`(1 = 0)`)
  const bounds = groups.map((g) => ({ g, b: stateBounds(g.validity, today) }))
  const pastExpiry = any(bounds.map(({ g, b }) => within(g, b.expiredThrough, b.expiredThroughAwarded)))
  const inWindow = any(bounds.map(({ g, b }) => within(g, b.dueThrough, b.dueThroughAwarded)))
  const expired = sql`(t.status = 'held' and ${pastExpiry})`
  const due = sql`(t.status = 'held' and not ${pastExpiry} and ${inWindow})`
  const valid = sql`(t.status = 'held' and not ${pastExpiry} and not ${inWindow})`
  const rank = sql<number>`(case when ${due} then 0 when ${expired} then 1 when t.status = 'held' then 2 when t.status = 'downgraded' then 3 else 4 end)`
  return { expired, due, valid, rank }
}

function filterSql(s: StateSql, state: TitleState | null): RawBuilder<unknown> | null {
  switch (state) {
    case null:
      return null
    case 'valid':
      return s.valid
    case 'review_due':
      return s.due
    case 'expired':
      return s.expired
    case 'downgraded':
      return sql`(t.status = 'downgraded')`
    case 'revoked':
      return sql`(t.status = 'revoked')`
  }
}

/** A date column as YYYY-MM-DD (text on both dialects; a Date only if a driver hands one). */
const iso = (v: unknown): string | null =>
  typeof v === 'string' ? v.slice(0, 10) : v instanceof Date ? v.toISOString().slice(0, 10) : null

// ---------------------------------------------------------------- the list page

export interface TitleListRow {
  id: number
  title: GradientTitle
  scene: string
  enterpriseId: number
  enterpriseName: string
  region: string
  awardedOn: string
  expiresOn: string
  reviewFrom: string
  /** The expiry is the rule set's validity from the award (none recorded). */
  expiryDerived: boolean
  state: TitleState
}

export interface TitleCount {
  title: GradientTitle
  valid: number
  reviewDue: number
  expired: number
  downgraded: number
  revoked: number
}

export interface ReviewRecord {
  id: number
  titleId: number
  title: GradientTitle
  enterpriseId: number
  enterpriseName: string
  outcome: TitleReviewOutcome
  downgradedTo: GradientTitle | null
  reason: string
  decidedOn: string
  agencyName: string
}

export interface RuleUsed {
  ruleSetId: string | null
  years: number
  reviewMonths: number
}

export interface TitlesPage {
  agencyName: string
  today: string
  counts: TitleCount[]
  rows: TitleListRow[]
  total: number
  page: number
  pageCount: number
  reviews: ReviewRecord[]
  reviewsTotal: number
  reviewsPage: number
  reviewsPageCount: number
  /** The validity rules the jurisdiction's regions follow (the default among them when a region has no rule set). */
  rules: RuleUsed[]
  mayReview: boolean
  query: { title: GradientTitle | null; state: TitleState | null }
}

function baseQuery(db: Kysely<DB>, codes: readonly string[]) {
  return db
    .selectFrom('enterprise_titles as t')
    .innerJoin('organisations as o', 'o.id', 't.org_id')
    .where('o.kind', '=', 'enterprise')
    .where('o.region_code', 'in', codes)
}

async function listRows(
  db: Kysely<DB>,
  ref: ReferenceData,
  codes: readonly string[],
  s: StateSql,
  query: { title: GradientTitle | null; state: TitleState | null },
  today: string,
  limit: number,
  offset: number,
  locale: Locale,
): Promise<TitleListRow[]> {
  const filter = filterSql(s, query.state)
  const rows = await baseQuery(db, codes)
    .select([
      't.id',
      't.title',
      't.scene',
      't.awarded_on',
      't.expires_on',
      't.status',
      'o.id as org_id',
      'o.name',
      'o.region_code',
    ])
    .$if(query.title !== null, (qb) => qb.where('t.title', '=', query.title!))
    .$if(filter !== null, (qb) => qb.where(filter! as RawBuilder<boolean>))
    .orderBy(s.rank)
    .orderBy(sql`coalesce(t.expires_on, t.awarded_on)`)
    .orderBy('t.id')
    .limit(limit)
    .offset(offset)
    .execute()
  const validity = new Map<string, Validity>()
  return rows.map((r) => {
    const v = validity.get(r.region_code) ?? validityForRegion(ref, r.region_code, today)
    validity.set(r.region_code, v)
    const dates = { awardedOn: iso(r.awarded_on)!, expiresOn: iso(r.expires_on), status: r.status }
    const st = standing(dates, v, today)
    return {
      id: r.id,
      title: r.title,
      scene: r.scene,
      enterpriseId: r.org_id,
      enterpriseName: r.name,
      region: regionLabel(ref, r.region_code, locale),
      awardedOn: dates.awardedOn,
      expiresOn: st.expiresOn,
      reviewFrom: st.reviewFrom,
      expiryDerived: dates.expiresOn === null,
      state: st.state,
    }
  })
}

async function countRows(db: Kysely<DB>, codes: readonly string[], s: StateSql): Promise<TitleCount[]> {
  const sum = (cond: RawBuilder<unknown>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`
  const rows = await baseQuery(db, codes)
    .select([
      't.title',
      sum(s.valid).as('valid'),
      sum(s.due).as('due'),
      sum(s.expired).as('expired'),
      sum(sql`t.status = 'downgraded'`).as('downgraded'),
      sum(sql`t.status = 'revoked'`).as('revoked'),
    ])
    .groupBy('t.title')
    .execute()
  const GRADIENT_ORDER: GradientTitle[] = ['excellent_scenario', 'basic', 'advanced', 'excellence', 'leading']
  return GRADIENT_ORDER.map((title) => {
    const r = rows.find((x) => x.title === title)
    return {
      title,
      valid: Number(r?.valid ?? 0),
      reviewDue: Number(r?.due ?? 0),
      expired: Number(r?.expired ?? 0),
      downgraded: Number(r?.downgraded ?? 0),
      revoked: Number(r?.revoked ?? 0),
    }
  })
}

function reviewsQuery(db: Kysely<DB>) {
  return db
    .selectFrom('title_reviews as r')
    .innerJoin('enterprise_titles as t', 't.id', 'r.title_id')
    .innerJoin('organisations as o', 'o.id', 't.org_id')
    .innerJoin('organisations as a', 'a.id', 'r.agency_org_id')
}

function toReview(r: {
  id: number
  title_id: number
  title: GradientTitle
  org_id: number
  name: string
  outcome: TitleReviewOutcome
  downgraded_to: GradientTitle | null
  reason: string
  decided_on: unknown
  agency_name: string
}): ReviewRecord {
  return {
    id: r.id,
    titleId: r.title_id,
    title: r.title,
    enterpriseId: r.org_id,
    enterpriseName: r.name,
    outcome: r.outcome,
    downgradedTo: r.downgraded_to,
    reason: r.reason,
    decidedOn: iso(r.decided_on) ?? '',
    agencyName: r.agency_name,
  }
}

const REVIEW_COLUMNS = [
  'r.id',
  'r.title_id',
  't.title',
  'o.id as org_id',
  'o.name',
  'r.outcome',
  'r.downgraded_to',
  'r.reason',
  'r.decided_on',
  'a.name as agency_name',
] as const

export async function getTitlesPage(
  db: Database,
  actor: Actor,
  query: TitlesQuery,
  { now = new Date(), locale = DEFAULT_LOCALE }: { now?: Date; locale?: Locale } = {},
): Promise<TitlesPage> {
  const ref = await getReferenceData(db)
  const agency = agencyOf(actor, ref)
  const today = todayInChina(now)
  const groups = validityGroups(ref, agency.regionCode, today)
  const codes = groups.flatMap((g) => g.codes)
  const s = stateSql(groups, today)
  const filter = filterSql(s, query.state)
  const [{ n }, { rn }, counts] = await Promise.all([
    baseQuery(db, codes)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .$if(query.title !== null, (qb) => qb.where('t.title', '=', query.title!))
      .$if(filter !== null, (qb) => qb.where(filter! as RawBuilder<boolean>))
      .executeTakeFirstOrThrow(),
    reviewsQuery(db)
      .select((eb) => eb.fn.countAll<number>().as('rn'))
      .where('o.region_code', 'in', codes)
      .executeTakeFirstOrThrow(),
    countRows(db, codes, s),
  ])
  const total = Number(n)
  const pageCount = Math.max(1, Math.ceil(total / TITLES_PAGE_SIZE))
  const page = Math.min(query.page, pageCount)
  const reviewsTotal = Number(rn)
  const reviewsPageCount = Math.max(1, Math.ceil(reviewsTotal / REVIEWS_PAGE_SIZE))
  const reviewsPage = Math.min(query.rpage, reviewsPageCount)
  const [rows, reviews] = await Promise.all([
    total === 0
      ? Promise.resolve([])
      : listRows(db, ref, codes, s, query, today, TITLES_PAGE_SIZE, (page - 1) * TITLES_PAGE_SIZE, locale),
    reviewsTotal === 0
      ? Promise.resolve([])
      : reviewsQuery(db)
          .select(REVIEW_COLUMNS)
          .where('o.region_code', 'in', codes)
          .orderBy('r.decided_on', 'desc')
          .orderBy('r.id', 'desc')
          .limit(REVIEWS_PAGE_SIZE)
          .offset((reviewsPage - 1) * REVIEWS_PAGE_SIZE)
          .execute(),
  ])
  return {
    agencyName: agency.name,
    today,
    counts,
    rows,
    total,
    page,
    pageCount,
    reviews: reviews.map(toReview),
    reviewsTotal,
    reviewsPage,
    reviewsPageCount,
    rules: groups.map((g) => ({
      ruleSetId: g.validity.ruleSetId,
      years: g.validity.years,
      reviewMonths: g.validity.reviewMonths,
    })),
    mayReview: can(actor, ref, 'review:title:jurisdiction', { regionCode: agency.regionCode }),
    query: { title: query.title, state: query.state },
  }
}

/** The list under the current filter as an .xlsx (≤ TITLES_EXPORT_MAX rows; the sheet says when cut). */
export async function exportTitles(db: Database, actor: Actor, query: TitlesQuery, locale: Locale): Promise<Response> {
  const ref = await getReferenceData(db)
  const agency = agencyOf(actor, ref)
  await reserve(db, [{ key: `titles-export:user:${actor.userId}`, rule: TITLES_EXPORT_LIMIT }])
  const today = todayInChina()
  const groups = validityGroups(ref, agency.regionCode, today)
  const codes = groups.flatMap((g) => g.codes)
  const s = stateSql(groups, today)
  const rows = await listRows(db, ref, codes, s, query, today, TITLES_EXPORT_MAX + 1, 0, locale)
  const cut = rows.length > TITLES_EXPORT_MAX
  const t = translator(locale)
  const body = await listWorkbook(
    [
      {
        name: t('titles.xlsx.sheet'),
        title: t('titles.xlsx.title', { agency: agency.name, date: today }),
        columns: [
          { header: t('titles.col.enterprise'), width: 28 },
          { header: t('titles.col.region'), width: 18 },
          { header: t('titles.col.title'), width: 22 },
          { header: t('titles.col.scene'), width: 20 },
          { header: t('titles.col.awarded'), width: 12 },
          { header: t('titles.col.expires'), width: 12 },
          { header: t('titles.col.reviewFrom'), width: 12 },
          { header: t('titles.col.state'), width: 12 },
        ],
        rows: rows
          .slice(0, TITLES_EXPORT_MAX)
          .map((r) => [
            r.enterpriseName,
            r.region,
            t(`policy.level.${r.title}`),
            r.scene,
            r.awardedOn,
            r.expiresOn,
            r.reviewFrom,
            t(`titles.state.${r.state}`),
          ]),
        notes: [...(cut ? [t('titles.xlsx.cut', { max: TITLES_EXPORT_MAX })] : []), t('titles.xlsx.rule')],
      },
    ],
    { creator: agency.name },
  )
  return xlsxDownload(body, t('titles.xlsx.file', { date: today }), `titles-${today}`)
}

// ---------------------------------------------------------------- one title

export interface TitleDetail {
  id: number
  title: GradientTitle
  scene: string
  issuer: string
  status: TitleStatus
  awardedOn: string
  expiresOn: string
  reviewFrom: string
  expiryDerived: boolean
  state: TitleState
  enterpriseId: number
  enterpriseName: string
  region: string
  validity: { ruleSetId: string | null; years: number; reviewMonths: number; article: LocalText | null }
  reviews: ReviewRecord[]
  /** The actor may record a decision now (the title is held and the actor reviews the enterprise's region). */
  mayReview: boolean
  /** A pass is for the review window or after the expiry only. */
  mayPass: boolean
  downgradeTo: GradientTitle[]
  version: string
  today: string
}

async function titleRow(db: Kysely<DB>, id: number) {
  const row = await db
    .selectFrom('enterprise_titles as t')
    .innerJoin('organisations as o', 'o.id', 't.org_id')
    .select([
      't.id',
      't.title',
      't.scene',
      't.issuer',
      't.awarded_on',
      't.expires_on',
      't.status',
      'o.id as org_id',
      'o.name',
      'o.region_code',
      'o.kind',
    ])
    .where('t.id', '=', id)
    .executeTakeFirst()
  if (!row || row.kind !== 'enterprise') return null
  return { ...row, awarded_on: iso(row.awarded_on)!, expires_on: iso(row.expires_on) }
}

export async function getTitleDetail(
  db: Database,
  actor: Actor,
  id: number,
  { now = new Date(), locale = DEFAULT_LOCALE }: { now?: Date; locale?: Locale } = {},
): Promise<TitleDetail> {
  const ref = await getReferenceData(db)
  const agency = agencyOf(actor, ref)
  const row = await titleRow(db, id)
  if (!row || !isInJurisdiction(ref, agency.regionCode, row.region_code)) throw new AppError('NOT_FOUND', 'titles.e.notFound')
  const today = todayInChina(now)
  const v = validityForRegion(ref, row.region_code, today)
  const st = standing({ awardedOn: row.awarded_on, expiresOn: row.expires_on, status: row.status }, v, today)
  const reviews = await reviewsQuery(db)
    .select(REVIEW_COLUMNS)
    .where('r.title_id', '=', row.id)
    .orderBy('r.decided_on', 'desc')
    .orderBy('r.id', 'desc')
    .limit(100)
    .execute()
  const mayReview = row.status === 'held' && can(actor, ref, 'review:title:jurisdiction', { regionCode: row.region_code })
  return {
    id: row.id,
    title: row.title,
    scene: row.scene,
    issuer: row.issuer,
    status: row.status,
    awardedOn: row.awarded_on,
    expiresOn: st.expiresOn,
    reviewFrom: st.reviewFrom,
    expiryDerived: row.expires_on === null,
    state: st.state,
    enterpriseId: row.org_id,
    enterpriseName: row.name,
    region: regionLabel(ref, row.region_code, locale),
    validity: { ruleSetId: v.ruleSetId, years: v.years, reviewMonths: v.reviewMonths, article: v.article },
    reviews: reviews.map(toReview),
    mayReview,
    mayPass: st.state === 'review_due' || st.state === 'expired',
    downgradeTo: downgradeTargets(row.title),
    version: titleVersion(row),
    today,
  }
}

// ---------------------------------------------------------------- the review

function stale(): AppError {
  return new AppError('CONFLICT', 'titles.e.stale')
}

export interface ReviewResult {
  reviewId: number
  /** passed: the new expiry. */
  expiresOn: string | null
  /** downgraded: the lower title the enterprise now holds. */
  newTitleId: number | null
}

export async function reviewTitle(
  db: Database,
  actor: Actor,
  id: number,
  input: ReviewInput,
  now: Date = new Date(),
): Promise<ReviewResult> {
  const ref = await getReferenceData(db)
  const agency = agencyOf(actor, ref)
  const today = todayInChina(now)
  if (input.decidedOn > today) {
    throw new AppError('VALIDATION', 'titles.v.decidedOnFuture', { fieldErrors: { decidedOn: 'titles.v.decidedOnFuture' } })
  }
  return withTransaction(db, async (trx, afterCommit) => {
    const row = await titleRow(trx, id)
    if (!row || !isInJurisdiction(ref, agency.regionCode, row.region_code)) throw new AppError('NOT_FOUND', 'titles.e.notFound')
    authorize(actor, ref, 'review:title:jurisdiction', { regionCode: row.region_code })
    if (row.status !== 'held') throw new AppError('CONFLICT', 'titles.e.notHeld')
    if (titleVersion(row) !== input.version) throw stale()
    if (input.decidedOn < row.awarded_on) {
      throw new AppError('VALIDATION', 'titles.v.decidedOnBeforeAward', {
        fieldErrors: { decidedOn: 'titles.v.decidedOnBeforeAward' },
        params: { date: row.awarded_on },
      })
    }
    const v = validityForRegion(ref, row.region_code, today)
    const st = standing({ awardedOn: row.awarded_on, expiresOn: row.expires_on, status: row.status }, v, today)
    if (input.outcome === 'passed' && st.state !== 'review_due' && st.state !== 'expired') {
      throw new AppError('CONFLICT', 'titles.e.notDue', { params: { date: st.reviewFrom } })
    }
    if (input.outcome === 'downgraded' && !downgradeTargets(row.title).includes(input.downgradedTo!)) {
      throw new AppError('VALIDATION', 'titles.v.downgradedTo', { fieldErrors: { downgradedTo: 'titles.v.downgradedTo' } })
    }
    const newExpiry = input.outcome === 'passed' ? extendedExpiry(st.expiresOn, v) : null
    const newStatus: TitleStatus = input.outcome === 'passed' ? 'held' : input.outcome
    // The guard: still held, with the expiry the form was made on.
    const updated = await trx
      .updateTable('enterprise_titles')
      .set(input.outcome === 'passed' ? { expires_on: newExpiry } : { status: newStatus })
      .where('id', '=', row.id)
      .where('status', '=', 'held')
      .where((eb) => (row.expires_on === null ? eb('expires_on', 'is', null) : eb('expires_on', '=', row.expires_on)))
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw stale()
    const createdAt = now.toISOString()
    let newTitleId: number | null = null
    if (input.outcome === 'downgraded') {
      const inserted = await trx
        .insertInto('enterprise_titles')
        .values({
          org_id: row.org_id,
          title: input.downgradedTo!,
          scene: '',
          issuer: row.issuer,
          awarded_on: input.decidedOn,
          expires_on: extendedExpiry(input.decidedOn, v),
          status: 'held',
          created_at: createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      newTitleId = inserted.id
    }
    const review = await trx
      .insertInto('title_reviews')
      .values({
        title_id: row.id,
        agency_org_id: agency.orgId,
        outcome: input.outcome,
        downgraded_to: input.downgradedTo,
        new_title_id: newTitleId,
        reason: input.reason,
        decided_on: input.decidedOn,
        decided_by: actor.userId,
        created_at: createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const changes: Record<string, [string | null, string | null]> =
      input.outcome === 'passed' ? { expiresOn: [st.expiresOn, newExpiry] } : { status: [row.status, newStatus] }
    await recordAudit(trx, {
      action: 'title.reviewed',
      ...auditActor(actor),
      // Under the archive's object: the enterprise's 变更记录 lists the decision with its title changes.
      objectType: 'enterprise_title',
      objectId: row.org_id,
      regionCode: row.region_code,
      detail: {
        titleId: row.id,
        title: row.title,
        review: review.id,
        outcome: input.outcome,
        downgradedTo: input.downgradedTo,
        newTitleId,
        decidedOn: input.decidedOn,
        changes,
      },
    })
    await notify(db, trx, afterCommit, {
      kind: 'title_reviewed',
      orgId: row.org_id,
      // Keys, not words: the notice reads in the language of whoever opens it (localizedParams).
      params: {
        agency: agency.name,
        titleKey: `policy.level.${row.title}`,
        outcomeKey: `titles.notice.${input.outcome}`,
        date: newExpiry ?? '',
        ...(input.downgradedTo ? { levelKey: `policy.level.${input.downgradedTo}` } : {}),
        reason: input.reason || '—',
      },
      link: '/enterprise/archive',
    })
    return { reviewId: review.id, expiresOn: newExpiry, newTitleId }
  })
}

export { DEFAULT_VALIDITY }
