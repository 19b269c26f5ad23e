import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { EventStage } from '../../../db/enums.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import type { Locale } from '../../i18n/index.js'
import { DEFAULT_LOCALE } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { getReferenceData, industryName, regionLabel, type ReferenceData } from '../reference/reference.server.js'
import { isInJurisdiction, jurisdictionCodes } from '../reference/jurisdiction.js'
import { eventFor, eventToManage, type EventRow } from './access.server.js'
import { EVENT_LIMITS } from './limits.js'
import type { EventInput, PublicEventsQuery, StageInput } from './schema.js'
import { isOpen, mayCancel, nextStage, stageIndex, WORKING_STAGES } from './stages.js'
import type {
  AgencyEventsPage,
  EventDetails,
  EventListItem,
  ProgressPage,
  PublicEventsPage,
  StageStep,
  StepNote,
} from './views.js'

export {
  ZBatchInput,
  ZCandidateQuery,
  ZEventInput,
  ZIntentsInput,
  ZPageQuery,
  ZParticipantInput,
  ZPublicEventsQuery,
  ZRegistrationDecision,
  ZRevision,
  ZStageInput,
} from './schema.js'

/*
 * 供需对接会 (issue 15 §1; Zhejiang 2022 §三(三)): an agency's owner or reviewer creates
 * an event for a region of its jurisdiction, edits it while its details are open, moves
 * it one stage at a time (needs_call … follow_up → closed; leaving 需求发榜 needs a
 * listed need, leaving 服务商征集 an approved provider), or cancels it. The agency's list
 * shows its own events and those of its jurisdiction; the public list every published one.
 */

type Db = Kysely<DB> | Transaction<DB>

export function eventDetails(
  ref: ReferenceData,
  event: EventRow,
  organiserName: string,
  industries: string[],
  locale: Locale,
): EventDetails {
  return {
    id: event.id,
    title: event.title,
    description: event.description,
    regionCode: event.region_code,
    regionName: regionLabel(ref, event.region_code, locale),
    organiserName,
    mode: event.mode,
    venue: event.venue,
    onlineUrl: event.online_url,
    startsOn: String(event.starts_on).slice(0, 10),
    endsOn: String(event.ends_on).slice(0, 10),
    stage: event.stage,
    enterpriseApplications: event.enterprise_applications === 1,
    industries: industries.map((code) => ({ code, name: industryName(ref, code, locale) ?? code })),
    revision: event.revision,
  }
}

/** The event's details as pages show them (organiser's name, industries). */
export async function loadDetails(db: Db, ref: ReferenceData, event: EventRow, locale: Locale): Promise<EventDetails> {
  const org = await db.selectFrom('organisations').select('name').where('id', '=', event.organiser_org_id).executeTakeFirst()
  const industries = await db
    .selectFrom('event_industries')
    .select('industry_code')
    .where('event_id', '=', event.id)
    .orderBy('industry_code')
    .execute()
  return eventDetails(
    ref,
    event,
    org?.name ?? '',
    industries.map((i) => i.industry_code),
    locale,
  )
}

function invalid(field: string, key: 'events.v.region' | 'events.v.industries' | 'events.v.endsOn'): AppError {
  return new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { [field]: key } })
}

/** The form's input checked against reference data: a region of the agency's jurisdiction, known industries. */
function checkInput(ref: ReferenceData, agencyRegion: string, input: EventInput): void {
  if (!ref.regionsByCode.has(input.regionCode) || !isInJurisdiction(ref, agencyRegion, input.regionCode)) {
    throw invalid('regionCode', 'events.v.region')
  }
  if (input.industries.some((code) => !ref.industriesByCode.has(code))) throw invalid('industries', 'events.v.industries')
  const days = (Date.parse(input.endsOn) - Date.parse(input.startsOn)) / 86_400_000
  if (days > EVENT_LIMITS.maxDurationDays) throw invalid('endsOn', 'events.v.endsOn')
}

const flagOf = (on: boolean): 0 | 1 => (on ? 1 : 0)

function eventValues(input: EventInput) {
  return {
    title: input.title,
    description: input.description,
    region_code: input.regionCode,
    mode: input.mode,
    venue: input.venue,
    online_url: input.onlineUrl,
    starts_on: input.startsOn,
    ends_on: input.endsOn,
    enterprise_applications: flagOf(input.enterpriseApplications),
  }
}

