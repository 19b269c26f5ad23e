/**
 * Vocabulary of the demo providers' profiles, cases and contract templates
 * (seed/providers.ts). Everything a user reads is Simplified Chinese. Case texts use
 * the need templates' slots (`{workshop}`, `{line}`, `{product}`, `{inspect}`,
 * `{defect}`, `{system}`, `{n:a-b}`), filled from the client's sub-sector vocabulary.
 */
import type { ProviderKind } from '../app/domain/orgs/schema.js'
import type { PriceModel } from '../app/domain/providers/enums.js'

// ---------------------------------------------------------------- what each kind delivers

/** Scenarios a provider of each kind delivers, with how often. */
export const KIND_SCENARIOS: Readonly<Record<ProviderKind, readonly (readonly [string, number])[]>> = {
  equipment: [
    ['S302', 10],
    ['S303', 8],
    ['S304', 6],
    ['S305', 10],
    ['S307', 7],
    ['S308', 7],
    ['S402', 3],
  ],
  it_engineering: [
    ['S103', 8],
    ['S201', 3],
    ['S301', 8],
    ['S306', 7],
    ['S401', 8],
    ['S403', 5],
    ['S501', 6],
    ['S502', 3],
    ['S503', 5],
    ['S505', 4],
  ],
  integrator: [
    ['S101', 4],
    ['S102', 6],
    ['S103', 5],
    ['S301', 6],
    ['S303', 5],
    ['S305', 6],
    ['S306', 5],
    ['S307', 4],
    ['S401', 6],
    ['S402', 6],
    ['S403', 5],
    ['S404', 3],
  ],
  consultancy: [
    ['S101', 8],
    ['S103', 6],
    ['S203', 4],
    ['S401', 3],
    ['S403', 5],
    ['S501', 3],
  ],
  supervisor: [
    ['S101', 6],
    ['S102', 3],
    ['S103', 5],
    ['S302', 3],
    ['S404', 4],
  ],
}

/** How many industries a provider of each kind serves, inclusive. */
export const KIND_INDUSTRY_COUNT: Readonly<Record<ProviderKind, readonly [number, number]>> = {
  equipment: [1, 4],
  it_engineering: [2, 6],
  integrator: [2, 5],
  consultancy: [4, 9],
  supervisor: [3, 8],
}

/** Team size range per kind (people). */
export const KIND_TEAM_SIZE: Readonly<Record<ProviderKind, readonly [number, number]>> = {
  equipment: [30, 800],
  it_engineering: [20, 600],
  integrator: [40, 1200],
  consultancy: [8, 120],
  supervisor: [10, 150],
}

// ---------------------------------------------------------------- qualifications

export interface QualificationSpec {
  name: string
  /** `{province}`, `{science}`, `{housing}`, `{city}`: the provider's own (PROVINCE_ISSUERS); else literal. */
  issuer: string
  /** Certificate number pattern: `{P}` province letters, `{Y}` year, `{n}` 4 digits. */
  number: string
  /** Validity in years; 0: none. */
  years: number
  kinds?: readonly ProviderKind[]
  weight: number
}

export const QUALIFICATIONS: readonly QualificationSpec[] = [
  {
    name: '省级智能制造服务商',
    issuer: '{province}',
    number: '{P}ZNZZ-{Y}-{n}',
    years: 3,
    kinds: ['equipment', 'it_engineering', 'integrator', 'consultancy'],
    weight: 6,
  },
  {
    name: '市级智能制造服务商',
    issuer: '{city}',
    number: '{P}SZFW-{Y}-{n}',
    years: 2,
    kinds: ['equipment', 'it_engineering', 'integrator', 'consultancy'],
    weight: 3,
  },
  { name: '两化融合管理体系贯标', issuer: '中国船级社质量认证有限公司', number: 'CCSC-LH-{Y}{n}', years: 3, weight: 4 },
  { name: 'ISO 9001 质量管理体系', issuer: '中国质量认证中心', number: '00{Y}Q3{n}R0M', years: 3, weight: 8 },
  {
    name: 'ISO 27001 信息安全管理体系',
    issuer: '中国网络安全审查认证和市场监管大数据中心',
    number: 'ISCCC-{Y}-ISMS-{n}',
    years: 3,
    kinds: ['it_engineering', 'integrator'],
    weight: 3,
  },
  { name: 'CMMI 3 级', issuer: 'CMMI Institute', number: '{Y}{n}', years: 3, kinds: ['it_engineering', 'integrator'], weight: 3 },
  {
    name: '信息系统建设和服务能力等级（CS3）',
    issuer: '中国电子信息行业联合会',
    number: 'CS3-{P}-{Y}{n}',
    years: 4,
    kinds: ['it_engineering', 'integrator'],
    weight: 2,
  },
  { name: '高新技术企业', issuer: '{science}', number: 'GR{Y}{P}{n}', years: 3, weight: 6 },
  {
    name: '专精特新中小企业',
    issuer: '{province}',
    number: '{P}ZJTX-{Y}-{n}',
    years: 3,
    kinds: ['equipment', 'integrator'],
    weight: 3,
  },
  {
    name: '工程监理综合资质',
    issuer: '{housing}',
    number: 'E{Y}{P}{n}',
    years: 5,
    kinds: ['supervisor'],
    weight: 10,
  },
  {
    name: '工程咨询单位甲级资信',
    issuer: '中国工程咨询协会',
    number: '甲{Y}{n}',
    years: 3,
    kinds: ['consultancy', 'supervisor'],
    weight: 5,
  },
  {
    name: '智能制造系统解决方案供应商推荐目录',
    issuer: '工业和信息化部',
    number: '',
    years: 0,
    kinds: ['integrator'],
    weight: 2,
  },
]

