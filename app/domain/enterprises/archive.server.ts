import crypto from 'node:crypto'
import type { ExpressionBuilder, Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { GradientTitle, RevenueBand, SizeBand, StaffBand, TitleStatus } from '../../../db/enums.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import type { AuditDetailValue } from '../audit/audit-log.server.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { getReferenceData, industryName, regionLabel } from '../reference/reference.server.js'
import { archiveCompleteness, type ArchiveCompleteness, type ArchiveFigures } from './completeness.js'
import { auditFor, ownEnterprise, type EnterpriseOrg } from './own-enterprise.server.js'
import { currentYearInChina, type TArchiveInput, type TTitleInput } from './schema.js'

/*
 * 一企一档: the acting enterprise's archive (size, 规上, bands, main products, the
 * indicators of the gradient rules with the year they describe, GB/T 39116 maturity)
 * and the 智能工厂梯度 titles it holds.
 *
 * The archive's form names the revision it was filled in on (0 while none was saved);
 * an edit made on an older one is refused (409) instead of overwriting a colleague's.
 * A save that changes nothing writes nothing. Every change is audited under object
 * 'enterprise_profile' / the organisation's id with `changes: { field: [before, after] }`
 * (only the fields changed); title changes under 'enterprise_title' / the same id, with
 * the title's id in the detail — so the archive's history is one indexed read.
 */

/** Titles an enterprise may record (a leading enterprise holds a handful). */
export const MAX_TITLES = 30

/** How long before a title's expiry the archive flags it for review (复核). */
export const REVIEW_WINDOW_MONTHS = 3

export interface StoredArchive extends ArchiveFigures {
  revision: number
  aboveScale: boolean
  sizeBand: SizeBand | null
  revenueBand: RevenueBand | null
  staffBand: StaffBand | null
  updatedAt: string | null
}

const PROFILE_COLUMNS = [
  'revision',
  'size_band',
  'above_scale',
  'revenue_band',
  'staff_band',
  'main_products',
  'rd_tools_pct',
  'equipment_nc_pct',
  'key_process_nc_pct',
  'mgmt_digital_pct',
  'mes_coverage_pct',
  'maturity_level',
  'indicators_year',
  'updated_at',
] as const

interface ProfileRow {
  revision: number
  size_band: SizeBand | null
  above_scale: number
  revenue_band: RevenueBand | null
  staff_band: StaffBand | null
  main_products: string
  rd_tools_pct: number | null
  equipment_nc_pct: number | null
  key_process_nc_pct: number | null
  mgmt_digital_pct: number | null
  mes_coverage_pct: number | null
  maturity_level: number | null
  indicators_year: number | null
  updated_at: string
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

export function toStoredArchive(row: ProfileRow | undefined): StoredArchive {
  return {
    revision: row?.revision ?? 0,
    sizeBand: row?.size_band ?? null,
    aboveScale: Number(row?.above_scale ?? 0) === 1,
    revenueBand: row?.revenue_band ?? null,
    staffBand: row?.staff_band ?? null,
    mainProducts: row?.main_products ?? '',
    rdToolsPct: num(row?.rd_tools_pct),
    equipmentNcPct: num(row?.equipment_nc_pct),
    keyProcessNcPct: num(row?.key_process_nc_pct),
    mgmtDigitalPct: num(row?.mgmt_digital_pct),
    mesCoveragePct: num(row?.mes_coverage_pct),
    maturityLevel: num(row?.maturity_level),
    indicatorsYear: num(row?.indicators_year),
    updatedAt: row ? String(row.updated_at) : null,
  }
}

export async function loadArchive(db: Kysely<DB>, orgId: number): Promise<StoredArchive> {
  const row = await db.selectFrom('enterprise_profiles').select(PROFILE_COLUMNS).where('org_id', '=', orgId).executeTakeFirst()
  return toStoredArchive(row)
}

// ---- Titles ----

export interface TitleItem {
  id: number
  title: GradientTitle
  scene: string
  issuer: string
  awardedOn: string
  expiresOn: string | null
  status: TitleStatus
  /** 已获奖励 (万元), null when none is recorded (issue 16). */
  rewardWan: number | null
  /** For a title held: past its expiry, or due for review within REVIEW_WINDOW_MONTHS. */
  flag: 'expired' | 'reviewSoon' | null
  /**
   * The agency's latest decision on record about this title (its 复核, or the downgrade that
   * gave it), null when none: a decided title is the agency's record, so only its scene and
   * reward stay the enterprise's to change, and it cannot be removed.
   */
  decision: TitleDecision | null
  version: string
}

export interface TitleDecision {
  /** gave: this title is the lower one a downgrade of another gave. */
  outcome: 'passed' | 'downgraded' | 'revoked' | 'gave'
  decidedOn: string
  agency: string
}

/** What an agency's decision fixes on a title (the rest — scene, reward — stays the enterprise's). */
const DECIDED_FIELDS = ['title', 'issuer', 'awardedOn', 'expiresOn', 'status'] as const

interface TitleRow {
  id: number
  title: GradientTitle
  scene: string
  issuer: string
  awarded_on: string
  expires_on: string | null
  status: TitleStatus
  /** Not part of the version digest (a reward recorded later leaves reviews' versions alone). */
  reward_wan_x100?: number | null
}

const TITLE_COLUMNS = ['id', 'title', 'scene', 'issuer', 'awarded_on', 'expires_on', 'status', 'reward_wan_x100'] as const

/** The row's content as a short digest: what an edit names as the version it was made on. */
export function titleVersion(row: TitleRow): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([row.id, row.title, row.scene, row.issuer, row.awarded_on, row.expires_on, row.status]))
    .digest('base64url')
    .slice(0, 22)
}

