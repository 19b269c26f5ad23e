import type { ExpressionBuilder } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../../db/connection.js'
import type { DB } from '../../../db/types.js'
import { translator, type Locale, type MessageKey } from '../../i18n/index.js'
import { ZJurisdictionEnterprisesQuery } from '../enterprises/schema.js'
import { narrowedJurisdiction } from '../reference/jurisdiction.js'
import { getReferenceData, industryName, regionLabel, type ReferenceData } from '../reference/reference.server.js'
import { AGENCY_FILTERS, type AgencyFilter } from '../workspaces/tabs.js'
import { EXPORT_CHUNK, MAX_EXPORT_ROWS } from './limits.js'
import { EXPORT_COLUMNS, type ExportList } from './columns.js'
import type { Cell } from './workbook.server.js'
import { wanText } from '../../utils/format.js'

/*
 * The rows of an agency's list exports, read in chunks of EXPORT_CHUNK by id (keyset:
 * each chunk one indexed range read, whatever the list's length), narrowed to the
 * jurisdiction (and a region inside it) in the query, with the list page's filters:
 * - enterprises (/agency/enterprises): region, 规上 only, diagnosed yes/no — verified
 *   enterprises registered in the jurisdiction;
 * - needs: region, status — every need of the jurisdiction but drafts (an enterprise's
 *   own business until published);
 * - providers: region — verified providers registered in the jurisdiction;
 * - contracts (/agency/contracts): filter all | unsupervised | late | disputed.
 */

const zRegion = z
  .string()
  .regex(/^[0-9A-Z]{6}$/)
  .optional()
  .catch(undefined)

const NEED_STATUSES = ['published', 'shortlisting', 'awarded', 'contracted', 'closed', 'withdrawn', 'expired'] as const

export const EXPORT_PARAMS = {
  enterprises: ZJurisdictionEnterprisesQuery,
  needs: z.object({ region: zRegion, status: z.enum(NEED_STATUSES).optional().catch(undefined) }),
  providers: z.object({ region: zRegion }),
  contracts: z.object({ filter: z.enum(AGENCY_FILTERS).catch('all') }),
} as const

/** The query string a task keeps: what the list's schema reads, nothing else (page, unknown keys dropped). */
export function normaliseExportParams(list: ExportList, query: string): string {
  const raw = Object.fromEntries(new URLSearchParams(query.replace(/^\?/, '')))
  const parsed = EXPORT_PARAMS[list].parse(raw) as Record<string, string | number | boolean | undefined>
  const out = new URLSearchParams()
  for (const [k, v] of Object.entries(parsed)) {
    if (k === 'page' || v === undefined || v === false || v === '') continue
    if (list === 'contracts' && k === 'filter' && v === 'all') continue
    out.set(k, v === true ? '1' : String(v))
  }
  return out.toString()
}

export interface ExportContext {
  db: Database
  ref: ReferenceData
  /** The agency's region: its jurisdiction. */
  agencyRegion: string
  locale: Locale
}

type Eb<T extends keyof DB, A extends string> = ExpressionBuilder<DB & Record<A, DB[T]>, A>

function providerKindsOf(value: unknown): string[] {
  try {
    const list: unknown = typeof value === 'string' ? JSON.parse(value) : value
    return Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : []
  } catch {
    return []
  }
}

const day = (v: string | null | undefined) => (v ? String(v).slice(0, 10) : '')
/** PostgreSQL `date` columns come back as Date objects: the calendar day they hold. */
const dateCell = (v: string | Date | null | undefined): string => {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) {
    const y = v.getFullYear()
    const m = String(v.getMonth() + 1).padStart(2, '0')
    const d = String(v.getDate()).padStart(2, '0')
    return `${y}-${m}-${d}`
  }
  return String(v).slice(0, 10)
}

/**
 * The rows of `list`, chunk by chunk (at most MAX_EXPORT_ROWS). `total` is counted first
 * (the progress bar's end).
 */
export async function exportPlan(
  ctx: ExportContext,
  list: ExportList,
  params: string,
): Promise<{ total: number; chunks: () => AsyncGenerator<Cell[][]> }> {
  const raw = Object.fromEntries(new URLSearchParams(params))
  switch (list) {
    case 'enterprises':
      return enterprisesPlan(ctx, EXPORT_PARAMS.enterprises.parse(raw))
    case 'needs':
      return needsPlan(ctx, EXPORT_PARAMS.needs.parse(raw))
    case 'providers':
      return providersPlan(ctx, EXPORT_PARAMS.providers.parse(raw))
    case 'contracts':
      return contractsPlan(ctx, EXPORT_PARAMS.contracts.parse(raw))
  }
}

/** Keyset pages of ids: `read(afterId)` returns up to EXPORT_CHUNK rows ordered by id. */
async function* chunked<R extends { id: number }>(
  total: number,
  read: (afterId: number, limit: number) => Promise<R[]>,
  toCells: (rows: R[]) => Promise<Cell[][]>,
): AsyncGenerator<Cell[][]> {
  let after = 0
  let left = Math.min(total, MAX_EXPORT_ROWS)
  while (left > 0) {
    const rows = await read(after, Math.min(EXPORT_CHUNK, left))
    if (rows.length === 0) return
    after = rows[rows.length - 1]!.id
    left -= rows.length
    yield await toCells(rows)
  }
}

