import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { EventNeedStatus } from '../../../db/enums.js'
import { withTransaction, type AfterCommit } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { notify } from '../notifications/notify.server.js'
import {
  getReferenceData,
  industryName,
  regionLabel,
  scenarioOptions,
  type ReferenceData,
} from '../reference/reference.server.js'
import { isInJurisdiction, narrowedJurisdiction } from '../reference/jurisdiction.js'
import { eventFor, eventToManage, requireOpen, type EventRow } from './access.server.js'
import { eventRegionOptions, loadDetails } from './events.server.js'
import { EVENT_LIMITS } from './limits.js'
import type { BatchInput, CandidateQuery } from './schema.js'
import { isOpen } from './stages.js'
import type { BatchNeed, BatchPage, CandidateNeed } from './views.js'

/*
 * 需求发榜 (issue 15 §1): the batch of an event. The organiser picks published, public
 * needs of the event's region and below (search and filters: words, industry, region,
 * scenario) — listed at once —, removes one (withdrawn, with an optional reason), and
 * decides enterprises' applications (accept → listed; reject with a reason, the
 * enterprise is told). An enterprise puts its own published need forward while
 * 需求发榜 is open and the event allows it, or withdraws it again.
 */

type Db = Kysely<DB> | Transaction<DB>

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function needError(key: 'events.v.need' | 'events.v.needNotEligible' | 'events.v.needOutside'): AppError {
  return new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { needId: key } })
}

/** A need the batch may hold: published, public, of a verified enterprise, in the event's region or below. */
async function eligibleNeed(db: Db, ref: ReferenceData, event: EventRow, needId: number) {
  const need = await db
    .selectFrom('needs as n')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select(['n.id', 'n.org_id', 'n.title', 'n.status', 'n.visibility', 'n.region_code', 'o.status as org_status'])
    .where('n.id', '=', needId)
    .executeTakeFirst()
  if (!need) throw needError('events.v.need')
  if (need.status !== 'published' || need.visibility !== 'public' || need.org_status !== 'verified') {
    throw needError('events.v.needNotEligible')
  }
  if (!isInJurisdiction(ref, event.region_code, need.region_code)) throw needError('events.v.needOutside')
  return need
}

