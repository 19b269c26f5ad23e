import sharp from 'sharp'
import { beforeEach, describe, expect, it } from 'vitest'
import { PROVIDER_LIMITS } from '../../app/domain/providers/enums.js'
import { todayInChina } from '../../app/domain/providers/schema.js'
import * as qualificationsRoute from '../../app/routes/provider.qualifications.js'
import * as publicPage from '../../app/routes/providers.$id.js'
import * as fileRoute from '../../app/routes/files.$id.js'
import { call, type TestFile } from '../support/http.js'
import { auditRows, countWhere, db, parse, person, watchProviderOutbox } from '../support/provider-world.js'

/*
 * A provider's qualifications (/provider/qualifications): added, changed and removed by
 * any member of the verified provider, audited and enqueued; a stale edit is refused;
 * one that ran out before today (in China) is shown as expired.
 */

const outbox = watchProviderOutbox()
beforeEach(() => outbox.clear())

const post = (cookie: string, form: Record<string, string>, scan?: TestFile) =>
  call(qualificationsRoute, {
    method: 'POST',
    path: '/provider/qualifications',
    form,
    cookie,
    ...(scan ? { files: { scan } } : {}),
  })

const list = async (cookie: string) => parse(await call(qualificationsRoute, { path: '/provider/qualifications', cookie }))

const iso = {
  name: 'ISO 9001 质量管理体系',
  issuer: '中国质量认证中心',
  certificateNo: '00124Q31234R0M',
  validFrom: '2024-03-01',
  validUntil: '2027-02-28',
}

