import type { Database } from '../../../db/connection.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { estimateMeasures } from '../policy/measures.js'
import { rulesForRegion } from '../policy/region-rules.server.js'
import { getReferenceData } from '../reference/reference.server.js'
import type { NeedEstimate } from './views.js'

/*
 * 补助测算 of a need (issue 16 §4): the subsidy measures of the need's region that pay a
 * share of a project's investment (扬州: ≥ 2000万 → 13 %, ≤ 600万), each with the rule
 * applied. The investment is assumed: the need's budget ceiling unless the enterprise
 * tries another figure. An estimate, never a decision; an expired policy is shown marked.
 */

/** The estimate for the acting enterprise's own need; NOT_FOUND for another's. */
export async function estimateForNeed(
  db: Database,
  actor: Actor,
  needId: number,
  investmentWan: number | null,
  today: string,
): Promise<NeedEstimate> {
  const ref = await getReferenceData(db)
  const need = await db
    .selectFrom('needs')
    .select(['id', 'org_id', 'region_code', 'budget_max_wan'])
    .where('id', '=', needId)
    .executeTakeFirst()
  if (!need || actor.org?.orgId !== need.org_id) throw new AppError('NOT_FOUND', 'errors.notFound')
  authorize(actor, ref, 'edit:enterprise-archive:own', { orgId: need.org_id })
  const budgetMaxWan = Number(need.budget_max_wan)
  const assumed = investmentWan ?? budgetMaxWan
  const rules = rulesForRegion(ref, need.region_code, today)
  const sets = rules.measures
    .map((set) => ({
      ruleSet: {
        id: set.id,
        name: set.name,
        document: set.document,
        issuer: set.issuer,
        validUntil: set.valid_until,
        expired: rules.expired.includes(set.id),
      },
      measures: estimateMeasures(set, 'project_investment', assumed),
    }))
    .filter((s) => s.measures.length > 0)
  return { investmentWan: assumed, budgetMaxWan, sets }
}
