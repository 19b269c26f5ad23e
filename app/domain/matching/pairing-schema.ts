import { z } from 'zod'
import { zId, zPageParam } from '../shared/schema.js'

/*
 * The forms and queries of the need → providers pages (C1). Messages are catalogue keys.
 */

/** /needs/:id/matches?page=…; more pages than any ranking fills read as page 1. */
export const ZMatchesQuery = z.object({ page: zPageParam(1000) })

/** /provider/invitations?page=… */
export const ZInvitationsQuery = z.object({ page: zPageParam(10_000) })

const zFormPage = z
  .string()
  .optional()
  .transform((v) => {
    const n = Number(v)
    return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : 1
  })

/** 邀请投标 (checked providers) or 推荐对接 (one provider and a note) from the match list. */
export const ZPairingInput = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('invite'),
    page: zFormPage,
    // How many and which: the use case decides (1–10 per request, eligible providers).
    'providers[]': z.array(zId, { error: 'matching.v.pickProviders' }).optional().default([]),
  }),
  z.object({
    intent: z.literal('recommend'),
    page: zFormPage,
    provider: z
      .string({ error: 'matching.v.pickProvider' })
      .regex(/^[1-9]\d{0,9}$/, 'matching.v.pickProvider')
      .transform(Number),
    note: z
      .string()
      .optional()
      .default('')
      .transform((s) => s.trim())
      .pipe(z.string().max(500, 'matching.v.noteTooLong')),
  }),
])

const zRevision = z
  .string({ error: 'errors.invalid' })
  .regex(/^\d{1,9}$/, 'errors.invalid')
  .transform(Number)

const zOptionalId = z
  .string()
  .optional()
  .transform((v) => (v && /^[1-9]\d{0,9}$/.test(v.trim()) ? Number(v.trim()) : null))

/**
 * /agency/matching: save or preview the weights (the nine fields are read by
 * ZMatchWeights in the use case), or reset them. `need` is a need picked from the
 * list, `needId` one typed in (it wins).
 */
export const ZWeightsFormInput = z.object({
  intent: z.enum(['save', 'preview', 'reset'], { error: 'errors.invalid' }),
  revision: zRevision,
  need: zOptionalId,
  needId: zOptionalId,
})
