import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import { DEFAULT_LOCALE, translator, type Locale } from '../../i18n/index.js'
import { AppError } from '../../utils/errors.js'
import { reserve, type RateLimitRule } from '../../utils/rate-limit.server.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { chinaDate } from '../needs/lifecycle.server.js'
import { getReferenceData, industryName, regionLabel } from '../reference/reference.server.js'
import { listWorkbook, xlsxHeaders } from '../spreadsheets/workbook.server.js'
import { eventFor, eventToManage } from './access.server.js'
import { loadDetails } from './events.server.js'
import { contractOf, followupsOf, recordFollowup, writeFollowups } from './followups.server.js'
import { EVENT_LIMITS, FOLLOWUP_AFTER_DAYS } from './limits.js'
import type { IntentsInput } from './schema.js'
import { isOpen } from './stages.js'
import type { IntentsPage, IntentView } from './views.js'
import { wanText } from '../../utils/format.js'

/*
 * 意向签约 (issue 15 §1): the organiser records a letter of intent — a listed need of
 * the batch, an approved provider of the event, the amount (hundredths of 万元), the
 * date signed (not in the future) — once per need and provider (the table's unique
 * key is the last guard), or strikes one out with a reason. Writing one writes its
 * three follow-ups (followups.server.ts).
 */

function invalid(field: string, key: 'events.v.need' | 'events.v.provider' | 'events.v.signedOnFuture'): AppError {
  return new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { [field]: key } })
}

const intentExists = () => new AppError('CONFLICT', 'events.e.intentExists', { fieldErrors: { needId: 'events.e.intentExists' } })