/** Province agencies that issue 省级 qualifications, and their short letters for certificate numbers. */
export interface ProvinceIssuers {
  /** {province}: the 工信 department. */
  agency: string
  /** {science}: the science and technology department (高新技术企业). */
  science: string
  /** {housing}: housing and construction (监理资质). */
  housing: string
  /** {city}: the 工信 bureau's suffix after a city's name. */
  citySuffix: string
  letters: string
}

export const PROVINCE_ISSUERS: Readonly<Record<string, ProvinceIssuers>> = {
  '32': {
    agency: '江苏省工业和信息化厅',
    science: '江苏省科学技术厅',
    housing: '江苏省住房和城乡建设厅',
    citySuffix: '工业和信息化局',
    letters: 'JS',
  },
  '33': {
    agency: '浙江省经济和信息化厅',
    science: '浙江省科学技术厅',
    housing: '浙江省住房和城乡建设厅',
    citySuffix: '经济和信息化局',
    letters: 'ZJ',
  },
  '62': {
    agency: '甘肃省工业和信息化厅',
    science: '甘肃省科学技术厅',
    housing: '甘肃省住房和城乡建设厅',
    citySuffix: '工业和信息化局',
    letters: 'GS',
  },
  '11': {
    agency: '北京市经济和信息化局',
    science: '北京市科学技术委员会',
    housing: '北京市住房和城乡建设委员会',
    citySuffix: '经济和信息化局',
    letters: 'BJ',
  },
  '31': {
    agency: '上海市经济和信息化委员会',
    science: '上海市科学技术委员会',
    housing: '上海市住房和城乡建设管理委员会',
    citySuffix: '经济和信息化委员会',
    letters: 'SH',
  },
  '44': {
    agency: '广东省工业和信息化厅',
    science: '广东省科学技术厅',
    housing: '广东省住房和城乡建设厅',
    citySuffix: '工业和信息化局',
    letters: 'GD',
  },
}

// ---------------------------------------------------------------- cases

/** What a case did, per scenario: titles and summary sentences with slots. */
export interface CaseScenarioText {
  titles: readonly string[]
  did: readonly string[]
}

