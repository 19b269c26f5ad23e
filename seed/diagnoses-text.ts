/**
 * Words of the demo diagnosis reports (seed/diagnoses.ts): weaknesses by scenario with
 * their indicator (设备联网率 35% → 80%), the need a weakness turns into, report
 * sections, service-record contents, survey comments and owners' names.
 */
import type { DiagnosisKind, Severity } from '../db/enums.js'

export interface WeaknessTemplate {
  scenario: string
  title: string
  description: string
  indicator: string
  /** Current and target values, drawn in these ranges (integers), shown with `unit`. */
  current: readonly [number, number]
  target: readonly [number, number]
  unit: string
  /** Title of the need a weakness becomes (4–80 characters). */
  need: string
  severity: readonly (readonly [Severity, number])[]
}

const HIGH: readonly (readonly [Severity, number])[] = [
  ['high', 5],
  ['medium', 3],
  ['low', 1],
]
const MID: readonly (readonly [Severity, number])[] = [
  ['high', 2],
  ['medium', 5],
  ['low', 2],
]
const LOW: readonly (readonly [Severity, number])[] = [
  ['high', 1],
  ['medium', 3],
  ['low', 4],
]

export const WEAKNESSES: readonly WeaknessTemplate[] = [
  {
    scenario: 'S103',
    title: '设备联网率低，生产数据依赖人工抄录',
    description:
      '主要生产设备多为单机运行，仅部分设备具备通讯接口，产量、停机和工艺参数依靠班组手工填报，数据滞后一至两个班次，无法支撑实时调度。',
    indicator: '设备联网率',
    current: [20, 45],
    target: [75, 95],
    unit: '%',
    need: '生产设备联网与数据采集平台建设',
    severity: HIGH,
  },
  {
    scenario: 'S301',
    title: '生产计划靠经验排产，插单频繁打乱节奏',
    description: '计划员以 Excel 表格人工排产，未考虑设备产能和物料齐套约束，紧急插单时需反复电话协调，订单准时交付率偏低。',
    indicator: '订单准时交付率',
    current: [72, 85],
    target: [93, 98],
    unit: '%',
    need: 'APS 高级计划排程系统建设',
    severity: HIGH,
  },
  {
    scenario: 'S305',
    title: '关键工序质量检测依赖人工目检',
    description: '关键工序外观和尺寸检验以人工目检、抽检为主，检验标准执行不一，漏检时有发生，客户投诉中外观缺陷占比较高。',
    indicator: '检测自动化率',
    current: [10, 30],
    target: [70, 90],
    unit: '%',
    need: '关键工序机器视觉在线检测改造',
    severity: HIGH,
  },
  {
    scenario: 'S306',
    title: '质量追溯链条断点多，无法按批次追溯',
    description: '原材料批次、生产过程参数与成品条码之间没有关联，发生质量问题时只能按日期范围整体排查，召回范围大、耗时长。',
    indicator: '产品追溯覆盖率',
    current: [15, 40],
    target: [90, 100],
    unit: '%',
    need: '全流程质量追溯系统建设',
    severity: MID,
  },
  {
    scenario: 'S307',
    title: '仓储管理粗放，账实不符',
    description: '原材料和成品库位依靠人工记忆，出入库单据手工录入，月度盘点差异率较高，呆滞物料占用资金明显。',
    indicator: '库存账实相符率',
    current: [85, 93],
    target: [99, 100],
    unit: '%',
    need: '智能仓储与 WMS 系统建设',
    severity: MID,
  },
  {
    scenario: 'S308',
    title: '厂内物流依赖叉车人工转运',
    description: '工序间物料转运依靠叉车和人工推车，转运路线交叉，等待时间长，在制品堆积占用车间面积。',
    indicator: '物料配送准时率',
    current: [70, 85],
    target: [95, 99],
    unit: '%',
    need: '车间 AGV 智能物流配送改造',
    severity: LOW,
  },
  {
    scenario: 'S401',
    title: '设备运行状态不透明，综合效率底数不清',
    description: '设备开机、停机、故障时间没有自动记录，设备综合效率（OEE）无法统计，瓶颈设备识别靠经验判断。',
    indicator: '设备综合效率 OEE',
    current: [45, 60],
    target: [75, 85],
    unit: '%',
    need: '设备运行监测与 OEE 分析系统建设',
    severity: MID,
  },
  {
    scenario: 'S402',
    title: '设备维护以事后维修为主',
    description: '关键设备缺少状态监测手段，维护以故障后抢修为主，非计划停机时间长，备品备件库存偏高。',
    indicator: '非计划停机时长占比',
    current: [8, 15],
    target: [2, 4],
    unit: '%',
    need: '关键设备预测性维护系统建设',
    severity: MID,
  },
  {
    scenario: 'S403',
    title: '能源计量不到车间，能耗管理粗放',
    description: '全厂仅有总电表和总水表，车间、产线和重点设备未分项计量，单位产品能耗无法核算，节能措施缺乏依据。',
    indicator: '能源分项计量覆盖率',
    current: [10, 35],
    target: [85, 100],
    unit: '%',
    need: '能耗在线监测与能效优化平台建设',
    severity: MID,
  },
  {
    scenario: 'S404',
    title: '安全风险监测手段单一',
    description: '危险作业区域和重点部位依靠人工巡检，视频监控未做智能分析，隐患发现和处置记录没有闭环管理。',
    indicator: '重点部位在线监测覆盖率',
    current: [20, 50],
    target: [90, 100],
    unit: '%',
    need: '安全生产风险智能监测预警系统建设',
    severity: HIGH,
  },
  {
    scenario: 'S201',
    title: '研发设计工具普及率不高，图纸管理分散',
    description: '部分产品仍以二维图纸设计，三维设计软件仅少数工程师使用，图纸和 BOM 分散在个人电脑，版本混乱。',
    indicator: '数字化研发设计工具普及率',
    current: [40, 65],
    target: [85, 95],
    unit: '%',
    need: '三维设计与 PLM 产品数据管理系统建设',
    severity: MID,
  },
  {
    scenario: 'S203',
    title: '工艺文件纸质流转，工艺变更执行滞后',
    description: '工艺卡片以纸质下发车间，工艺变更后现场版本更新不及时，新员工培训周期长。',
    indicator: '工艺文件电子化率',
    current: [20, 50],
    target: [90, 100],
    unit: '%',
    need: '数字化工艺设计与电子作业指导系统',
    severity: LOW,
  },
  {
    scenario: 'S302',
    title: '关键工序数控化率偏低',
    description: '下料、装配等关键工序仍以手工和半自动设备为主，产品一致性依赖操作工技能，招工难问题突出。',
    indicator: '关键工序数控化率',
    current: [35, 55],
    target: [70, 85],
    unit: '%',
    need: '关键工序自动化与数控化改造',
    severity: HIGH,
  },
  {
    scenario: 'S304',
    title: '重体力和重复性岗位用工多',
    description: '搬运、上下料、码垛等岗位劳动强度大、人员流动性高，存在安全隐患，人工成本逐年上升。',
    indicator: '重复岗位机器人替代率',
    current: [5, 20],
    target: [50, 70],
    unit: '%',
    need: '上下料及码垛机器人工作站建设',
    severity: MID,
  },
  {
    scenario: 'S501',
    title: '与上下游信息交互靠电话和邮件',
    description: '采购订单、交货计划和库存信息与主要供应商、客户之间没有系统对接，需求变化传递慢，缺料停线时有发生。',
    indicator: '供应商协同在线率',
    current: [0, 20],
    target: [60, 80],
    unit: '%',
    need: '供应链协同平台建设',
    severity: LOW,
  },
  {
    scenario: 'S103',
    title: '信息系统各自为政，存在数据孤岛',
    description: 'ERP、财务和车间报工系统分别建设，物料编码不统一，数据需要人工导出核对，经营报表编制周期长。',
    indicator: '经营管理数字化普及率',
    current: [40, 60],
    target: [80, 95],
    unit: '%',
    need: '企业数据中台与系统集成项目',
    severity: MID,
  },
  {
    scenario: 'S503',
    title: '售出设备缺少远程运维能力',
    description: '售后服务依靠客户电话报修和工程师上门，故障响应慢，设备运行数据无法回传用于产品改进。',
    indicator: '售后远程诊断覆盖率',
    current: [0, 15],
    target: [50, 80],
    unit: '%',
    need: '产品远程运维服务平台建设',
    severity: LOW,
  },
  {
    scenario: 'S405',
    title: '污染物排放依靠人工采样',
    description: '废水、废气排放口依靠定期人工采样送检，无法实时掌握排放浓度，环保风险较大。',
    indicator: '排放口在线监测覆盖率',
    current: [0, 40],
    target: [100, 100],
    unit: '%',
    need: '污染物排放在线监测系统建设',
    severity: HIGH,
  },
]

