import type { Kysely, SelectQueryBuilder } from 'kysely'
import type { Database } from '../../../db/connection.js'
import { DIAGNOSIS_KINDS, type DiagnosisKind, type DiagnosisStatus } from '../../../db/enums.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { can } from '../accounts/authorization.js'
import { narrowedJurisdiction } from '../reference/jurisdiction.js'
import { getReferenceData, refName, regionLabel } from '../reference/reference.server.js'
import { toStoredArchive } from './archive.server.js'
import { archiveCompleteness } from './completeness.js'
import type { TJurisdictionEnterprisesQuery } from './schema.js'

/*
 * /agency/enterprises: the verified enterprises of a verified agency's jurisdiction
 * (narrowed to a region inside it), with how complete each archive is, its diagnosis
 * projects by kind and status and its needs; and the diagnosis coverage of the
 * jurisdiction: of its 规上 enterprises, how many have a completed diagnosis, by kind.
 *
 * What a request costs stays bounded with 10 000+ enterprises: one count and one page
 * of 20 through organisations_status_idx (status, kind, region_code); the page's
 * profiles, diagnoses and needs in three grouped reads over its ids (no per-row query);
 * the coverage in two aggregate reads joined on primary keys and diagnoses_enterprise_idx.
 */

export const ENTERPRISES_PAGE_SIZE = 20

export interface JurisdictionEnterprise {
  id: number
  name: string
  region: string
  aboveScale: boolean
  completeness: number
  diagnoses: { kind: DiagnosisKind; status: DiagnosisStatus; count: number }[]
  needs: number
}

export interface DiagnosisCoverage {
  /** Verified 规上 enterprises in view. */
  aboveScale: number
  /** Of them, those with at least one completed diagnosis (any kind). */
  diagnosed: number
  byKind: Record<DiagnosisKind, number>
}

export interface JurisdictionEnterprisesPage {
  items: JurisdictionEnterprise[]
  total: number
  page: number
  pageCount: number
  coverage: DiagnosisCoverage
  regionOptions: { code: string; name: string }[]
}

/** Diagnosis statuses the list shows (declined and cancelled projects say nothing of the enterprise). */
const SHOWN_DIAGNOSIS_STATUSES = ['proposed', 'active', 'completed'] as const

type Filtered<O> = SelectQueryBuilder<DB & { o: DB['organisations'] }, 'o', O>