export const CASE_TEXT: Readonly<Record<string, CaseScenarioText>> = {
  S101: {
    titles: ['新厂区数字化规划设计项目', '{product}工厂数字化设计', '智能工厂总体规划咨询'],
    did: [
      '完成新厂区三维数字化设计和工艺布局规划，输出设备清单与信息化总体架构。',
      '结合诊断报告开展智能工厂顶层设计，制定三年分步实施路线。',
    ],
  },
  S102: {
    titles: ['数字孪生工厂建设项目', '{workshop}数字孪生可视化平台', '全厂三维可视化管控平台'],
    did: [
      '构建{workshop}三维数字孪生模型，接入{n:200-900}个设备数据点，实现生产状态实时映射与异常定位。',
      '建设工厂级数字孪生平台，融合MES、设备与能源数据，支撑调度仿真与远程巡检。',
    ],
  },
  S103: {
    titles: ['工业网络与设备联网改造', '{workshop}5G 全连接改造', '全厂设备数据采集平台'],
    did: [
      '完成{n:80-400}台设备联网和数据采集，建设工业环网和边缘计算节点。',
      '部署 5G 专网与工业网关，打通 PLC、数控系统与{system}之间的数据链路。',
    ],
  },
  S201: {
    titles: ['{product}数字化研发平台', 'PLM 系统实施项目', '三维设计与产品数据管理'],
    did: [
      '实施 PLM 系统，统一{product}图文档、BOM 和变更流程，打通设计与工艺数据。',
      '推行三维设计和参数化建模，建立标准件库和设计知识库。',
    ],
  },
  S202: {
    titles: ['{product}虚拟仿真验证平台', '结构与流体仿真能力建设'],
    did: [
      '建设{product}虚拟试验平台，以有限元和多体仿真替代部分物理试验。',
      '搭建仿真计算集群和试验数据管理系统，缩短样机验证周期。',
    ],
  },
  S203: {
    titles: ['数字化工艺设计与管理', '{process}工艺参数优化项目', 'CAPP 系统实施项目'],
    did: [
      '实施 CAPP 系统，建立{process}等关键工序的工艺知识库和标准工艺路线。',
      '基于历史数据优化{process}工艺参数，工艺文件电子化下发至现场终端。',
    ],
  },
  S301: {
    titles: ['APS 智能排产系统实施', '{workshop}生产计划与排程优化', 'MES 与高级排产一体化项目'],
    did: [
      '上线 APS 高级排产系统，与{system}订单数据集成，实现多约束条件下的自动排程。',
      '建设 MES 计划调度模块，实现订单、物料、设备能力的协同排产与插单模拟。',
    ],
  },
  S302: {
    titles: ['{process}工序自动化改造', '{line}机器人替人项目', '{line}自动化升级'],
    did: [
      '在{line}部署{n:4-20}台工业机器人，完成{process}等工序的自动上下料与加工。',
      '对{process}工序实施数控化改造，关键工序实现自动化、少人化作业。',
    ],
  },
  S303: {
    titles: ['{line}柔性化改造', '多品种混线柔性生产单元', '快速换型与柔性制造系统'],
    did: [
      '建设柔性制造单元，支持{n:6-30}种{product}规格混线生产，换型参数自动下发。',
      '引入快换工装和 AGV 物流，实现{line}多品种小批量柔性生产。',
    ],
  },
  S304: {
    titles: ['{workshop}人机协同作业改造', '协作机器人装配工作站'],
    did: ['部署协作机器人与智能拧紧设备，实现人机协同装配和作业防错。', '建设 AR 作业指导和智能工位，装配过程数据自动采集。'],
  },
  S305: {
    titles: ['{inspect}智能在线检测项目', '{line}机器视觉检测系统', '{workshop}智能在线检测改造'],
    did: [
      '部署{n:4-16}套机器视觉检测工位，实现{inspect}在线识别与不良品自动剔除，检测数据实时上传 MES。',
      '建设基于深度学习的{inspect}检测系统，替代人工目检，缺陷样本库持续迭代。',
    ],
  },
  S306: {
    titles: ['{product}全流程质量追溯系统', '质量管理系统（QMS）实施', '一物一码质量追溯项目'],
    did: [
      '建设从原材料到成品的一物一码追溯体系，质量数据与生产批次自动关联。',
      '实施 QMS 系统，打通来料检验、过程检验、成品检验和客户投诉处理流程。',
    ],
  },
  S307: {
    titles: ['智能立体仓库建设项目', '{product}成品智能仓储', 'WMS 与自动化立库一体化项目'],
    did: [
      '建设{n:2000-12000}个货位的自动化立体仓库，配套 WMS 系统与{system}集成。',
      '实施 WMS 系统并改造仓储布局，实现条码化出入库和库位动态管理。',
    ],
  },
  S308: {
    titles: ['厂内智能物流改造', 'AGV 物流配送系统', '{workshop}物料自动配送项目'],
    did: [
      '部署{n:6-30}台 AGV/AMR，实现线边物料自动配送，与 MES 工单联动。',
      '规划厂内物流路径，建设自动输送线和智能料架，减少人工搬运。',
    ],
  },
  S401: {
    titles: ['设备运行监测平台', '{workshop}设备物联网平台', '设备综合效率（OEE）提升项目'],
    did: [
      '接入{n:50-500}台关键设备，实时采集运行状态、能耗和报警数据，自动计算 OEE。',
      '建设设备管理平台，实现点检、保养、维修全流程移动化管理。',
    ],
  },
  S402: {
    titles: ['关键设备预测性维护系统', '{workshop}设备故障诊断平台'],
    did: [
      '在关键设备部署振动、温度传感器，建立故障诊断模型，提前预警轴承、齿轮等部件劣化。',
      '基于设备运行数据建立健康度评估模型，变计划检修为预测性维护。',
    ],
  },
  S403: {
    titles: ['能源管理系统建设项目', '能耗在线监测与能效优化', '{workshop}节能降碳改造'],
    did: [
      '建设能源管理中心，覆盖电、水、气、蒸汽等{n:100-600}个计量点，实现分级分项计量与能效对标。',
      '对空压、制冷等公辅系统实施智能群控改造，能耗数据接入省级能耗在线监测平台。',
    ],
  },
  S404: {
    titles: ['安全生产风险监测预警平台', '{workshop}智能安全监测系统'],
    did: [
      '建设视频 AI 安全监测系统，识别未戴安全帽、违规闯入等行为并实时告警。',
      '建设危险源在线监测和人员定位系统，与应急预案联动。',
    ],
  },
  S405: {
    titles: ['环保在线监测系统', '污染源智能监控平台'],
    did: ['建设废气、废水排放在线监测和治理设施运行监控系统，数据实时上报。'],
  },
  S501: {
    titles: ['供应链协同平台建设', 'SRM 供应商协同系统实施'],
    did: [
      '实施 SRM 系统，实现供应商询报价、订单协同、送货与对账在线化。',
      '建设供应链协同平台，与核心供应商共享需求预测与库存数据。',
    ],
  },
  S502: {
    titles: ['客户关系管理与精准营销平台', 'CRM 系统实施项目'],
    did: ['实施 CRM 系统，整合经销商和终端客户数据，实现线索管理和营销活动效果分析。'],
  },
  S503: {
    titles: ['{product}远程运维服务平台', '设备远程运维与售后服务系统'],
    did: [
      '为售出的{product}加装物联网终端，建设远程监控与运维平台，支撑预防性服务。',
      '建设售后服务管理系统，实现报修、派工、备件与回访的闭环管理。',
    ],
  },
  S504: {
    titles: ['{product}个性化定制平台', '大规模个性化定制系统'],
    did: ['建设在线选配和订单自动拆解系统，定制订单参数直接驱动生产排程。'],
  },
  S505: {
    titles: ['产业链网络协同制造平台', '集团多工厂协同制造项目'],
    did: ['建设多工厂协同制造平台，实现订单、产能和外协加工的统一调度。'],
  },
}

