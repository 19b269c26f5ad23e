/**
 * Catalogue: Self-assessments (自评估): the SME digital-level questionnaire and the GB/T 39116 maturity self-check (issue 16).
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'assessment.nav': '自评估',
} as const

export const en: Record<keyof typeof zh, string> = {
  'assessment.nav': 'Self-assessment',
}
