import { z } from 'zod'
import type { Database } from '../../../db/connection.js'
import { uniqueViolation, withTransaction } from '../../../db/transaction.js'
import { AppError } from '../../utils/errors.js'
import { auditActor, type Actor } from '../accounts/actor.js'
import { authorize } from '../accounts/authorization.js'
import { parseLoginId } from '../accounts/schema.js'
import { recordAudit } from '../audit/audit-log.server.js'
import { getReferenceData } from '../reference/reference.server.js'

/*
 * An agency's 智能制造专家库 (issue 15 §1, 方案评选): experts are people with accounts. The
 * agency's owners and reviewers add one by the phone or e-mail of an existing account,
 * with a name, title, employer (the platform organisation of that name, when there is
 * one: a tie — the expert never judges it) and fields; deactivate (and reactivate) one.
 * A deactivated expert is offered for no new event; appointments stay as they were.
 */

export const EXPERTS_PER_PAGE = 20

const optionalText = (max: number, key: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .pipe(z.string().max(max, key))

export const ZExpertInput = z.object({
  login: z.string({ error: 'eventReview.v.login' }).trim().min(1, 'eventReview.v.login').max(120, 'eventReview.v.login'),
  name: z.string({ error: 'eventReview.v.name' }).trim().min(1, 'eventReview.v.name').max(60, 'eventReview.v.name'),
  title: optionalText(60, 'eventReview.v.title'),
  employer: optionalText(120, 'eventReview.v.employer'),
  employerOrg: optionalText(120, 'eventReview.v.employerOrg'),
  fields: optionalText(500, 'eventReview.v.fields'),
})
export type ExpertInput = z.infer<typeof ZExpertInput>

export const ZExpertsQuery = z.object({
  page: z
    .string()
    .optional()
    .transform((v) => {
      const n = Number(v)
      return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1
    }),
})

export interface ExpertView {
  id: number
  name: string
  title: string
  employer: string
  employerOrgName: string | null
  fields: string
  active: boolean
  /** The account's contact, partly masked. */
  contact: string
  appointments: number
}

export interface ExpertLibraryPage {
  agencyName: string
  experts: ExpertView[]
  page: number
  pageCount: number
  total: number
}

function agencyOf(actor: Actor, ref: Awaited<ReturnType<typeof getReferenceData>>) {
  if (!actor.org) throw new AppError('FORBIDDEN', 'errors.forbidden')
  return authorize(actor, ref, 'manage:experts:own', { orgId: actor.org.orgId })
}

export function maskContact(phone: string | null, email: string | null): string {
  if (phone) return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****'
  if (email) {
    const [local = '', domain = ''] = email.split('@')
    return `${local.slice(0, 1)}***@${domain}`
  }
  return '—'
}

export async function listExperts(db: Database, actor: Actor, page: number): Promise<ExpertLibraryPage> {
  const org = agencyOf(actor, await getReferenceData(db))
  const total = Number(
    (
      await db
        .selectFrom('experts')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('agency_org_id', '=', org.orgId)
        .executeTakeFirstOrThrow()
    ).n,
  )
  const pageCount = Math.max(1, Math.ceil(total / EXPERTS_PER_PAGE))
  const current = Math.min(page, pageCount)
  const rows = await db
    .selectFrom('experts as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .leftJoin('organisations as o', 'o.id', 'e.employer_org_id')
    .select((eb) => [
      'e.id',
      'e.name',
      'e.title',
      'e.employer',
      'e.fields',
      'e.active',
      'u.phone',
      'u.email',
      'o.name as employer_org_name',
      eb
        .selectFrom('event_experts')
        .select((x) => x.fn.countAll<string | number>().as('n'))
        .whereRef('event_experts.expert_id', '=', 'e.id')
        .as('appointments'),
    ])
    .where('e.agency_org_id', '=', org.orgId)
    .orderBy('e.active', 'desc')
    .orderBy('e.id', 'desc')
    .limit(EXPERTS_PER_PAGE)
    .offset((current - 1) * EXPERTS_PER_PAGE)
    .execute()
  return {
    agencyName: org.orgName,
    experts: rows.map((r) => ({
      id: r.id,
      name: r.name,
      title: r.title,
      employer: r.employer,
      employerOrgName: r.employer_org_name,
      fields: r.fields,
      active: r.active === 1,
      contact: maskContact(r.phone, r.email),
      appointments: Number(r.appointments ?? 0),
    })),
    page: current,
    pageCount,
    total,
  }
}

/** Adds an account to the agency's library (or reactivates it there with the new details). */
export async function addExpert(db: Database, actor: Actor, input: ExpertInput): Promise<number> {
  const org = agencyOf(actor, await getReferenceData(db))
  const login = parseLoginId(input.login)
  if (!login) throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { login: 'eventReview.v.login' } })
  try {
    return await withTransaction(db, async (trx) => {
      const user = await trx.selectFrom('users').select('id').where(login.kind, '=', login.value).executeTakeFirst()
      if (!user) {
        throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { login: 'eventReview.v.noAccount' } })
      }
      let employerOrgId: number | null = null
      if (input.employerOrg) {
        const employer = await trx
          .selectFrom('organisations')
          .select('id')
          .where('name', '=', input.employerOrg)
          .orderBy('id')
          .executeTakeFirst()
        if (!employer) {
          throw new AppError('VALIDATION', 'errors.validationOne', { fieldErrors: { employerOrg: 'eventReview.v.noOrg' } })
        }
        employerOrgId = employer.id
      }
      const details = {
        name: input.name,
        title: input.title,
        employer: input.employer || input.employerOrg,
        employer_org_id: employerOrgId,
        fields: input.fields,
      }
      const existing = await trx
        .selectFrom('experts')
        .select(['id', 'active'])
        .where('agency_org_id', '=', org.orgId)
        .where('user_id', '=', user.id)
        .executeTakeFirst()
      let id: number
      if (existing) {
        if (existing.active === 1) {
          throw new AppError('CONFLICT', 'eventReview.e.expertExists', { fieldErrors: { login: 'eventReview.e.expertExists' } })
        }
        await trx
          .updateTable('experts')
          .set({ ...details, active: 1 })
          .where('id', '=', existing.id)
          .execute()
        id = existing.id
      } else {
        const row = await trx
          .insertInto('experts')
          .values({
            agency_org_id: org.orgId,
            user_id: user.id,
            ...details,
            active: 1,
            created_by: actor.userId,
            created_at: new Date().toISOString(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        id = row.id
      }
      await recordAudit(trx, {
        action: 'expert.added',
        ...auditActor(actor),
        objectType: 'expert',
        objectId: id,
        detail: { name: input.name, employerOrgId },
      })
      return id
    })
  } catch (error) {
    if (uniqueViolation(error)) {
      throw new AppError('CONFLICT', 'eventReview.e.expertExists', { fieldErrors: { login: 'eventReview.e.expertExists' } })
    }
    throw error
  }
}

export const ZExpertIntent = z.object({ intent: z.enum(['add', 'active'], { error: 'errors.invalid' }) })

export const ZExpertActive = z.object({
  expertId: z
    .string()
    .regex(/^[1-9]\d{0,9}$/, 'errors.invalid')
    .transform(Number),
  active: z.enum(['0', '1'], { error: 'errors.invalid' }).transform((v): 0 | 1 => (v === '1' ? 1 : 0)),
})

/** Deactivates (or reactivates) an expert of the actor's agency: NOT_FOUND for anyone else's. */
export async function setExpertActive(db: Database, actor: Actor, input: z.infer<typeof ZExpertActive>): Promise<void> {
  const org = agencyOf(actor, await getReferenceData(db))
  await withTransaction(db, async (trx) => {
    const expert = await trx
      .selectFrom('experts')
      .select(['id', 'active', 'name'])
      .where('id', '=', input.expertId)
      .where('agency_org_id', '=', org.orgId)
      .executeTakeFirst()
    if (!expert) throw new AppError('NOT_FOUND', 'eventReview.e.expertNotFound')
    if (expert.active === input.active) return
    await trx.updateTable('experts').set({ active: input.active }).where('id', '=', expert.id).execute()
    await recordAudit(trx, {
      action: input.active === 1 ? 'expert.reactivated' : 'expert.deactivated',
      ...auditActor(actor),
      objectType: 'expert',
      objectId: expert.id,
      detail: { name: expert.name },
    })
  })
}

/** Is this person in any agency's 专家库 (active)? The header then links to their tasks (/expert). */
export async function isActiveExpert(db: Database, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('experts')
    .select('id')
    .where('user_id', '=', userId)
    .where('active', '=', 1)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}
