import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { IMPORT_COLUMNS, type ImportList } from '../../app/domain/spreadsheets/columns.js'
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../app/domain/spreadsheets/limits.js'
import {
  cancelImport,
  confirmImport,
  downloadExport,
  getTaskPage,
  importTemplate,
  listMyTasks,
  runSpreadsheetTasks,
  startExport,
  startImport,
} from '../../app/domain/spreadsheets/tasks.server.js'
import { listWorkbook } from '../../app/domain/spreadsheets/workbook.server.js'
import { translator, type MessageKey } from '../../app/i18n/index.js'
import type { Actor } from '../../app/domain/accounts/actor.js'
import { insertOrg, randomUscc } from '../support/factories.js'
import { agency, db, personOf } from './matching-world.js'

/*
 * Excel tasks (issue 15 §7): exports with Chinese headers narrowed to the jurisdiction,
 * imports checked row by row — one bad row writes nothing and is named by row and
 * column —, the size and row limits, who may do what. The job runs in the test
 * (runSpreadsheetTasks) as the scheduler would.
 */

const zh = translator('zh-CN')

async function sheetOf(response: Response) {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(await response.arrayBuffer())
  const sheet = workbook.worksheets[0]!
  const rows: string[][] = []
  sheet.eachRow((row) => {
    rows.push(
      (row.values as (string | number | null | undefined)[])
        .slice(1)
        .map((v) => (v === null || v === undefined ? '' : String(v))),
    )
  })
  return rows
}

/** A file laid out as the template: the header in the reader's language, then the rows. */
async function fileOf(list: ImportList, rows: string[][], locale: 'zh-CN' | 'en' = 'zh-CN') {
  const t = translator(locale)
  const bytes = await listWorkbook(
    [
      {
        name: 'sheet',
        columns: IMPORT_COLUMNS[list].map((c) => ({
          header: `${t(`spreadsheets.col.${list}.${c.key}` as MessageKey)}${c.required ? '*' : ''}`,
        })),
        rows,
      },
    ],
    { creator: 'test' },
  )
  return { name: `${list}.xlsx`, bytes }
}

async function run() {
  await runSpreadsheetTasks(db(), { budgetMs: 30_000 })
}

async function statusOf(actor: Actor, taskId: number) {
  return (await getTaskPage(db(), actor, taskId)).task.status
}

/** A USCC whose check character is wrong. */
function badUscc(region = '321003') {
  const good = randomUscc(region)
  const last = good.charAt(17)
  return good.slice(0, 17) + (last === '0' ? '1' : '0')
}

