import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { EventProviderStatus } from '../../../db/enums.js'
import { withTransaction } from '../../../db/transaction.js'
import type { DB } from '../../../db/types.js'
import { DEFAULT_LOCALE, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize, can } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { loadTiers } from '../evaluation/tiers.server.js'
import { notify } from '../notifications/notify.server.js'
import { getReferenceData, industryName, regionLabel } from '../reference/reference.server.js'
import { isInJurisdiction } from '../reference/jurisdiction.js'
import { eventFor, eventToManage, requireOpen } from './access.server.js'
import { applyWithNeed, withdrawNeed } from './batch.server.js'
import { loadDetails, stepState } from './events.server.js'
import { EVENT_LIMITS } from './limits.js'
import type { ParticipantInput, RegistrationDecision } from './schema.js'
import { isOpen, WORKING_STAGES } from './stages.js'
import type { PublicEventPage, Registration, RegistrationsPage } from './views.js'

/*
 * 服务商征集 (issue 15 §1) and the public page of an event. A verified provider's member
 * registers its organisation (a note, the listed needs it is interested in — none: the
 * whole batch) while registration is open, or withdraws it; the organiser approves or
 * rejects (with a reason) and the provider is told. The public page shows the details,
 * the listed needs and the stages; a participant sees its own status there.
 */

type Db = Kysely<DB> | Transaction<DB>

async function listedNeedIds(db: Db, eventId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('event_needs')
    .select('need_id')
    .where('event_id', '=', eventId)
    .where('status', '=', 'listed')
    .execute()
  return new Set(rows.map((r) => r.need_id))
}

export async function getRegistrationsPage(
  db: Database,
  actor: Actor,
  eventId: number,
  page: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<RegistrationsPage> {
  const ref = await getReferenceData(db)
  const { event, role } = await eventFor(db, actor, eventId, ref)
  if (role !== 'organiser' && role !== 'agency') authorize(actor, ref, 'manage:event:own', { orgId: event.organiser_org_id })
  const statusCounts = await db
    .selectFrom('event_providers')
    .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('event_id', '=', eventId)
    .groupBy('status')
    .execute()
  const counts: Record<EventProviderStatus, number> = { applied: 0, approved: 0, rejected: 0, withdrawn: 0 }
  for (const c of statusCounts) counts[c.status] = Number(c.n)
  const total = counts.applied + counts.approved + counts.rejected + counts.withdrawn
  const size = EVENT_LIMITS.pageSize
  const pageCount = Math.max(1, Math.ceil(total / size))
  const current = Math.min(page, pageCount)
  // Waiting ones first, then by registration.
  const rows = await db
    .selectFrom('event_providers as ep')
    .innerJoin('organisations as o', 'o.id', 'ep.provider_org_id')
    .select(['ep.id', 'ep.provider_org_id', 'ep.status', 'ep.note', 'ep.reason', 'ep.created_at', 'o.name'])
    .where('ep.event_id', '=', eventId)
    .orderBy((eb) => eb.case().when('ep.status', '=', 'applied').then(0).else(1).end())
    .orderBy('ep.id')
    .limit(size)
    .offset((current - 1) * size)
    .execute()
  const interests = rows.length
    ? await db
        .selectFrom('event_provider_needs as pn')
        .innerJoin('needs as n', 'n.id', 'pn.need_id')
        .select(['pn.event_provider_id', 'n.id', 'n.title'])
        .where(
          'pn.event_provider_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('n.id')
        .execute()
    : []
  const registrations: Registration[] = rows.map((r) => ({
    id: r.id,
    providerOrgId: r.provider_org_id,
    provider: r.name,
    status: r.status,
    note: r.note,
    reason: r.reason,
    createdAt: String(r.created_at),
    needs: interests.filter((i) => i.event_provider_id === r.id).map((i) => ({ id: i.id, title: i.title })),
  }))
  return {
    event: await loadDetails(db, ref, event, locale),
    mayManage: role === 'organiser',
    mayDecide: role === 'organiser' && isOpen('registerProviders', event.stage),
    registrations,
    counts,
    page: current,
    pageCount,
    total,
  }
}

/** Approve or reject (with a reason) a provider's registration while registration is open; the provider is told. */
export async function decideRegistration(
  db: Database,
  actor: Actor,
  eventId: number,
  input: RegistrationDecision,
  now: Date = new Date(),
): Promise<void> {
  await withTransaction(db, async (trx, afterCommit) => {
    const event = await eventToManage(trx, actor, eventId, 'registerProviders')
    const row = await trx
      .selectFrom('event_providers as ep')
      .innerJoin('organisations as o', 'o.id', 'ep.provider_org_id')
      .select(['ep.id', 'ep.status', 'ep.provider_org_id', 'o.name'])
      .where('ep.id', '=', input.registrationId)
      .where('ep.event_id', '=', eventId)
      .executeTakeFirst()
    if (!row) throw new AppError('NOT_FOUND', 'events.e.registrationNotFound')
    const approve = input.intent === 'approve'
    // Applied ones are decided; an approved one may still be rejected (it is told why).
    if (row.status !== 'applied' && !(row.status === 'approved' && !approve)) {
      throw new AppError('CONFLICT', 'events.e.alreadyDecided')
    }
    if (approve) await refuseExcluded(trx, row.provider_org_id, now)
    const reason = input.intent === 'reject' ? input.reason : ''
    const status: EventProviderStatus = approve ? 'approved' : 'rejected'
    const updated = await trx
      .updateTable('event_providers')
      .set({ status, reason, decided_by: actor.userId, decided_at: now.toISOString() })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'events.e.alreadyDecided')
    await notify(db, trx, afterCommit, {
      kind: approve ? 'event_application_approved' : 'event_application_rejected',
      orgId: row.provider_org_id,
      params: { event: event.title, item: row.name, reason: reason || '—' },
      link: `/events/${eventId}`,
    })
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: event.region_code,
      action: 'event.registration_decided',
      objectType: 'event',
      objectId: eventId,
      detail: { provider: row.name, providerOrgId: row.provider_org_id, status, reason },
    })
  })
}