/** A date `days` from today in China. */
function dayFromToday(days: number): string {
  const d = new Date(`${todayInChina()}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

describe('/provider/qualifications', () => {
  it('adds one: stored, audited, enqueued, listed with its validity', async () => {
    const owner = await person()
    const outcome = await post(owner.cookie, { intent: 'add', ...iso })
    expect(outcome.status).toBe(302)
    expect(outcome.location).toBe('/provider/qualifications')
    const [row] = await db().selectFrom('provider_qualifications').selectAll().where('org_id', '=', owner.orgId).execute()
    expect(row).toMatchObject({
      name: iso.name,
      issuer: iso.issuer,
      certificate_no: iso.certificateNo,
      valid_until: '2027-02-28',
    })
    const [entry] = await auditRows('provider.qualification_added', 'provider_qualification', row!.id)
    expect(entry).toMatchObject({ actor_user_id: owner.userId, actor_org_id: owner.orgId, region_code: '321003' })
    expect(JSON.parse(entry!.detail)).toMatchObject({ name: iso.name, validUntil: '2027-02-28' })
    expect(outbox.seen).toContain(owner.orgId)
    const page = await list(owner.cookie)
    expect(page.qualifications).toMatchObject([{ id: row!.id, name: iso.name, expired: false }])
  })

  it('shows one that ran out before today as expired, on both pages; today’s last day is still valid', async () => {
    const owner = await person()
    await post(owner.cookie, { intent: 'add', name: '省级智能制造服务商', validUntil: dayFromToday(-1) })
    await post(owner.cookie, { intent: 'add', name: '两化融合管理体系贯标', validUntil: todayInChina() })
    await post(owner.cookie, { intent: 'add', name: '高新技术企业' })
    const byName = (items: { name: string; expired: boolean }[]) => Object.fromEntries(items.map((q) => [q.name, q.expired]))
    const expected = { 省级智能制造服务商: true, 两化融合管理体系贯标: false, 高新技术企业: false }
    expect(byName((await list(owner.cookie)).qualifications)).toEqual(expected)
    const page = parse(await call(publicPage, { path: `/providers/${owner.orgId}`, params: { id: String(owner.orgId) } }))
    expect(byName(page.provider.qualifications)).toEqual(expected)
    // Current ones first.
    expect(page.provider.qualifications.at(-1).name).toBe('省级智能制造服务商')
  })

  it('refuses bad fields by name and key, writing nothing', async () => {
    const owner = await person()
    const outcome = await post(owner.cookie, {
      intent: 'add',
      name: '甲',
      issuer: '机'.repeat(61),
      validFrom: '2024-02-30',
      validUntil: 'next year',
    })
    expect(outcome.status).toBe(400)
    expect(parse(outcome).fieldErrors).toEqual({
      name: 'providers.v.qualificationName',
      issuer: 'providers.v.issuerTooLong',
      validFrom: 'providers.v.date',
      validUntil: 'providers.v.date',
    })
    const reversed = await post(owner.cookie, {
      intent: 'add',
      name: 'ISO 27001',
      validFrom: '2025-01-01',
      validUntil: '2024-12-31',
    })
    expect(reversed.status).toBe(400)
    expect(parse(reversed).fieldErrors).toEqual({ validUntil: 'providers.v.validUntilBeforeFrom' })
    expect((await post(owner.cookie, { intent: 'erase', name: 'ISO 27001' })).status).toBe(400)
    expect(await countWhere('provider_qualifications', owner.orgId)).toBe(0)
    expect(await auditRows('provider.qualification_added', 'provider_qualification')).not.toContainEqual(
      expect.objectContaining({ actor_org_id: owner.orgId }),
    )
  })

  it('changes one with the version it was read at; a stale version is refused (409), nothing written', async () => {
    const owner = await person()
    const colleague = await person({ orgId: owner.orgId, role: 'member' })
    await post(owner.cookie, { intent: 'add', ...iso })
    const [read] = (await list(owner.cookie)).qualifications
    const changed = await post(colleague.cookie, {
      intent: 'update',
      id: String(read.id),
      version: read.version,
      ...iso,
      validUntil: '2030-02-28',
    })
    expect(changed.status).toBe(302)
    const [entry] = await auditRows('provider.qualification_updated', 'provider_qualification', read.id)
    expect(JSON.parse(entry!.detail)).toMatchObject({ changed: 'validUntil', validUntil: '2027-02-28 → 2030-02-28' })
    expect(outbox.seen).toContain(owner.orgId)
    // The owner's form was filled in before the colleague's change.
    const stale = await post(owner.cookie, {
      intent: 'update',
      id: String(read.id),
      version: read.version,
      ...iso,
      issuer: '另一机构',
    })
    expect(stale.status).toBe(409)
    expect(parse(stale)).toMatchObject({ code: 'CONFLICT', formError: 'providers.e.qualificationStale' })
    const row = await db().selectFrom('provider_qualifications').selectAll().where('id', '=', read.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ issuer: iso.issuer, valid_until: '2030-02-28' })
    expect(await auditRows('provider.qualification_updated', 'provider_qualification', read.id)).toHaveLength(1)
  })

  it('removes one (asking first without scripts), audited and enqueued', async () => {
    const owner = await person()
    await post(owner.cookie, { intent: 'add', ...iso })
    const [read] = (await list(owner.cookie)).qualifications
    const asked = await post(owner.cookie, { intent: 'remove', id: String(read.id), _confirm: 'ask' })
    expect(asked.status).toBe(200)
    expect(parse(asked)).toEqual({ confirm: { fields: { intent: 'remove', id: String(read.id) } } })
    expect(await countWhere('provider_qualifications', owner.orgId)).toBe(1)
    outbox.clear()
    expect((await post(owner.cookie, { intent: 'remove', id: String(read.id) })).status).toBe(302)
    expect(await countWhere('provider_qualifications', owner.orgId)).toBe(0)
    expect(await auditRows('provider.qualification_removed', 'provider_qualification', read.id)).toHaveLength(1)
    expect(outbox.seen).toContain(owner.orgId)
    expect((await post(owner.cookie, { intent: 'remove', id: String(read.id) })).status).toBe(404)
  })

  it('keeps another provider, enterprises and unverified providers away from it, writing nothing', async () => {
    const owner = await person()
    await post(owner.cookie, { intent: 'add', ...iso })
    const [read] = (await list(owner.cookie)).qualifications
    const other = await person()
    const enterprise = await person({ kind: 'enterprise' })
    const pending = await person({ status: 'pending' })
    const pendingColleague = await person({ orgId: owner.orgId, role: 'member' })
    await db().updateTable('memberships').set({ status: 'pending' }).where('user_id', '=', pendingColleague.userId).execute()
    for (const who of [other, enterprise, pending, pendingColleague]) {
      const update = await post(who.cookie, {
        intent: 'update',
        id: String(read.id),
        version: read.version,
        ...iso,
        name: '篡改',
      })
      const remove = await post(who.cookie, { intent: 'remove', id: String(read.id) })
      expect([update.status, remove.status]).toEqual([403, 403])
    }
    for (const who of [enterprise, pending]) {
      expect((await post(who.cookie, { intent: 'add', ...iso })).status).toBe(403)
      expect((await call(qualificationsRoute, { path: '/provider/qualifications', cookie: who.cookie })).status).toBe(403)
      expect(await countWhere('provider_qualifications', who.orgId)).toBe(0)
    }
    const row = await db().selectFrom('provider_qualifications').selectAll().where('id', '=', read.id).executeTakeFirstOrThrow()
    expect(row.name).toBe(iso.name)
    expect(await countWhere('provider_qualifications', other.orgId)).toBe(0)
  })

  it(`stops at ${PROVIDER_LIMITS.qualificationsPerProvider}`, async () => {
    const owner = await person()
    const now = new Date().toISOString()
    await db()
      .insertInto('provider_qualifications')
      .values(
        Array.from({ length: PROVIDER_LIMITS.qualificationsPerProvider }, (_, i) => ({
          org_id: owner.orgId,
          name: `资质 ${i + 1}`,
          created_at: now,
        })),
      )
      .execute()
    const outcome = await post(owner.cookie, { intent: 'add', ...iso })
    expect(outcome.status).toBe(400)
    expect(parse(outcome)).toMatchObject({ formError: 'providers.e.tooManyQualifications', formParams: { limit: 40 } })
    expect(await countWhere('provider_qualifications', owner.orgId)).toBe(PROVIDER_LIMITS.qualificationsPerProvider)
  })
})

describe('qualification scans', () => {
  it('are private: listed to the provider’s members, never on the public page; the file refused to strangers', async () => {
    const owner = await person()
    const bytes = new Uint8Array(
      await sharp({ create: { width: 80, height: 60, channels: 3, background: '#ffffff' } })
        .png()
        .toBuffer(),
    )
    expect((await post(owner.cookie, { intent: 'add', ...iso }, { name: '证书.png', bytes, type: 'image/png' })).status).toBe(302)
    const [q] = (await list(owner.cookie)).qualifications
    expect(q.scans).toMatchObject([{ name: '证书.png', isImage: true }])
    const [row] = await db()
      .selectFrom('files')
      .selectAll()
      .where('object_type', '=', 'provider_qualification')
      .where('object_id', '=', q.id)
      .execute()
    expect(row).toMatchObject({ purpose: 'qualification_scan', org_id: owner.orgId })
    const page = parse(await call(publicPage, { path: `/providers/${owner.orgId}`, params: { id: String(owner.orgId) } }))
    expect(page.provider.qualifications[0].scans).toEqual([])
    const fetch = (cookie?: string) => call(fileRoute, { path: `/files/${row!.id}`, params: { id: String(row!.id) }, cookie })
    expect((await fetch(owner.cookie)).status).toBe(200)
    expect((await fetch()).status).toBe(404)
    expect((await fetch((await person({ kind: 'enterprise' })).cookie)).status).toBe(404)

    // Removed by a member; not by another provider.
    const other = await person()
    expect((await post(other.cookie, { intent: 'removeScan', fileId: String(row!.id) })).status).toBe(403)
    expect((await post(owner.cookie, { intent: 'removeScan', fileId: String(row!.id) })).status).toBe(302)
    expect((await list(owner.cookie)).qualifications[0].scans).toEqual([])
    const [entry] = (await auditRows('provider.qualification_updated', 'provider_qualification', q.id)).slice(-1)
    expect(JSON.parse(entry!.detail)).toMatchObject({ changed: 'scan', scan: '− 证书.png' })
  })

  it('refuses a scan that is not a PDF or an image, writing nothing', async () => {
    const owner = await person()
    const text = { name: 'scan.pdf', bytes: new TextEncoder().encode('not a pdf at all'), type: 'application/pdf' }
    const outcome = await post(owner.cookie, { intent: 'add', ...iso }, text)
    expect(outcome.status).toBe(415)
    expect(parse(outcome)).toMatchObject({ fieldErrors: { scan: 'files.e.unsupportedType?types=JPEG%2C+PNG%2C+PDF' } })
    expect(await countWhere('provider_qualifications', owner.orgId)).toBe(0)
  })
})
