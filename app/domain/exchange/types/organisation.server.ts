import type { Kysely } from 'kysely'
import type { DB, Organisation } from '../../../../db/types.js'
import { recordAudit } from '../../audit/audit-log.server.js'
import type { ReferenceData } from '../../reference/reference.server.js'
import type { CrossCheck, ExchangeType, IdSpace, ImportOptions, WriteContext } from '../exchange-type.server.js'
import { unknownCode } from '../exchange-type.server.js'
import type { ExchangeIssue } from '../issues.js'
import { ZOrganisationV1, type TOrganisationV1 } from '../schemas/organisation.v1.js'

export const ORGANISATION = 'organisation'
const CHUNK = 500

export const organisationSpace: IdSpace = {
  name: ORGANISATION,
  table: 'organisations',
  exportPrefix: 'org',
  async loadFacts(db, ids) {
    const out = new Map<number, { kind: string }>()
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await db
        .selectFrom('organisations')
        .select(['id', 'kind'])
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute()
      for (const r of rows) out.set(r.id, { kind: r.kind })
    }
    return out
  },
}

const LEVEL_OF_REGION = { province: 'province', city: 'city', county: 'county', zone: 'county' } as const

type OrgRow = Pick<
  Organisation,
  | 'id'
  | 'kind'
  | 'name'
  | 'uscc'
  | 'region_code'
  | 'industry_code'
  | 'provider_kinds'
  | 'agency_level'
  | 'contact_name'
  | 'contact_phone'
  | 'description'
  | 'status'
  | 'revision'
>

const ORG_COLUMNS = [
  'id',
  'kind',
  'name',
  'uscc',
  'region_code',
  'industry_code',
  'provider_kinds',
  'agency_level',
  'contact_name',
  'contact_phone',
  'description',
  'status',
  'revision',
] as const

/** What an agency reviews (a change sends the organisation back to review), as columns. */
function registrationColumns(o: TOrganisationV1) {
  return {
    name: o.name,
    uscc: o.uscc,
    region_code: o.regionCode,
    industry_code: o.industryCode,
    provider_kinds: JSON.stringify(o.providerKinds),
    agency_level: o.agencyLevel,
  }
}

function contactColumns(o: TOrganisationV1) {
  return { contact_name: o.contact.name, contact_phone: o.contact.phone, description: o.description }
}

/** The columns of `wanted` whose value differs from the row's (JSON lists compared as lists). */
function changedColumns(row: OrgRow, wanted: Record<string, string | null>): string[] {
  return Object.entries(wanted)
    .filter(([column, value]) => {
      const current = (row as unknown as Record<string, string | null>)[column] ?? null
      if (column === 'provider_kinds') return JSON.stringify(JSON.parse(current ?? '[]')) !== value
      return current !== value
    })
    .map(([column]) => column)
}

async function loadRows(db: Kysely<DB>, ids: readonly number[]): Promise<Map<number, OrgRow>> {
  const out = new Map<number, OrgRow>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('organisations')
      .select(ORG_COLUMNS)
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute()
    for (const r of rows) out.set(r.id, r)
  }
  return out
}

/**
 * The organisation an unmapped line stands for, if it is already here: the one of its
 * name (names are unique) when kind and credit code agree, else the verified one of its
 * kind holding its credit code (one legal entity, renamed). Such a line adopts the row
 * (its external id is mapped to it) instead of creating a duplicate.
 */
function adoptable(o: TOrganisationV1, byName: OrgRow | undefined, byUscc: OrgRow | undefined): OrgRow | undefined {
  if (byName && byName.kind === o.kind && (byName.uscc ?? null) === o.uscc) return byName
  if (byUscc && byUscc.kind === o.kind) return byUscc
  return undefined
}

async function rowsByNameAndUscc(
  db: Kysely<DB>,
  names: readonly string[],
  usccs: readonly string[],
): Promise<{ byName: Map<string, OrgRow>; byUscc: Map<string, OrgRow> }> {
  const byName = new Map<string, OrgRow>()
  const byUscc = new Map<string, OrgRow>()
  const uniqueNames = [...new Set(names)]
  for (let i = 0; i < uniqueNames.length; i += CHUNK) {
    const rows = await db
      .selectFrom('organisations')
      .select(ORG_COLUMNS)
      .where('name', 'in', uniqueNames.slice(i, i + CHUNK))
      .execute()
    for (const r of rows) byName.set(r.name, r)
  }
  const uniqueUsccs = [...new Set(usccs)]
  for (let i = 0; i < uniqueUsccs.length; i += CHUNK) {
    const rows = await db
      .selectFrom('organisations')
      .select(ORG_COLUMNS)
      .where('uscc', 'in', uniqueUsccs.slice(i, i + CHUNK))
      .where('status', '=', 'verified')
      .execute()
    for (const r of rows) if (r.uscc) byUscc.set(r.uscc, r)
  }
  return { byName, byUscc }
}

interface Seen {
  line: number
  record: TOrganisationV1
}

