import type { Transaction } from 'kysely'
import type { Database } from '../../../db/connection.js'
import type { DB } from '../../../db/types.js'
import { versionColumns } from './templates.server.js'
import type { TemplateFields } from './template-views.js'

/*
 * Demo contract templates (标准合同), for the demo data (seed/): realistic official
 * templates (官方范本) an agency publishes — 扬州市 and 甘肃省 texts after Zhejiang 2022
 * §(五) (施工周期, 技术标准, 验收标准, 工程质量, 工程价款及付款方式) — and a provider's own,
 * derived from one. insertDemoTemplate writes one as the use cases would (version 1,
 * scenarios, the base version), without an audit event: demo data is generated, not
 * done by someone. The caller owns the transaction and the organisations.
 */

/** Official templates an agency publishes (the first is the one the journeys derive from). */
export const OFFICIAL_TEMPLATE_DEMOS: readonly TemplateFields[] = [
  {
    title: '扬州市智能化改造标准合同（示范文本）',
    industryCode: null,
    scenarioCodes: ['S401', 'S402', 'S305', 'S306', 'S403'],
    constructionDays: 180,
    technicalStandards: [
      'GB/T 39116-2020 智能制造能力成熟度模型',
      'GB/T 39117-2020 智能制造能力成熟度评估方法',
      'GB/T 20720.1-2019 企业控制系统集成',
      'GB/T 22239-2019 网络安全等级保护基本要求',
      'GB 50174-2017 数据中心设计规范',
    ],
    acceptanceStandards:
      '1. 按合同技术附件逐项核对建设内容，功能、性能指标全部达到约定值；\n' +
      '2. 系统连续稳定试运行不少于 30 日，期间无重大故障；\n' +
      '3. 乙方提交竣工资料（设计文件、操作手册、培训记录、源代码或配置备份）；\n' +
      '4. 甲方组织验收，项目设有监理的，由监理单位出具监理意见；验收结论书面确认。',
    qualityTerms:
      '工程质量应符合国家、行业现行标准及合同技术附件要求。设备、软件应为正版、全新且来源合法；' +
      '隐蔽工程须经甲方或监理单位检查合格后方可覆盖。因乙方原因造成质量不合格的，乙方负责返工并承担费用。',
    warrantyMonths: 24,
    priceModel: 'range',
    priceMinWan: 100,
    priceMaxWan: 500,
    milestones: [
      { name: '预付款', percent: 30, criteria: '合同签订且乙方提交等额预付款保函后 10 个工作日内' },
      { name: '到货安装款', percent: 30, criteria: '主要设备到货并安装调试完成，经甲方确认' },
      { name: '验收款', percent: 35, criteria: '项目通过竣工验收后 15 个工作日内' },
      { name: '质保金', percent: 5, criteria: '质保期满且无未处理质量问题后 10 个工作日内' },
    ],
    disputeClause:
      '因本合同引起的争议，双方应友好协商；协商不成的，可申请项目所在地工业和信息化主管部门组织的第三方专家团队调解，' +
      '调解不成的，提交扬州仲裁委员会按其仲裁规则仲裁。',
  },
  {
    title: '扬州市设备联网与数据采集改造合同（示范文本）',
    industryCode: 'C34',
    scenarioCodes: ['S401', 'S103'],
    constructionDays: 90,
    technicalStandards: [
      'GB/T 39116-2020',
      'GB/T 33008.1-2016 工业自动化和控制系统网络安全 可编程序控制器（PLC）',
      'GB/T 37393-2019 数字化车间 通用技术要求',
    ],
    acceptanceStandards:
      '设备联网率、数据采集点位与采集频率达到技术附件约定；数据上云完整率不低于 99%；试运行 15 日无数据中断超过 1 小时的故障。',
    qualityTerms: '采集终端、网关须提供出厂合格证与检测报告；布线符合工业现场电气安全要求。',
    warrantyMonths: 12,
    priceModel: 'fixed',
    priceMinWan: 80,
    priceMaxWan: 80,
    milestones: [
      { name: '预付款', percent: 30, criteria: '合同签订后 10 个工作日内' },
      { name: '上线款', percent: 60, criteria: '系统上线并通过验收' },
      { name: '质保金', percent: 10, criteria: '质保期满' },
    ],
    disputeClause: '协商不成的，任何一方可向项目所在地有管辖权的人民法院提起诉讼。',
  },
  {
    title: '甘肃省智能工厂建设项目合同（示范文本）',
    industryCode: 'C26',
    scenarioCodes: ['S102', 'S301', 'S404', 'S405'],
    constructionDays: 365,
    technicalStandards: [
      'GB/T 39116-2020',
      'GB/T 41255-2022 智能工厂通用技术要求',
      'GB/T 22239-2019',
      'AQ 3035-2010 危险化学品重大危险源安全监控通用技术规范',
    ],
    acceptanceStandards:
      '按《甘肃省智能工厂梯度培育要求》对照验收；关键工序数控化率、生产数据自动采集率等指标达到合同约定；安全、环保监测系统通过主管部门检查。',
    qualityTerms: '涉及危险化学品生产区域的改造须符合防爆、安全联锁要求，施工前编制专项方案并报甲方安全部门审批。',
    warrantyMonths: 36,
    priceModel: 'quote',
    priceMinWan: null,
    priceMaxWan: null,
    milestones: [
      { name: '预付款', percent: 20, criteria: '合同签订后 15 个工作日内' },
      { name: '设计确认款', percent: 10, criteria: '顶层设计与实施方案经甲方确认' },
      { name: '进度款', percent: 40, criteria: '主要系统安装调试完成' },
      { name: '验收款', percent: 25, criteria: '通过竣工验收' },
      { name: '质保金', percent: 5, criteria: '质保期满' },
    ],
    disputeClause: '协商不成的，提交兰州仲裁委员会仲裁。',
  },
]

