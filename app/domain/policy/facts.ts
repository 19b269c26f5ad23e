/*
 * The facts a policy rule can test (issue 16). A rule set (seed/reference/policies/*.json)
 * names facts by these keys; the platform knows how to collect each one:
 * - `archive`: the enterprise's 一企一档 (enterprise_profiles), entered on /enterprise/archive
 *   or written there by a self-assessment;
 * - `assessment`: the latest self-assessment (自评估) of that kind;
 * - `gradient`: the short 梯度自评 questionnaire, for what the archive lacks.
 * A new province whose criteria use these facts is a data file only; a criterion on a fact
 * the platform cannot collect is a code change here (and the loader refuses the file until then).
 */

export type FactKind = 'percent' | 'level' | 'amount_wan' | 'count' | 'boolean' | 'links'
export type FactSource = 'archive' | 'assessment' | 'gradient'

/** The five links (环节) of the 2025 智能制造典型场景参考指引. */
export const SCENARIO_LINKS = ['factory_build', 'rd_design', 'production_ops', 'production_mgmt', 'operations_mgmt'] as const
export type ScenarioLink = (typeof SCENARIO_LINKS)[number]

export interface FactSpec {
  kind: FactKind
  source: FactSource
  /** For `level`: the scale's bounds. */
  min?: number
  max?: number
}

export const FACTS = {
  /** 数字化研发设计工具普及率 (%). */
  rd_tools_pct: { kind: 'percent', source: 'archive' },
  /** 生产装备数控化率 (%). */
  equipment_nc_pct: { kind: 'percent', source: 'archive' },
  /** 关键工序数控化率 (%). */
  key_process_nc_pct: { kind: 'percent', source: 'archive' },
  /** 经营管理数字化普及率 (%). */
  mgmt_digital_pct: { kind: 'percent', source: 'archive' },
  /** MES 覆盖产品生命周期管理的比例 (%). */
  mes_coverage_pct: { kind: 'percent', source: 'archive' },
  /** GB/T 39116-2020 智能制造能力成熟度 (1–5). */
  maturity_level: { kind: 'level', source: 'archive', min: 1, max: 5 },
  /** 中小微企业 (size band medium, small or micro). */
  is_sme: { kind: 'boolean', source: 'archive' },
  /** 中小企业数字化水平测评 level (一级–四级), from the latest self-assessment. */
  sme_digital_level: { kind: 'level', source: 'assessment', min: 1, max: 4 },
  /** 研发工艺数据和设计流程通过统一的 PDM 管理. */
  pdm_in_use: { kind: 'boolean', source: 'gradient' },
  /** 企业级资源管理系统 (ERP) covering 采购、库存、销售、财务 …. */
  erp_in_use: { kind: 'boolean', source: 'gradient' },
  /** 代表产线软硬件投资 (万元, 不含土建). */
  line_investment_wan: { kind: 'amount_wan', source: 'gradient' },
  /** 近三年无较大及以上安全、环保等事故, 无不良信用记录. */
  safety_record_clean: { kind: 'boolean', source: 'gradient' },
  /** The links of the scenario guide the planning and build-out cover. */
  links_covered: { kind: 'links', source: 'gradient' },
  /** 关键工序智能化检测, 批次全程可追溯. */
  quality_traceability: { kind: 'boolean', source: 'gradient' },
  /** 优秀场景: the scenario is one of the guide's (a scenario code is chosen). */
  scenario_in_guide: { kind: 'boolean', source: 'gradient' },
  /** 优秀场景: months it has run stably on a line in production. */
  scenario_months_running: { kind: 'count', source: 'gradient' },
  /** 优秀场景: measurable effects (效率提升、成本降低) with traceable history. */
  scenario_effect_measured: { kind: 'boolean', source: 'gradient' },
  /** 优秀场景 applications already made this calendar year. */
  scenario_applications_this_year: { kind: 'count', source: 'gradient' },
} as const satisfies Record<string, FactSpec>

export type FactKey = keyof typeof FACTS
export const FACT_KEYS = Object.keys(FACTS) as FactKey[]

export type FactValue = number | boolean | readonly ScenarioLink[]
/** What is known of an enterprise: a fact absent (or null) is unknown, never "no". */
export type Facts = Partial<Record<FactKey, FactValue | null>>

/** The facts the 梯度自评 questionnaire asks (source `gradient`). */
export const GRADIENT_FACT_KEYS = FACT_KEYS.filter((k) => FACTS[k].source === 'gradient')
