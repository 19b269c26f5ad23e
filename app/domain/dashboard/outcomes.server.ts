import { sql, type Kysely } from 'kysely'
import type { ContractStatus, EventStage } from '../../../db/enums.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import type { Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { eventFor } from '../events/access.server.js'
import { addDays, chinaDate } from '../needs/lifecycle.server.js'
import { jurisdictionCodes } from '../reference/jurisdiction.js'
import { getReferenceData, regionLabel } from '../reference/reference.server.js'
import { dashboardRegion } from './dashboard.server.js'
import { chinaDayStart, CONTRACT_WINDOW_DAYS, yearOptions, type TOutcomesQuery } from './schema.js'

/*
 * Event outcomes (对接成效, issue 15 §3): what a matchmaking event led to, per event and
 * over time. For an event:
 * - needs: the batch's listed needs (event_needs.status 'listed');
 * - providers: providers whose registration was approved;
 * - meetings: the 1:1 meetings scheduled at the event (event_meetings 'scheduled'), and of
 *   those the ones where either side recorded 意向 as the outcome;
 * - intents: letters of intent not struck out, and their amounts;
 * - contracts: contracts on the batch's listed needs created from the event's first day
 *   until CONTRACT_WINDOW_DAYS (180) days after its last, and their amounts (any status:
 *   a draft is a contract being signed; the status is shown).
 * Per event: the organiser and every agency over the event's region (read:event:jurisdiction;
 * FORBIDDEN for others that see it, NOT_FOUND for a draft to non-agencies, as eventFor).
 * Over time: the events of the agency's jurisdiction (drafts and cancelled ones left out),
 * a page of 20 with each one's outcome, and the totals per year of the events' first day.
 * Every count is an aggregate over the events' ids (GROUP BY event_id), so a page costs
 * five queries whatever the events' sizes.
 */

export interface Outcome {
  needs: number
  providers: number
  meetings: number
  /** Scheduled meetings where either side recorded the outcome 意向 ('intent'). */
  meetingIntents: number
  intents: number
  intentAmountWanX100: number
  contracts: number
  contractAmountWanX100: number
}

const ZERO: Outcome = {
  needs: 0,
  providers: 0,
  meetings: 0,
  meetingIntents: 0,
  intents: 0,
  intentAmountWanX100: 0,
  contracts: 0,
  contractAmountWanX100: 0,
}

interface EventWindow {
  id: number
  starts_on: string
  ends_on: string
}

/** The instants a contract's created_at must lie within to count for the event (China days). */
export function contractWindow(event: Pick<EventWindow, 'starts_on' | 'ends_on'>): { from: string; to: string } {
  return { from: chinaDayStart(event.starts_on), to: chinaDayStart(addDays(event.ends_on, CONTRACT_WINDOW_DAYS + 1)) }
}

interface WindowContract {
  event_id: number
  id: number
  need_id: number
  provider_org_id: number
  status: ContractStatus
  amount_wan_x100: number
  created_at: string
}

/** The contracts on the listed needs of `events` within each event's window. */
async function windowContracts(db: Kysely<DB>, events: readonly EventWindow[]): Promise<WindowContract[]> {
  if (events.length === 0) return []
  const byId = new Map(events.map((e) => [e.id, contractWindow(e)]))
  const rows = await db
    .selectFrom('event_needs as en')
    .innerJoin('contracts as c', 'c.need_id', 'en.need_id')
    .where('en.event_id', 'in', [...byId.keys()])
    .where('en.status', '=', 'listed')
    .select(['en.event_id', 'c.id', 'c.need_id', 'c.provider_org_id', 'c.status', 'c.amount_wan_x100', 'c.created_at'])
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute()
  return rows.filter((r) => {
    const w = byId.get(r.event_id)!
    return r.created_at >= w.from && r.created_at < w.to
  })
}