/** 新建对接会: a draft organised by the actor's agency (its owners and reviewers). */
export async function createEvent(
  db: Database,
  actor: Actor,
  input: EventInput,
  now: Date = new Date(),
): Promise<{ eventId: number }> {
  const ref = await getReferenceData(db)
  const org = authorize(actor, ref, 'manage:event:own', { orgId: actor.org?.orgId ?? 0 })
  checkInput(ref, org.regionCode, input)
  return withTransaction(db, async (trx) => {
    const at = now.toISOString()
    const row = await trx
      .insertInto('events')
      .values({
        ...eventValues(input),
        organiser_org_id: org.orgId,
        stage: 'draft',
        created_by: actor.userId,
        created_at: at,
        updated_at: at,
        stage_changed_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (input.industries.length > 0) {
      await trx
        .insertInto('event_industries')
        .values(input.industries.map((code) => ({ event_id: row.id, industry_code: code })))
        .execute()
    }
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: input.regionCode,
      action: 'event.created',
      objectType: 'event',
      objectId: row.id,
      detail: { title: input.title, startsOn: input.startsOn, endsOn: input.endsOn },
    })
    return { eventId: row.id }
  })
}

export interface EventEditPage {
  event: EventDetails
  mayEdit: boolean
  regionOptions: Array<{ code: string; name: string }>
  industryOptions: Array<{ code: string; name: string }>
}

/** The regions an agency may hold an event for: its own and those right below it. */
export function eventRegionOptions(
  ref: ReferenceData,
  agencyRegion: string,
  locale: Locale,
): Array<{ code: string; name: string }> {
  const own = ref.regionsByCode.get(agencyRegion)
  const below = ref.childrenByCode.get(agencyRegion) ?? []
  return [...(own ? [own] : []), ...below].map((r) => ({ code: r.code, name: regionLabel(ref, r.code, locale) }))
}

export async function newEventForm(db: Database, actor: Actor, locale: Locale = DEFAULT_LOCALE) {
  const ref = await getReferenceData(db)
  const org = authorize(actor, ref, 'manage:event:own', { orgId: actor.org?.orgId ?? 0 })
  return {
    regionOptions: eventRegionOptions(ref, org.regionCode, locale),
    industryOptions: ref.industries.map((i) => ({ code: i.code, name: industryName(ref, i.code, locale) ?? i.code })),
    defaultRegion: org.regionCode,
  }
}

export async function getEventForEdit(
  db: Database,
  actor: Actor,
  eventId: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<EventEditPage> {
  const ref = await getReferenceData(db)
  const event = await eventToManage(db, actor, eventId)
  const organiserRegion = (
    await db.selectFrom('organisations').select('region_code').where('id', '=', event.organiser_org_id).executeTakeFirstOrThrow()
  ).region_code
  return {
    event: await loadDetails(db, ref, event, locale),
    mayEdit: isOpen('editDetails', event.stage),
    regionOptions: eventRegionOptions(ref, organiserRegion, locale),
    industryOptions: ref.industries.map((i) => ({ code: i.code, name: industryName(ref, i.code, locale) ?? i.code })),
  }
}

function staleIf(event: EventRow, revision: number): void {
  if (event.revision !== revision) {
    throw new AppError('CONFLICT', 'events.e.stale', { fieldErrors: { revision: 'events.e.stale' } })
  }
}

/** 编辑: title, dates, venue … while the details are open (draft, 需求发榜, 服务商征集); a stale form is refused. */
export async function updateEvent(
  db: Database,
  actor: Actor,
  eventId: number,
  input: EventInput & { revision: number },
  now: Date = new Date(),
): Promise<void> {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx) => {
    const event = await eventToManage(trx, actor, eventId, 'editDetails')
    staleIf(event, input.revision)
    const organiser = await trx
      .selectFrom('organisations')
      .select('region_code')
      .where('id', '=', event.organiser_org_id)
      .executeTakeFirstOrThrow()
    checkInput(ref, organiser.region_code, input)
    const updated = await trx
      .updateTable('events')
      .set({ ...eventValues(input), revision: event.revision + 1, updated_at: now.toISOString() })
      .where('id', '=', eventId)
      .where('revision', '=', input.revision)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1)
      throw new AppError('CONFLICT', 'events.e.stale', { fieldErrors: { revision: 'events.e.stale' } })
    await trx.deleteFrom('event_industries').where('event_id', '=', eventId).execute()
    if (input.industries.length > 0) {
      await trx
        .insertInto('event_industries')
        .values(input.industries.map((code) => ({ event_id: eventId, industry_code: code })))
        .execute()
    }
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: input.regionCode,
      action: 'event.updated',
      objectType: 'event',
      objectId: eventId,
      detail: { title: input.title, startsOn: input.startsOn, endsOn: input.endsOn },
    })
  })
}

