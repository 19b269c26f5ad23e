import type { ExpressionBuilder } from 'kysely'
import type { DB } from '../../../db/types.js'
import { PUBLIC_NEED_STATUSES, type NeedVisibility } from './schema.js'

type NeedsWithOrg = DB & { n: DB['needs']; o: DB['organisations'] }

/**
 * The one rule for which needs may be shown (pages, stats, the search index): once
 * published and not withdrawn or expired, of a visibility the viewer may see, from an
 * organisation that passed its onboarding audit. For queries over `needs as n`
 * joined to `organisations as o`.
 */
export function isVisibleNeed(visibilities: readonly NeedVisibility[]) {
  return (eb: ExpressionBuilder<NeedsWithOrg, 'n' | 'o'>) =>
    eb.and([eb('n.status', 'in', PUBLIC_NEED_STATUSES), eb('n.visibility', 'in', visibilities), eb('o.status', '=', 'verified')])
}
