import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import { parseGradientAnswers } from '../policy/facts.server.js'
import type { Facts } from '../policy/facts.js'

/*
 * The policy facts of many enterprises at once (the project pool's page, its export):
 * the same facts `enterpriseFacts` (policy/facts.server.ts) collects for one, in three
 * reads over the ids (primary key / org indexes), never one query per row. The
 * integration test compares both for the same enterprises.
 */

const PERCENT_FACTS = ['rd_tools_pct', 'equipment_nc_pct', 'key_process_nc_pct', 'mgmt_digital_pct', 'mes_coverage_pct'] as const

/** The most ids one `in (…)` list carries (SQLite allows 32 766 parameters, PostgreSQL 65 535). */
const CHUNK = 1000

function chunks<T>(xs: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK))
  return out
}

export async function enterpriseFactsBatch(db: Kysely<DB>, orgIds: readonly number[]): Promise<Map<number, Facts>> {
  const ids = [...new Set(orgIds)]
  const out = new Map<number, Facts>()
  if (!ids.length) return out
  const parts = await Promise.all(
    chunks(ids).map((part) =>
      Promise.all([
        db.selectFrom('enterprise_profiles').selectAll().where('org_id', 'in', part).execute(),
        // The latest sme_digital assessment per enterprise: the highest id of each.
        db
          .selectFrom('self_assessments as s')
          .select(['s.org_id', 's.level'])
          .where('s.org_id', 'in', part)
          .where('s.kind', '=', 'sme_digital')
          .where((eb) =>
            eb(
              's.id',
              '=',
              eb
                .selectFrom('self_assessments as s2')
                .select((e) => e.fn.max('s2.id').as('m'))
                .whereRef('s2.org_id', '=', 's.org_id')
                .where('s2.kind', '=', 'sme_digital'),
            ),
          )
          .execute(),
        db.selectFrom('gradient_answers').select(['org_id', 'answers']).where('org_id', 'in', part).execute(),
      ]),
    ),
  )
  const profiles = new Map<number, (typeof parts)[number][0][number]>()
  const levels = new Map<number, number>()
  const answers = new Map<number, string>()
  for (const [p, a, g] of parts) {
    for (const r of p) profiles.set(r.org_id, r)
    for (const r of a) levels.set(r.org_id, r.level)
    for (const r of g) answers.set(r.org_id, r.answers)
  }
  for (const id of ids) {
    const raw = answers.get(id)
    const facts: Facts = raw === undefined ? {} : parseGradientAnswers(raw)
    const profile = profiles.get(id)
    if (profile) {
      for (const k of PERCENT_FACTS) if (profile[k] !== null) facts[k] = Number(profile[k])
      if (profile.maturity_level !== null) facts.maturity_level = profile.maturity_level
      if (profile.size_band !== null) facts.is_sme = profile.size_band !== 'large'
    }
    // 中小企业数字化水平 counts for 中小微企业 only, as in enterpriseFacts.
    const level = levels.get(id)
    if (level !== undefined && facts.is_sme !== false) facts.sme_digital_level = level
    out.set(id, facts)
  }
  return out
}
