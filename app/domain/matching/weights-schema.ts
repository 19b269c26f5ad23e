/**
 * The agency's weights form (issue 13, slice C1 uses it): each factor an integer 0–100,
 * the total exactly 100. Messages are catalogue keys (app/i18n/messages/matching-factors.ts);
 * the total's error carries the sum as the `sum` parameter and sits on the path `total`.
 */
import { z } from 'zod'
import { MATCH_FACTORS, type MatchFactor, type MatchWeights } from './types.js'
import { weightsTotal } from './weights.js'

/** One weight: a whole number 0–100, typed into a field (string) or given as a number. */
const zWeight = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*\d{1,3}\s*$/.test(v) ? Number(v.trim()) : v),
  z.number({ error: 'matching.v.weight' }).int('matching.v.weight').min(0, 'matching.v.weight').max(100, 'matching.v.weight'),
)

const shape = Object.fromEntries(MATCH_FACTORS.map((f) => [f, zWeight])) as Record<MatchFactor, typeof zWeight>

/** A full weights config: every factor, integers 0–100, total exactly 100. */
export const ZMatchWeights = z
  .object(shape)
  .transform((w): MatchWeights => w)
  .superRefine((w, ctx) => {
    const sum = weightsTotal(w)
    if (sum !== 100) {
      ctx.addIssue({ code: 'custom', path: ['total'], message: 'matching.v.weightsSum', params: { sum } })
    }
  })