async function batchRows(db: Db, ref: ReferenceData, eventId: number, locale: Locale): Promise<BatchNeed[]> {
  const rows = await db
    .selectFrom('event_needs as en')
    .innerJoin('needs as n', 'n.id', 'en.need_id')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select([
      'en.id',
      'en.need_id',
      'en.source',
      'en.status',
      'en.reason',
      'n.title',
      'n.region_code',
      'n.industry_code',
      'o.name as enterprise',
    ])
    .where('en.event_id', '=', eventId)
    .orderBy('en.id')
    .limit(EVENT_LIMITS.maxBatch * 2)
    .execute()
  // Interest: registrations (applied or approved) naming the need, plus those naming none (the whole batch).
  const active = await db
    .selectFrom('event_providers as ep')
    .select([
      'ep.id',
      (eb) =>
        eb
          .exists(eb.selectFrom('event_provider_needs as pn').select('pn.need_id').whereRef('pn.event_provider_id', '=', 'ep.id'))
          .as('named'),
    ])
    .where('ep.event_id', '=', eventId)
    .where('ep.status', 'in', ['applied', 'approved'])
    .execute()
  const whole = active.filter((a) => !a.named).length
  const named = await db
    .selectFrom('event_provider_needs as pn')
    .innerJoin('event_providers as ep', 'ep.id', 'pn.event_provider_id')
    .select(['pn.need_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('ep.event_id', '=', eventId)
    .where('ep.status', 'in', ['applied', 'approved'])
    .groupBy('pn.need_id')
    .execute()
  const namedBy = new Map(named.map((r) => [r.need_id, Number(r.n)]))
  return rows.map((r) => ({
    rowId: r.id,
    needId: r.need_id,
    title: r.title,
    enterprise: r.enterprise,
    regionName: regionLabel(ref, r.region_code, locale),
    industryName: industryName(ref, r.industry_code, locale) ?? r.industry_code,
    source: r.source,
    status: r.status,
    reason: r.reason,
    interested: r.status === 'listed' ? whole + (namedBy.get(r.need_id) ?? 0) : 0,
  }))
}

/** The organiser's 需求发榜 screen (agencies over the event read it). */
export async function getBatchPage(
  db: Database,
  actor: Actor,
  eventId: number,
  query: CandidateQuery,
  locale: Locale = DEFAULT_LOCALE,
): Promise<BatchPage> {
  const ref = await getReferenceData(db)
  const { event, role } = await eventFor(db, actor, eventId, ref)
  if (role !== 'organiser' && role !== 'agency') authorize(actor, ref, 'manage:event:own', { orgId: event.organiser_org_id })
  const rows = await batchRows(db, ref, eventId, locale)
  const inBatch = new Map(rows.map((r) => [r.needId, r.status]))
  const mayManage = role === 'organiser'
  const mayChange = mayManage && isOpen('selectNeeds', event.stage)

  const codes = narrowedJurisdiction(ref, event.region_code, query.region || undefined)
  let candidates: CandidateNeed[] = []
  let total = 0
  let current = 1
  let pageCount = 1
  if (mayChange && codes.length > 0) {
    let base = db
      .selectFrom('needs as n')
      .innerJoin('organisations as o', 'o.id', 'n.org_id')
      .where('n.status', '=', 'published')
      .where('n.visibility', '=', 'public')
      .where('o.status', '=', 'verified')
      .where('n.region_code', 'in', codes)
    if (query.industry) base = base.where('n.industry_code', 'like', `${query.industry}%`)
    if (query.scenario) {
      const scenario = query.scenario
      base = base.where((eb) =>
        eb.exists(
          eb
            .selectFrom('need_scenarios as s')
            .select('s.need_id')
            .whereRef('s.need_id', '=', 'n.id')
            .where('s.scenario_code', '=', scenario),
        ),
      )
    }
    if (query.q) base = base.where(sql<boolean>`n.title like ${likePattern(query.q)} escape '\\'`)
    total = Number((await base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n)
    const size = EVENT_LIMITS.pageSize
    pageCount = Math.max(1, Math.ceil(total / size))
    current = Math.min(query.page, pageCount)
    const found = await base
      .select([
        'n.id',
        'n.title',
        'n.region_code',
        'n.industry_code',
        'n.budget_min_wan',
        'n.budget_max_wan',
        'n.published_at',
        'o.name as enterprise',
      ])
      .orderBy('n.published_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(size)
      .offset((current - 1) * size)
      .execute()
    candidates = found.map((n) => ({
      needId: n.id,
      title: n.title,
      enterprise: n.enterprise,
      regionName: regionLabel(ref, n.region_code, locale),
      industryName: industryName(ref, n.industry_code, locale) ?? n.industry_code,
      budget: `${n.budget_min_wan}–${n.budget_max_wan}`,
      publishedAt: n.published_at === null ? null : String(n.published_at),
      inBatch: inBatch.get(n.id) ?? null,
    }))
  }
  return {
    event: await loadDetails(db, ref, event, locale),
    mayManage,
    mayChange,
    listed: rows.filter((r) => r.status === 'listed'),
    applied: rows.filter((r) => r.status === 'applied'),
    others: rows.filter((r) => r.status === 'rejected' || r.status === 'withdrawn'),
    candidates,
    candidatePage: current,
    candidatePageCount: pageCount,
    candidateTotal: total,
    filters: { q: query.q, industry: query.industry, scenario: query.scenario, region: query.region },
    industryOptions: ref.industries.map((i) => ({ code: i.code, name: industryName(ref, i.code, locale) ?? i.code })),
    scenarioOptions: scenarioOptions(ref, locale).map((s) => ({ code: s.code, name: s.name })),
    regionOptions: eventRegionOptions(ref, event.region_code, locale),
  }
}

async function listedCount(db: Db, eventId: number): Promise<number> {
  return Number(
    (
      await db
        .selectFrom('event_needs')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('event_id', '=', eventId)
        .where('status', 'in', ['listed', 'applied'])
        .executeTakeFirstOrThrow()
    ).n,
  )
}

async function tellEnterprise(
  db: Database,
  trx: Transaction<DB>,
  afterCommit: AfterCommit,
  event: EventRow,
  need: { org_id: number; title: string },
  approved: boolean,
  reason: string,
): Promise<void> {
  await notify(db, trx, afterCommit, {
    kind: approved ? 'event_application_approved' : 'event_application_rejected',
    orgId: need.org_id,
    params: { event: event.title, item: need.title, reason: reason || '—' },
    link: `/events/${event.id}`,
  })
}

/**
 * The organiser's actions on the batch, by intent: add (listed at once), remove
 * (withdrawn), accept or reject an enterprise's application. Only the fields of `input`
 * are read; `apply: false` checks and changes nothing.
 */
export async function changeBatch(
  db: Database,
  actor: Actor,
  eventId: number,
  input: BatchInput,
  { now = new Date() }: { now?: Date } = {},
): Promise<void> {
  const ref = await getReferenceData(db)
  await withTransaction(db, async (trx, afterCommit) => {
    const event = await eventToManage(trx, actor, eventId, 'selectNeeds')
    const at = now.toISOString()
    const row = await trx
      .selectFrom('event_needs')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('need_id', '=', input.needId)
      .executeTakeFirst()
    let status: EventNeedStatus
    if (input.intent === 'add') {
      await eligibleNeed(trx, ref, event, input.needId)
      if (row?.status === 'listed')
        throw new AppError('CONFLICT', 'events.e.alreadyListed', { fieldErrors: { needId: 'events.e.alreadyListed' } })
      if (!row && (await listedCount(trx, eventId)) >= EVENT_LIMITS.maxBatch) throw new AppError('CONFLICT', 'events.e.batchFull')
      status = 'listed'
      if (row) {
        await trx
          .updateTable('event_needs')
          .set({ status, reason: '', decided_by: actor.userId, decided_at: at })
          .where('id', '=', row.id)
          .execute()
      } else {
        await trx
          .insertInto('event_needs')
          .values({
            event_id: eventId,
            need_id: input.needId,
            source: 'agency',
            status,
            created_by: actor.userId,
            created_at: at,
            decided_by: actor.userId,
            decided_at: at,
          })
          .execute()
      }
    } else {
      if (!row) throw needError('events.v.need')
      if (input.intent === 'remove') {
        if (row.status !== 'listed' && row.status !== 'applied') throw new AppError('CONFLICT', 'events.e.notInBatch')
        status = 'withdrawn'
      } else {
        if (row.status !== 'applied') throw new AppError('CONFLICT', 'events.e.alreadyDecided')
        status = input.intent === 'accept' ? 'listed' : 'rejected'
      }
      const reason = input.intent === 'remove' || input.intent === 'reject' ? input.reason : ''
      await trx
        .updateTable('event_needs')
        .set({ status, reason, decided_by: actor.userId, decided_at: at })
        .where('id', '=', row.id)
        .where('status', '=', row.status)
        .execute()
      if (input.intent === 'accept' || input.intent === 'reject') {
        const need = await trx
          .selectFrom('needs')
          .select(['org_id', 'title'])
          .where('id', '=', input.needId)
          .executeTakeFirstOrThrow()
        await tellEnterprise(db, trx, afterCommit, event, need, input.intent === 'accept', reason)
      }
    }
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: event.region_code,
      action: 'event.batch_changed',
      objectType: 'event',
      objectId: eventId,
      detail: { needId: input.needId, intent: input.intent, status },
    })
  })
}

/**
 * An enterprise puts its own published need forward (需求发榜 open, the event allows
 * applications): a need of its own, public, in the event's region or below.
 */
export async function applyWithNeed(
  db: Database,
  actor: Actor,
  eventId: number,
  needId: number,
  now: Date = new Date(),
): Promise<void> {
  const ref = await getReferenceData(db)
  const org = authorize(actor, ref, 'join:event:role')
  if (org.kind !== 'enterprise') throw new AppError('FORBIDDEN', 'events.e.enterprisesOnly')
  await withTransaction(db, async (trx) => {
    const { event } = await eventFor(trx, actor, eventId, ref)
    requireOpen(event, 'applyNeeds')
    if (event.enterprise_applications !== 1) throw new AppError('CONFLICT', 'events.e.noApplications')
    const need = await eligibleNeed(trx, ref, event, needId)
    if (need.org_id !== org.orgId) throw needError('events.v.need')
    const row = await trx
      .selectFrom('event_needs')
      .select(['id', 'status', 'source'])
      .where('event_id', '=', eventId)
      .where('need_id', '=', needId)
      .executeTakeFirst()
    const at = now.toISOString()
    if (row && row.status !== 'withdrawn')
      throw new AppError('CONFLICT', 'events.e.alreadyApplied', { fieldErrors: { needId: 'events.e.alreadyApplied' } })
    if (!row && (await listedCount(trx, eventId)) >= EVENT_LIMITS.maxBatch) throw new AppError('CONFLICT', 'events.e.batchFull')
    if (row) {
      await trx
        .updateTable('event_needs')
        .set({
          status: 'applied',
          source: 'enterprise',
          reason: '',
          decided_by: null,
          decided_at: null,
          created_by: actor.userId,
          created_at: at,
        })
        .where('id', '=', row.id)
        .where('status', '=', 'withdrawn')
        .execute()
    } else {
      await trx
        .insertInto('event_needs')
        .values({
          event_id: eventId,
          need_id: needId,
          source: 'enterprise',
          status: 'applied',
          created_by: actor.userId,
          created_at: at,
        })
        .execute()
    }
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: event.region_code,
      action: 'event.need_applied',
      objectType: 'event',
      objectId: eventId,
      detail: { needId, title: need.title },
    })
  })
}