/**
 * 不再推荐 (seed 000 §四.4; DOMAIN §6): a provider an agency's published evaluation — or an
 * active 移出 sanction — puts in that tier takes no part in events, as it takes none in
 * matching (the same tier: app/domain/evaluation/tiers.server.ts).
 */
async function refuseExcluded(db: Kysely<DB>, providerOrgId: number, now: Date): Promise<void> {
  const tier = (await loadTiers(db, [providerOrgId], now)).get(providerOrgId)
  if (tier === 'excluded') throw new AppError('CONFLICT', 'events.e.providerExcluded')
}

function providerOnly(actor: Actor, ref: Awaited<ReturnType<typeof getReferenceData>>) {
  const org = authorize(actor, ref, 'join:event:role')
  if (org.kind !== 'provider') throw new AppError('FORBIDDEN', 'events.e.providersOnly')
  return org
}

/** 报名: a verified provider registers (or registers again after withdrawing) while registration is open. */
export async function registerProvider(
  db: Database,
  actor: Actor,
  eventId: number,
  input: { note: string; needIds: number[] },
  now: Date = new Date(),
): Promise<void> {
  const ref = await getReferenceData(db)
  const org = providerOnly(actor, ref)
  await withTransaction(db, async (trx) => {
    const { event } = await eventFor(trx, actor, eventId, ref)
    requireOpen(event, 'registerProviders')
    await refuseExcluded(trx, org.orgId, now)
    const listed = await listedNeedIds(trx, eventId)
    if (input.needIds.some((id) => !listed.has(id))) {
      throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { needIds: 'events.v.need' } })
    }
    const existing = await trx
      .selectFrom('event_providers')
      .select(['id', 'status'])
      .where('event_id', '=', eventId)
      .where('provider_org_id', '=', org.orgId)
      .executeTakeFirst()
    if (existing && existing.status !== 'withdrawn') throw new AppError('CONFLICT', 'events.e.alreadyRegistered')
    const at = now.toISOString()
    let id: number
    if (existing) {
      await trx
        .updateTable('event_providers')
        .set({
          status: 'applied',
          note: input.note,
          reason: '',
          created_by: actor.userId,
          created_at: at,
          decided_by: null,
          decided_at: null,
        })
        .where('id', '=', existing.id)
        .execute()
      await trx.deleteFrom('event_provider_needs').where('event_provider_id', '=', existing.id).execute()
      id = existing.id
    } else {
      id = (
        await trx
          .insertInto('event_providers')
          .values({
            event_id: eventId,
            provider_org_id: org.orgId,
            status: 'applied',
            note: input.note,
            created_by: actor.userId,
            created_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    }
    if (input.needIds.length > 0) {
      await trx
        .insertInto('event_provider_needs')
        .values(input.needIds.map((needId) => ({ event_provider_id: id, need_id: needId })))
        .execute()
    }
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: event.region_code,
      action: 'event.registered',
      objectType: 'event',
      objectId: eventId,
      detail: { needs: input.needIds.length },
    })
  })
}