function organisationCrossCheck(options: ImportOptions): CrossCheck<TOrganisationV1> {
  const lines: Seen[] = []
  const names = new Map<string, number>()
  const verifiedUsccs = new Map<string, number>()
  return {
    add(record, line) {
      const issues: ExchangeIssue[] = []
      const nameLine = names.get(record.name)
      if (nameLine !== undefined) issues.push({ line, path: ['name'], key: 'exchange.v.nameInFile', params: { line: nameLine } })
      else names.set(record.name, line)
      if (record.uscc && record.status === 'verified' && options.markVerified) {
        const usccLine = verifiedUsccs.get(record.uscc)
        if (usccLine !== undefined) {
          issues.push({ line, path: ['uscc'], key: 'exchange.v.usccInFile', params: { line: usccLine } })
        } else verifiedUsccs.set(record.uscc, line)
      }
      lines.push({ line, record })
      return issues
    },
    async finish(db, ids) {
      const issues: ExchangeIssue[] = []
      await ids.load(
        ORGANISATION,
        lines.map((l) => l.record.externalId),
        db,
      )
      const mapped = await loadRows(
        db,
        lines.map((l) => ids.get(ORGANISATION, l.record.externalId)).filter((id): id is number => id !== undefined),
      )
      const { byName, byUscc } = await rowsByNameAndUscc(
        db,
        lines.map((l) => l.record.name),
        lines.flatMap((l) => (l.record.uscc ? [l.record.uscc] : [])),
      )
      const targets = new Map<number, number>()
      for (const { line, record } of lines) {
        const mappedId = ids.get(ORGANISATION, record.externalId)
        const row =
          mappedId !== undefined
            ? mapped.get(mappedId)
            : adoptable(record, byName.get(record.name), record.uscc ? byUscc.get(record.uscc) : undefined)
        if (row && row.kind !== record.kind) {
          issues.push({ line, path: ['kind'], key: 'exchange.v.kindChanged', params: { id: row.id } })
          continue
        }
        if (row) {
          const earlier = targets.get(row.id)
          if (earlier !== undefined) {
            issues.push({ line, path: ['externalId'], key: 'exchange.v.sameOrganisation', params: { line: earlier, id: row.id } })
          } else targets.set(row.id, line)
        }
        const named = byName.get(record.name)
        if (named && named.id !== row?.id)
          issues.push({ line, path: ['name'], key: 'exchange.v.nameTaken', params: { id: named.id } })
        const wantVerified = options.markVerified && record.status === 'verified'
        const holder = record.uscc ? byUscc.get(record.uscc) : undefined
        if (wantVerified && holder && holder.id !== row?.id) {
          issues.push({ line, path: ['uscc'], key: 'exchange.v.usccTaken', params: { id: holder.id } })
        }
        // An agency's name, region or level decides what it oversees: only an operator vouching for it changes them.
        if (
          row?.kind === 'agency' &&
          row.status === 'verified' &&
          !wantVerified &&
          changedColumns(row, registrationColumns(record)).length > 0
        ) {
          issues.push({ line, path: ['status'], key: 'exchange.v.agencyNeedsOperator' })
        }
      }
      return issues
    },
  }
}

function checkCodes(o: TOrganisationV1, ref: ReferenceData, line: number): ExchangeIssue[] {
  const issues = [
    ...unknownCode(line, ['regionCode'], o.regionCode, ref.regionsByCode, 'exchange.v.unknownRegion'),
    ...unknownCode(line, ['industryCode'], o.industryCode, ref.industriesByCode, 'exchange.v.unknownIndustry'),
  ]
  const region = ref.regionsByCode.get(o.regionCode)
  if (region && o.agencyLevel !== null && LEVEL_OF_REGION[region.level] !== o.agencyLevel) {
    issues.push({ line, path: ['agencyLevel'], key: 'exchange.v.agencyLevel', params: { level: LEVEL_OF_REGION[region.level] } })
  }
  return issues
}

async function audit(
  ctx: WriteContext,
  action: 'org.verified_by_import' | 'org.registration_changed',
  row: {
    id: number
    region_code: string
  },
  detail: Record<string, string | number>,
): Promise<void> {
  await recordAudit(ctx.trx, {
    action,
    actorUserId: ctx.options.operator?.userId ?? null,
    objectType: 'organisation',
    objectId: row.id,
    regionCode: row.region_code,
    detail: { source: ctx.options.source, ...detail },
  })
}

function touched(ctx: WriteContext, kind: string, id: number): void {
  if (kind === 'provider') ctx.providerChanged(id)
  else if (kind === 'enterprise') ctx.enterpriseChanged(id)
}