export async function recordIntent(
  db: Database,
  actor: Actor,
  eventId: number,
  input: { needId: number; providerOrgId: number; amount: number; signedOn: string; note: string },
  now: Date = new Date(),
): Promise<{ intentId: number }> {
  try {
    return await withTransaction(db, async (trx) => {
      const event = await eventToManage(trx, actor, eventId, 'intents')
      const need = await trx
        .selectFrom('event_needs as en')
        .innerJoin('needs as n', 'n.id', 'en.need_id')
        .select(['n.id', 'n.title'])
        .where('en.event_id', '=', eventId)
        .where('en.need_id', '=', input.needId)
        .where('en.status', '=', 'listed')
        .executeTakeFirst()
      if (!need) throw invalid('needId', 'events.v.need')
      const provider = await trx
        .selectFrom('event_providers as ep')
        .innerJoin('organisations as o', 'o.id', 'ep.provider_org_id')
        .select(['o.id', 'o.name'])
        .where('ep.event_id', '=', eventId)
        .where('ep.provider_org_id', '=', input.providerOrgId)
        .where('ep.status', '=', 'approved')
        .executeTakeFirst()
      if (!provider) throw invalid('providerOrgId', 'events.v.provider')
      if (input.signedOn > chinaDate(now)) throw invalid('signedOn', 'events.v.signedOnFuture')
      const existing = await trx
        .selectFrom('event_intents')
        .select('id')
        .where('event_id', '=', eventId)
        .where('need_id', '=', input.needId)
        .where('provider_org_id', '=', input.providerOrgId)
        // One struck out does not count: it may be recorded again (event_intents_live_uq).
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst()
      if (existing) throw intentExists()
      const row = await trx
        .insertInto('event_intents')
        .values({
          event_id: eventId,
          need_id: input.needId,
          provider_org_id: input.providerOrgId,
          amount_wan_x100: input.amount,
          signed_on: input.signedOn,
          note: input.note,
          created_by: actor.userId,
          created_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await writeFollowups(trx, row.id, input.signedOn)
      await recordAudit(trx, {
        ...auditActor(actor),
        regionCode: event.region_code,
        action: 'event.intent_recorded',
        objectType: 'event',
        objectId: eventId,
        detail: { need: need.title, provider: provider.name, amount: wanText(input.amount), signedOn: input.signedOn },
      })
      return { intentId: row.id }
    })
  } catch (error) {
    // Two organisers recording the same intent at once: the unique key decides.
    if (uniqueViolation(error)) throw intentExists()
    throw error
  }
}

export async function strikeIntent(
  db: Database,
  actor: Actor,
  eventId: number,
  input: { intentId: number; reason: string },
  now: Date = new Date(),
): Promise<void> {
  await withTransaction(db, async (trx) => {
    const event = await eventToManage(trx, actor, eventId, 'intents')
    const row = await trx
      .selectFrom('event_intents')
      .select(['id', 'withdrawn_at', 'need_id', 'provider_org_id'])
      .where('id', '=', input.intentId)
      .where('event_id', '=', eventId)
      .executeTakeFirst()
    if (!row) throw new AppError('NOT_FOUND', 'events.e.intentNotFound')
    if (row.withdrawn_at !== null) throw new AppError('CONFLICT', 'events.e.intentWithdrawn')
    await trx
      .updateTable('event_intents')
      .set({ withdrawn_at: now.toISOString(), withdrawn_reason: input.reason })
      .where('id', '=', row.id)
      .where('withdrawn_at', 'is', null)
      .execute()
    await recordAudit(trx, {
      ...auditActor(actor),
      regionCode: event.region_code,
      action: 'event.intent_withdrawn',
      objectType: 'event',
      objectId: eventId,
      detail: { intentId: row.id, needId: row.need_id, providerOrgId: row.provider_org_id, reason: input.reason },
    })
  })
}

/** The intents page's actions, by intent. */
export async function actOnIntents(db: Database, actor: Actor, eventId: number, input: IntentsInput): Promise<void> {
  switch (input.intent) {
    case 'record':
      await recordIntent(db, actor, eventId, input)
      return
    case 'strike':
      return strikeIntent(db, actor, eventId, input)
    case 'followup':
      return recordFollowup(db, actor, eventId, input)
  }
}

export async function getIntentsPage(
  db: Database,
  actor: Actor,
  eventId: number,
  locale: Locale = DEFAULT_LOCALE,
  now: Date = new Date(),
): Promise<IntentsPage> {
  const ref = await getReferenceData(db)
  const { event, role } = await eventFor(db, actor, eventId, ref)
  if (role !== 'organiser' && role !== 'agency') authorize(actor, ref, 'manage:event:own', { orgId: event.organiser_org_id })
  const today = chinaDate(now)
  const rows = await db
    .selectFrom('event_intents as i')
    .innerJoin('needs as n', 'n.id', 'i.need_id')
    .innerJoin('organisations as e', 'e.id', 'n.org_id')
    .innerJoin('organisations as p', 'p.id', 'i.provider_org_id')
    .select([
      'i.id',
      'i.need_id',
      'i.provider_org_id',
      'i.amount_wan_x100',
      'i.signed_on',
      'i.note',
      'i.withdrawn_at',
      'i.withdrawn_reason',
      'n.title',
      'e.name as enterprise',
      'p.name as provider',
    ])
    .where('i.event_id', '=', eventId)
    .orderBy('i.id')
    .limit(EVENT_LIMITS.maxBatch * 5)
    .execute()
  const followups = await followupsOf(
    db,
    rows.map((r) => r.id),
    today,
  )
  const intents: IntentView[] = []
  for (const r of rows) {
    intents.push({
      id: r.id,
      needId: r.need_id,
      needTitle: r.title,
      enterprise: r.enterprise,
      providerOrgId: r.provider_org_id,
      provider: r.provider,
      amount: wanText(r.amount_wan_x100),
      signedOn: String(r.signed_on).slice(0, 10),
      note: r.note,
      withdrawn: r.withdrawn_at !== null,
      withdrawnReason: r.withdrawn_reason,
      contract: await contractOf(db, r.need_id, r.provider_org_id),
      followups: followups.get(r.id) ?? [],
    })
  }
  const due = intents
    .filter((i) => !i.withdrawn)
    .flatMap((i) =>
      i.followups
        .filter((f) => f.recordedAt === null)
        .map((f) => ({ ...f, intentId: i.id, needTitle: i.needTitle, provider: i.provider })),
    )
    .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.id - b.id))
  const mayManage = role === 'organiser'
  const mayRecord = mayManage && isOpen('intents', event.stage)
  const needOptions = mayRecord
    ? await db
        .selectFrom('event_needs as en')
        .innerJoin('needs as n', 'n.id', 'en.need_id')
        .select(['n.id', 'n.title'])
        .where('en.event_id', '=', eventId)
        .where('en.status', '=', 'listed')
        .orderBy('en.id')
        .execute()
    : []
  const providerOptions = mayRecord
    ? await db
        .selectFrom('event_providers as ep')
        .innerJoin('organisations as o', 'o.id', 'ep.provider_org_id')
        .select(['o.id', 'o.name'])
        .where('ep.event_id', '=', eventId)
        .where('ep.status', '=', 'approved')
        .orderBy('ep.id')
        .execute()
    : []
  return {
    event: await loadDetails(db, ref, event, locale),
    mayManage,
    mayRecord,
    mayFollowUp: mayManage && isOpen('followUps', event.stage),
    intents,
    due,
    needOptions: needOptions.map((n) => ({ id: n.id, title: n.title })),
    providerOptions: providerOptions.map((p) => ({ id: p.id, name: p.name })),
    today,
  }
}

