import type { Kysely } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DiagnosisKind, DiagnosisStatus } from '../../../db/enums.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import { isEngagedDiagnoser } from '../diagnosis/access.server.js'
import { PUBLIC_NEED_STATUSES, type NeedStatus } from '../needs/enums.js'
import { getReferenceData, industryName, regionLabel, type ReferenceData } from '../reference/reference.server.js'
import { loadArchive, titlesOf, type StoredArchive, type TitleItem } from './archive.server.js'
import { archiveCompleteness, type ArchiveCompleteness } from './completeness.js'
import { ENTERPRISE_ORG_COLUMNS, type EnterpriseOrg } from './own-enterprise.server.js'

/*
 * /enterprises/:id — an enterprise's archive page (一企一档): basics, indicators, titles,
 * diagnosis projects, needs, (later) contracts and the history of changes.
 *
 * Who reads it is decided here, once (`enterpriseArchiveFor`):
 * - 'member': an active member of the enterprise;
 * - 'agency': a verified agency whose jurisdiction holds the enterprise's region
 *   ('read:enterprise-archive:jurisdiction');
 * - 'diagnoser': a verified provider that diagnoses or diagnosed it (a project active or
 *   completed: isEngagedDiagnoser). It sees its own projects and the published needs.
 * Anyone else gets NOT_FOUND, the same answer as for an id that names no enterprise.
 */

export type ArchiveReader = 'member' | 'agency' | 'diagnoser'

export interface ArchiveAccess {
  org: EnterpriseOrg
  reader: ArchiveReader
}

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'errors.notFound')
}

export async function enterpriseArchiveFor(
  db: Kysely<DB>,
  actor: Actor | null,
  ref: ReferenceData,
  orgId: number,
): Promise<ArchiveAccess> {
  const acting = actor?.org
  if (!actor || !acting || acting.membership !== 'active') throw notFound()
  const org = await db.selectFrom('organisations').select(ENTERPRISE_ORG_COLUMNS).where('id', '=', orgId).executeTakeFirst()
  if (!org || org.kind !== 'enterprise') throw notFound()
  if (acting.orgId === org.id && acting.kind === 'enterprise') return { org, reader: 'member' }
  if (can(actor, ref, 'read:enterprise-archive:jurisdiction', { regionCode: org.region_code })) return { org, reader: 'agency' }
  if (acting.kind === 'provider' && acting.status === 'verified' && (await isEngagedDiagnoser(db, acting.orgId, org.id))) {
    return { org, reader: 'diagnoser' }
  }
  throw notFound()
}

export interface ArchiveDiagnosisItem {
  id: number
  kind: DiagnosisKind
  status: DiagnosisStatus
  providerId: number
  providerName: string
  /** The latest confirmed report version, if any. */
  confirmedVersion: number | null
  confirmedAt: string | null
  createdAt: string
}

export interface ArchiveNeedItem {
  id: number
  title: string
  status: NeedStatus
  /** Where to open it; null when the reader has no page for it. */
  href: string | null
  updatedAt: string
}

export interface ArchiveHistoryEntry {
  id: number
  at: string
  action: string
  actorName: string | null
  /** For a title's change: which title (its kind). */
  title: string | null
  changes: { field: string; before: unknown; after: unknown }[]
}

export interface EnterpriseArchivePage {
  reader: ArchiveReader
  canEdit: boolean
  basics: { orgId: number; name: string; uscc: string | null; industry: string | null; region: string; status: string }
  archive: StoredArchive
  completeness: ArchiveCompleteness
  titles: TitleItem[]
  diagnoses: ArchiveDiagnosisItem[]
  needs: ArchiveNeedItem[]
  needsTotal: number
  history: { entries: ArchiveHistoryEntry[]; page: number; pageCount: number; total: number }
}

/** Rows each list of the page shows at most (newest first). */
export const ARCHIVE_LIST_LIMIT = 50
export const HISTORY_PAGE_SIZE = 20

const HISTORY_TYPES = ['enterprise_profile', 'enterprise_title']

export async function getEnterpriseArchive(
  db: Database,
  actor: Actor | null,
  orgId: number,
  { page = 1, locale = DEFAULT_LOCALE }: { page?: number; locale?: Locale } = {},
): Promise<EnterpriseArchivePage> {
  const ref = await getReferenceData(db)
  const { org, reader } = await enterpriseArchiveFor(db, actor, ref, orgId)
  const [archive, titles, diagnoses, needs, history] = await Promise.all([
    loadArchive(db, org.id),
    titlesOf(db, org.id),
    diagnosesOf(db, org.id, reader === 'diagnoser' ? actor!.org!.orgId : null),
    needsOf(db, org.id, reader),
    historyOf(db, org.id, page),
  ])
  return {
    reader,
    canEdit: reader === 'member' && can(actor, ref, 'edit:enterprise-archive:own', { orgId: org.id }),
    basics: {
      orgId: org.id,
      name: org.name,
      uscc: org.uscc,
      industry: org.industry_code ? `${org.industry_code} ${industryName(ref, org.industry_code, locale) ?? ''}`.trim() : null,
      region: regionLabel(ref, org.region_code, locale),
      status: org.status,
    },
    archive,
    completeness: archiveCompleteness(archive, { industryCode: org.industry_code }),
    titles,
    diagnoses,
    needs: needs.items,
    needsTotal: needs.total,
    history,
  }
}