describe('exports', () => {
  it('writes the jurisdiction’s enterprises with Chinese headers, with the page’s filters, in English for an English reader', async () => {
    const yz = await agency('321000')
    const inside = await insertOrg(db(), { kind: 'enterprise', region: '321023', name: '扬州导出测试机械有限公司' })
    const outside = await insertOrg(db(), { kind: 'enterprise', region: '620100', name: '兰州导出测试机械有限公司' })
    const above = await insertOrg(db(), { kind: 'enterprise', region: '321003', name: '扬州规上导出测试有限公司' })
    await db()
      .insertInto('enterprise_profiles')
      .values({ org_id: above, above_scale: 1, updated_at: new Date().toISOString() })
      .execute()
    void inside
    void outside

    const { taskId } = await startExport(db(), yz.actor, { list: 'enterprises', params: '' }, 'zh-CN')
    expect(await statusOf(yz.actor, taskId)).toBe('queued')
    await run()
    const page = await getTaskPage(db(), yz.actor, taskId)
    expect(page.task.status).toBe('done')
    expect(page.task.progressDone).toBe(page.task.progressTotal)
    const response = await downloadExport(db(), yz.actor, taskId)
    expect(response.headers.get('Content-Type')).toContain('spreadsheetml')
    expect(response.headers.get('Content-Disposition')).toContain("filename*=UTF-8''")
    const rows = await sheetOf(response)
    expect(rows[1]).toEqual([
      '企业名称',
      '统一社会信用代码',
      '所在地区',
      '所属行业',
      '规上企业',
      '已完成诊断',
      '需求数',
      '联系人',
      '联系电话',
    ])
    const names = rows.slice(2).map((r) => r[0])
    expect(names).toContain('扬州导出测试机械有限公司')
    expect(names).toContain('扬州规上导出测试有限公司')
    expect(names).not.toContain('兰州导出测试机械有限公司')

    // The page's filter (规上 only) narrows the export; English headers for an English reader.
    const filtered = await startExport(db(), yz.actor, { list: 'enterprises', params: 'aboveScale=1&page=3&junk=1' }, 'en')
    await run()
    const enRows = await sheetOf(await downloadExport(db(), yz.actor, filtered.taskId))
    expect(enRows[1]![0]).toBe('Enterprise name')
    const enNames = enRows.slice(2, -1).map((r) => r[0])
    expect(enNames).toContain('扬州规上导出测试有限公司')
    expect(enNames).not.toContain('扬州导出测试机械有限公司')
  })

  it('exports needs, providers and contracts of the jurisdiction only', async () => {
    const yz = await agency('321000')
    const provider = await insertOrg(db(), { kind: 'provider', region: '321002', name: '扬州导出测试服务商' })
    const far = await insertOrg(db(), { kind: 'provider', region: '620100', name: '兰州导出测试服务商' })
    void provider
    void far
    const { taskId } = await startExport(db(), yz.actor, { list: 'providers', params: '' }, 'zh-CN')
    const needs = await startExport(db(), yz.actor, { list: 'needs', params: 'status=published' }, 'zh-CN')
    const contracts = await startExport(db(), yz.actor, { list: 'contracts', params: 'filter=disputed' }, 'zh-CN')
    await run()
    const rows = await sheetOf(await downloadExport(db(), yz.actor, taskId))
    expect(rows[1]![0]).toBe('服务商名称')
    const names = rows.map((r) => r[0])
    expect(names).toContain('扬州导出测试服务商')
    expect(names).not.toContain('兰州导出测试服务商')
    expect((await sheetOf(await downloadExport(db(), yz.actor, needs.taskId)))[1]![1]).toBe('需求名称')
    expect((await sheetOf(await downloadExport(db(), yz.actor, contracts.taskId)))[1]![0]).toBe('合同编号')
  })

  it('keeps a task to its member: others are told it does not exist; non-agencies may not export', async () => {
    const yz = await agency('321000')
    const colleague = await personOf(yz.orgId, 'viewer')
    const gansu = await agency('620000')
    const { taskId } = await startExport(db(), yz.actor, { list: 'needs', params: '' }, 'zh-CN')
    await run()
    await expect(downloadExport(db(), colleague.actor, taskId)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(getTaskPage(db(), gansu.actor, taskId)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // A viewer exports (reading), but may not import.
    await expect(startExport(db(), colleague.actor, { list: 'needs', params: '' }, 'zh-CN')).resolves.toMatchObject({})
    const file = await fileOf('enterprises', [['某企业有限公司', randomUscc('321003'), '321003', 'C34', '是', '', '']])
    await expect(startImport(db(), colleague.actor, { list: 'enterprises', file }, 'zh-CN')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    const enterprise = await insertOrg(db(), { kind: 'enterprise', region: '321003' })
    const member = await personOf(enterprise)
    await expect(startExport(db(), member.actor, { list: 'needs', params: '' }, 'zh-CN')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    expect((await listMyTasks(db(), yz.actor, 1)).tasks.map((t) => t.id)).toContain(taskId)
    expect((await listMyTasks(db(), colleague.actor, 1)).tasks.map((t) => t.id)).not.toContain(taskId)
  })
})

describe('imports', () => {
  it('a file with one bad row writes nothing and names the row and column', async () => {
    const yz = await agency('321000', 'reviewer')
    const good1 = randomUscc('321003')
    const good2 = randomUscc('321003')
    const file = await fileOf('enterprises', [
      ['扬州导入一号机械有限公司', good1, '邗江区', 'C34', '是', '王经理', '0514-87654321'],
      ['扬州导入二号机械有限公司', good2, '321003', '通用设备制造业', '否', '', ''],
      ['扬州导入三号机械有限公司', badUscc(), '321003', 'C34', '', '', ''],
    ])
    const { taskId } = await startImport(db(), yz.actor, { list: 'enterprises', file }, 'zh-CN')
    await run()
    const page = await getTaskPage(db(), yz.actor, taskId)
    expect(page.task.status).toBe('invalid')
    expect(page.issues).toEqual([expect.objectContaining({ row: 4, column: 'uscc', letter: 'B', message: 'org.v.usccChecksum' })])
    expect(page.mayConfirm).toBe(false)
    await expect(confirmImport(db(), yz.actor, taskId)).rejects.toMatchObject({ code: 'CONFLICT' })
    const written = await db().selectFrom('organisations').select('id').where('uscc', 'in', [good1, good2]).execute()
    expect(written).toEqual([])
  })

  it('checks every column: required, region in the jurisdiction, industry, yes/no, phone, repeats, a code on the platform', async () => {
    const yz = await agency('321000')
    const taken = await insertOrg(db(), { kind: 'enterprise', region: '321003' })
    const takenUscc = (await db().selectFrom('organisations').select('uscc').where('id', '=', taken).executeTakeFirstOrThrow())
      .uscc!
    const twice = randomUscc('321003')
    const file = await fileOf('enterprises', [
      ['', randomUscc('321003'), '321003', 'C34', '', '', ''],
      ['兰州企业有限公司', randomUscc('620100'), '620100', 'C34', '', '', ''],
      ['某企业有限公司', randomUscc('321003'), '不存在区', 'C99', '也许', '', 'abc'],
      ['重复一有限公司', twice, '321003', 'C34', '', '', ''],
      ['重复二有限公司', twice, '321003', 'C34', '', '', ''],
      ['已登记有限公司', takenUscc, '321003', 'C34', '', '', ''],
    ])
    const { taskId } = await startImport(db(), yz.actor, { list: 'enterprises', file }, 'zh-CN')
    await run()
    const page = await getTaskPage(db(), yz.actor, taskId)
    expect(page.task.status).toBe('invalid')
    expect(page.issues.map((i) => [i.row, i.letter, i.message])).toEqual([
      [2, 'A', 'spreadsheets.v.required'],
      [3, 'C', 'spreadsheets.v.regionOutside'],
      [4, 'C', 'spreadsheets.v.region'],
      [4, 'D', 'spreadsheets.v.industry'],
      [4, 'E', 'spreadsheets.v.yesNo'],
      [4, 'G', 'spreadsheets.v.phone'],
      [6, 'B', 'spreadsheets.v.usccRepeated'],
      [7, 'B', 'spreadsheets.v.usccTaken'],
    ])
    // Every message is a catalogue key with Chinese text.
    for (const i of page.issues) expect(zh(i.message, i.params)).not.toBe(i.message)
  })

  it('previews a valid file, then writes every row in one transaction on 确认导入, audited', async () => {
    const yz = await agency('321000')
    const a = randomUscc('321003')
    const b = randomUscc('321023')
    const file = await fileOf(
      'enterprises',
      [
        ['扬州预览一号有限公司', a, '321003', 'C34', 'yes', 'Wang', '13800000000'],
        ['扬州预览二号有限公司', b.toLowerCase(), '321023', 'C35', 'no', '', ''],
      ],
      'en',
    )
    const { taskId } = await startImport(db(), yz.actor, { list: 'enterprises', file }, 'zh-CN')
    await run()
    const page = await getTaskPage(db(), yz.actor, taskId)
    expect(page.task.status).toBe('ready')
    expect(page.task.rowCount).toBe(2)
    expect(page.preview.map((p) => [p.row, p.label])).toEqual([
      [2, '扬州预览一号有限公司'],
      [3, '扬州预览二号有限公司'],
    ])
    expect(page.mayConfirm).toBe(true)
    // Nothing is written before 确认导入.
    expect(await db().selectFrom('organisations').select('id').where('uscc', 'in', [a, b]).execute()).toEqual([])
    await confirmImport(db(), yz.actor, taskId)
    expect(await statusOf(yz.actor, taskId)).toBe('confirmed')
    await run()
    expect(await statusOf(yz.actor, taskId)).toBe('imported')
    const orgs = await db()
      .selectFrom('organisations as o')
      .innerJoin('enterprise_profiles as p', 'p.org_id', 'o.id')
      .select(['o.uscc', 'o.status', 'o.kind', 'o.region_code', 'o.industry_code', 'o.reviewed_by', 'p.above_scale'])
      .where('o.uscc', 'in', [a, b])
      .orderBy('o.uscc')
      .execute()
    expect(orgs).toHaveLength(2)
    const byUscc = new Map(orgs.map((o) => [o.uscc, o]))
    expect(byUscc.get(a)).toMatchObject({ status: 'verified', kind: 'enterprise', region_code: '321003', industry_code: 'C34' })
    expect(Number(byUscc.get(a)!.above_scale)).toBe(1)
    expect(Number(byUscc.get(b)!.above_scale)).toBe(0)
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id'])
      .where('object_type', '=', 'spreadsheet_task')
      .where('object_id', '=', String(taskId))
      .execute()
    expect(audit.map((r) => r.action).sort()).toEqual([
      'spreadsheet.import_confirmed',
      'spreadsheet.import_started',
      'spreadsheet.imported',
    ])
  })

  it('writes nothing when a row became invalid between the check and 确认导入', async () => {
    const yz = await agency('321000')
    const code = randomUscc('321003')
    const other = randomUscc('321003')
    const file = await fileOf('enterprises', [
      ['先检查后登记有限公司', code, '321003', 'C34', '', '', ''],
      ['同批次另一家有限公司', other, '321003', 'C34', '', '', ''],
    ])
    const { taskId } = await startImport(db(), yz.actor, { list: 'enterprises', file }, 'zh-CN')
    await run()
    expect(await statusOf(yz.actor, taskId)).toBe('ready')
    // Meanwhile the enterprise registers itself.
    const now = new Date().toISOString()
    await db()
      .insertInto('organisations')
      .values({
        kind: 'enterprise',
        name: '自行注册有限公司',
        region_code: '321003',
        uscc: code,
        industry_code: 'C34',
        created_at: now,
      })
      .execute()
    await confirmImport(db(), yz.actor, taskId)
    await run()
    const page = await getTaskPage(db(), yz.actor, taskId)
    expect(page.task.status).toBe('invalid')
    expect(page.issues.map((i) => [i.row, i.column, i.message])).toEqual([[2, 'uscc', 'spreadsheets.v.usccTaken']])
    expect(await db().selectFrom('organisations').select('id').where('uscc', '=', other).execute()).toEqual([])
    await cancelImport(db(), yz.actor, taskId)
    expect(await statusOf(yz.actor, taskId)).toBe('cancelled')
  })

  it('imports diagnosis assignments: verified enterprises of the jurisdiction, a verified consultancy, no live pair', async () => {
    const yz = await agency('321000')
    const uscc = async (id: number) =>
      (await db().selectFrom('organisations').select('uscc').where('id', '=', id).executeTakeFirstOrThrow()).uscc!
    const e1 = await insertOrg(db(), { kind: 'enterprise', region: '321003' })
    const e2 = await insertOrg(db(), { kind: 'enterprise', region: '321023' })
    const far = await insertOrg(db(), { kind: 'enterprise', region: '620100' })
    const consultancy = await insertOrg(db(), { kind: 'provider', region: '320100' })
    await db().updateTable('organisations').set({ provider_kinds: '["consultancy"]' }).where('id', '=', consultancy).execute()
    const integrator = await insertOrg(db(), { kind: 'provider', region: '320100' })

    const bad = await fileOf('diagnoses', [
      [await uscc(e1), await uscc(consultancy), '智能工厂诊断', '第一批'],
      [await uscc(far), await uscc(consultancy), '智能车间诊断', ''],
      [await uscc(e2), await uscc(integrator), 'factory', ''],
      [await uscc(e2), await uscc(consultancy), '随便诊断', ''],
      [await uscc(e1), await uscc(consultancy), '智能车间诊断', ''],
    ])
    const first = await startImport(db(), yz.actor, { list: 'diagnoses', file: bad }, 'zh-CN')
    await run()
    const page = await getTaskPage(db(), yz.actor, first.taskId)
    expect(page.task.status).toBe('invalid')
    expect(page.issues.map((i) => [i.row, i.letter, i.message])).toEqual([
      [3, 'A', 'spreadsheets.v.enterpriseOutside'],
      [4, 'B', 'spreadsheets.v.diagnoserUnknown'],
      [5, 'C', 'spreadsheets.v.kind'],
      [6, 'B', 'spreadsheets.v.pairRepeated'],
    ])
    expect(await db().selectFrom('diagnoses').select('id').where('enterprise_org_id', 'in', [e1, e2]).execute()).toEqual([])

    const good = await fileOf('diagnoses', [
      [await uscc(e1), await uscc(consultancy), '智能工厂诊断', '第一批'],
      [await uscc(e2), await uscc(consultancy), 'Smart workshop diagnosis', ''],
    ])
    const second = await startImport(db(), yz.actor, { list: 'diagnoses', file: good }, 'zh-CN')
    await run()
    expect((await getTaskPage(db(), yz.actor, second.taskId)).issues).toEqual([])
    expect(await statusOf(yz.actor, second.taskId)).toBe('ready')
    await confirmImport(db(), yz.actor, second.taskId)
    await run()
    expect(await statusOf(yz.actor, second.taskId)).toBe('imported')
    const rows = await db()
      .selectFrom('diagnoses as d')
      .innerJoin('diagnosis_report_versions as v', 'v.diagnosis_id', 'd.id')
      .select(['d.enterprise_org_id', 'd.kind', 'd.status', 'd.origin', 'd.assigned_by_org_id', 'v.status as version'])
      .where('d.enterprise_org_id', 'in', [e1, e2])
      .orderBy('d.enterprise_org_id')
      .execute()
    expect(rows).toEqual([
      {
        enterprise_org_id: e1,
        kind: 'factory',
        status: 'active',
        origin: 'agency',
        assigned_by_org_id: yz.orgId,
        version: 'draft',
      },
      {
        enterprise_org_id: e2,
        kind: 'workshop',
        status: 'active',
        origin: 'agency',
        assigned_by_org_id: yz.orgId,
        version: 'draft',
      },
    ])
    // The same list again: every pair is live now.
    const again = await startImport(db(), yz.actor, { list: 'diagnoses', file: good }, 'zh-CN')
    await run()
    expect((await getTaskPage(db(), yz.actor, again.taskId)).issues.map((i) => i.message)).toEqual([
      'spreadsheets.v.livePair',
      'spreadsheets.v.livePair',
    ])
  })

  it('refuses a file over the size limit, a non-xlsx, a wrong header and more rows than allowed', async () => {
    const yz = await agency('321000')
    const big = { name: 'big.xlsx', bytes: new Uint8Array(MAX_IMPORT_BYTES + 1) }
    await expect(startImport(db(), yz.actor, { list: 'enterprises', file: big }, 'zh-CN')).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      fieldErrors: { file: 'spreadsheets.v.fileTooLarge' },
    })
    await expect(startImport(db(), yz.actor, { list: 'enterprises', file: null }, 'zh-CN')).rejects.toMatchObject({
      code: 'VALIDATION',
      fieldErrors: { file: 'spreadsheets.v.fileRequired' },
    })
    const notZip = await startImport(
      db(),
      yz.actor,
      { list: 'enterprises', file: { name: 'x.xlsx', bytes: new TextEncoder().encode('name,uscc\n') } },
      'zh-CN',
    )
    const tooMany = await startImport(
      db(),
      yz.actor,
      {
        list: 'enterprises',
        file: await fileOf(
          'enterprises',
          Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => [`企业${i}有限公司`, '', '', '', '', '', '']),
        ),
      },
      'zh-CN',
    )
    const wrongHeader = await listWorkbook(
      [{ name: 's', columns: [{ header: '名称' }, { header: '代码' }], rows: [['a', 'b']] }],
      {
        creator: 'test',
      },
    )
    const header = await startImport(
      db(),
      yz.actor,
      { list: 'enterprises', file: { name: 'h.xlsx', bytes: wrongHeader } },
      'zh-CN',
    )
    await run()
    const issues = async (id: number) => (await getTaskPage(db(), yz.actor, id)).issues.map((i) => [i.row, i.letter, i.message])
    expect(await issues(notZip.taskId)).toEqual([[0, '', 'spreadsheets.v.notXlsx']])
    expect(await issues(tooMany.taskId)).toEqual([[0, '', 'spreadsheets.v.tooManyRows']])
    expect((await issues(header.taskId))[0]).toEqual([1, 'A', 'spreadsheets.v.header'])
  })

  it('takes over a task whose run died (its lease ran out), and serves a template in the reader’s language', async () => {
    const yz = await agency('321000')
    const { taskId } = await startExport(db(), yz.actor, { list: 'providers', params: '' }, 'zh-CN')
    await db()
      .updateTable('spreadsheet_tasks')
      .set({ status: 'running', lease_until: new Date(Date.now() - 1000).toISOString(), attempts: 1 })
      .where('id', '=', taskId)
      .execute()
    await run()
    expect(await statusOf(yz.actor, taskId)).toBe('done')

    const template = await sheetOf(await importTemplate(db(), yz.actor, 'diagnoses', 'zh-CN'))
    expect(template[0]).toEqual(['企业统一社会信用代码*', '诊断服务商统一社会信用代码*', '诊断类型*', '备注'])
  })
})