/** Today in China, YYYY-MM-DD. */
export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)
}

function monthsLater(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(y, m - 1 + months, d))
  if (target.getUTCDate() !== d) target.setUTCDate(0)
  return target.toISOString().slice(0, 10)
}

export function titleFlag(row: Pick<TitleRow, 'expires_on' | 'status'>, today: string): TitleItem['flag'] {
  if (row.status !== 'held' || !row.expires_on) return null
  if (row.expires_on <= today) return 'expired'
  if (row.expires_on <= monthsLater(today, REVIEW_WINDOW_MONTHS)) return 'reviewSoon'
  return null
}

function toTitleItem(row: TitleRow, today: string, decision: TitleDecision | null = null): TitleItem {
  const r = { ...row, awarded_on: String(row.awarded_on), expires_on: row.expires_on === null ? null : String(row.expires_on) }
  return {
    id: r.id,
    title: r.title,
    scene: r.scene,
    issuer: r.issuer,
    awardedOn: r.awarded_on,
    expiresOn: r.expires_on,
    status: r.status,
    rewardWan: r.reward_wan_x100 == null ? null : r.reward_wan_x100 / 100,
    flag: titleFlag(r, today),
    decision,
    version: titleVersion(r),
  }
}

/** The agencies' latest decisions about each of `ids` (its own review, or the downgrade that gave it). */
async function decisionsAbout(db: Kysely<DB>, ids: number[]): Promise<Map<number, TitleDecision>> {
  const out = new Map<number, TitleDecision>()
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('title_reviews as r')
    .innerJoin('organisations as a', 'a.id', 'r.agency_org_id')
    .select(['r.id', 'r.title_id', 'r.new_title_id', 'r.outcome', 'r.decided_on', 'a.name'])
    .where((eb) => eb.or([eb('r.title_id', 'in', ids), eb('r.new_title_id', 'in', ids)]))
    .orderBy('r.id')
    .execute()
  const wanted = new Set(ids)
  for (const r of rows) {
    const decidedOn = String(r.decided_on)
    if (wanted.has(r.title_id)) out.set(r.title_id, { outcome: r.outcome, decidedOn, agency: r.name })
    if (r.new_title_id !== null && wanted.has(r.new_title_id)) {
      out.set(r.new_title_id, { outcome: 'gave', decidedOn, agency: r.name })
    }
  }
  return out
}

export async function titlesOf(db: Kysely<DB>, orgId: number): Promise<TitleItem[]> {
  const rows = await db
    .selectFrom('enterprise_titles')
    .select(TITLE_COLUMNS)
    .where('org_id', '=', orgId)
    .orderBy('awarded_on', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_TITLES)
    .execute()
  const decisions = await decisionsAbout(
    db,
    rows.map((r) => r.id),
  )
  const today = todayInChina()
  return rows.map((r) => toTitleItem(r, today, decisions.get(r.id) ?? null))
}

// ---- The edit page ----

export interface ArchiveBasicsView {
  orgId: number
  name: string
  uscc: string | null
  industry: string | null
  region: string
  status: string
}

