import type { NeedHistoryEntry, NeedSourceLink } from './authoring-views.js'
import type { NeedStatus, TargetLevel } from './enums.js'

/*
 * What the needs use cases hand to pages: plain data, importable by components
 * (which never import *.server modules).
 */

/** A need in a list (the hall, the home page), drawn from the search index. */
export interface NeedListItem {
  id: number
  title: string
  orgName: string
  industryName: string
  regionName: string
  level: TargetLevel
  status: NeedStatus
  budgetMinWan: number
  budgetMaxWan: number
  publishedAt: string
  scenarioNames: string
  excerpt: string
}

/** One need's page. */
export interface NeedDetail {
  id: number
  title: string
  description: string
  expectedResults: string
  industryCode: string
  industryName: string
  regionCode: string
  regionName: string
  level: TargetLevel
  budgetMinWan: number
  budgetMaxWan: number
  expectedStart: string
  durationMonths: number
  acceptsMatching: boolean
  status: NeedStatus
  publishedAt: string
  orgName: string
  scenarios: { code: string; name: string }[]
  /** Edits made while it was published, newest first (history.server.ts). */
  history: NeedHistoryEntry[]
  /** The diagnosis report it came from (来自诊断报告), when it did. */
  source: NeedSourceLink | null
}