/** The enterprise's diagnosis projects (a diagnoser: only its own), newest first, with the latest confirmed version. */
async function diagnosesOf(db: Kysely<DB>, orgId: number, onlyProvider: number | null): Promise<ArchiveDiagnosisItem[]> {
  const rows = await db
    .selectFrom('diagnoses as d')
    .innerJoin('organisations as p', 'p.id', 'd.provider_org_id')
    .select((eb) => [
      'd.id',
      'd.kind',
      'd.status',
      'd.provider_org_id',
      'p.name as provider_name',
      'd.created_at',
      eb
        .selectFrom('diagnosis_report_versions as v')
        .select('v.version')
        .whereRef('v.diagnosis_id', '=', 'd.id')
        .where('v.status', '=', 'confirmed')
        .orderBy('v.version', 'desc')
        .limit(1)
        .as('confirmed_version'),
      eb
        .selectFrom('diagnosis_report_versions as v')
        .select('v.confirmed_at')
        .whereRef('v.diagnosis_id', '=', 'd.id')
        .where('v.status', '=', 'confirmed')
        .orderBy('v.version', 'desc')
        .limit(1)
        .as('confirmed_at'),
    ])
    .where('d.enterprise_org_id', '=', orgId)
    .$if(onlyProvider !== null, (qb) => qb.where('d.provider_org_id', '=', onlyProvider!))
    .orderBy('d.id', 'desc')
    .limit(ARCHIVE_LIST_LIMIT)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: r.status,
    providerId: r.provider_org_id,
    providerName: r.provider_name,
    confirmedVersion: r.confirmed_version === null || r.confirmed_version === undefined ? null : Number(r.confirmed_version),
    confirmedAt: r.confirmed_at ? String(r.confirmed_at) : null,
    createdAt: String(r.created_at),
  }))
}

/** Its needs: every status for members and agencies, the published ones for a diagnoser. */
async function needsOf(
  db: Kysely<DB>,
  orgId: number,
  reader: ArchiveReader,
): Promise<{ items: ArchiveNeedItem[]; total: number }> {
  const statuses = reader === 'diagnoser' ? [...PUBLIC_NEED_STATUSES] : null
  const [rows, count] = await Promise.all([
    db
      .selectFrom('needs')
      .select(['id', 'title', 'status', 'updated_at'])
      .where('org_id', '=', orgId)
      .$if(statuses !== null, (qb) => qb.where('status', 'in', statuses!))
      .orderBy('id', 'desc')
      .limit(ARCHIVE_LIST_LIMIT)
      .execute(),
    db
      .selectFrom('needs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .$if(statuses !== null, (qb) => qb.where('status', 'in', statuses!))
      .executeTakeFirstOrThrow(),
  ])
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      // Members manage their needs in the workspace; everyone else reads the public page,
      // which shows a need once published (a draft, withdrawn or expired one is listed unlinked).
      href:
        reader === 'member'
          ? `/enterprise/needs/${r.id}`
          : (PUBLIC_NEED_STATUSES as readonly NeedStatus[]).includes(r.status)
            ? `/needs/${r.id}`
            : null,
      updatedAt: String(r.updated_at),
    })),
    total: Number(count.n),
  }
}

function parseDetail(detail: string): Record<string, unknown> {
  if (!detail) return {}
  try {
    const value: unknown = JSON.parse(detail)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** A page of the archive's history (its profile and titles), newest first. */
async function historyOf(db: Kysely<DB>, orgId: number, page: number): Promise<EnterpriseArchivePage['history']> {
  const objectId = String(orgId)
  const { n } = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('object_type', 'in', HISTORY_TYPES)
    .where('object_id', '=', objectId)
    .executeTakeFirstOrThrow()
  const total = Number(n)
  const pageCount = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE))
  const current = Math.min(page, pageCount)
  const rows =
    total === 0
      ? []
      : await db
          .selectFrom('audit_log as a')
          .leftJoin('users as u', 'u.id', 'a.actor_user_id')
          .select(['a.id', 'a.at', 'a.action', 'a.detail', 'u.name as actor_name'])
          .where('a.object_type', 'in', HISTORY_TYPES)
          .where('a.object_id', '=', objectId)
          .orderBy('a.id', 'desc')
          .limit(HISTORY_PAGE_SIZE)
          .offset((current - 1) * HISTORY_PAGE_SIZE)
          .execute()
  const entries = rows.map((r): ArchiveHistoryEntry => {
    const detail = parseDetail(r.detail)
    const raw = detail.changes && typeof detail.changes === 'object' ? (detail.changes as Record<string, unknown>) : {}
    const changes = Object.entries(raw)
      .filter((e): e is [string, unknown[]] => Array.isArray(e[1]) && e[1].length === 2)
      .map(([field, [before, after]]) => ({ field, before, after }))
    return {
      id: r.id,
      at: String(r.at),
      action: r.action,
      actorName: r.actor_name ?? null,
      title: typeof detail.title === 'string' ? detail.title : null,
      changes,
    }
  })
  return { entries, page: current, pageCount, total }
}
