import type { Insertable, Kysely } from 'kysely'
import type { DB, EnterpriseTitlesTable } from '../../../../db/types.js'
import type { ExchangeType, WriteContext } from '../exchange-type.server.js'
import { insertRows } from '../exchange-type.server.js'
import { ZEnterpriseProfileV1, type TEnterpriseProfileV1, type TEnterpriseTitleV1 } from '../schemas/enterprise-profile.v1.js'
import { ORGANISATION } from './organisation.server.js'

export const ENTERPRISE_PROFILE = 'enterprise_profile'
const CHUNK = 500

/** The archive's columns as a line carries them (in the line's names). */
type Archive = Omit<TEnterpriseProfileV1, 'type' | 'version' | 'organisation' | 'titles'>

interface StoredTitle {
  id: number
  /** An agency decided on it (its 复核, or the downgrade that gave it): the agency's record. */
  decided: boolean
  title: TEnterpriseTitleV1
}

interface ArchiveState {
  archive: Archive | null
  titles: TEnterpriseTitleV1[]
  rows: StoredTitle[]
}

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v)
}

/** The archives and titles of these enterprises, as the database holds them. */
async function loadArchives(db: Kysely<DB>, orgIds: readonly number[]): Promise<Map<number, ArchiveState>> {
  const out = new Map<number, ArchiveState>()
  for (let i = 0; i < orgIds.length; i += CHUNK) {
    const part = orgIds.slice(i, i + CHUNK)
    for (const id of part) out.set(id, { archive: null, titles: [], rows: [] })
    for (const p of await db.selectFrom('enterprise_profiles').selectAll().where('org_id', 'in', part).execute()) {
      out.get(p.org_id)!.archive = {
        sizeBand: p.size_band,
        aboveScale: Number(p.above_scale) === 1,
        revenueBand: p.revenue_band,
        staffBand: p.staff_band,
        mainProducts: p.main_products,
        rdToolsPct: num(p.rd_tools_pct),
        equipmentNcPct: num(p.equipment_nc_pct),
        keyProcessNcPct: num(p.key_process_nc_pct),
        mgmtDigitalPct: num(p.mgmt_digital_pct),
        mesCoveragePct: num(p.mes_coverage_pct),
        maturityLevel: num(p.maturity_level),
        indicatorsYear: num(p.indicators_year),
      }
    }
    const rows = await db
      .selectFrom('enterprise_titles')
      .select(['id', 'org_id', 'title', 'scene', 'issuer', 'awarded_on', 'expires_on', 'status'])
      .where('org_id', 'in', part)
      .orderBy('org_id')
      .orderBy('id')
      .execute()
    const decided = await decidedTitles(
      db,
      rows.map((t) => t.id),
    )
    for (const t of rows) {
      const title = {
        title: t.title,
        scene: t.scene,
        issuer: t.issuer,
        awardedOn: t.awarded_on,
        expiresOn: t.expires_on,
        status: t.status,
      }
      const state = out.get(t.org_id)!
      state.titles.push(title)
      state.rows.push({ id: t.id, decided: decided.has(t.id), title })
    }
  }
  return out
}

/** Which of `ids` an agency decided on. */
async function decidedTitles(db: Kysely<DB>, ids: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK)
    const reviews = await db
      .selectFrom('title_reviews')
      .select(['title_id', 'new_title_id'])
      .where((eb) => eb.or([eb('title_id', 'in', part), eb('new_title_id', 'in', part)]))
      .execute()
    for (const r of reviews) {
      out.add(r.title_id)
      if (r.new_title_id !== null) out.add(r.new_title_id)
    }
  }
  return out
}

/**
 * The rows to delete and the titles to insert for a line's titles: a title the line names
 * as it is stored keeps its row (and with it the reward received and any review); a
 * title an agency decided on stays even when the line leaves it out (the agency's record,
 * decision 015); the others the line leaves out go.
 */
function titleChanges(rows: readonly StoredTitle[], wanted: readonly TEnterpriseTitleV1[]) {
  const left = [...rows]
  const added: TEnterpriseTitleV1[] = []
  for (const t of wanted) {
    const at = left.findIndex((r) => same(r.title, t))
    if (at >= 0) left.splice(at, 1)
    else added.push(t)
  }
  return { removed: left.filter((r) => !r.decided).map((r) => r.id), added }
}

