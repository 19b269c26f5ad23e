import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import type { SearchEngine } from '../../../search/engine.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import type { Actor } from '../accounts/actor.js'
import { auditActor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import type { ActingOrg } from '../accounts/actor.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { isInJurisdiction, jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData, regionLabel, type ReferenceData } from '../reference/reference.server.js'
import { loadNeedForMatching } from './data.server.js'
import type { PreviewRow, WeightsAdminPage, WeightsPreview } from './match-views.js'
import { candidatesForNeed } from './need-matches.server.js'
import { rankProviders } from './rank.js'
import { MATCH_FACTORS, type MatchWeights } from './types.js'
import { DEFAULT_WEIGHTS, weightsTotal } from './weights.js'
import { ZMatchWeights } from './weights-schema.js'
import { parseStoredWeights, weightsForRegion } from './weights.server.js'

/*
 * The matching weights of an agency's own region (/agency/matching): its owners and
 * reviewers (`tune:matching:jurisdiction`, target: the agency's region) read them, save
 * them (integers summing to 100, checked by ZMatchWeights; optimistic revision: a form
 * made on an older revision is refused, 409), reset them to what applies without them
 * (an ancestor region's row, else the defaults), and preview their effect on a need of
 * the jurisdiction: its top 10 under the weights in force beside the proposed ones.
 * Every save and reset is audited with the weights before and after.
 */

export const PREVIEW_TOP = 10
const RECENT_NEEDS = 10

export { ZMatchWeights } from './weights-schema.js'

function tuningAgency(actor: Actor, ref: ReferenceData): ActingOrg {
  const org = actor.org
  if (!org || org.kind !== 'agency') {
    throw new AppError('FORBIDDEN', 'errors.forbidden', { detail: { permission: 'tune:matching:jurisdiction' } })
  }
  return authorize(actor, ref, 'tune:matching:jurisdiction', { regionCode: org.regionCode })
}

const parseWeights = parseStoredWeights

/** Only the factors, as integers, in the catalogue's order (what is stored and audited). */
function canonical(w: MatchWeights): MatchWeights {
  return Object.fromEntries(MATCH_FACTORS.map((f) => [f, Math.round(w[f] ?? 0)])) as MatchWeights
}

/**
 * Checks proposed weights: each an integer 0–100 (ZMatchWeights), and their sum exactly
 * 100 (VALIDATION 'matching.v.weightsSum' with the sum, field `total`).
 */
export function checkWeights(input: Record<string, unknown>): MatchWeights {
  const sum = MATCH_FACTORS.reduce((s, f) => s + (Number.isFinite(Number(input[f])) ? Number(input[f]) : 0), 0)
  const parsed = ZMatchWeights.safeParse(input)
  if (parsed.success) return canonical(parsed.data)
  const fieldErrors: Record<string, 'matching.v.weight'> = {}
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '')
    if ((MATCH_FACTORS as readonly string[]).includes(field)) fieldErrors[field] = 'matching.v.weight'
  }
  if (Object.keys(fieldErrors).length > 0) {
    const count = Object.keys(fieldErrors).length
    throw count === 1
      ? new AppError('VALIDATION', 'errors.validationOne', { fieldErrors })
      : new AppError('VALIDATION', 'errors.validation', { fieldErrors, params: { count } })
  }
  throw new AppError('VALIDATION', 'matching.v.weightsSum', {
    params: { sum },
    fieldErrors: { total: 'matching.v.weightsSumField' },
  })
}

async function ownRow(db: Database, regionCode: string) {
  return db
    .selectFrom('matching_weights')
    .select(['region_code', 'weights', 'revision', 'updated_at'])
    .where('region_code', '=', regionCode)
    .executeTakeFirst()
}

/** The weights page: the weights in force for the agency's region, where they come from, and needs to preview them on. */
export async function getMatchingWeights(db: Database, actor: Actor, locale: Locale = DEFAULT_LOCALE): Promise<WeightsAdminPage> {
  const ref = await getReferenceData(db)
  const org = tuningAgency(actor, ref)
  const row = await ownRow(db, org.regionCode)
  const own = row ? parseWeights(row.weights) : null
  const inForce = own ? { weights: own, regionCode: org.regionCode } : await weightsForRegion(db, org.regionCode)
  const source: WeightsAdminPage['source'] = own ? 'own' : inForce.regionCode ? 'inherited' : 'defaults'
  const codes = jurisdictionCodes(ref, org.regionCode)
  const recent = await db
    .selectFrom('needs')
    .select(['id', 'title', 'region_code'])
    .where('status', '=', 'published')
    .$if(codes.length <= 500, (q) => q.where('region_code', 'in', codes))
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(codes.length <= 500 ? RECENT_NEEDS : RECENT_NEEDS * 5)
    .execute()
  return {
    regionCode: org.regionCode,
    regionName: regionLabel(ref, org.regionCode, locale),
    weights: inForce.weights,
    defaults: DEFAULT_WEIGHTS,
    revision: row?.revision ?? 0,
    source,
    inheritedFromName: source === 'inherited' && inForce.regionCode ? regionLabel(ref, inForce.regionCode, locale) : null,
    updatedAt: row?.updated_at ?? null,
    recentNeeds: recent
      .filter((n) => isInJurisdiction(ref, org.regionCode, n.region_code))
      .slice(0, RECENT_NEEDS)
      .map((n) => ({ id: n.id, title: n.title, regionName: regionLabel(ref, n.region_code, locale) })),
  }
}

const stale = () => new AppError('CONFLICT', 'matching.e.weightsStale', { fieldErrors: { revision: 'matching.e.weightsStale' } })