interface StageCounts {
  listedNeeds: number
  appliedNeeds: number
  approvedProviders: number
  appliedProviders: number
  bids: number
  experts: number
  intents: number
  followupsRecorded: number
  followupsDue: number
}

async function count(q: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }): Promise<number> {
  return Number((await q.executeTakeFirstOrThrow()).n)
}

async function stageCounts(db: Db, eventId: number, today: string): Promise<StageCounts> {
  const needs = await db
    .selectFrom('event_needs')
    .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('event_id', '=', eventId)
    .groupBy('status')
    .execute()
  const providers = await db
    .selectFrom('event_providers')
    .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('event_id', '=', eventId)
    .groupBy('status')
    .execute()
  const by = (rows: Array<{ status: string; n: string | number }>, status: string) =>
    Number(rows.find((r) => r.status === status)?.n ?? 0)
  const bids = await count(
    db
      .selectFrom('bids as b')
      .innerJoin('event_needs as en', 'en.need_id', 'b.need_id')
      .innerJoin('event_providers as ep', (j) =>
        j.onRef('ep.event_id', '=', 'en.event_id').onRef('ep.provider_org_id', '=', 'b.provider_org_id'),
      )
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('en.event_id', '=', eventId)
      .where('en.status', '=', 'listed')
      .where('ep.status', '=', 'approved')
      .where('b.status', '!=', 'withdrawn'),
  )
  const experts = await count(
    db
      .selectFrom('event_experts')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('event_id', '=', eventId),
  )
  const intents = await count(
    db
      .selectFrom('event_intents')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('event_id', '=', eventId)
      .where('withdrawn_at', 'is', null),
  )
  const followups = db
    .selectFrom('event_followups as f')
    .innerJoin('event_intents as i', 'i.id', 'f.intent_id')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('i.event_id', '=', eventId)
    .where('i.withdrawn_at', 'is', null)
  return {
    listedNeeds: by(needs, 'listed'),
    appliedNeeds: by(needs, 'applied'),
    approvedProviders: by(providers, 'approved'),
    appliedProviders: by(providers, 'applied'),
    bids,
    experts,
    intents,
    followupsRecorded: await count(followups.where('f.recorded_at', 'is not', null)),
    followupsDue: await count(followups.where('f.recorded_at', 'is', null).where('f.due_on', '<=', today)),
  }
}

/** What keeps the event from entering the stage after `stage` (null: nothing). */
function blocker(stage: EventStage, c: StageCounts): StepNote | null {
  if (stage === 'needs_call' && c.listedNeeds === 0) return 'events.todo.noNeeds'
  if (stage === 'provider_call' && c.approvedProviders === 0) return 'events.todo.noProviders'
  return null
}

/** A working stage's state in an event at `stage`: passed, the current one, or still to come (all, once cancelled). */
export function stepState(stage: EventStage, step: EventStage): 'done' | 'current' | 'todo' {
  const i = stageIndex(step)
  const current = stageIndex(stage)
  return stage === 'cancelled' ? 'todo' : i < current ? 'done' : i === current ? 'current' : 'todo'
}