export const KIND_LABELS: Readonly<Record<DiagnosisKind, string>> = {
  chain: '产业链',
  factory: '智能工厂',
  workshop: '智能车间',
  digital_app: '数字化应用',
}

/** The 企业基本情况 section: {name}, {kind}, {products}, {staff} filled in. */
export const BASICS = [
  '{name}主要生产{products}，现有员工约{staff}人。企业已建设 ERP 系统和财务软件，生产现场以人工管理为主。本次{kind}诊断围绕生产制造、质量管控、设备管理和仓储物流等环节展开。',
  '{name}成立以来专注{products}的研发与制造，拥有员工{staff}人左右。近年来企业陆续引进数控设备，但信息系统建设相对滞后。受企业委托开展{kind}诊断，诊断组现场调研了主要车间和职能部门。',
  '{name}是当地{products}骨干企业，员工约{staff}人，产品销往国内主要整机厂。企业有较强的智能化改造意愿，本次{kind}诊断重点评估其数字化基础和改造路径。',
]

export const SOLUTIONS = [
  '总体思路：以数据贯通为主线，先夯实设备联网和数据采集基础，再建设制造执行系统，实现计划、生产、质量、设备的一体化管理。分两期实施：一期完成关键产线联网和 MES 上线，二期推进质量追溯和能源管理，逐步向智能工厂迈进。',
  '顶层设计：按照“总体规划、分步实施、效益驱动”的原则，构建“一平台、三中心”架构，即工业互联网平台，计划调度中心、质量管控中心和设备运维中心。优先实施投入小、见效快的场景，形成示范后在全厂推广。',
  '改造路径：建议企业以关键工序自动化为突破口，同步补齐数据采集和信息系统短板。近期聚焦检测与追溯，中期建设数字化车间，远期对标智能工厂梯度培育要求，申报市级智能工厂。',
]

