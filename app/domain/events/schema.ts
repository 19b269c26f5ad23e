import { z } from 'zod'
import { EVENT_MODES, FOLLOWUP_OUTCOMES } from '../../../db/enums.js'
import { MAX_ID, zPageParam } from '../shared/schema.js'
import { EVENT_LIMITS } from './limits.js'

/*
 * The event forms (issue 15 §1): only these fields are read. Anything else a client
 * posts (stage, organiser, status, created_by …) is dropped by zod and changes nothing:
 * the organiser is the agency the actor acts for, the event the one in the URL.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/

function isDay(v: string): boolean {
  if (!DAY.test(v)) return false
  const d = new Date(`${v}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v
}

const zDay = (key: string) => z.string({ error: key }).trim().refine(isDay, key)

const zText = (max: number, key: string) => z.string({ error: key }).trim().max(max, key).default('')

const zIdField = (key: string) =>
  z
    .string({ error: key })
    .regex(/^[1-9]\d{0,9}$/, key)
    .transform(Number)
    .refine((n) => n <= MAX_ID, key)

/** A repeated field (`name[]`): trimmed, blanks dropped, each matching `pattern`, at most `max`, deduplicated. */
const zList = (pattern: RegExp, max: number, key: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: key })
    .default([])
    .transform((v) => [...new Set((Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter((s) => s !== ''))])
    .refine((v) => v.length <= max && v.every((s) => pattern.test(s)), key)

export const ZEventInput = z
  .object({
    title: z
      .string({ error: 'events.v.title' })
      .trim()
      .min(EVENT_LIMITS.titleMin, 'events.v.title')
      .max(EVENT_LIMITS.titleMax, 'events.v.title'),
    description: zText(EVENT_LIMITS.descriptionMax, 'events.v.description'),
    regionCode: z
      .string({ error: 'events.v.region' })
      .trim()
      .regex(/^[0-9A-Z]{6}$/, 'events.v.region'),
    mode: z.enum(EVENT_MODES, { error: 'events.v.mode' }),
    venue: zText(EVENT_LIMITS.venueMax, 'events.v.venue'),
    onlineUrl: zText(EVENT_LIMITS.onlineUrlMax, 'events.v.onlineUrl').refine(
      (v) => v === '' || /^https?:\/\/\S+$/.test(v),
      'events.v.onlineUrl',
    ),
    startsOn: zDay('events.v.startsOn'),
    endsOn: zDay('events.v.endsOn'),
    'industries[]': zList(/^[A-Z]\d{0,4}$/, EVENT_LIMITS.maxIndustries, 'events.v.industries'),
    enterpriseApplications: z
      .string()
      .optional()
      .transform((v) => v === '1' || v === 'on'),
  })
  .superRefine((v, ctx) => {
    if (v.endsOn < v.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'events.v.endsBeforeStart' })
    if ((v.mode === 'onsite' || v.mode === 'hybrid') && v.venue === '') {
      ctx.addIssue({ code: 'custom', path: ['venue'], message: 'events.v.venue' })
    }
  })
  .transform(({ 'industries[]': industries, ...rest }) => ({ ...rest, industries }))
export type EventInput = z.output<typeof ZEventInput>

export const ZRevision = z.object({
  revision: z
    .string({ error: 'events.e.stale' })
    .regex(/^[1-9]\d{0,8}$/, 'events.e.stale')
    .transform(Number),
})

/** The progress view's two decisions. */
export const ZStageInput = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('advance'), revision: ZRevision.shape.revision }),
    z.object({
      intent: z.literal('cancel'),
      revision: ZRevision.shape.revision,
      reason: z
        .string({ error: 'events.v.cancelReason' })
        .trim()
        .min(1, 'events.v.cancelReason')
        .max(EVENT_LIMITS.reasonMax, 'events.v.cancelReason'),
    }),
  ],
  { error: 'errors.badRequest' },
)
export type StageInput = z.output<typeof ZStageInput>

const zReason = (required: boolean) =>
  required
    ? z.string({ error: 'events.v.reason' }).trim().min(1, 'events.v.reason').max(EVENT_LIMITS.reasonMax, 'events.v.reason')
    : zText(EVENT_LIMITS.reasonMax, 'events.v.reason')