export interface ArchiveForEdit {
  basics: ArchiveBasicsView
  archive: StoredArchive
  titles: TitleItem[]
  completeness: ArchiveCompleteness
  maxYear: number
  maxTitles: number
}

/** /enterprise/archive: the acting enterprise's archive, its titles and how complete it is. */
export async function getArchiveForEdit(db: Database, actor: Actor, locale: Locale = DEFAULT_LOCALE): Promise<ArchiveForEdit> {
  const ref = await getReferenceData(db)
  const org = await ownEnterprise(db, actor, ref)
  const [archive, titles] = await Promise.all([loadArchive(db, org.id), titlesOf(db, org.id)])
  return {
    basics: {
      orgId: org.id,
      name: org.name,
      uscc: org.uscc,
      industry: org.industry_code ? `${org.industry_code} ${industryName(ref, org.industry_code, locale) ?? ''}`.trim() : null,
      region: regionLabel(ref, org.region_code, locale),
      status: org.status,
    },
    archive,
    titles,
    completeness: archiveCompleteness(archive, { industryCode: org.industry_code }),
    maxYear: currentYearInChina(),
    maxTitles: MAX_TITLES,
  }
}

// ---- Saving the archive ----

/** The archive's fields as the form names them, and their columns. */
const ARCHIVE_COLUMNS = {
  sizeBand: 'size_band',
  aboveScale: 'above_scale',
  revenueBand: 'revenue_band',
  staffBand: 'staff_band',
  mainProducts: 'main_products',
  rdToolsPct: 'rd_tools_pct',
  equipmentNcPct: 'equipment_nc_pct',
  keyProcessNcPct: 'key_process_nc_pct',
  mgmtDigitalPct: 'mgmt_digital_pct',
  mesCoveragePct: 'mes_coverage_pct',
  maturityLevel: 'maturity_level',
  indicatorsYear: 'indicators_year',
} as const
export type ArchiveField = keyof typeof ARCHIVE_COLUMNS
export const ARCHIVE_FIELDS = Object.keys(ARCHIVE_COLUMNS) as ArchiveField[]

function archiveStale(): AppError {
  return new AppError('CONFLICT', 'enterprises.e.stale')
}

/** The archive's stored values of the fields a form edits. */
export type ArchiveValues = Pick<StoredArchive, ArchiveField>

/**
 * Writes `fields` of `org`'s archive inside `trx`, the one way every writer does it (the
 * archive's form, the 梯度自评 questionnaire's MES coverage, a completed maturity
 * self-check): only the fields whose value differs are written, under the next revision
 * (the first write inserts the row), and audited as 'enterprise.profile_updated' with
 * `changes: { field: [before, after] }` plus `detail`. `revision`, when given, is the one the
 * caller's form was filled in on: a moved archive is refused with `stale()`, and so is a
 * colleague's write between this read and this update. A caller that read the archive
 * already passes it as `before`.
 *
 * Two first writes at once: the primary key refuses the second, so the caller's
 * transaction must turn `uniqueViolation` into its own stale error.
 */
export async function writeArchiveFields(
  trx: Kysely<DB>,
  actor: Actor,
  org: Pick<EnterpriseOrg, 'id' | 'region_code'>,
  fields: Partial<ArchiveValues>,
  options: {
    revision?: number
    before?: StoredArchive
    stale?: () => AppError
    detail?: Record<string, AuditDetailValue>
  } = {},
): Promise<{ changed: ArchiveField[]; revision: number }> {
  const stale = options.stale ?? archiveStale
  const before = options.before ?? (await loadArchive(trx, org.id))
  if (options.revision !== undefined && options.revision !== before.revision) throw stale()
  const changes: Record<string, [AuditDetailValue, AuditDetailValue]> = {}
  const columns: Record<string, string | number | null> = {}
  for (const field of ARCHIVE_FIELDS) {
    if (!(field in fields)) continue
    const was = before[field]
    const now = fields[field]!
    if (was === now) continue
    changes[field] = [was, now]
    columns[ARCHIVE_COLUMNS[field]] = typeof now === 'boolean' ? (now ? 1 : 0) : now
  }
  const changed = Object.keys(changes) as ArchiveField[]
  if (changed.length === 0) return { changed, revision: before.revision }

  const revision = before.revision + 1
  const stamp = { ...columns, updated_by: actor.userId, updated_at: new Date().toISOString(), revision }
  if (before.updatedAt === null) {
    await trx
      .insertInto('enterprise_profiles')
      .values({ org_id: org.id, ...stamp })
      .execute()
  } else {
    const result = await trx
      .updateTable('enterprise_profiles')
      .set(stamp)
      .where('org_id', '=', org.id)
      .where('revision', '=', before.revision)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw stale()
  }
  await recordAudit(trx, {
    action: 'enterprise.profile_updated',
    ...auditFor(actor, org),
    objectType: 'enterprise_profile',
    objectId: org.id,
    detail: { revision, changes, ...options.detail },
  })
  return { changed, revision }
}

