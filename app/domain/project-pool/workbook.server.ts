import type { Database } from '../../../db/connection.js'
import { DEFAULT_LOCALE, translator, type Locale } from '../../i18n/index.js'
import { reserve, type RateLimitRule } from '../../utils/rate-limit.server.js'
import type { Actor } from '../accounts/actor.js'
import { listWorkbook, xlsxDownload, type SheetSpec } from '../spreadsheets/workbook.server.js'
import { POOL_EXPORT_CAP, projectPoolForExport, type PoolProject } from './pool.server.js'
import type { TProjectPoolQuery } from './schema.js'
import { wanText } from '../../utils/format.js'

/** Exports per person: a workbook is up to POOL_EXPORT_CAP projects read and written in the request. */
export const POOL_EXPORT_LIMIT: RateLimitRule = { limit: 20, windowMs: 10 * 60_000 }

export function readinessText(r: PoolProject['readiness'], locale: Locale): string {
  const t = translator(locale)
  switch (r.kind) {
    case 'level':
      return t(`policy.level.${r.level}`)
    case 'unknown':
      return t('projectPool.readiness.unknown')
    case 'none':
      return t('projectPool.readiness.none')
    case 'no_rules':
      return t('projectPool.readiness.noRules')
  }
}

/** /agency/project-pool.xlsx: the summary per level and the projects of the current filter (capped, said so). */
export async function exportProjectPool(
  db: Database,
  actor: Actor,
  query: TProjectPoolQuery,
  today: string,
  locale: Locale = DEFAULT_LOCALE,
): Promise<Response> {
  const data = await projectPoolForExport(db, actor, query, today, locale)
  await reserve(db, [{ key: `project-pool-export:user:${actor.userId}`, rule: POOL_EXPORT_LIMIT }])
  const t = translator(locale)
  const title = t('projectPool.sheet.title', { region: data.regionName })
  const wan = (x100: number) => Number(wanText(x100))
  const sheets: SheetSpec[] = [
    {
      name: t('projectPool.sheet.summary'),
      title,
      columns: [
        { header: t('projectPool.col.level'), width: 16 },
        { header: t('projectPool.col.needs') },
        { header: t('projectPool.sheet.budgetMin'), width: 18 },
        { header: t('projectPool.sheet.budgetMax'), width: 18 },
        { header: t('projectPool.col.contracts') },
        { header: t('projectPool.col.contractAmount'), width: 18 },
      ],
      rows: data.levels.map((l) => [
        t(`level.${l.level}`),
        l.needs,
        l.budgetMinWan,
        l.budgetMaxWan,
        l.contracts,
        wan(l.contractAmountWanX100),
      ]),
    },
    {
      name: t('projectPool.sheet.projects'),
      title,
      columns: [
        { header: t('projectPool.col.project'), width: 36 },
        { header: t('projectPool.col.enterprise'), width: 28 },
        { header: t('projectPool.col.region'), width: 24 },
        { header: t('projectPool.col.level'), width: 14 },
        { header: t('projectPool.col.status'), width: 10 },
        { header: t('projectPool.sheet.budgetMin'), width: 16 },
        { header: t('projectPool.sheet.budgetMax'), width: 16 },
        { header: t('projectPool.col.contractAmount'), width: 16 },
        { header: t('projectPool.sheet.contract'), width: 12 },
        { header: t('projectPool.col.readiness'), width: 18 },
        { header: t('projectPool.col.published'), width: 12 },
      ],
      rows: data.items.map((p) => [
        p.title,
        p.enterprise,
        p.region,
        t(`level.${p.level}`),
        t(`needStatus.${p.status}`),
        p.budgetMinWan,
        p.budgetMaxWan,
        p.contract ? wan(p.contract.amountWanX100) : null,
        p.contract ? t(`contracts.status.${p.contract.status}`) : null,
        readinessText(p.readiness, locale),
        p.publishedAt ? p.publishedAt.slice(0, 10) : null,
      ]),
      notes: [
        t('projectPool.readiness.rule'),
        ...(data.total > data.items.length ? [t('projectPool.sheet.capped', { total: data.total, cap: POOL_EXPORT_CAP })] : []),
      ],
    },
  ]
  const body = await listWorkbook(sheets, { creator: t('projectPool.title') })
  return xlsxDownload(body, title, `project-pool-${today}`)
}