/** What a contract for a scenario's work is called, in a derived template's title. */
export const TEMPLATE_SUBJECT: Readonly<Record<string, string>> = {
  S101: '智能工厂规划设计',
  S102: '数字孪生工厂建设',
  S103: '设备联网与数据采集',
  S201: '数字化研发平台建设',
  S202: '虚拟仿真平台建设',
  S203: '数字化工艺设计',
  S301: '智能排产系统实施',
  S302: '自动化产线改造',
  S303: '柔性生产线改造',
  S304: '人机协同工位改造',
  S305: '智能在线检测改造',
  S306: '质量追溯系统实施',
  S307: '智能仓储建设',
  S308: '厂内智能物流改造',
  S401: '设备运行监测平台建设',
  S402: '预测性维护系统实施',
  S403: '能源管理系统建设',
  S404: '安全风险监测系统建设',
  S405: '污染在线监测系统建设',
  S501: '供应链协同平台建设',
  S502: '精准营销系统实施',
  S503: '远程运维平台建设',
  S504: '个性化定制平台建设',
  S505: '网络协同制造平台建设',
}

/** Closing sentences of a case summary. */
export const CASE_CLOSINGS: readonly string[] = [
  '项目已通过企业组织的竣工验收，运行稳定。',
  '项目实施周期{n:3-12}个月，已稳定运行一年以上。',
  '项目分两期实施，一期已验收，二期正在推进。',
  '项目获评当年市级智能化改造示范项目。',
  '系统与企业现有{system}无缝集成，形成可复制的行业解决方案。',
]

/** A measured result a scenario's cases report: 不良品率 2.1 % → 0.6 %. */
export interface MetricSpec {
  name: string
  unit: string
  /**
   * reduce: after = before × [lo, hi]; raise: after = before + [lo, hi] (capped at `cap`);
   * change: no before, after in [lo, hi] (a change: −12 % energy, 1 200 t of coal saved).
   */
  how: 'reduce' | 'raise' | 'change'
  before?: readonly [number, number]
  by: readonly [number, number]
  decimals: number
  cap?: number
}

const m = (
  name: string,
  unit: string,
  how: MetricSpec['how'],
  by: readonly [number, number],
  decimals: number,
  before?: readonly [number, number],
  cap?: number,
): MetricSpec => ({ name, unit, how, by, decimals, before, cap })