/** The enterprise takes its need out of the batch again (applied or listed) while 需求发榜 is open. */
export async function withdrawNeed(
  db: Database,
  actor: Actor,
  eventId: number,
  needId: number,
  now: Date = new Date(),
): Promise<void> {
  const ref = await getReferenceData(db)
  const org = authorize(actor, ref, 'join:event:role')
  if (org.kind !== 'enterprise') throw new AppError('FORBIDDEN', 'events.e.enterprisesOnly')
  await withTransaction(db, async (trx) => {
    const { event } = await eventFor(trx, actor, eventId, ref)
    requireOpen(event, 'applyNeeds')
    const row = await trx
      .selectFrom('event_needs as en')
      .innerJoin('needs as n', 'n.id', 'en.need_id')
      .select(['en.id', 'en.status'])
      .where('en.event_id', '=', eventId)
      .where('en.need_id', '=', needId)
      .where('n.org_id', '=', org.orgId)
      .executeTakeFirst()
    if (!row || (row.status !== 'applied' && row.status !== 'listed')) throw needError('events.v.need')
    await trx
      .updateTable('event_needs')
      .set({ status: 'withdrawn', decided_by: actor.userId, decided_at: now.toISOString() })
      .where('id', '=', row.id)
      .execute()
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: event.region_code,
      action: 'event.need_withdrawn',
      objectType: 'event',
      objectId: eventId,
      detail: { needId },
    })
  })
}