/** Each event's outcome, by event id (every id present). */
export async function outcomesOf(db: Kysely<DB>, events: readonly EventWindow[]): Promise<Map<number, Outcome>> {
  const out = new Map<number, Outcome>(events.map((e) => [e.id, { ...ZERO }]))
  if (events.length === 0) return out
  const ids = events.map((e) => e.id)
  const [needs, providers, intents, contracts, meetings] = await Promise.all([
    db
      .selectFrom('event_needs')
      .where('event_id', 'in', ids)
      .where('status', '=', 'listed')
      .select(['event_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('event_id')
      .execute(),
    db
      .selectFrom('event_providers')
      .where('event_id', 'in', ids)
      .where('status', '=', 'approved')
      .select(['event_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('event_id')
      .execute(),
    db
      .selectFrom('event_intents')
      .where('event_id', 'in', ids)
      .where('withdrawn_at', 'is', null)
      .select(['event_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('amount_wan_x100').as('amount')])
      .groupBy('event_id')
      .execute(),
    windowContracts(db, events),
    meetingCounts(db, ids),
  ])
  for (const r of needs) out.get(r.event_id)!.needs = Number(r.n)
  for (const r of providers) out.get(r.event_id)!.providers = Number(r.n)
  for (const r of intents) {
    const o = out.get(r.event_id)!
    o.intents = Number(r.n)
    o.intentAmountWanX100 = Number(r.amount ?? 0)
  }
  for (const c of contracts) {
    const o = out.get(c.event_id)!
    o.contracts += 1
    o.contractAmountWanX100 += c.amount_wan_x100
  }
  for (const r of meetings) {
    const o = out.get(r.event_id)!
    o.meetings = Number(r.n)
    o.meetingIntents = Number(r.intents)
  }
  return out
}

/** Scheduled meetings per event, and of those the ones with an 意向 outcome from either side. */
function meetingCounts(db: Kysely<DB>, ids: readonly number[]) {
  return db
    .selectFrom('event_meetings as m')
    .where('m.event_id', 'in', ids)
    .where('m.status', '=', 'scheduled')
    .select([
      'm.event_id',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) =>
        eb.fn
          .count<number>(
            eb
              .case()
              .when(
                eb.exists(
                  eb
                    .selectFrom('event_meeting_outcomes as mo')
                    .select(sql`1`.as('one'))
                    .whereRef('mo.meeting_id', '=', 'm.id')
                    .where('mo.outcome', '=', 'intent'),
                ),
              )
              .then(1)
              .end(),
          )
          .as('intents'),
    ])
    .groupBy('m.event_id')
    .execute()
}

export function sumOutcomes(outcomes: Iterable<Outcome>): Outcome {
  const total = { ...ZERO }
  for (const o of outcomes) {
    for (const key of Object.keys(total) as (keyof Outcome)[]) total[key] += o[key]
  }
  return total
}

export interface OutcomeEvent {
  id: number
  title: string
  stage: EventStage
  startsOn: string
  endsOn: string
  regionName: string
  outcome: Outcome
}

export interface NeedOutcome {
  needId: number
  title: string
  enterpriseName: string
  intents: Array<{ providerName: string; amountWanX100: number; signedOn: string }>
  contracts: Array<{ id: number; providerName: string; amountWanX100: number; status: ContractStatus; createdAt: string }>
}

export interface EventOutcomes {
  event: OutcomeEvent & { windowEndsOn: string }
  needs: NeedOutcome[]
}

/** One event's outcome and, per listed need, its intents and its contracts within the window. */
export async function eventOutcomes(
  db: Kysely<DB>,
  actor: Actor,
  eventId: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<EventOutcomes> {
  const ref = await getReferenceData(db)
  const { event, role } = await eventFor(db, actor, eventId, ref)
  if (role !== 'organiser' && role !== 'agency') {
    authorize(actor, ref, 'read:event:jurisdiction', { regionCode: event.region_code })
  }
  const [outcomes, needRows, intentRows, contracts] = await Promise.all([
    outcomesOf(db, [event]),
    db
      .selectFrom('event_needs as en')
      .innerJoin('needs as n', 'n.id', 'en.need_id')
      .innerJoin('organisations as o', 'o.id', 'n.org_id')
      .where('en.event_id', '=', event.id)
      .where('en.status', '=', 'listed')
      .select(['n.id', 'n.title', 'o.name as enterprise'])
      .orderBy('en.id')
      .execute(),
    db
      .selectFrom('event_intents as i')
      .innerJoin('organisations as o', 'o.id', 'i.provider_org_id')
      .where('i.event_id', '=', event.id)
      .where('i.withdrawn_at', 'is', null)
      .select(['i.need_id', 'o.name as provider', 'i.amount_wan_x100', 'i.signed_on'])
      .orderBy('i.id')
      .execute(),
    windowContracts(db, [event]),
  ])
  const providerNames = new Map<number, string>()
  const providerIds = [...new Set(contracts.map((c) => c.provider_org_id))]
  if (providerIds.length) {
    for (const o of await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', providerIds).execute()) {
      providerNames.set(o.id, o.name)
    }
  }
  const needs = needRows.map((n) => ({
    needId: n.id,
    title: n.title,
    enterpriseName: n.enterprise,
    intents: intentRows
      .filter((i) => i.need_id === n.id)
      .map((i) => ({ providerName: i.provider, amountWanX100: i.amount_wan_x100, signedOn: i.signed_on })),
    contracts: contracts
      .filter((c) => c.need_id === n.id)
      .map((c) => ({
        id: c.id,
        providerName: providerNames.get(c.provider_org_id) ?? '',
        amountWanX100: c.amount_wan_x100,
        status: c.status,
        createdAt: c.created_at,
      })),
  }))
  return {
    event: {
      id: event.id,
      title: event.title,
      stage: event.stage,
      startsOn: event.starts_on,
      endsOn: event.ends_on,
      regionName: regionLabel(ref, event.region_code, locale),
      outcome: outcomes.get(event.id)!,
      windowEndsOn: addDays(event.ends_on, CONTRACT_WINDOW_DAYS),
    },
    needs,
  }
}

export interface OutcomesOverTime {
  year: number | null
  years: number[]
  /** Per year of the events' first day, oldest first, each with its events' outcome summed. */
  perYear: Array<{ year: number; events: number } & Outcome>
  /** The selected year's (or all years') events summed. */
  total: Outcome & { events: number }
  events: OutcomeEvent[]
  page: number
  pageCount: number
}

const PAGE_SIZE = 20

/** The outcomes of the events of the agency's jurisdiction: per year, and a page of events (newest first). */
export async function outcomesOverTime(
  db: Kysely<DB>,
  actor: Actor,
  query: TOutcomesQuery,
  locale: Locale = DEFAULT_LOCALE,
): Promise<OutcomesOverTime> {
  const ref = await getReferenceData(db)
  const agencyRegion = dashboardRegion(actor, ref)
  const codes = jurisdictionCodes(ref, agencyRegion)
  const all = await db
    .selectFrom('events')
    .where('region_code', 'in', codes)
    .where('stage', 'not in', ['draft', 'cancelled'])
    .select(['id', 'title', 'stage', 'starts_on', 'ends_on', 'region_code'])
    .orderBy('starts_on', 'desc')
    .orderBy('id', 'desc')
    .execute()
  const outcomes = await outcomesOf(db, all)
  const yearOf = (e: { starts_on: string }) => Number(e.starts_on.slice(0, 4))

  const perYearMap = new Map<number, { events: number; outcomes: Outcome[] }>()
  for (const e of all) {
    const entry = perYearMap.get(yearOf(e)) ?? { events: 0, outcomes: [] }
    entry.events += 1
    entry.outcomes.push(outcomes.get(e.id)!)
    perYearMap.set(yearOf(e), entry)
  }
  const perYear = [...perYearMap]
    .sort(([a], [b]) => a - b)
    .map(([year, entry]) => ({ year, events: entry.events, ...sumOutcomes(entry.outcomes) }))

  const year = query.year ?? null
  const selected = year === null ? all : all.filter((e) => yearOf(e) === year)
  const pageCount = Math.max(1, Math.ceil(selected.length / PAGE_SIZE))
  const page = Math.min(query.page, pageCount)
  const events = selected.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((e) => ({
    id: e.id,
    title: e.title,
    stage: e.stage,
    startsOn: e.starts_on,
    endsOn: e.ends_on,
    regionName: regionLabel(ref, e.region_code, locale),
    outcome: outcomes.get(e.id)!,
  }))
  return {
    year,
    years: yearOptions(Number(chinaDate().slice(0, 4))),
    perYear,
    total: { events: selected.length, ...sumOutcomes(selected.map((e) => outcomes.get(e.id)!)) },
    events,
    page,
    pageCount,
  }
}