export const METRICS: Readonly<Record<string, readonly MetricSpec[]>> = {
  S101: [
    m('建设周期', '月', 'reduce', [0.7, 0.85], 0, [18, 30]),
    m('规划方案一次通过率', '%', 'raise', [10, 25], 0, [65, 80], 98),
  ],
  S102: [m('异常响应时间', '分钟', 'reduce', [0.3, 0.6], 0, [30, 120]), m('生产效率', '%', 'change', [10, 25], 0)],
  S103: [
    m('设备联网率', '%', 'raise', [35, 60], 0, [25, 55], 99),
    m('数据采集实时率', '%', 'raise', [20, 40], 0, [55, 75], 99.5),
  ],
  S201: [
    m('新产品研发周期', '月', 'reduce', [0.6, 0.8], 1, [10, 18]),
    m('设计变更次数', '次/项目', 'reduce', [0.4, 0.7], 0, [20, 60]),
  ],
  S202: [m('物理样机试验次数', '次', 'reduce', [0.3, 0.6], 0, [6, 12]), m('研发试制成本', '%', 'change', [-35, -15], 0)],
  S203: [
    m('工艺文件编制时间', '天', 'reduce', [0.3, 0.6], 1, [5, 15]),
    m('工艺参数标准化率', '%', 'raise', [25, 40], 0, [50, 70], 100),
  ],
  S301: [
    m('订单准时交付率', '%', 'raise', [8, 16], 1, [78, 88], 99.5),
    m('计划编制时间', '小时', 'reduce', [0.05, 0.2], 1, [6, 24]),
    m('在制品库存', '%', 'change', [-35, -15], 0),
  ],
  S302: [
    m('人均产值', '万元/人', 'raise', [15, 60], 0, [60, 150]),
    m('关键工序数控化率', '%', 'raise', [20, 40], 0, [40, 60], 95),
    m('一线操作人员', '人', 'reduce', [0.5, 0.75], 0, [40, 160]),
  ],
  S303: [m('换型时间', '分钟', 'reduce', [0.25, 0.6], 0, [60, 180]), m('产线柔性化率', '%', 'raise', [25, 45], 0, [30, 50], 90)],
  S304: [m('作业效率', '%', 'change', [15, 40], 0), m('装配差错率', '‰', 'reduce', [0.3, 0.6], 1, [3, 12])],
  S305: [
    m('不良品率', '%', 'reduce', [0.2, 0.5], 1, [1.5, 4.5]),
    m('检测效率', '件/小时', 'raise', [150, 600], 0, [80, 300]),
    m('漏检率', '‰', 'reduce', [0.1, 0.3], 1, [5, 20]),
  ],
  S306: [
    m('质量追溯时间', '小时', 'reduce', [0.005, 0.02], 2, [24, 72]),
    m('客户质量投诉', '起/年', 'reduce', [0.35, 0.65], 0, [20, 80]),
  ],
  S307: [
    m('库存准确率', '%', 'raise', [3, 6], 1, [93, 96.5], 99.9),
    m('仓储占地面积', '%', 'change', [-60, -30], 0),
    m('库存周转天数', '天', 'reduce', [0.55, 0.8], 0, [35, 70]),
  ],
  S308: [m('搬运人员', '人', 'reduce', [0.3, 0.6], 0, [20, 60]), m('物流配送效率', '%', 'change', [25, 60], 0)],
  S401: [m('OEE', '%', 'raise', [10, 22], 0, [55, 68], 92), m('设备数据自动采集率', '%', 'raise', [40, 70], 0, [20, 50], 99)],
  S402: [m('非计划停机时间', '小时/月', 'reduce', [0.4, 0.7], 0, [20, 60]), m('设备维修成本', '%', 'change', [-35, -15], 0)],
  S403: [
    m('单位产品综合能耗', '%', 'change', [-18, -6], 0),
    m('年节约标准煤', '吨', 'change', [300, 5000], 0),
    m('能源计量覆盖率', '%', 'raise', [30, 55], 0, [40, 65], 100),
  ],
  S404: [
    m('安全隐患发现时间', '分钟', 'reduce', [0.2, 0.5], 0, [60, 240]),
    m('违规作业识别率', '%', 'raise', [30, 50], 0, [40, 60], 98),
  ],
  S405: [m('排放超标次数', '次/年', 'reduce', [0.05, 0.4], 0, [6, 20])],
  S501: [m('采购周期', '天', 'reduce', [0.65, 0.85], 0, [15, 40]), m('原材料库存资金占用', '%', 'change', [-30, -15], 0)],
  S502: [m('销售线索转化率', '%', 'raise', [3, 10], 1, [8, 15])],
  S503: [m('售后响应时间', '小时', 'reduce', [0.1, 0.3], 0, [24, 72]), m('现场服务次数', '%', 'change', [-50, -20], 0)],
  S504: [m('定制订单交付周期', '天', 'reduce', [0.4, 0.7], 0, [20, 45])],
  S505: [m('外协交付准时率', '%', 'raise', [8, 15], 0, [75, 85], 98)],
}

