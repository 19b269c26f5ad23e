import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { formatIssue, runImport, type CliIo } from '../../app/cli/import.js'
import { importExchangeFile, type ByteSource, type ImportResult } from '../../app/domain/exchange/import.server.js'
import type { ImportOptions } from '../../app/domain/exchange/exchange-type.server.js'
import type { ExchangeIssue } from '../../app/domain/exchange/issues.js'
import { parseEnv } from '../../app/utils/env.server.js'
import { insertUser, randomUscc } from '../support/factories.js'
import { TMP_DIR } from '../support/paths.js'
import { all, one, openTestDb } from '../support/test-db.js'

/*
 * Issue 11, item 8: `npm run import` checks the whole file first, names the line and
 * field of every error and writes nothing unless all is valid; it is idempotent by
 * external id, a changed line updates its row, and --mark-verified is audited.
 */

const { db, close } = openTestDb()
afterAll(async () => {
  await close()
})

type Line = Record<string, unknown>

function source(lines: readonly (Line | string)[], name = 'test.jsonl'): ByteSource {
  const text = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n'
  const bytes = Buffer.from(text, 'utf8')
  return {
    name,
    size: bytes.length,
    async *open() {
      // Small chunks: lines cross chunk boundaries.
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7)
    },
  }
}

const plain: ImportOptions = { markVerified: false, operator: null, source: 'test.jsonl' }

async function load(lines: readonly (Line | string)[], options = plain): Promise<ImportResult> {
  return importExchangeFile(db, source(lines), options)
}

/** A small, valid exchange file: an agency with an official template, two providers with profiles and cases, a derived template. */
function fixture(p: string) {
  const agency = {
    type: 'organisation',
    version: 1,
    externalId: `${p}-agency`,
    kind: 'agency',
    name: `${p}扬州市测试工业和信息化局`,
    regionCode: '321000',
    agencyLevel: 'city',
    status: 'verified',
  }
  const providerA = {
    type: 'organisation',
    version: 1,
    externalId: `${p}-prov-a`,
    kind: 'provider',
    name: `${p}江苏智云测试智能科技有限公司`,
    uscc: randomUscc('320100'),
    regionCode: '320100',
    providerKinds: ['integrator', 'equipment'],
    contact: { name: '周明', phone: '025-84561234' },
    description: '专注汽车零部件行业的视觉检测与质量追溯。',
    status: 'verified',
  }
  const providerB = {
    type: 'organisation',
    version: 1,
    externalId: `${p}-prov-b`,
    kind: 'provider',
    name: `${p}甘肃数联测试信息技术有限公司`,
    uscc: randomUscc('620100'),
    regionCode: '620102',
    providerKinds: ['it_engineering'],
    status: 'pending',
  }
  const profileA = {
    type: 'provider_profile',
    version: 1,
    organisation: providerA.externalId,
    teamSize: 120,
    foundedYear: 2012,
    website: 'https://zhiyun.example.cn',
    nationwide: false,
    industries: ['C34', 'C36'],
    scenarios: ['S305', 'S306'],
    regions: ['320000', '321000'],
    qualifications: [
      {
        name: '省级智能制造服务商',
        issuer: '江苏省工业和信息化厅',
        certificateNo: 'JS-ZNZZ-2024-0137',
        validFrom: '2024-03-01',
        validUntil: '2027-02-28',
      },
      { name: 'ISO 9001 质量管理体系', issuer: '中国质量认证中心', validFrom: '2020-05-01', validUntil: '2023-04-30' },
    ],
  }
  const profileB = {
    type: 'provider_profile',
    version: 1,
    organisation: providerB.externalId,
    nationwide: true,
    industries: ['C32'],
    scenarios: ['S401'],
  }
  const caseA = {
    type: 'case',
    version: 1,
    externalId: `${p}-case-a1`,
    provider: providerA.externalId,
    title: '焊装车间智能在线检测项目',
    client: '某汽车零部件企业',
    clientAnonymised: true,
    industryCode: 'C36',
    regionCode: '321012',
    scenarios: ['S305', 'S306'],
    investmentWan: 380,
    year: 2024,
    summary: '部署 12 个视觉检测工位，焊点缺陷在线识别，数据接入质量追溯系统。',
    metrics: [
      { name: '不良品率', before: 2.1, after: 0.6, unit: '%' },
      { name: '检测效率', before: 120, after: 360, unit: '件/小时' },
    ],
  }
  const caseB = {
    type: 'case',
    version: 1,
    externalId: `${p}-case-b1`,
    provider: providerB.externalId,
    title: '电解铝设备运行监测平台',
    client: '甘肃某有色金属企业',
    industryCode: 'C32',
    scenarios: ['S401'],
    year: 2023,
    summary: '关键设备联网与状态监测。',
    metrics: [{ name: 'OEE', before: 62, after: 81, unit: '%' }],
  }
  const official = {
    type: 'contract_template',
    version: 1,
    externalId: `${p}-tpl-official`,
    owner: agency.externalId,
    official: true,
    title: `${p}扬州市智能化改造标准合同（示范文本）`,
    scenarios: ['S302', 'S305'],
    constructionDays: 180,
    technicalStandards: ['GB/T 39116-2020', 'GB 50231-2009'],
    acceptanceStandards: '按合同附件技术协议逐项验收。',
    warrantyMonths: 12,
    priceModel: 'range',
    priceMinWan: 100,
    priceMaxWan: 500,
    milestones: [
      { name: '预付款', percent: 30, criteria: '合同签订后' },
      { name: '到货验收', percent: 40 },
      { name: '竣工验收', percent: 25 },
      { name: '质保金', percent: 5 },
    ],
    disputeClause: '向项目所在地人民法院起诉。',
  }
  const derived = {
    ...official,
    externalId: `${p}-tpl-derived`,
    owner: providerA.externalId,
    official: false,
    derivedFrom: official.externalId,
    title: `${p}视觉检测改造合同`,
    industryCode: 'C36',
    constructionDays: 120,
    milestones: [
      { name: '预付款', percent: 30 },
      { name: '到货验收', percent: 50 },
      { name: '竣工验收', percent: 15 },
      { name: '质保金', percent: 5 },
    ],
  }
  return { agency, providerA, providerB, profileA, profileB, caseA, caseB, official, derived }
}