/** The provider withdraws its registration (applied or approved) before the event closes. */
export async function withdrawRegistration(db: Database, actor: Actor, eventId: number, now: Date = new Date()): Promise<void> {
  const ref = await getReferenceData(db)
  const org = providerOnly(actor, ref)
  await withTransaction(db, async (trx) => {
    const { event } = await eventFor(trx, actor, eventId, ref)
    if (event.stage === 'closed' || event.stage === 'cancelled') throw new AppError('CONFLICT', 'events.e.stageClosed')
    const row = await trx
      .selectFrom('event_providers')
      .select(['id', 'status'])
      .where('event_id', '=', eventId)
      .where('provider_org_id', '=', org.orgId)
      .executeTakeFirst()
    if (!row || (row.status !== 'applied' && row.status !== 'approved')) throw new AppError('CONFLICT', 'events.e.notRegistered')
    await trx
      .updateTable('event_providers')
      .set({ status: 'withdrawn', decided_at: now.toISOString(), decided_by: actor.userId })
      .where('id', '=', row.id)
      .execute()
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: event.region_code,
      action: 'event.registration_withdrawn',
      objectType: 'event',
      objectId: eventId,
      detail: { was: row.status },
    })
  })
}

/** The public page's participant actions, by intent (one use case per intent). */
export async function actAsParticipant(db: Database, actor: Actor, eventId: number, input: ParticipantInput): Promise<void> {
  switch (input.intent) {
    case 'register':
      return registerProvider(db, actor, eventId, { note: input.note, needIds: input['needIds[]'].map(Number) })
    case 'withdrawRegistration':
      return withdrawRegistration(db, actor, eventId)
    case 'apply':
      return applyWithNeed(db, actor, eventId, input.needId)
    case 'withdrawApplication':
      return withdrawNeed(db, actor, eventId, input.needId)
  }
}