/** Investment (万元) of a case by its primary scenario, inclusive. */
export const CASE_INVESTMENT_WAN: Readonly<Record<string, readonly [number, number]>> = {
  S101: [30, 300],
  S102: [200, 3000],
  S103: [80, 1200],
  S201: [60, 800],
  S202: [100, 1500],
  S203: [30, 400],
  S301: [50, 600],
  S302: [200, 3000],
  S303: [300, 4000],
  S304: [80, 800],
  S305: [40, 900],
  S306: [40, 500],
  S307: [300, 5000],
  S308: [150, 2000],
  S401: [50, 800],
  S402: [60, 900],
  S403: [50, 1500],
  S404: [30, 500],
  S405: [50, 800],
  S501: [40, 600],
  S502: [30, 300],
  S503: [50, 600],
  S504: [100, 1200],
  S505: [200, 2500],
}

// ---------------------------------------------------------------- contract templates

export interface TemplateMilestone {
  name: string
  percent: number
  criteria: string
}

export interface OfficialTemplateSpec {
  /** The agency publishing it (DEMO_AGENCIES' region). */
  agencyRegion: string
  /** Short name of the agency's place, for derived titles: 依据扬州市示范文本. */
  place: string
  title: string
  industryCode: string | null
  scenarios: readonly string[]
  constructionDays: number
  technicalStandards: readonly string[]
  acceptanceStandards: string
  qualityTerms: string
  warrantyMonths: number
  priceModel: PriceModel
  priceMinWan: number | null
  priceMaxWan: number | null
  milestones: readonly TemplateMilestone[]
  disputeClause: string
  /** Provider kinds that derive from it. */
  forKinds: readonly ProviderKind[]
}

const STANDARDS = {
  maturity: 'GB/T 39116-2020 智能制造能力成熟度模型',
  assessment: 'GB/T 39117-2020 智能制造能力成熟度评估方法',
  install: 'GB 50231-2009 机械设备安装工程施工及验收通用规范',
  workshop: 'GB/T 37393-2019 数字化车间 通用技术要求',
  factory: 'GB/T 41255-2022 智能工厂通用技术要求',
  electrical: 'GB 50303-2015 建筑电气工程施工质量验收规范',
  security: 'GB/T 22239-2019 网络安全等级保护基本要求',
  robot: 'GB 11291.2-2013 工业机器人 安全要求 第2部分',
  energy: 'GB/T 23331-2020 能源管理体系 要求及使用指南',
  integration: 'GB/T 20720.1-2019 企业控制系统集成 第1部分',
  supervision: 'GB/T 50319-2013 建设工程监理规范',
} as const

/** Standards a derived template may add, by scenario. */
export const EXTRA_STANDARDS: Readonly<Record<string, string>> = {
  S302: STANDARDS.robot,
  S303: STANDARDS.workshop,
  S304: STANDARDS.robot,
  S305: 'GB/T 2828.1-2012 计数抽样检验程序',
  S306: 'GB/T 38155-2019 重要产品追溯 追溯术语',
  S307: 'JB/T 11270-2011 立体仓库组合式钢结构货架',
  S401: STANDARDS.integration,
  S403: STANDARDS.energy,
  S103: STANDARDS.security,
}