function file(f: ReturnType<typeof fixture>): Line[] {
  // Not in dependency order on purpose: references may point forward.
  return [f.derived, f.caseA, f.providerA, f.profileA, f.agency, f.official, f.providerB, f.profileB, f.caseB]
}

type Row = Record<string, unknown>

/** Every row an import can write, to compare before and after. */
async function snapshot(): Promise<Record<string, Row[]>> {
  const dump = (table: string, order: string) => all<Row>(db, `select * from ${table} order by ${order}`)
  return {
    organisations: await dump('organisations', 'id'),
    provider_profiles: await dump('provider_profiles', 'org_id'),
    provider_industries: await dump('provider_industries', 'org_id, industry_code'),
    provider_scenarios: await dump('provider_scenarios', 'org_id, scenario_code'),
    provider_regions: await dump('provider_regions', 'org_id, region_code'),
    provider_qualifications: await dump('provider_qualifications', 'id'),
    provider_cases: await dump('provider_cases', 'id'),
    case_scenarios: await dump('case_scenarios', 'case_id, scenario_code'),
    case_metrics: await dump('case_metrics', 'id'),
    contract_templates: await dump('contract_templates', 'id'),
    contract_template_scenarios: await dump('contract_template_scenarios', 'template_id, scenario_code'),
    contract_template_versions: await dump('contract_template_versions', 'id'),
    exchange_ids: await dump('exchange_ids', 'type, external_id'),
    audit_log: await dump('audit_log', 'id'),
  }
}

async function entityId(type: string, externalId: string): Promise<number> {
  const row = await one<{ entity_id: number }>(
    db,
    'select entity_id from exchange_ids where type = ? and external_id = ?',
    type,
    externalId,
  )
  return Number(row.entity_id)
}

function issuesOf(result: ImportResult): ExchangeIssue[] {
  if (result.ok) throw new Error('expected errors')
  return result.issues
}