/**
 * Saves the acting enterprise's archive. Returns the fields changed (none: nothing
 * written) and the revision it now has.
 */
export async function saveArchive(
  db: Database,
  actor: Actor,
  input: TArchiveInput,
): Promise<{ changed: ArchiveField[]; revision: number }> {
  const ref = await getReferenceData(db)
  try {
    return await withTransaction(db, async (trx) => {
      const org = await ownEnterprise(trx, actor, ref)
      const fields = Object.fromEntries(ARCHIVE_FIELDS.map((f) => [f, input[f]])) as ArchiveValues
      return await writeArchiveFields(trx, actor, org, fields, { revision: input.revision })
    })
  } catch (error) {
    if (uniqueViolation(error)) throw archiveStale()
    throw error
  }
}

// ---- Titles held ----

const TITLE_FIELDS = {
  title: 'title',
  scene: 'scene',
  issuer: 'issuer',
  awardedOn: 'awarded_on',
  expiresOn: 'expires_on',
  status: 'status',
  rewardWan: 'reward_wan_x100',
} as const

function titleStale(): AppError {
  return new AppError('CONFLICT', 'enterprises.e.titleStale')
}

function titleSnapshot(row: TitleRow | TTitleInput): Record<string, AuditDetailValue> {
  if ('awarded_on' in row) {
    return {
      title: row.title,
      scene: row.scene,
      issuer: row.issuer,
      awardedOn: String(row.awarded_on),
      expiresOn: row.expires_on === null ? null : String(row.expires_on),
      status: row.status,
      rewardWan: row.reward_wan_x100 == null ? null : row.reward_wan_x100 / 100,
    }
  }
  return {
    title: row.title,
    scene: row.scene,
    issuer: row.issuer,
    awardedOn: row.awardedOn,
    expiresOn: row.expiresOn,
    status: row.status,
    rewardWan: row.rewardWanX100 === null ? null : row.rewardWanX100 / 100,
  }
}

/** A title's fields that hold something (a title added or removed lists only those). */
function filledOf(snapshot: Record<string, AuditDetailValue>): [string, AuditDetailValue][] {
  return Object.entries(snapshot).filter(([, v]) => v !== null && v !== '')
}