/** 需求发榜: the organiser's actions on the batch. */
export const ZBatchInput = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('add'), needId: zIdField('events.v.need') }),
    z.object({ intent: z.literal('remove'), needId: zIdField('events.v.need'), reason: zReason(false) }),
    z.object({ intent: z.literal('accept'), needId: zIdField('events.v.need') }),
    z.object({ intent: z.literal('reject'), needId: zIdField('events.v.need'), reason: zReason(true) }),
  ],
  { error: 'errors.badRequest' },
)
export type BatchInput = z.output<typeof ZBatchInput>

/** The candidates the organiser picks from: published needs of its jurisdiction. */
export const ZCandidateQuery = z.object({
  q: z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim().slice(0, EVENT_LIMITS.queryMax)),
  industry: z
    .string()
    .optional()
    .transform((v) => (v && /^[A-Z]\d{0,4}$/.test(v) ? v : '')),
  scenario: z
    .string()
    .optional()
    .transform((v) => (v && /^S\d{3}$/.test(v) ? v : '')),
  region: z
    .string()
    .optional()
    .transform((v) => (v && /^[0-9A-Z]{6}$/.test(v) ? v : '')),
  page: zPageParam(10_000),
})
export type CandidateQuery = z.output<typeof ZCandidateQuery>

export const ZPageQuery = z.object({ page: zPageParam(10_000) })

export const ZPublicEventsQuery = z.object({
  stage: z
    .string()
    .optional()
    .transform((v) => (v === 'open' || v === 'past' ? v : 'all')),
  page: zPageParam(10_000),
})
export type PublicEventsQuery = z.output<typeof ZPublicEventsQuery>

/** 服务商征集: the organiser's decision on a registration. */
export const ZRegistrationDecision = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('approve'), registrationId: zIdField('events.v.registration') }),
    z.object({ intent: z.literal('reject'), registrationId: zIdField('events.v.registration'), reason: zReason(true) }),
  ],
  { error: 'errors.badRequest' },
)
export type RegistrationDecision = z.output<typeof ZRegistrationDecision>

/** The public page's actions of participants. */
export const ZParticipantInput = z.discriminatedUnion(
  'intent',
  [
    z.object({
      intent: z.literal('register'),
      note: zText(EVENT_LIMITS.noteMax, 'events.v.note'),
      'needIds[]': zList(/^[1-9]\d{0,9}$/, EVENT_LIMITS.maxInterests, 'events.v.need'),
    }),
    z.object({ intent: z.literal('withdrawRegistration') }),
    z.object({ intent: z.literal('apply'), needId: zIdField('events.v.need') }),
    z.object({ intent: z.literal('withdrawApplication'), needId: zIdField('events.v.need') }),
  ],
  { error: 'errors.badRequest' },
)
export type ParticipantInput = z.output<typeof ZParticipantInput>

/** 意向签约 and 服务跟进 on the intents page. */
export const ZIntentsInput = z.discriminatedUnion(
  'intent',
  [
    z.object({
      intent: z.literal('record'),
      needId: zIdField('events.v.need'),
      providerOrgId: zIdField('events.v.provider'),
      amount: z
        .string({ error: 'events.v.amount' })
        .trim()
        .regex(/^\d{1,7}(\.\d{1,2})?$/, 'events.v.amount')
        .transform((v) => Math.round(Number(v) * 100))
        .refine((n) => n >= 1 && n <= EVENT_LIMITS.maxAmountWan * 100, 'events.v.amount'),
      signedOn: zDay('events.v.signedOn'),
      note: zText(EVENT_LIMITS.noteMax, 'events.v.note'),
    }),
    z.object({ intent: z.literal('strike'), intentId: zIdField('events.v.intentRow'), reason: zReason(true) }),
    z.object({
      intent: z.literal('followup'),
      followupId: zIdField('events.v.followup'),
      outcome: z.enum(FOLLOWUP_OUTCOMES, { error: 'events.v.outcome' }),
      note: zText(EVENT_LIMITS.noteMax, 'events.v.note'),
    }),
  ],
  { error: 'errors.badRequest' },
)
export type IntentsInput = z.output<typeof ZIntentsInput>