describe('import', () => {
  it('writes a valid file in dependency order whatever the order of its lines, and queues the providers for search', async () => {
    const f = fixture('imp')
    const result = await load(file(f))
    expect(result).toMatchObject({
      ok: true,
      records: 9,
      counts: {
        organisation: { created: 3, updated: 0, unchanged: 0 },
        provider_profile: { created: 2, updated: 0, unchanged: 0 },
        case: { created: 2, updated: 0, unchanged: 0 },
        contract_template: { created: 2, updated: 0, unchanged: 0 },
      },
      verified: 0,
      verifyNotApplied: 2,
    })
    const a = await entityId('organisation', f.providerA.externalId)
    const org = await one<Row>(
      db,
      'select kind, name, uscc, region_code, status, provider_kinds, contact_name, is_demo from organisations where id = ?',
      a,
    )
    expect(org).toMatchObject({
      kind: 'provider',
      name: f.providerA.name,
      uscc: f.providerA.uscc,
      region_code: '320100',
      status: 'pending',
      contact_name: '周明',
    })
    expect(JSON.parse(String(org.provider_kinds))).toEqual(['integrator', 'equipment'])
    expect(Number(org.is_demo)).toBe(0)
    const quals = await all<Row>(db, 'select name, valid_until from provider_qualifications where org_id = ? order by id', a)
    expect(quals).toEqual([
      { name: '省级智能制造服务商', valid_until: '2027-02-28' },
      { name: 'ISO 9001 质量管理体系', valid_until: '2023-04-30' },
    ])
    const caseId = await entityId('case', f.caseA.externalId)
    expect(
      await all<Row>(db, 'select name, before_value, after_value, unit from case_metrics where case_id = ? order by seq', caseId),
    ).toEqual([
      { name: '不良品率', before_value: 2.1, after_value: 0.6, unit: '%' },
      { name: '检测效率', before_value: 120, after_value: 360, unit: '件/小时' },
    ])
    const derivedId = await entityId('contract_template', f.derived.externalId)
    const officialId = await entityId('contract_template', f.official.externalId)
    const version = await one<Row>(
      db,
      `select v.version, v.milestones, d.template_id as base from contract_template_versions v
         join contract_template_versions d on d.id = v.derived_from_version_id where v.template_id = ?`,
      derivedId,
    )
    expect(Number(version.base)).toBe(officialId)
    expect(JSON.parse(String(version.milestones)).map((m: { percent: number }) => m.percent)).toEqual([30, 50, 15, 5])
    const official = await one<Row>(db, 'select is_official, org_id from contract_templates where id = ?', officialId)
    expect(Number(official.is_official)).toBe(1)
    expect(Number(official.org_id)).toBe(await entityId('organisation', f.agency.externalId))
    const queued = await all<{ entity_id: number }>(
      db,
      "select distinct entity_id from search_outbox where entity_type = 'provider' order by entity_id",
    )
    expect(queued.map((r) => Number(r.entity_id))).toEqual(
      [a, await entityId('organisation', f.providerB.externalId)].sort((x, y) => x - y),
    )
    const audit = await one<Row>(
      db,
      "select actor_user_id, detail from audit_log where action = 'exchange.imported' order by id desc limit 1",
    )
    expect(audit.actor_user_id).toBeNull()
    expect(JSON.parse(String(audit.detail))).toMatchObject({ source: 'test.jsonl', records: 9, case: '2/0/0' })
  })

  it('is idempotent: importing the same file again changes nothing but the log of imports', async () => {
    const f = fixture('idem')
    expect((await load(file(f))).ok).toBe(true)
    const before = await snapshot()
    const again = await load(file(f))
    expect(again).toMatchObject({
      ok: true,
      counts: {
        organisation: { created: 0, updated: 0, unchanged: 3 },
        provider_profile: { created: 0, updated: 0, unchanged: 2 },
        case: { created: 0, updated: 0, unchanged: 2 },
        contract_template: { created: 0, updated: 0, unchanged: 2 },
      },
    })
    const after = await snapshot()
    const imports = (s: Record<string, Row[]>) => s.audit_log!.filter((r) => r.action !== 'exchange.imported')
    expect(imports(after)).toEqual(imports(before))
    expect({ ...after, audit_log: [] }).toEqual({ ...before, audit_log: [] })
  })

  it('updates the row a changed line names, by its external id', async () => {
    const f = fixture('upd')
    expect((await load(file(f))).ok).toBe(true)
    const caseId = await entityId('case', f.caseA.externalId)
    const derivedId = await entityId('contract_template', f.derived.externalId)
    const a = await entityId('organisation', f.providerA.externalId)
    // A version in use (a bid or contract names it) never changes: the edit makes version 2.
    await db.updateTable('contract_template_versions').set({ in_use: 1 }).where('template_id', '=', derivedId).execute()
    const changed = {
      ...f,
      providerA: { ...f.providerA, contact: { name: '吴倩', phone: '025-84561234' } },
      profileA: { ...f.profileA, teamSize: 150, regions: ['320000'], qualifications: f.profileA.qualifications.slice(0, 1) },
      caseA: {
        ...f.caseA,
        title: '焊装车间视觉检测与质量追溯项目',
        metrics: [{ name: '不良品率', before: 2.1, after: 0.5, unit: '%' }],
      },
      derived: { ...f.derived, warrantyMonths: 24 },
    }
    const result = await load(file(changed))
    expect(result).toMatchObject({
      ok: true,
      counts: {
        organisation: { created: 0, updated: 1, unchanged: 2 },
        provider_profile: { updated: 1, unchanged: 1 },
        case: { updated: 1, unchanged: 1 },
        contract_template: { updated: 1, unchanged: 1 },
      },
    })
    expect(await one<Row>(db, 'select title from provider_cases where id = ?', caseId)).toEqual({ title: changed.caseA.title })
    expect(await all<Row>(db, 'select after_value from case_metrics where case_id = ?', caseId)).toEqual([{ after_value: 0.5 }])
    expect(await one<Row>(db, 'select team_size, revision from provider_profiles where org_id = ?', a)).toMatchObject({
      team_size: 150,
      revision: 2,
    })
    expect(await all<Row>(db, 'select region_code from provider_regions where org_id = ?', a)).toEqual([
      { region_code: '320000' },
    ])
    expect(Number((await one<Row>(db, 'select count(*) n from provider_qualifications where org_id = ?', a)).n)).toBe(1)
    // A contact change is not a registration change: the organisation keeps its status and revision.
    expect(await one<Row>(db, 'select contact_name, status, revision from organisations where id = ?', a)).toMatchObject({
      contact_name: '吴倩',
      status: 'pending',
      revision: 1,
    })
    const versions = await all<Row>(
      db,
      'select version, warranty_months, in_use from contract_template_versions where template_id = ? order by version',
      derivedId,
    )
    expect(versions.map((v) => [Number(v.version), Number(v.warranty_months), Number(v.in_use)])).toEqual([
      [1, 12, 1],
      [2, 24, 0],
    ])
    expect(await one<Row>(db, 'select current_version from contract_templates where id = ?', derivedId)).toEqual({
      current_version: 2,
    })
  })

  it('one bad line writes nothing, and its error names the line and the field', async () => {
    const f = fixture('bad')
    const before = await snapshot()
    const lines = file(f)
    lines[5] = { ...f.official, milestones: [...f.official.milestones.slice(0, 3), { name: '质保金', percent: 0 }] }
    let result = await load(lines)
    expect(issuesOf(result)).toEqual([
      { line: 6, path: ['milestones', 3, 'percent'], key: 'exchange.v.tooSmall.number', params: { minimum: 1 } },
      { line: 6, path: ['milestones'], key: 'exchange.v.milestoneSum', params: { sum: 95 } },
    ])
    lines[5] = { ...f.official, milestones: f.official.milestones.slice(0, 3) }
    result = await load(lines)
    const issues = issuesOf(result)
    expect(issues).toEqual([{ line: 6, path: ['milestones'], key: 'exchange.v.milestoneSum', params: { sum: 95 } }])
    expect(formatIssue(issues[0]!)).toBe(
      '第 6 行 字段 milestones: 付款节点比例之和须为 100%，现为 95% / line 6 field milestones: milestone percentages must sum to 100%, now 95%',
    )
    expect(await snapshot()).toEqual(before)
  })

  it('reports every error of the file, each with its line and field', async () => {
    const f = fixture('many')
    const lines: (Line | string)[] = [
      f.agency,
      '{"type":"organisation",',
      { ...f.providerA, teamSize: 3 },
      { type: 'tender_offer', version: 1 },
      { ...f.profileA, version: 2 },
      { ...f.profileB, regions: ['999999'], nationwide: false },
      { ...f.caseA, provider: 'nobody' },
      { ...f.caseB, provider: f.agency.externalId },
      { ...f.caseB, title: '重复编号的案例', year: 1980 },
      { ...f.official, derivedFrom: 'x' },
      { ...f.derived, derivedFrom: f.caseA.externalId },
      { ...f.providerB, uscc: '913201001234567890', kind: 'enterprise', providerKinds: [] },
      '',
      '[1, 2]',
    ]
    const before = await snapshot()
    const issues = issuesOf(await load(lines))
    const brief = issues.map((i) => [i.line, i.path.join('.'), i.key])
    expect(brief).toEqual([
      [2, '', 'exchange.v.json'],
      [3, 'teamSize', 'exchange.v.unknownField'],
      [4, 'type', 'exchange.v.unknownType'],
      [5, 'version', 'exchange.v.unknownVersion'],
      [6, 'regions.0', 'exchange.v.unknownRegion'],
      [7, 'provider', 'exchange.v.unresolved'],
      [8, 'provider', 'exchange.v.notProvider'],
      [9, 'year', 'exchange.v.tooSmall.number'],
      [10, 'derivedFrom', 'exchange.v.officialDerived'],
      [11, 'derivedFrom', 'exchange.v.unresolved'],
      [12, 'uscc', 'org.v.usccChecksum'],
      [12, 'industryCode', 'exchange.v.industryRequired'],
      [14, '', 'exchange.v.notObject'],
    ])
    expect(issues.find((i) => i.line === 7)?.params).toEqual({ id: 'nobody', type: 'organisation' })
    // A line repeating an external id: reported as such once the line itself is valid.
    const repeated = issuesOf(await load([f.agency, f.caseB, { ...f.caseB, title: '重复编号的案例' }]))
    expect(repeated.map((i) => [i.line, i.path.join('.'), i.key, i.params])).toEqual([
      [2, 'provider', 'exchange.v.unresolved', { id: f.providerB.externalId, type: 'organisation' }],
      [3, 'externalId', 'exchange.v.duplicate', { line: 2 }],
    ])
    expect(await snapshot()).toEqual(before)
  })

  it('checks what lines refer to: kinds, official templates, names and codes already taken', async () => {
    const f = fixture('refs')
    expect((await load([f.agency, f.providerA])).ok).toBe(true)
    const issues = issuesOf(
      await load([
        { ...f.caseA, provider: f.agency.externalId },
        { ...f.official, owner: f.providerA.externalId },
        { ...f.derived, derivedFrom: f.derived.externalId },
        { ...f.providerB, name: f.providerA.name },
      ]),
    )
    expect(issues.map((i) => [i.line, i.path.join('.'), i.key])).toEqual([
      [1, 'provider', 'exchange.v.notProvider'],
      [2, 'owner', 'exchange.v.officialOwner'],
      [3, 'derivedFrom', 'exchange.v.derivedNotOfficial'],
      [4, 'name', 'exchange.v.nameTaken'],
    ])
    const kind = issuesOf(
      await load([
        { ...f.agency, kind: 'provider', uscc: randomUscc('321000'), agencyLevel: null, providerKinds: ['consultancy'] },
      ]),
    )
    expect(kind.map((i) => [i.line, i.path.join('.'), i.key])).toEqual([[1, 'kind', 'exchange.v.kindChanged']])
  })

  it('--mark-verified verifies what the file marks verified, one audit entry each naming the operator', async () => {
    const f = fixture('ver')
    const operator = await insertUser(db, { name: '运维人员' })
    const result = await load(file(f), { markVerified: true, operator: { userId: operator.id }, source: 'providers.jsonl' })
    expect(result).toMatchObject({ ok: true, verified: 2, verifyNotApplied: 0 })
    const agency = await entityId('organisation', f.agency.externalId)
    const a = await entityId('organisation', f.providerA.externalId)
    const b = await entityId('organisation', f.providerB.externalId)
    const statuses = await all<Row>(
      db,
      'select id, status, reviewed_by from organisations where id in (?, ?, ?) order by id',
      agency,
      a,
      b,
    )
    const status = new Map(statuses.map((s) => [Number(s.id), [s.status, s.reviewed_by]]))
    expect(status.get(agency)).toEqual(['verified', operator.id])
    expect(status.get(a)).toEqual(['verified', operator.id])
    expect(status.get(b)).toEqual(['pending', null])
    const audit = await all<Row>(
      db,
      "select actor_user_id, object_type, object_id, region_code, detail from audit_log where action = 'org.verified_by_import' and object_id in (?, ?) order by id",
      String(agency),
      String(a),
    )
    expect(audit.map((r) => [r.actor_user_id, r.object_type, r.object_id, r.region_code])).toEqual([
      [operator.id, 'organisation', String(a), '320100'],
      [operator.id, 'organisation', String(agency), '321000'],
    ])
    expect(JSON.parse(String(audit[0]!.detail))).toMatchObject({
      source: 'providers.jsonl',
      externalId: f.providerA.externalId,
      previousStatus: 'new',
    })

    // Again: nothing to verify, nothing audited.
    const count = async () =>
      Number((await one<Row>(db, "select count(*) n from audit_log where action = 'org.verified_by_import'")).n)
    const n = await count()
    expect(
      await load(file(f), { markVerified: true, operator: { userId: operator.id }, source: 'providers.jsonl' }),
    ).toMatchObject({
      ok: true,
      verified: 0,
    })
    expect(await count()).toBe(n)

    // A registration change without the operator's word sends a verified provider back to review.
    const renamed = await load([{ ...f.providerA, name: `${f.providerA.name}（更名）` }])
    expect(renamed).toMatchObject({ ok: true, counts: { organisation: { updated: 1 } } })
    expect(await one<Row>(db, 'select status, revision from organisations where id = ?', a)).toEqual({
      status: 'pending',
      revision: 2,
    })
    // An agency's is refused outright.
    expect(issuesOf(await load([{ ...f.agency, regionCode: '321023', agencyLevel: 'county' }])).map((i) => i.key)).toEqual([
      'exchange.v.agencyNeedsOperator',
    ])
  })

  it('adopts an organisation already registered under the same name and credit code instead of duplicating it', async () => {
    const f = fixture('adopt')
    expect((await load([f.providerA])).ok).toBe(true)
    const a = await entityId('organisation', f.providerA.externalId)
    const result = await load([{ ...f.providerA, externalId: 'other-system-17' }])
    expect(result).toMatchObject({ ok: true, counts: { organisation: { created: 0 } } })
    expect(await entityId('organisation', 'other-system-17')).toBe(a)
  })

  it('--dry-run checks without writing; a stale mapping (row deleted since) is created again', async () => {
    const f = fixture('dry')
    const before = await snapshot()
    expect(await importExchangeFile(db, source(file(f)), { ...plain, dryRun: true })).toMatchObject({ ok: true, records: 9 })
    expect(await snapshot()).toEqual(before)

    expect((await load([f.providerA, f.caseA])).ok).toBe(true)
    const caseId = await entityId('case', f.caseA.externalId)
    await db.deleteFrom('provider_cases').where('id', '=', caseId).execute()
    expect(await load([f.providerA, f.caseA])).toMatchObject({ ok: true, counts: { case: { created: 1 } } })
    expect(await entityId('case', f.caseA.externalId)).not.toBe(caseId)
  })
})