function archiveOf(record: TEnterpriseProfileV1): Archive {
  const { type: _t, version: _v, organisation: _o, titles: _ti, ...archive } = record
  return archive
}

function same<T extends object>(a: T, b: T): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function columns(a: Archive) {
  return {
    size_band: a.sizeBand,
    above_scale: a.aboveScale ? (1 as const) : (0 as const),
    revenue_band: a.revenueBand,
    staff_band: a.staffBand,
    main_products: a.mainProducts,
    rd_tools_pct: a.rdToolsPct,
    equipment_nc_pct: a.equipmentNcPct,
    key_process_nc_pct: a.keyProcessNcPct,
    mgmt_digital_pct: a.mgmtDigitalPct,
    mes_coverage_pct: a.mesCoveragePct,
    maturity_level: a.maturityLevel,
    indicators_year: a.indicatorsYear,
  }
}

async function writeArchives(ctx: WriteContext, batch: readonly { line: number; record: TEnterpriseProfileV1 }[]): Promise<void> {
  const { trx, ids, now } = ctx
  await ids.load(
    ORGANISATION,
    batch.map((b) => b.record.organisation),
    trx,
  )
  const current = await loadArchives(
    trx,
    batch.map((b) => ids.require(ORGANISATION, b.record.organisation)),
  )
  const titles: Insertable<EnterpriseTitlesTable>[] = []
  for (const { record } of batch) {
    const orgId = ids.require(ORGANISATION, record.organisation)
    const was = current.get(orgId) ?? { archive: null, titles: [], rows: [] }
    const archive = archiveOf(record)
    let changed = false
    if (!was.archive) {
      await trx
        .insertInto('enterprise_profiles')
        .values({ org_id: orgId, ...columns(archive), updated_at: now })
        .execute()
      changed = true
    } else if (!same(was.archive, archive)) {
      await trx
        .updateTable('enterprise_profiles')
        .set((eb) => ({ ...columns(archive), updated_at: now, updated_by: null, revision: eb('revision', '+', 1) }))
        .where('org_id', '=', orgId)
        .execute()
      changed = true
    }
    if (!same(was.titles, record.titles)) {
      const { removed, added } = titleChanges(was.rows, record.titles)
      if (removed.length) await trx.deleteFrom('enterprise_titles').where('id', 'in', removed).execute()
      for (const t of added) {
        titles.push({
          org_id: orgId,
          title: t.title,
          scene: t.scene,
          issuer: t.issuer,
          awarded_on: t.awardedOn,
          expires_on: t.expiresOn,
          status: t.status,
          created_at: now,
        })
      }
      // Only decided titles the line leaves out differ: they stay, so nothing changed.
      if (removed.length || added.length) changed = true
    }
    ctx.count(ENTERPRISE_PROFILE, !was.archive ? 'created' : changed ? 'updated' : 'unchanged')
  }
  await insertRows(trx, 'enterprise_titles', titles)
}

export const enterpriseProfileType: ExchangeType<TEnterpriseProfileV1> = {
  type: ENTERPRISE_PROFILE,
  current: 1,
  schemas: { 1: ZEnterpriseProfileV1 },
  key: (p) => p.organisation,
  references: (p) => [
    {
      path: ['organisation'],
      space: ORGANISATION,
      externalId: p.organisation,
      expect: { facts: { kind: 'enterprise' }, key: 'exchange.v.notEnterprise' },
    },
  ],
  checkCodes: () => [],
  phase: () => 1,
  write: writeArchives,
}

// ---------------------------------------------------------------- reading (export)

/** The archives of these enterprises (those that have one), in the order of `orgIds`. */
export async function* readEnterpriseProfiles(
  db: Kysely<DB>,
  orgIds: readonly number[],
  externalIds: ReadonlyMap<number, string>,
): AsyncGenerator<TEnterpriseProfileV1> {
  for (let i = 0; i < orgIds.length; i += CHUNK) {
    const part = orgIds.slice(i, i + CHUNK)
    const states = await loadArchives(db, part)
    for (const id of part) {
      const s = states.get(id)
      if (!s?.archive) continue
      yield {
        type: 'enterprise_profile',
        version: 1,
        organisation: externalIds.get(id) ?? '',
        ...s.archive,
        titles: s.titles,
      }
    }
  }
}
