import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import { translator, type Locale } from '../../i18n/index.js'
import { reserve, type RateLimitRule } from '../../utils/rate-limit.server.js'
import type { Actor } from '../accounts/actor.js'
import { getReferenceData, industryName } from '../reference/reference.server.js'
import { listWorkbook } from '../spreadsheets/workbook.server.js'
import { roundOfAgency } from './access.server.js'

/** Workbooks of a round a person may build in a window (429 past it). */
export const ROUND_EXPORT_LIMIT: RateLimitRule = { limit: 20, windowMs: 10 * 60_000 }
/** A round's applications in one workbook: at most this many rows. */
const ROUND_EXPORT_ROWS = 5_000

/**
 * A pool round as an Excel workbook (the agency's members): every application with its
 * status, reviews (reviewed / assigned, average, recommendations), open objections,
 * notice period and admission validity; quotas on a second sheet.
 */
export async function exportRound(db: Kysely<DB>, actor: Actor, roundId: number, locale: Locale) {
  const round = await roundOfAgency(db, actor, roundId, 'read')
  await reserve(db, [{ key: `pool-export:user:${actor.userId}`, rule: ROUND_EXPORT_LIMIT }])
  const t = translator(locale)
  const ref = await getReferenceData(db)
  const industry = (code: string) => `${code} ${industryName(ref, code, locale) ?? ''}`.trim()
  const rows = await db
    .selectFrom('pool_applications as a')
    .innerJoin('organisations as o', 'o.id', 'a.provider_org_id')
    .leftJoin('pool_memberships as m', 'm.application_id', 'a.id')
    .select([
      'a.id',
      'o.name',
      'o.uscc',
      'a.industry_code',
      'a.status',
      'a.notice_from',
      'a.notice_until',
      'a.reason',
      'm.valid_until',
      'm.status as member_status',
    ])
    .where('a.round_id', '=', roundId)
    .orderBy('a.id')
    .limit(ROUND_EXPORT_ROWS)
    .execute()
  const reviews = await db
    .selectFrom('pool_reviews as v')
    .innerJoin('pool_applications as a', 'a.id', 'v.application_id')
    .select(['v.application_id', 'v.score', 'v.recommend', 'v.reviewed_at', 'v.tie_declared_at'])
    .where('a.round_id', '=', roundId)
    .execute()
  const objections = await db
    .selectFrom('pool_objections as j')
    .innerJoin('pool_applications as a', 'a.id', 'j.application_id')
    .select(['j.application_id', 'j.status'])
    .where('a.round_id', '=', roundId)
    .execute()
  const quotas = await db.selectFrom('pool_quotas').selectAll().where('round_id', '=', roundId).orderBy('industry_code').execute()
  const bytes = await listWorkbook(
    [
      {
        name: t('pool.xlsx.sheet'),
        title: `${round.title}（${t(`providerKind.${round.category}`)}）`,
        columns: [
          { header: t('pool.app.provider'), width: 30 },
          { header: t('pool.xlsx.uscc'), width: 22 },
          { header: t('pool.app.industry'), width: 24 },
          { header: t('pool.app.status'), width: 12 },
          { header: t('pool.app.reviews'), width: 10 },
          { header: t('pool.app.average'), width: 10 },
          { header: t('pool.xlsx.recommended'), width: 10 },
          { header: t('pool.xlsx.objections'), width: 10 },
          { header: t('pool.app.noticePeriod'), width: 24 },
          { header: t('pool.member.validUntil'), width: 14 },
          { header: t('pool.app.reason'), width: 30 },
        ],
        rows: rows.map((r) => {
          const counted = reviews.filter((v) => v.application_id === r.id && v.tie_declared_at === null)
          const done = counted.filter((v) => v.reviewed_at !== null)
          const average = done.length ? Math.round((done.reduce((s, v) => s + (v.score ?? 0), 0) / done.length) * 10) / 10 : null
          return [
            r.name,
            r.uscc ?? '',
            industry(r.industry_code),
            t(`pool.status.${r.status}`),
            `${done.length}/${counted.length}`,
            average,
            done.filter((v) => v.recommend === 1).length,
            objections.filter((j) => j.application_id === r.id).length,
            r.notice_until ? t('pool.app.noticeRange', { from: String(r.notice_from), until: String(r.notice_until) }) : '',
            r.valid_until && r.member_status === 'active' ? String(r.valid_until) : '',
            r.reason,
          ]
        }),
      },
      {
        name: t('pool.round.quotas'),
        columns: [
          { header: t('pool.app.industry'), width: 30 },
          { header: t('pool.quota.quota'), width: 10 },
          { header: t('pool.round.admitted'), width: 10 },
        ],
        rows: quotas.map((q) => [industry(q.industry_code), q.quota, q.admitted]),
        notes: quotas.length ? [] : [t('pool.quota.none')],
      },
    ],
    { creator: 'Duijie' },
  )
  return { bytes, fileName: round.title, asciiFallback: `pool-round-${round.id}` }
}