export const BENCHMARK_PEERS = [
  '常州某汽车零部件省级智能工厂',
  '苏州某精密制造国家级智能制造示范工厂',
  '宁波某家电企业工业互联网标杆工厂',
  '无锡某纺织企业省级智能车间',
  '兰州某石化装备企业省级数字化车间',
  '杭州某电子企业未来工厂',
  '扬州某电线电缆企业省级智能车间',
]

export const BENCHMARK_NOTES = [
  '标杆企业已实现设备联网率 95% 以上、MES 全覆盖，订单交付周期缩短 30%，可作为企业改造的参照。',
  '标杆企业通过视觉检测与质量追溯系统，产品不良率下降 40%，其分步实施经验值得借鉴。',
  '标杆企业以能源管理和设备预测性维护为切入点，单位产值能耗下降 15%，投资回收期约两年。',
]

export const RECOMMENDATION_NOTES = ['具备同行业实施经验', '可承担设备联网与数据采集', '视觉检测方案成熟', '本地服务响应快', '']

export const RECORD_CONTENT: Readonly<Record<'site_visit' | 'training' | 'briefing', readonly string[]>> = {
  site_visit: [
    '诊断组现场走访各生产车间，查看设备运行和生产组织情况，与车间主任和班组长座谈，采集设备台账和产能数据。',
    '现场调研质量管理流程，查阅检验记录和客户投诉台账，跟踪关键工序作业过程。',
    '调研仓储物流和计划调度环节，梳理订单从接单到交付的全流程，绘制价值流图。',
    '与企业信息部门交流现有系统情况，调研 ERP、财务系统的使用和数据接口。',
    '复核诊断发现，与企业技术负责人逐条讨论短板和改造建议，完善诊断报告。',
  ],
  training: [
    '为企业中层管理人员讲授智能制造能力成熟度模型（GB/T 39116）与智能工厂梯度培育政策。',
    '开展数字化转型专题培训，介绍同行业智能化改造典型案例和实施路径。',
  ],
  briefing: ['向企业主要负责人汇报诊断初步发现和改造方向，听取企业意见。', '向企业主要负责人汇报诊断报告终稿及分步实施建议。'],
}

export const SURVEY_COMMENTS = [
  '诊断组专业、认真，报告针对性强。',
  '诊断发现的问题切中要害，建议可操作。',
  '现场服务时间较紧，希望后续继续跟踪指导。',
  '',
  '',
]

export const AGENCY_OPINIONS = ['诊断服务符合要求，同意验收。', '服务记录完整，报告质量较好。']

export const RETURN_REASONS = ['改造投资估算偏粗，请补充分项预算。', '短板描述与现场情况有出入，请修改第二项。']

export const PROPOSAL_NOTES = [
  '我司具备同行业诊断经验，拟为贵企业提供免费智能化改造诊断服务。',
  '受主管部门委托开展诊断服务。',
  '',
]

export const MAIN_PRODUCTS = ['{product}', '{product}及配套零部件', '{product}、{product2}']

export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '朱',
  '马',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '郑',
]
export const GIVEN_NAMES = [
  '建国',
  '志刚',
  '海涛',
  '秀英',
  '丽华',
  '国强',
  '明辉',
  '春燕',
  '伟',
  '静',
  '磊',
  '军',
  '红梅',
  '永胜',
  '晓峰',
  '玉兰',
]

/** Who grants the 智能工厂梯度 titles (by province prefix). */
export const TITLE_ISSUERS: Readonly<Record<string, string>> = {
  '32': '江苏省工业和信息化厅',
  '33': '浙江省经济和信息化厅',
  '62': '甘肃省工业和信息化厅',
}

export const TITLE_SCENES = ['智能在线检测', '质量追溯', '智能仓储', '设备运行监测', '能耗监测与能效优化', '']