export async function listJurisdictionEnterprises(
  db: Database,
  actor: Actor,
  params: TJurisdictionEnterprisesQuery,
  locale: Locale = DEFAULT_LOCALE,
): Promise<JurisdictionEnterprisesPage> {
  const ref = await getReferenceData(db)
  const agency = actor.org
  // The agency's own region stands for its jurisdiction: may it read archives there?
  if (!agency || !can(actor, ref, 'read:enterprise-archive:jurisdiction', { regionCode: agency.regionCode })) {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'read:enterprise-archive:jurisdiction' } })
  }
  const regions = narrowedJurisdiction(ref, agency.regionCode, params.region)
  const inRegions = regions.length ? regions : ['']

  const filtered = <O>(qb: Filtered<O>) =>
    qb
      .where('o.status', '=', 'verified')
      .where('o.kind', '=', 'enterprise')
      .where('o.region_code', 'in', inRegions)
      .$if(params.aboveScale, (q) =>
        q.where((eb) =>
          eb.exists(
            eb
              .selectFrom('enterprise_profiles as ap')
              .select('ap.org_id')
              .whereRef('ap.org_id', '=', 'o.id')
              .where('ap.above_scale', '=', 1),
          ),
        ),
      )
      .$if(params.diagnosed !== undefined, (q) =>
        q.where((eb) => {
          const done = eb.exists(
            eb
              .selectFrom('diagnoses as dd')
              .select('dd.id')
              .whereRef('dd.enterprise_org_id', '=', 'o.id')
              .where('dd.status', '=', 'completed'),
          )
          return params.diagnosed === 'yes' ? done : eb.not(done)
        }),
      )

  const { n } = await filtered(
    db.selectFrom('organisations as o').select((eb) => eb.fn.countAll<number>().as('n')),
  ).executeTakeFirstOrThrow()
  const total = Number(n)
  const pageCount = Math.max(1, Math.ceil(total / ENTERPRISES_PAGE_SIZE))
  const page = Math.min(params.page, pageCount)
  const rows =
    total === 0
      ? []
      : await filtered(db.selectFrom('organisations as o').select(['o.id', 'o.name', 'o.region_code', 'o.industry_code']))
          .orderBy('o.name')
          .orderBy('o.id')
          .limit(ENTERPRISES_PAGE_SIZE)
          .offset((page - 1) * ENTERPRISES_PAGE_SIZE)
          .execute()
  const ids = rows.map((r) => r.id)
  const [profiles, diagnoses, needs, coverage] = await Promise.all([
    ids.length ? db.selectFrom('enterprise_profiles').selectAll().where('org_id', 'in', ids).execute() : [],
    ids.length
      ? db
          .selectFrom('diagnoses')
          .select(['enterprise_org_id', 'kind', 'status', (eb) => eb.fn.countAll<number>().as('n')])
          .where('enterprise_org_id', 'in', ids)
          .where('status', 'in', SHOWN_DIAGNOSIS_STATUSES)
          .groupBy(['enterprise_org_id', 'kind', 'status'])
          .execute()
      : [],
    ids.length
      ? db
          .selectFrom('needs')
          .select(['org_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('org_id', 'in', ids)
          .groupBy('org_id')
          .execute()
      : [],
    coverageOf(db, inRegions),
  ])
  const profileOf = new Map(profiles.map((p) => [p.org_id, p]))
  const needsOf = new Map(needs.map((r) => [r.org_id, Number(r.n)]))
  const kindOrder = (k: DiagnosisKind) => DIAGNOSIS_KINDS.indexOf(k)
  const items = rows.map((r): JurisdictionEnterprise => {
    const profile = profileOf.get(r.id)
    const archive = toStoredArchive(
      profile
        ? {
            ...profile,
            above_scale: Number(profile.above_scale),
            updated_at: String(profile.updated_at),
          }
        : undefined,
    )
    return {
      id: r.id,
      name: r.name,
      region: regionLabel(ref, r.region_code, locale),
      aboveScale: archive.aboveScale,
      completeness: archiveCompleteness(archive, { industryCode: r.industry_code }).percent,
      diagnoses: diagnoses
        .filter((d) => d.enterprise_org_id === r.id)
        .map((d) => ({ kind: d.kind, status: d.status, count: Number(d.n) }))
        .sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || a.status.localeCompare(b.status)),
      needs: needsOf.get(r.id) ?? 0,
    }
  })
  const regionOptions = [ref.regionsByCode.get(agency.regionCode), ...(ref.childrenByCode.get(agency.regionCode) ?? [])]
    .filter((r) => r !== undefined)
    .map((r) => ({ code: r.code, name: refName(r, locale) }))
  return { items, total, page, pageCount, coverage, regionOptions }
}

/**
 * Of the verified 规上 enterprises of `regions`, how many have a completed diagnosis, in
 * all and by kind. The diagnosed ones are found from the completed projects (a few
 * thousand in a province), each joined to its enterprise by key: the CROSS JOIN keeps
 * SQLite from walking every enterprise of the jurisdiction first (PostgreSQL plans a
 * CROSS JOIN with a join condition as any inner join). One row per enterprise and kind
 * comes back; the totals are counted here.
 */
async function coverageOf(db: Kysely<DB>, regions: string[]): Promise<DiagnosisCoverage> {
  const [all, diagnosedRows] = await Promise.all([
    db
      .selectFrom('organisations as o')
      .innerJoin('enterprise_profiles as p', 'p.org_id', 'o.id')
      .where('o.status', '=', 'verified')
      .where('o.kind', '=', 'enterprise')
      .where('o.region_code', 'in', regions)
      .where('p.above_scale', '=', 1)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('diagnoses as d')
      .crossJoin('organisations as o')
      .crossJoin('enterprise_profiles as p')
      .whereRef('o.id', '=', 'd.enterprise_org_id')
      .whereRef('p.org_id', '=', 'd.enterprise_org_id')
      .where('d.status', '=', 'completed')
      .where('o.status', '=', 'verified')
      .where('o.kind', '=', 'enterprise')
      .where('o.region_code', 'in', regions)
      .where('p.above_scale', '=', 1)
      .select(['d.enterprise_org_id', 'd.kind'])
      .groupBy(['d.enterprise_org_id', 'd.kind'])
      .execute(),
  ])
  const counts = Object.fromEntries(DIAGNOSIS_KINDS.map((k) => [k, 0])) as Record<DiagnosisKind, number>
  const diagnosed = new Set<number>()
  for (const r of diagnosedRows) {
    counts[r.kind] += 1
    diagnosed.add(r.enterprise_org_id)
  }
  return { aboveScale: Number(all.n), diagnosed: diagnosed.size, byKind: counts }
}