/** Records a title the acting enterprise holds. */
export async function addTitle(db: Database, actor: Actor, input: TTitleInput): Promise<{ id: number }> {
  const ref = await getReferenceData(db)
  return withTransaction(db, async (trx) => {
    const org = await ownEnterprise(trx, actor, ref)
    const { n } = await trx
      .selectFrom('enterprise_titles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow()
    if (Number(n) >= MAX_TITLES) {
      throw new AppError('CONFLICT', 'enterprises.e.titleLimit', { params: { max: MAX_TITLES } })
    }
    const row = await trx
      .insertInto('enterprise_titles')
      .values({
        org_id: org.id,
        title: input.title,
        scene: input.scene,
        issuer: input.issuer,
        awarded_on: input.awardedOn,
        expires_on: input.expiresOn,
        status: input.status,
        reward_wan_x100: input.rewardWanX100,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const after = titleSnapshot(input)
    await recordAudit(trx, {
      action: 'enterprise.title_added',
      ...auditFor(actor, org),
      objectType: 'enterprise_title',
      objectId: org.id,
      detail: {
        titleId: row.id,
        title: input.title,
        changes: Object.fromEntries(filledOf(after).map(([k, v]) => [k, [null, v]])),
      },
    })
    return { id: row.id }
  })
}

/** The acting enterprise's title `id`, as it is now; NOT_FOUND when it is another's or gone. */
async function ownTitle(trx: Kysely<DB>, orgId: number, id: number): Promise<TitleRow> {
  const row = await trx
    .selectFrom('enterprise_titles')
    .select(TITLE_COLUMNS)
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'errors.notFound')
  return { ...row, awarded_on: String(row.awarded_on), expires_on: row.expires_on === null ? null : String(row.expires_on) }
}

/**
 * The row still has the status and expiry it was read with. An agency's decision changes
 * one of them, so a write that raced a decision changes nothing (the version check before
 * it read the row before the decision committed).
 */
function asRead(eb: ExpressionBuilder<DB, 'enterprise_titles'>, row: TitleRow) {
  return eb.and([
    eb('status', '=', row.status),
    row.expires_on === null ? eb('expires_on', 'is', null) : eb('expires_on', '=', row.expires_on),
  ])
}

/**
 * Changes a title, made on `version` of it (else 409). Returns the fields changed. A title
 * an agency has decided on keeps what the decision fixed (409 naming the fields).
 */
export async function updateTitle(
  db: Database,
  actor: Actor,
  id: number,
  version: string,
  input: TTitleInput,
): Promise<{ changed: string[] }> {
  const ref = await getReferenceData(db)
  return withTransaction(db, async (trx) => {
    const org = await ownEnterprise(trx, actor, ref)
    const row = await ownTitle(trx, org.id, id)
    if (titleVersion(row) !== version) throw titleStale()
    const before = titleSnapshot(row)
    const after = titleSnapshot(input)
    const changes: Record<string, [AuditDetailValue, AuditDetailValue]> = {}
    for (const key of Object.keys(TITLE_FIELDS)) {
      if (before[key] !== after[key]) changes[key] = [before[key] ?? null, after[key] ?? null]
    }
    const changed = Object.keys(changes)
    if (changed.length === 0) return { changed }
    const decision = (await decisionsAbout(trx, [row.id])).get(row.id)
    const fixed = DECIDED_FIELDS.filter((f) => f in changes)
    if (decision && fixed.length > 0) {
      throw new AppError('CONFLICT', 'enterprises.e.titleDecided', {
        params: { agency: decision.agency, date: decision.decidedOn },
        fieldErrors: Object.fromEntries(fixed.map((f) => [f, 'enterprises.v.titleDecidedField'])),
      })
    }
    const result = await trx
      .updateTable('enterprise_titles')
      .set({
        title: input.title,
        scene: input.scene,
        issuer: input.issuer,
        awarded_on: input.awardedOn,
        expires_on: input.expiresOn,
        status: input.status,
        reward_wan_x100: input.rewardWanX100,
      })
      .where('id', '=', row.id)
      .where('org_id', '=', org.id)
      .where((eb) => asRead(eb, row))
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw titleStale()
    await recordAudit(trx, {
      action: 'enterprise.title_updated',
      ...auditFor(actor, org),
      objectType: 'enterprise_title',
      objectId: org.id,
      detail: { titleId: row.id, title: input.title, changes },
    })
    return { changed }
  })
}

/**
 * Removes a title (recorded by mistake), made on `version` of it (else 409). With
 * `apply: false` (the question before a removal without scripts) it checks and writes nothing.
 */
export async function removeTitle(
  db: Database,
  actor: Actor,
  id: number,
  version: string,
  { apply = true }: { apply?: boolean } = {},
): Promise<void> {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const org = await ownEnterprise(trx, actor, ref)
    const row = await ownTitle(trx, org.id, id)
    if (titleVersion(row) !== version) throw titleStale()
    const decision = (await decisionsAbout(trx, [row.id])).get(row.id)
    if (decision) {
      throw new AppError('CONFLICT', 'enterprises.e.titleDecidedRemove', {
        params: { agency: decision.agency, date: decision.decidedOn },
      })
    }
    if (!apply) return
    const result = await trx
      .deleteFrom('enterprise_titles')
      .where('id', '=', row.id)
      .where('org_id', '=', org.id)
      .where((eb) => asRead(eb, row))
      .executeTakeFirst()
    if (Number(result.numDeletedRows) !== 1) throw titleStale()
    const before = titleSnapshot(row)
    await recordAudit(trx, {
      action: 'enterprise.title_removed',
      ...auditFor(actor, org),
      objectType: 'enterprise_title',
      objectId: org.id,
      detail: {
        titleId: row.id,
        title: row.title,
        changes: Object.fromEntries(filledOf(before).map(([k, v]) => [k, [v, null]])),
      },
    })
  })
}