/** The public page of an event (published ones; a draft only for agencies). */
export async function getPublicEventPage(
  db: Database,
  actor: Actor | null,
  eventId: number,
  page: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<PublicEventPage> {
  const ref = await getReferenceData(db)
  const { event, role } = await eventFor(db, actor, eventId, ref)
  const steps = WORKING_STAGES.map((s) => ({ stage: s, state: stepState(event.stage, s) }))
  const listedBase = db
    .selectFrom('event_needs as en')
    .innerJoin('needs as n', 'n.id', 'en.need_id')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .where('en.event_id', '=', eventId)
    .where('en.status', '=', 'listed')
  const batchTotal = Number(
    (await listedBase.select((eb) => eb.fn.countAll<string | number>().as('c')).executeTakeFirstOrThrow()).c,
  )
  const size = EVENT_LIMITS.pageSize
  const batchPageCount = Math.max(1, Math.ceil(batchTotal / size))
  const batchPage = Math.min(page, batchPageCount)
  const batch = await listedBase
    .select(['n.id', 'n.title', 'n.region_code', 'n.industry_code', 'o.name'])
    .orderBy('en.id')
    .limit(size)
    .offset((batchPage - 1) * size)
    .execute()

  const org = actor?.org
  const joins = actor !== null && can(actor, ref, 'join:event:role')
  let enterprise: PublicEventPage['enterprise'] = null
  let provider: PublicEventPage['provider'] = null
  if (joins && org?.kind === 'enterprise') {
    const applications = await db
      .selectFrom('event_needs as en')
      .innerJoin('needs as n', 'n.id', 'en.need_id')
      .select(['n.id', 'n.title', 'en.status', 'en.source', 'en.reason'])
      .where('en.event_id', '=', eventId)
      .where('n.org_id', '=', org.orgId)
      .orderBy('en.id')
      .execute()
    const mayApply = event.enterprise_applications === 1 && isOpen('applyNeeds', event.stage)
    const taken = new Set(applications.filter((a) => a.status !== 'withdrawn').map((a) => a.id))
    const own = mayApply
      ? await db
          .selectFrom('needs')
          .select(['id', 'title', 'region_code'])
          .where('org_id', '=', org.orgId)
          .where('status', '=', 'published')
          .where('visibility', '=', 'public')
          .orderBy('id', 'desc')
          .limit(50)
          .execute()
      : []
    enterprise = {
      mayApply,
      applications: applications.map((a) => ({
        needId: a.id,
        title: a.title,
        status: a.status,
        source: a.source,
        reason: a.reason,
      })),
      candidates: own
        .filter((n) => !taken.has(n.id) && isInJurisdiction(ref, event.region_code, n.region_code))
        .map((n) => ({ needId: n.id, title: n.title })),
    }
  } else if (joins && org?.kind === 'provider') {
    const reg = await db
      .selectFrom('event_providers')
      .select(['id', 'status', 'note', 'reason'])
      .where('event_id', '=', eventId)
      .where('provider_org_id', '=', org.orgId)
      .executeTakeFirst()
    const interests = reg
      ? await db.selectFrom('event_provider_needs').select('need_id').where('event_provider_id', '=', reg.id).execute()
      : []
    const open = isOpen('registerProviders', event.stage)
    const listed = open
      ? await db
          .selectFrom('event_needs as en')
          .innerJoin('needs as n', 'n.id', 'en.need_id')
          .select(['n.id', 'n.title'])
          .where('en.event_id', '=', eventId)
          .where('en.status', '=', 'listed')
          .orderBy('en.id')
          .limit(EVENT_LIMITS.maxBatch)
          .execute()
      : []
    provider = {
      mayRegister: open && (!reg || reg.status === 'withdrawn'),
      registration: reg
        ? { status: reg.status, note: reg.note, reason: reg.reason, needIds: interests.map((i) => i.need_id) }
        : null,
      mayWithdraw:
        !!reg &&
        (reg.status === 'applied' || reg.status === 'approved') &&
        event.stage !== 'closed' &&
        event.stage !== 'cancelled',
      listed: listed.map((n) => ({ needId: n.id, title: n.title })),
    }
  }
  return {
    event: await loadDetails(db, ref, event, locale),
    role,
    steps,
    batch: batch.map((n) => ({
      needId: n.id,
      title: n.title,
      enterprise: n.name,
      regionName: regionLabel(ref, n.region_code, locale),
      industryName: industryName(ref, n.industry_code, locale) ?? n.industry_code,
    })),
    batchTotal,
    batchPage,
    batchPageCount,
    enterprise,
    provider,
    manageHref: role === 'organiser' || role === 'agency' ? `/agency/events/${eventId}` : null,
  }
}