export const OFFICIAL_TEMPLATES: readonly OfficialTemplateSpec[] = [
  {
    agencyRegion: '321000',
    place: '扬州市',
    title: '扬州市智能化改造标准合同（示范文本）',
    industryCode: null,
    scenarios: ['S302', 'S303', 'S305', 'S307', 'S401'],
    constructionDays: 180,
    technicalStandards: [STANDARDS.maturity, STANDARDS.assessment, STANDARDS.install, STANDARDS.workshop],
    acceptanceStandards:
      '按合同附件《技术协议》逐项验收：设备安装调试完成并连续试运行 72 小时无故障；系统功能、性能指标达到技术协议要求；交付竣工图纸、操作手册和培训记录。验收由甲方组织，乙方配合，必要时邀请第三方监理参加。',
    qualityTerms:
      '乙方保证所供设备和系统为全新合格产品，符合国家标准和行业标准；质保期内因设备或施工质量问题造成的故障，乙方接到通知后 24 小时内响应、72 小时内修复，费用由乙方承担。',
    warrantyMonths: 12,
    priceModel: 'range',
    priceMinWan: 100,
    priceMaxWan: 2000,
    milestones: [
      { name: '预付款', percent: 30, criteria: '合同签订后 10 个工作日内支付' },
      { name: '到货验收款', percent: 40, criteria: '设备到货并经甲方开箱验收合格' },
      { name: '竣工验收款', percent: 25, criteria: '项目竣工验收合格并交付全部资料' },
      { name: '质保金', percent: 5, criteria: '质保期满且无未解决的质量问题' },
    ],
    disputeClause:
      '因本合同引起的争议，双方应友好协商解决；协商不成的，可申请扬州市工业和信息化局组织调解，或依法向项目所在地人民法院提起诉讼。',
    forKinds: ['equipment', 'integrator', 'it_engineering'],
  },
  {
    agencyRegion: '321000',
    place: '扬州市',
    title: '扬州市智能化改造项目监理服务合同（示范文本）',
    industryCode: null,
    scenarios: ['S101', 'S103'],
    constructionDays: 240,
    technicalStandards: [STANDARDS.supervision, STANDARDS.install, STANDARDS.electrical],
    acceptanceStandards: '监理人按月提交监理月报，项目竣工验收时提交监理工作总结和质量评估报告，经委托人确认后视为完成监理服务。',
    qualityTerms: '监理人应配备总监理工程师 1 名、专业监理工程师不少于 2 名，关键工序旁站监理，发现质量问题及时书面通知。',
    warrantyMonths: 0,
    priceModel: 'range',
    priceMinWan: 5,
    priceMaxWan: 60,
    milestones: [
      { name: '合同签订', percent: 30, criteria: '监理规划经委托人确认' },
      { name: '中期支付', percent: 40, criteria: '项目完成过半并提交监理月报' },
      { name: '竣工支付', percent: 30, criteria: '项目竣工验收并提交质量评估报告' },
    ],
    disputeClause: '因本合同引起的争议，双方协商解决；协商不成的，依法向委托人所在地人民法院提起诉讼。',
    forKinds: ['supervisor'],
  },
  {
    agencyRegion: '320000',
    place: '江苏省',
    title: '江苏省智能制造诊断服务合同（示范文本）',
    industryCode: null,
    scenarios: ['S101', 'S103', 'S203'],
    constructionDays: 60,
    technicalStandards: [STANDARDS.maturity, STANDARDS.assessment, STANDARDS.factory],
    acceptanceStandards:
      '诊断团队不少于 5 人，现场诊断不少于 8 次、每次不少于 3 小时，开展 2 次不少于 2 小时的培训，向企业负责人汇报不少于 2 次；诊断报告经企业负责人签字确认后验收。',
    qualityTerms: '诊断报告须包括企业基本情况、短板分析、系统解决方案和对标标杆，满意度调查结果为“满意”或“比较满意”。',
    warrantyMonths: 0,
    priceModel: 'fixed',
    priceMinWan: 20,
    priceMaxWan: 20,
    milestones: [
      { name: '合同签订', percent: 30, criteria: '诊断方案经企业确认' },
      { name: '诊断报告交付', percent: 50, criteria: '诊断报告经企业负责人签字确认' },
      { name: '服务评价', percent: 20, criteria: '满意度调查完成且评价为满意或比较满意' },
    ],
    disputeClause: '因本合同引起的争议，双方协商解决；协商不成的，可提请江苏省工业和信息化厅调解，或依法向人民法院提起诉讼。',
    forKinds: ['consultancy'],
  },
  {
    agencyRegion: '330000',
    place: '浙江省',
    title: '浙江省纺织印染行业数字化改造合同（示范文本）',
    industryCode: 'C17',
    scenarios: ['S301', 'S306', 'S401', 'S403'],
    constructionDays: 150,
    technicalStandards: [STANDARDS.maturity, STANDARDS.workshop, STANDARDS.energy],
    acceptanceStandards:
      '按细分行业数字化改造标准验收：染缸、定型机等关键设备联网率不低于 90%，排产、质量追溯和能耗监测功能上线运行满 1 个月。',
    qualityTerms: '软件缺陷在质保期内免费修复；硬件故障 48 小时内到场处理。',
    warrantyMonths: 12,
    priceModel: 'range',
    priceMinWan: 50,
    priceMaxWan: 800,
    milestones: [
      { name: '预付款', percent: 30, criteria: '合同签订后' },
      { name: '上线款', percent: 30, criteria: '系统部署上线并完成培训' },
      { name: '验收款', percent: 35, criteria: '试运行满 1 个月并验收合格' },
      { name: '质保金', percent: 5, criteria: '质保期满' },
    ],
    disputeClause: '因本合同引起的争议，双方协商解决；协商不成的，提交杭州仲裁委员会仲裁。',
    forKinds: ['it_engineering', 'integrator'],
  },
  {
    agencyRegion: '330100',
    place: '杭州市',
    title: '工业互联网平台应用服务合同（示范文本）',
    industryCode: null,
    scenarios: ['S103', 'S401', 'S501', 'S503'],
    constructionDays: 90,
    technicalStandards: [STANDARDS.security, STANDARDS.integration],
    acceptanceStandards: '平台部署上线，约定的设备接入、应用功能和数据接口通过联调测试，试运行三个月无重大故障。',
    qualityTerms: '服务期内平台可用性不低于 99.5%，数据按等级保护二级要求存储和备份。',
    warrantyMonths: 12,
    priceModel: 'quote',
    priceMinWan: null,
    priceMaxWan: null,
    milestones: [
      { name: '部署上线', percent: 40, criteria: '平台部署完成并开通账号' },
      { name: '试运行', percent: 40, criteria: '试运行三个月并验收合格' },
      { name: '服务期满', percent: 20, criteria: '首个服务年度期满' },
    ],
    disputeClause: '因本合同引起的争议，双方协商解决；协商不成的，依法向杭州市有管辖权的人民法院提起诉讼。',
    forKinds: ['it_engineering'],
  },
  {
    agencyRegion: '620000',
    place: '甘肃省',
    title: '甘肃省智能工厂建设项目合同（示范文本）',
    industryCode: null,
    scenarios: ['S102', 'S103', 'S401', 'S402', 'S403', 'S404'],
    constructionDays: 365,
    technicalStandards: [STANDARDS.maturity, STANDARDS.assessment, STANDARDS.factory, STANDARDS.install, STANDARDS.security],
    acceptanceStandards:
      '项目整体验收须达到《甘肃省智能工厂梯度培育要素条件》相应等级要求，智能制造能力成熟度不低于二级，分项工程验收合格并通过第三方评估。',
    qualityTerms: '乙方对设备、软件和施工质量负责，质保期内提供 7×24 小时远程支持，重大故障 48 小时内到达现场。',
    warrantyMonths: 24,
    priceModel: 'range',
    priceMinWan: 1000,
    priceMaxWan: 20000,
    milestones: [
      { name: '预付款', percent: 20, criteria: '合同签订并提交履约保函' },
      { name: '设备到货', percent: 30, criteria: '主要设备到货验收合格' },
      { name: '安装调试', percent: 30, criteria: '安装调试完成并试生产' },
      { name: '竣工验收', percent: 15, criteria: '整体竣工验收合格' },
      { name: '质保金', percent: 5, criteria: '质保期满' },
    ],
    disputeClause:
      '因本合同引起的争议，双方协商解决；协商不成的，可申请甘肃省工业和信息化厅调解，或依法向项目所在地人民法院提起诉讼。',
    forKinds: ['integrator', 'equipment', 'it_engineering'],
  },
]

/** Other milestone splits a provider's derived template uses, by the number of milestones. */
export const MILESTONE_VARIANTS: Readonly<Record<number, readonly (readonly number[])[]>> = {
  3: [
    [30, 40, 30],
    [40, 40, 20],
    [20, 50, 30],
  ],
  4: [
    [30, 50, 15, 5],
    [20, 40, 30, 10],
    [30, 40, 20, 10],
    [30, 30, 35, 5],
  ],
  5: [
    [10, 30, 40, 15, 5],
    [20, 20, 40, 15, 5],
    [30, 30, 20, 10, 10],
  ],
}

/** Demo websites: the provider's pinyin-free stand-in domain. */
export const WEBSITE_WORDS = [
  'zhiyun',
  'shuzhi',
  'tiangong',
  'huizhi',
  'ruikong',
  'dingzhi',
  'shulian',
  'zhiwang',
  'jingzhi',
  'yunqi',
  'zhiwei',
  'qingtian',
  'zhigu',
  'lianchuang',
  'zhiyuan',
  'yankong',
  'huakong',
  'kerui',
  'zhixin',
  'huashu',
] as const