function regionsOf(ctx: ExportContext, region: string | undefined): string[] {
  const codes = narrowedJurisdiction(ctx.ref, ctx.agencyRegion, region)
  return codes.length ? codes : ['']
}

async function enterprisesPlan(ctx: ExportContext, p: z.output<typeof EXPORT_PARAMS.enterprises>) {
  const { db, ref, locale } = ctx
  const t = translator(locale)
  const regions = regionsOf(ctx, p.region)
  const filtered = (eb: Eb<'organisations', 'o'>) => {
    const parts = [eb('o.status', '=', 'verified'), eb('o.kind', '=', 'enterprise'), eb('o.region_code', 'in', regions)]
    if (p.aboveScale) {
      parts.push(
        eb.exists(
          eb
            .selectFrom('enterprise_profiles as ap')
            .select('ap.org_id')
            .whereRef('ap.org_id', '=', 'o.id')
            .where('ap.above_scale', '=', 1),
        ),
      )
    }
    if (p.diagnosed !== undefined) {
      const done = eb.exists(
        eb
          .selectFrom('diagnoses as dd')
          .select('dd.id')
          .whereRef('dd.enterprise_org_id', '=', 'o.id')
          .where('dd.status', '=', 'completed'),
      )
      parts.push(p.diagnosed === 'yes' ? done : eb.not(done))
    }
    return eb.and(parts)
  }
  const { n } = await db
    .selectFrom('organisations as o')
    .where(filtered)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const total = Number(n)
  return {
    total,
    chunks: () =>
      chunked(
        total,
        (after, limit) =>
          db
            .selectFrom('organisations as o')
            .where(filtered)
            .where('o.id', '>', after)
            .select(['o.id', 'o.name', 'o.uscc', 'o.region_code', 'o.industry_code', 'o.contact_name', 'o.contact_phone'])
            .orderBy('o.id')
            .limit(limit)
            .execute(),
        async (rows) => {
          const ids = rows.map((r) => r.id)
          const [profiles, diagnosed, needs] = await Promise.all([
            db.selectFrom('enterprise_profiles').select(['org_id', 'above_scale']).where('org_id', 'in', ids).execute(),
            db
              .selectFrom('diagnoses')
              .select(['enterprise_org_id', (eb) => eb.fn.countAll<number>().as('n')])
              .where('enterprise_org_id', 'in', ids)
              .where('status', '=', 'completed')
              .groupBy('enterprise_org_id')
              .execute(),
            db
              .selectFrom('needs')
              .select(['org_id', (eb) => eb.fn.countAll<number>().as('n')])
              .where('org_id', 'in', ids)
              .where('status', '<>', 'draft')
              .groupBy('org_id')
              .execute(),
          ])
          const above = new Map(profiles.map((r) => [r.org_id, Number(r.above_scale) === 1]))
          const diag = new Map(diagnosed.map((r) => [r.enterprise_org_id, Number(r.n)]))
          const needCount = new Map(needs.map((r) => [r.org_id, Number(r.n)]))
          return rows.map((r) => [
            r.name,
            r.uscc ?? '',
            regionLabel(ref, r.region_code, locale),
            r.industry_code ? (industryName(ref, r.industry_code, locale) ?? r.industry_code) : '',
            above.get(r.id) ? t('spreadsheets.yes') : t('spreadsheets.no'),
            diag.get(r.id) ?? 0,
            needCount.get(r.id) ?? 0,
            r.contact_name,
            r.contact_phone,
          ])
        },
      ),
  }
}

async function needsPlan(ctx: ExportContext, p: z.output<typeof EXPORT_PARAMS.needs>) {
  const { db, ref, locale } = ctx
  const t = translator(locale)
  const regions = regionsOf(ctx, p.region)
  const filtered = (eb: Eb<'needs', 'n'>) =>
    eb.and([eb('n.region_code', 'in', regions), p.status ? eb('n.status', '=', p.status) : eb('n.status', '<>', 'draft')])
  const { n } = await db
    .selectFrom('needs as n')
    .where(filtered)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const total = Number(n)
  return {
    total,
    chunks: () =>
      chunked(
        total,
        (after, limit) =>
          db
            .selectFrom('needs as n')
            .innerJoin('organisations as o', 'o.id', 'n.org_id')
            .where(filtered)
            .where('n.id', '>', after)
            .select([
              'n.id',
              'n.title',
              'o.name as enterprise',
              'n.region_code',
              'n.industry_code',
              'n.target_level',
              'n.budget_min_wan',
              'n.budget_max_wan',
              'n.status',
              'n.published_at',
              'n.deadline',
            ])
            .orderBy('n.id')
            .limit(limit)
            .execute(),
        async (rows) =>
          rows.map((r) => [
            r.id,
            r.title,
            r.enterprise,
            regionLabel(ref, r.region_code, locale),
            industryName(ref, r.industry_code, locale) ?? r.industry_code,
            t(`level.${r.target_level}` as MessageKey),
            `${r.budget_min_wan}–${r.budget_max_wan}`,
            t(`needStatus.${r.status}` as MessageKey),
            day(r.published_at),
            dateCell(r.deadline),
          ]),
      ),
  }
}