/** A provider's own template derived from the first official one: shorter period, another payment split. */
export function derivedDemoTemplate(providerName: string): TemplateFields {
  const base = OFFICIAL_TEMPLATE_DEMOS[0]!
  return {
    ...base,
    title: `${providerName}智能化改造合同`.slice(0, 80),
    constructionDays: 150,
    technicalStandards: [...base.technicalStandards.slice(0, 3), 'GB/T 37393-2019 数字化车间 通用技术要求'],
    priceModel: 'range',
    priceMinWan: 150,
    priceMaxWan: 400,
    milestones: [
      { name: '预付款', percent: 30, criteria: '合同签订后 10 个工作日内' },
      { name: '到货安装款', percent: 40, criteria: '主要设备到货并安装调试完成，经甲方确认' },
      { name: '验收款', percent: 30, criteria: '项目通过竣工验收后 15 个工作日内' },
    ],
  }
}

/**
 * Writes one demo template (version 1) of `orgId`: official when `official`. Returns
 * its id and its version's id (to derive another from). The milestones must sum to 100.
 */
export async function insertDemoTemplate(
  trx: Transaction<DB> | Database,
  input: { orgId: number; official: boolean; fields: TemplateFields; at: string; derivedFromVersionId?: number | null },
): Promise<{ templateId: number; versionId: number }> {
  const sum = input.fields.milestones.reduce((total, m) => total + m.percent, 0)
  if (sum !== 100) throw new Error(`demo template ${input.fields.title}: milestones sum to ${sum}`)
  const template = await trx
    .insertInto('contract_templates')
    .values({
      org_id: input.orgId,
      is_official: input.official ? 1 : 0,
      title: input.fields.title,
      industry_code: input.fields.industryCode,
      status: 'active',
      current_version: 1,
      created_at: input.at,
      updated_at: input.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (input.fields.scenarioCodes.length > 0) {
    await trx
      .insertInto('contract_template_scenarios')
      .values(input.fields.scenarioCodes.map((scenario_code) => ({ template_id: template.id, scenario_code })))
      .execute()
  }
  const version = await trx
    .insertInto('contract_template_versions')
    .values({
      template_id: template.id,
      version: 1,
      derived_from_version_id: input.derivedFromVersionId ?? null,
      ...versionColumns(input.fields),
      created_by: null,
      created_at: input.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { templateId: template.id, versionId: version.id }
}