async function writeOrganisations(ctx: WriteContext, batch: readonly { line: number; record: TOrganisationV1 }[]): Promise<void> {
  const { trx, ids, now, options } = ctx
  await ids.load(
    ORGANISATION,
    batch.map((b) => b.record.externalId),
    trx,
  )
  const mapped = await loadRows(
    trx,
    batch.map((b) => ids.get(ORGANISATION, b.record.externalId)).filter((id): id is number => id !== undefined),
  )
  const unmapped = batch.filter((b) => !mapped.has(ids.get(ORGANISATION, b.record.externalId) ?? 0))
  const { byName, byUscc } = await rowsByNameAndUscc(
    trx,
    unmapped.map((b) => b.record.name),
    unmapped.flatMap((b) => (b.record.uscc ? [b.record.uscc] : [])),
  )
  const operatorId = options.operator?.userId ?? null

  for (const { record } of batch) {
    const wantVerified = options.markVerified && record.status === 'verified'
    if (record.status === 'verified' && !options.markVerified) ctx.tally.verifyNotApplied++
    const mappedId = ids.get(ORGANISATION, record.externalId)
    let row = mappedId !== undefined ? mapped.get(mappedId) : undefined
    if (!row) {
      row = adoptable(record, byName.get(record.name), record.uscc ? byUscc.get(record.uscc) : undefined)
      if (row) ids.stage(ORGANISATION, record.externalId, row.id, now)
    }
    const registration = registrationColumns(record)
    const contact = contactColumns(record)

    if (!row) {
      const created = await trx
        .insertInto('organisations')
        .values({
          kind: record.kind,
          ...registration,
          ...contact,
          status: wantVerified ? 'verified' : 'pending',
          created_at: now,
          submitted_at: now,
          reviewed_at: wantVerified ? now : null,
          reviewed_by: wantVerified ? operatorId : null,
          updated_at: now,
          is_demo: 0,
        })
        .returning(['id', 'region_code'])
        .executeTakeFirstOrThrow()
      ids.stage(ORGANISATION, record.externalId, created.id, now)
      if (wantVerified) {
        await audit(ctx, 'org.verified_by_import', created, { externalId: record.externalId, previousStatus: 'new' })
        ctx.tally.verified++
      }
      touched(ctx, record.kind, created.id)
      ctx.count(ORGANISATION, 'created')
      continue
    }

    const changedRegistration = changedColumns(row, registration)
    const changedContact = changedColumns(row, contact)
    const verify = wantVerified && (row.status !== 'verified' || changedRegistration.length > 0)
    // A changed registration goes back to review, as on /org/edit; unless the operator vouches for it.
    const review = !verify && changedRegistration.length > 0
    if (!verify && !review && changedContact.length === 0) {
      ctx.count(ORGANISATION, 'unchanged')
      continue
    }
    const revision = changedRegistration.length > 0 ? row.revision + 1 : row.revision
    await trx
      .updateTable('organisations')
      .set({
        ...registration,
        ...contact,
        updated_at: now,
        revision,
        ...(verify
          ? { status: 'verified' as const, rejection_reason: null, reviewed_at: now, reviewed_by: operatorId, submitted_at: now }
          : review
            ? { status: 'pending' as const, rejection_reason: null, submitted_at: now }
            : {}),
      })
      .where('id', '=', row.id)
      .execute()
    if (verify) {
      await audit(
        ctx,
        'org.verified_by_import',
        { id: row.id, region_code: record.regionCode },
        {
          externalId: record.externalId,
          previousStatus: row.status,
          changed: changedRegistration.join(','),
        },
      )
      ctx.tally.verified++
    } else if (review) {
      await audit(
        ctx,
        'org.registration_changed',
        { id: row.id, region_code: record.regionCode },
        {
          externalId: record.externalId,
          previousStatus: row.status,
          revision,
          changed: changedRegistration.join(','),
        },
      )
    }
    touched(ctx, record.kind, row.id)
    ctx.count(ORGANISATION, 'updated')
  }
}

export const organisationType: ExchangeType<TOrganisationV1> = {
  type: ORGANISATION,
  current: 1,
  schemas: { 1: ZOrganisationV1 },
  key: (o) => o.externalId,
  defines: (o) => ({ space: ORGANISATION, externalId: o.externalId, facts: { kind: o.kind } }),
  references: () => [],
  checkCodes,
  crossCheck: organisationCrossCheck,
  phase: () => 0,
  write: writeOrganisations,
}

// ---------------------------------------------------------------- reading (export)

/** Organisations as lines, in the order of `ids`. */
export async function* readOrganisations(
  db: Kysely<DB>,
  ids: readonly number[],
  externalIds: ReadonlyMap<number, string>,
): AsyncGenerator<TOrganisationV1> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK)
    const rows = await loadRows(db, part)
    for (const id of part) {
      const r = rows.get(id)
      if (!r) continue
      yield {
        type: 'organisation',
        version: 1,
        externalId: externalIds.get(id) ?? '',
        kind: r.kind,
        name: r.name,
        uscc: r.uscc ?? null,
        regionCode: r.region_code,
        agencyLevel: r.agency_level ?? null,
        industryCode: r.kind === 'enterprise' ? (r.industry_code ?? null) : null,
        providerKinds: r.kind === 'provider' ? (JSON.parse(r.provider_kinds) as TOrganisationV1['providerKinds']) : [],
        contact: { name: r.contact_name, phone: r.contact_phone },
        description: r.description,
        status: r.status === 'verified' ? 'verified' : 'pending',
      }
    }
  }
}