function stepsOf(eventId: number, stage: EventStage, c: StageCounts): StageStep[] {
  const base = `/agency/events/${eventId}`
  return WORKING_STAGES.map((s): StageStep => {
    const step: StageStep = { stage: s, state: stepState(stage, s), counts: [], notes: [], links: [] }
    switch (s) {
      case 'needs_call':
        step.counts.push({ key: 'events.count.listedNeeds', n: c.listedNeeds })
        if (c.listedNeeds === 0) step.notes.push({ key: 'events.todo.noNeeds', n: 0 })
        if (c.appliedNeeds > 0) step.notes.push({ key: 'events.todo.needApplications', n: c.appliedNeeds })
        step.links.push({ href: `${base}/needs`, key: 'events.link.needs' })
        break
      case 'provider_call':
        step.counts.push({ key: 'events.count.approvedProviders', n: c.approvedProviders })
        if (c.approvedProviders === 0) step.notes.push({ key: 'events.todo.noProviders', n: 0 })
        if (c.appliedProviders > 0) step.notes.push({ key: 'events.todo.providerApplications', n: c.appliedProviders })
        step.links.push({ href: `${base}/providers`, key: 'events.link.providers' })
        break
      case 'site_visits':
        step.links.push({ href: `${base}/visits`, key: 'events.link.visits' })
        step.links.push({ href: `${base}/meetings`, key: 'events.link.meetings' })
        break
      case 'proposal_review':
        step.counts.push({ key: 'events.count.bids', n: c.bids }, { key: 'events.count.experts', n: c.experts })
        if (c.bids === 0) step.notes.push({ key: 'events.todo.noBids', n: 0 })
        if (c.experts === 0) step.notes.push({ key: 'events.todo.noExperts', n: 0 })
        step.links.push({ href: `${base}/review`, key: 'events.link.review' })
        break
      case 'intents':
        step.counts.push({ key: 'events.count.intents', n: c.intents })
        if (c.intents === 0) step.notes.push({ key: 'events.todo.noIntents', n: 0 })
        step.links.push({ href: `${base}/intents`, key: 'events.link.intents' })
        break
      case 'follow_up':
        step.counts.push({ key: 'events.count.followupsRecorded', n: c.followupsRecorded })
        if (c.followupsDue > 0) step.notes.push({ key: 'events.todo.followupsDue', n: c.followupsDue })
        step.links.push({ href: `${base}/intents#followups`, key: 'events.link.followups' })
        step.links.push({ href: `${base}/outcomes`, key: 'events.link.outcomes' })
        break
    }
    return step
  })
}

/** The organiser's progress view (agencies over the event read it). */
export async function getProgress(
  db: Database,
  actor: Actor,
  eventId: number,
  locale: Locale = DEFAULT_LOCALE,
  now: Date = new Date(),
): Promise<ProgressPage> {
  const ref = await getReferenceData(db)
  const { event, role } = await eventFor(db, actor, eventId, ref)
  if (role !== 'organiser' && role !== 'agency') authorize(actor, ref, 'manage:event:own', { orgId: event.organiser_org_id })
  const c = await stageCounts(db, eventId, now.toISOString().slice(0, 10))
  const mayManage = role === 'organiser'
  return {
    event: await loadDetails(db, ref, event, locale),
    role,
    mayManage,
    steps: stepsOf(eventId, event.stage, c),
    next: nextStage(event.stage),
    blockedBy: blocker(event.stage, c),
    mayCancel: mayManage && mayCancel(event.stage),
    mayEdit: mayManage && isOpen('editDetails', event.stage),
  }
}

/**
 * 进入下一阶段 / 取消: one stage forward (never back; leaving 需求发榜 needs a listed need,
 * leaving 服务商征集 an approved provider), or cancelled with a reason. `apply: false`
 * checks everything and changes nothing (the confirm step without scripts).
 */
export async function changeStage(
  db: Database,
  actor: Actor,
  eventId: number,
  input: StageInput,
  { apply = true, now = new Date() }: { apply?: boolean; now?: Date } = {},
): Promise<{ stage: EventStage }> {
  return withTransaction(db, async (trx) => {
    const event = await eventToManage(trx, actor, eventId)
    staleIf(event, input.revision)
    let target: EventStage
    if (input.intent === 'advance') {
      const next = nextStage(event.stage)
      if (!next) throw new AppError('CONFLICT', 'events.e.noNextStage')
      const blockedBy = blocker(event.stage, await stageCounts(trx, eventId, now.toISOString().slice(0, 10)))
      if (blockedBy) throw new AppError('CONFLICT', blockedBy)
      target = next
    } else {
      if (!mayCancel(event.stage)) throw new AppError('CONFLICT', 'events.e.noCancel')
      target = 'cancelled'
    }
    if (!apply) return { stage: target }
    const at = now.toISOString()
    const updated = await trx
      .updateTable('events')
      .set({ stage: target, stage_changed_at: at, updated_at: at, revision: event.revision + 1 })
      .where('id', '=', eventId)
      .where('revision', '=', event.revision)
      .where('stage', '=', event.stage)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1)
      throw new AppError('CONFLICT', 'events.e.stale', { fieldErrors: { revision: 'events.e.stale' } })
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: event.region_code,
      action: input.intent === 'advance' ? 'event.stage_advanced' : 'event.cancelled',
      objectType: 'event',
      objectId: eventId,
      detail: { from: event.stage, to: target, ...(input.intent === 'cancel' ? { reason: input.reason } : {}) },
    })
    return { stage: target }
  })
}