describe('npm run import (the command)', () => {
  const env = () => parseEnv({ ...process.env, NODE_ENV: 'test' })
  function io() {
    const out: string[] = []
    const err: string[] = []
    const cli: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), progress: false }
    return { cli, out, err }
  }
  const write = (name: string, lines: readonly (Line | string)[]) => {
    const file = path.join(TMP_DIR, `${name}-${process.pid}.jsonl`)
    fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'))
    return file
  }

  it('prints each error as 第 N 行 字段 x / line N field x and exits 1; imports a valid file and reports the rate', async () => {
    const f = fixture('cli')
    const bad = write('bad', [f.agency, { ...f.providerA, regionCode: '32010' }])
    const failed = io()
    expect(await runImport([bad], env(), failed.cli)).toBe(1)
    expect(failed.err[0]).toBe(
      '第 2 行 字段 regionCode: 行政区划代码须为 6 位，如 321000 / line 2 field regionCode: a region code has 6 characters, e.g. 321000',
    )
    expect(failed.err.at(-1)).toContain('1 处错误')

    const good = write('good', file(f))
    const done = io()
    expect(await runImport([good, '--no-index'], env(), done.cli)).toBe(0)
    expect(done.out.join('\n')).toMatch(/案例 cases: 新建 2，更新 0，未变 0/)
    expect(done.out.join('\n')).toMatch(/9 行，用时 [\d.]+ 秒（\d+ 行\/秒）/)

    const usage = io()
    expect(await runImport([good, '--mark-verified'], env(), usage.cli)).toBe(2)
    expect(await runImport([good, '--mark-verified', '--operator', '13000000000'], env(), io().cli)).toBe(2)
  })
})