/** Exports of an event's workbook per person: 20 in 10 minutes (429 past it). */
export const EVENT_EXPORT_LIMIT: RateLimitRule = { limit: 20, windowMs: 10 * 60_000 }

/**
 * /agency/events/:id.xlsx: the batch (listed needs and those put forward) and the
 * letters of intent with their follow-ups, in the reader's language, for the organiser
 * and agencies over the event.
 */
export async function exportEventWorkbook(
  db: Database,
  actor: Actor,
  eventId: number,
  locale: Locale = DEFAULT_LOCALE,
  now: Date = new Date(),
): Promise<{ body: Uint8Array<ArrayBuffer>; headers: Record<string, string> }> {
  const ref = await getReferenceData(db)
  const { event, role } = await eventFor(db, actor, eventId, ref)
  if (role !== 'organiser' && role !== 'agency') authorize(actor, ref, 'manage:event:own', { orgId: event.organiser_org_id })
  await reserve(db, [{ key: `event-export:user:${actor.userId}`, rule: EVENT_EXPORT_LIMIT }])
  const t = translator(locale)
  const page = await getIntentsPage(db, actor, eventId, locale, now)
  const batch = await db
    .selectFrom('event_needs as en')
    .innerJoin('needs as n', 'n.id', 'en.need_id')
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select([
      'n.id',
      'n.title',
      'o.name',
      'n.region_code',
      'n.industry_code',
      'n.budget_min_wan',
      'n.budget_max_wan',
      'en.source',
      'en.status',
      'en.reason',
    ])
    .where('en.event_id', '=', eventId)
    .where('en.status', 'in', ['listed', 'applied'])
    .orderBy('en.id')
    .execute()
  const title = `${event.title}`
  const body = await listWorkbook(
    [
      {
        name: t('events.xlsx.batchSheet'),
        title: t('events.xlsx.batchTitle', { title }),
        columns: [
          { header: t('events.xlsx.needId'), width: 10 },
          { header: t('events.col.need'), width: 36 },
          { header: t('events.col.enterprise'), width: 28 },
          { header: t('events.col.region'), width: 18 },
          { header: t('events.col.industry'), width: 20 },
          { header: t('events.xlsx.budget'), width: 14 },
          { header: t('events.col.source'), width: 12 },
          { header: t('events.col.status'), width: 12 },
        ],
        rows: batch.map((n) => [
          n.id,
          n.title,
          n.name,
          regionLabel(ref, n.region_code, locale),
          industryName(ref, n.industry_code, locale) ?? n.industry_code,
          `${n.budget_min_wan}–${n.budget_max_wan}`,
          t(`events.source.${n.source}`),
          t(`events.needStatus.${n.status}`),
        ]),
      },
      {
        name: t('events.xlsx.intentsSheet'),
        title: t('events.xlsx.intentsTitle', { title }),
        columns: [
          { header: t('events.col.need'), width: 36 },
          { header: t('events.col.enterprise'), width: 28 },
          { header: t('events.col.provider'), width: 28 },
          { header: t('events.xlsx.amount'), width: 14 },
          { header: t('events.col.signedOn'), width: 12 },
          { header: t('events.col.status'), width: 12 },
          ...FOLLOWUP_AFTER_DAYS.map((d) => ({ header: t('events.intents.afterDays', { n: d }), width: 16 })),
          { header: t('events.col.contract'), width: 14 },
        ],
        rows: page.intents.map((i) => [
          i.needTitle,
          i.enterprise,
          i.provider,
          i.amount,
          i.signedOn,
          i.withdrawn ? t('events.intents.struck') : t('events.intents.valid'),
          ...FOLLOWUP_AFTER_DAYS.map((d) => {
            const f = i.followups.find((x) => x.afterDays === d)
            return f?.outcome ? t(`events.outcome.${f.outcome}`) : f ? `${t('events.intents.pending')} (${f.dueOn})` : ''
          }),
          i.contract ? `#${i.contract.id} ${i.contract.status}` : '',
        ]),
      },
    ],
    { creator: t('events.xlsx.creator'), now },
  )
  return { body, headers: xlsxHeaders(body, t('events.xlsx.fileName', { id: eventId }), `event-${eventId}`) }
}