async function providersPlan(ctx: ExportContext, p: z.output<typeof EXPORT_PARAMS.providers>) {
  const { db, ref, locale } = ctx
  const t = translator(locale)
  const regions = regionsOf(ctx, p.region)
  const filtered = (eb: Eb<'organisations', 'o'>) =>
    eb.and([eb('o.status', '=', 'verified'), eb('o.kind', '=', 'provider'), eb('o.region_code', 'in', regions)])
  const { n } = await db
    .selectFrom('organisations as o')
    .where(filtered)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const total = Number(n)
  return {
    total,
    chunks: () =>
      chunked(
        total,
        (after, limit) =>
          db
            .selectFrom('organisations as o')
            .where(filtered)
            .where('o.id', '>', after)
            .select(['o.id', 'o.name', 'o.uscc', 'o.region_code', 'o.provider_kinds', 'o.contact_name', 'o.contact_phone'])
            .orderBy('o.id')
            .limit(limit)
            .execute(),
        async (rows) =>
          rows.map((r) => [
            r.name,
            r.uscc ?? '',
            regionLabel(ref, r.region_code, locale),
            providerKindsOf(r.provider_kinds)
              .map((k) => t(`providerKind.${k}` as MessageKey))
              .join(locale === 'en' ? ', ' : '、'),
            r.contact_name,
            r.contact_phone,
          ]),
      ),
  }
}

type ContractsEb = ExpressionBuilder<DB & { c: DB['contracts'] }, 'c'>

/** 合同监管's filters, as /agency/contracts applies them. */
function contractFilter(filter: AgencyFilter) {
  return (eb: ContractsEb) => {
    switch (filter) {
      case 'all':
        return eb.lit(true)
      case 'unsupervised':
        return eb.and([eb('c.supervisor_org_id', 'is', null), eb('c.status', 'in', ['draft', 'active'])])
      case 'late':
        return eb.and([
          eb('c.status', '=', 'active'),
          eb.exists(
            eb
              .selectFrom('contract_milestones as m')
              .select('m.id')
              .whereRef('m.contract_id', '=', 'c.id')
              .where('m.late_flagged_at', 'is not', null)
              .where('m.status', '<>', 'accepted'),
          ),
        ])
      case 'disputed':
        return eb.exists(
          eb.selectFrom('disputes as d').select('d.id').whereRef('d.contract_id', '=', 'c.id').where('d.status', '=', 'open'),
        )
    }
  }
}

async function contractsPlan(ctx: ExportContext, p: z.output<typeof EXPORT_PARAMS.contracts>) {
  const { db, ref, locale } = ctx
  const t = translator(locale)
  const regions = regionsOf(ctx, undefined)
  const { n } = await db
    .selectFrom('contracts as c')
    .where('c.region_code', 'in', regions)
    .where(contractFilter(p.filter))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const total = Number(n)
  return {
    total,
    chunks: () =>
      chunked(
        total,
        (after, limit) =>
          db
            .selectFrom('contracts as c')
            .innerJoin('organisations as e', 'e.id', 'c.enterprise_org_id')
            .innerJoin('organisations as p', 'p.id', 'c.provider_org_id')
            .leftJoin('organisations as s', 's.id', 'c.supervisor_org_id')
            .where('c.region_code', 'in', regions)
            .where(contractFilter(p.filter))
            .where('c.id', '>', after)
            .select([
              'c.id',
              'c.title',
              'e.name as enterprise',
              'p.name as provider',
              'c.region_code',
              'c.amount_wan_x100',
              'c.status',
              's.name as supervisor',
              'c.start_date',
              'c.created_at',
            ])
            .orderBy('c.id')
            .limit(limit)
            .execute(),
        async (rows) =>
          rows.map((r) => [
            r.id,
            r.title,
            r.enterprise,
            r.provider,
            regionLabel(ref, r.region_code, locale),
            wanText(r.amount_wan_x100),
            t(`contracts.status.${r.status}` as MessageKey),
            r.supervisor ?? '',
            dateCell(r.start_date),
            day(r.created_at),
          ]),
      ),
  }
}

/** The sheet's headers in the task's language. */
export function exportHeaders(list: ExportList, locale: Locale) {
  const t = translator(locale)
  return EXPORT_COLUMNS[list].map((c) => ({ header: t(`spreadsheets.col.${list}.${c.key}` as MessageKey), width: c.width }))
}

/** Reference data and the jurisdiction, for the job. */
export async function exportContext(db: Database, agencyRegion: string, locale: Locale): Promise<ExportContext> {
  return { db, ref: await getReferenceData(db), agencyRegion, locale }
}