/** Saves the agency region's weights made on `revision` (0 = the region had none). */
export async function saveMatchingWeights(
  db: Database,
  actor: Actor,
  input: { weights: Record<string, unknown>; revision: number },
): Promise<{ revision: number }> {
  const ref = await getReferenceData(db)
  const org = tuningAgency(actor, ref)
  const weights = checkWeights(input.weights)
  const now = new Date().toISOString()
  try {
    return await withTransaction(db, async (trx) => {
      const row = await trx
        .selectFrom('matching_weights')
        .select(['weights', 'revision'])
        .where('region_code', '=', org.regionCode)
        .executeTakeFirst()
      if ((row?.revision ?? 0) !== input.revision) throw stale()
      const before = row ? parseWeights(row.weights) : (await weightsForRegion(trx, org.regionCode)).weights
      let revision: number
      if (row) {
        revision = row.revision + 1
        const updated = await trx
          .updateTable('matching_weights')
          .set({
            weights: JSON.stringify(weights),
            revision,
            agency_org_id: org.orgId,
            updated_by: actor.userId,
            updated_at: now,
          })
          .where('region_code', '=', org.regionCode)
          .where('revision', '=', input.revision)
          .executeTakeFirst()
        if (Number(updated.numUpdatedRows) !== 1) throw stale()
      } else {
        revision = 1
        await trx
          .insertInto('matching_weights')
          .values({
            region_code: org.regionCode,
            agency_org_id: org.orgId,
            weights: JSON.stringify(weights),
            revision,
            updated_by: actor.userId,
            updated_at: now,
          })
          .execute()
      }
      await recordAudit(trx, {
        ...auditActor(actor),
        regionCode: org.regionCode,
        action: 'matching.weights_updated',
        objectType: 'matching_weights',
        objectId: org.regionCode,
        detail: { before: before ?? null, after: weights, revision },
      })
      return { revision }
    })
  } catch (error) {
    // Two first saves at once: the second meets the first's row.
    if (uniqueViolation(error)) throw stale()
    throw error
  }
}

/** Removes the region's own weights (made on `revision`): an ancestor's row or the defaults apply again. */
export async function resetMatchingWeights(db: Database, actor: Actor, input: { revision: number }): Promise<void> {
  const ref = await getReferenceData(db)
  const org = tuningAgency(actor, ref)
  await withTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('matching_weights')
      .select(['weights', 'revision'])
      .where('region_code', '=', org.regionCode)
      .executeTakeFirst()
    if (!row) return
    if (row.revision !== input.revision) throw stale()
    await trx
      .deleteFrom('matching_weights')
      .where('region_code', '=', org.regionCode)
      .where('revision', '=', row.revision)
      .execute()
    const after = await weightsForRegion(trx, org.regionCode)
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: org.regionCode,
      action: 'matching.weights_reset',
      objectType: 'matching_weights',
      objectId: org.regionCode,
      detail: { before: parseWeights(row.weights), after: after.weights, revision: row.revision },
    })
  })
}

/**
 * The top 10 of a need of the jurisdiction under the weights in force for it and under
 * `proposed`, each proposed row with its rank under the weights in force (one engine
 * query, two rankings of the same candidates).
 */
export async function previewWeights(
  db: Database,
  search: SearchEngine,
  actor: Actor,
  needId: number,
  proposedInput: Record<string, unknown>,
): Promise<WeightsPreview> {
  const ref = await getReferenceData(db)
  const org = tuningAgency(actor, ref)
  const proposed = checkWeights(proposedInput)
  const row = await db.selectFrom('needs').select(['id', 'title', 'region_code']).where('id', '=', needId).executeTakeFirst()
  if (!row || !isInJurisdiction(ref, org.regionCode, row.region_code)) {
    throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { need: 'matching.v.previewNeed' } })
  }
  const need = await loadNeedForMatching(db, needId)
  if (!need) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { need: 'matching.v.previewNeed' } })
  const saved = await weightsForRegion(db, row.region_code)
  const candidates = await candidatesForNeed(db, search, need)
  const names = new Map(candidates.map((c) => [c.orgId, c.name]))
  const before = rankProviders(need, candidates, saved.weights).ranked
  const after = rankProviders(need, candidates, proposed).ranked
  const beforeRank = new Map(before.map((r, i) => [r.orgId, { rank: i + 1, score: r.score }]))
  const top = after.slice(0, PREVIEW_TOP)
  const savedTop = new Set(before.slice(0, PREVIEW_TOP).map((r) => r.orgId))
  const proposedRows: PreviewRow[] = top.map((r, i) => {
    const was = beforeRank.get(r.orgId)
    return {
      orgId: r.orgId,
      name: names.get(r.orgId) ?? '',
      rank: i + 1,
      score: r.score,
      savedRank: was?.rank ?? null,
      savedScore: was?.score ?? null,
      change: was ? was.rank - (i + 1) : null,
    }
  })
  return {
    needId: row.id,
    needTitle: row.title,
    saved: before
      .slice(0, PREVIEW_TOP)
      .map((r, i) => ({ orgId: r.orgId, name: names.get(r.orgId) ?? '', rank: i + 1, score: r.score })),
    proposed: proposedRows,
    entered: top.filter((r) => !savedTop.has(r.orgId)).length,
  }
}

export { weightsTotal }

/** The form's schema, for the route (zod stays out of the browser bundle). */
export { ZWeightsFormInput } from './pairing-schema.js'

/** The nine weight fields of a submitted form (checked by checkWeights in the use cases). */
export function weightsFromForm(form: FormData): Record<string, unknown> {
  return Object.fromEntries(MATCH_FACTORS.map((f) => [f, form.get(f) ?? '']))
}
