/*
 * The enterprises context's plain enumerations, safe for components and route
 * components (the browser): defined once in db/enums.ts, re-exported here so the UI
 * layer does not reach into db/.
 */
export {
  DIAGNOSIS_KINDS,
  DIAGNOSIS_STATUSES,
  GRADIENT_TITLES,
  REVENUE_BANDS,
  SIZE_BANDS,
  STAFF_BANDS,
  TITLE_STATUSES,
} from '../../../db/enums.js'
export type {
  DiagnosisKind,
  DiagnosisStatus,
  GradientTitle,
  RevenueBand,
  SizeBand,
  StaffBand,
  TitleStatus,
} from '../../../db/enums.js'

/** The percentages of the archive, in the form's order. */
export const INDICATOR_FIELDS = ['rdToolsPct', 'equipmentNcPct', 'keyProcessNcPct', 'mgmtDigitalPct', 'mesCoveragePct'] as const
export type IndicatorField = (typeof INDICATOR_FIELDS)[number]