async function listItems(
  db: Db,
  ref: ReferenceData,
  rows: EventRow[],
  ownOrgId: number | null,
  locale: Locale,
): Promise<EventListItem[]> {
  const ids = rows.map((r) => r.id)
  const needCounts = ids.length
    ? await db
        .selectFrom('event_needs')
        .select(['event_id', 'status', (eb) => eb.fn.countAll<string | number>().as('n')])
        .where('event_id', 'in', ids)
        .where('status', 'in', ['listed', 'applied'])
        .groupBy(['event_id', 'status'])
        .execute()
    : []
  const providerCounts = ids.length
    ? await db
        .selectFrom('event_providers')
        .select(['event_id', 'status', (eb) => eb.fn.countAll<string | number>().as('n')])
        .where('event_id', 'in', ids)
        .where('status', 'in', ['approved', 'applied'])
        .groupBy(['event_id', 'status'])
        .execute()
    : []
  const n = (list: Array<{ event_id: number; status: string; n: string | number }>, id: number, status: string) =>
    Number(list.find((r) => r.event_id === id && r.status === status)?.n ?? 0)
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    stage: r.stage,
    regionName: regionLabel(ref, r.region_code, locale),
    mode: r.mode,
    startsOn: String(r.starts_on).slice(0, 10),
    endsOn: String(r.ends_on).slice(0, 10),
    listedNeeds: n(needCounts, r.id, 'listed'),
    approvedProviders: n(providerCounts, r.id, 'approved'),
    pending: n(needCounts, r.id, 'applied') + n(providerCounts, r.id, 'applied'),
    own: ownOrgId === r.organiser_org_id,
  }))
}

/** 对接会 of an agency: those it organises and those of its jurisdiction (any verified member reads). */
export async function listAgencyEvents(
  db: Database,
  actor: Actor,
  page: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<AgencyEventsPage> {
  const ref = await getReferenceData(db)
  const org = authorize(actor, ref, 'read:event:jurisdiction', { regionCode: actor.org?.regionCode ?? '' })
  const codes = jurisdictionCodes(ref, org.regionCode)
  const base = db
    .selectFrom('events')
    .where((eb) => eb.or([eb('organiser_org_id', '=', org.orgId), eb('region_code', 'in', codes)]))
  const total = Number((await base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n)
  const size = EVENT_LIMITS.pageSize
  const pageCount = Math.max(1, Math.ceil(total / size))
  const current = Math.min(page, pageCount)
  const rows = await base
    .selectAll()
    .orderBy('starts_on', 'desc')
    .orderBy('id', 'desc')
    .limit(size)
    .offset((current - 1) * size)
    .execute()
  return {
    events: await listItems(db, ref, rows, org.orgId, locale),
    page: current,
    pageCount,
    total,
    mayCreate: can(actor, ref, 'manage:event:own', { orgId: org.orgId }),
  }
}

/** 对接会 open to everyone: published events (cancelled ones too), newest first. */
export async function listPublicEvents(
  db: Database,
  query: PublicEventsQuery,
  locale: Locale = DEFAULT_LOCALE,
): Promise<PublicEventsPage> {
  const ref = await getReferenceData(db)
  let base = db.selectFrom('events').where('stage', '!=', 'draft')
  if (query.stage === 'open') base = base.where('stage', 'not in', ['closed', 'cancelled'])
  if (query.stage === 'past') base = base.where('stage', 'in', ['closed', 'cancelled'])
  const total = Number((await base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n)
  const size = EVENT_LIMITS.pageSize
  const pageCount = Math.max(1, Math.ceil(total / size))
  const current = Math.min(query.page, pageCount)
  const rows = await base
    .selectAll()
    .orderBy('starts_on', 'desc')
    .orderBy('id', 'desc')
    .limit(size)
    .offset((current - 1) * size)
    .execute()
  return { events: await listItems(db, ref, rows, null, locale), page: current, pageCount, total, stage: query.stage }
}
