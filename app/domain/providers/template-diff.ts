import type { Milestone, TemplateContent, TemplateDiffEntry, TemplateDiffField } from './template-views.js'

/*
 * What a derived template changed from the version it derives from (usually an
 * official template, 官方范本): field by field, and for the two lists, item by item —
 * technical standards as added / removed / changed (the same standard number in another
 * edition: GB/T 39116-2018 → GB/T 39116-2020), milestones matched by name as added /
 * removed / changed (percentage or criteria). Pure: the caller names the fields' values
 * in the reader's language.
 */

/** One side of the comparison: the clauses and the template's own industry and scenarios. */
export interface DiffSide extends TemplateContent {
  industryName: string | null
  scenarioNames: string[]
}

/** How a field's value reads on the page (days, months, a price…), in the reader's language. */
export type DescribeField = (field: TemplateDiffField, side: DiffSide) => string

/** A standard's number without its edition year: `GB/T 39116-2020` → `GB/T 39116`. */
export function standardKey(standard: string): string {
  return standard
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*[-—–]\s*\d{4}$/, '')
    .toUpperCase()
}

function diffStandards(before: readonly string[], after: readonly string[]): TemplateDiffEntry[] {
  const out: TemplateDiffEntry[] = []
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toUpperCase()
  const afterExact = new Set(after.map(norm))
  const beforeExact = new Set(before.map(norm))
  const removed = before.filter((s) => !afterExact.has(norm(s)))
  const added = after.filter((s) => !beforeExact.has(norm(s)))
  const addedByKey = new Map<string, string>()
  for (const s of added) if (!addedByKey.has(standardKey(s))) addedByKey.set(standardKey(s), s)
  const paired = new Set<string>()
  for (const s of removed) {
    const replacement = addedByKey.get(standardKey(s))
    if (replacement !== undefined && !paired.has(replacement)) {
      paired.add(replacement)
      out.push({ kind: 'standard', change: 'changed', before: s, after: replacement })
    } else {
      out.push({ kind: 'standard', change: 'removed', before: s, after: null })
    }
  }
  for (const s of added) {
    if (!paired.has(s)) out.push({ kind: 'standard', change: 'added', before: null, after: s })
  }
  return out
}

function diffMilestones(before: readonly Milestone[], after: readonly Milestone[]): TemplateDiffEntry[] {
  const out: TemplateDiffEntry[] = []
  const afterByName = new Map(after.map((m) => [m.name, m]))
  const beforeByName = new Map(before.map((m) => [m.name, m]))
  for (const m of before) {
    const now = afterByName.get(m.name)
    if (!now) out.push({ kind: 'milestone', change: 'removed', name: m.name, before: m, after: null })
    else if (now.percent !== m.percent || now.criteria !== m.criteria) {
      out.push({ kind: 'milestone', change: 'changed', name: m.name, before: m, after: now })
    }
  }
  for (const m of after) {
    if (!beforeByName.has(m.name)) out.push({ kind: 'milestone', change: 'added', name: m.name, before: null, after: m })
  }
  return out
}

const FIELDS: readonly TemplateDiffField[] = [
  'industry',
  'scenarios',
  'constructionDays',
  'acceptanceStandards',
  'qualityTerms',
  'warrantyMonths',
  'price',
  'disputeClause',
]

/** Every difference from `base` to `current`, fields first, then standards, then milestones. */
export function diffTemplates(base: DiffSide, current: DiffSide, describe: DescribeField): TemplateDiffEntry[] {
  const out: TemplateDiffEntry[] = []
  for (const field of FIELDS) {
    const before = describe(field, base)
    const after = describe(field, current)
    if (before !== after) out.push({ kind: 'field', field, before, after })
  }
  out.push(...diffStandards(base.technicalStandards, current.technicalStandards))
  out.push(...diffMilestones(base.milestones, current.milestones))
  return out
}

/** The same clauses (and industry and scenarios)? Saving them again changes nothing. */
export function sameContent(a: TemplateContent, b: TemplateContent): boolean {
  return (
    a.constructionDays === b.constructionDays &&
    a.acceptanceStandards === b.acceptanceStandards &&
    a.qualityTerms === b.qualityTerms &&
    a.warrantyMonths === b.warrantyMonths &&
    a.priceModel === b.priceModel &&
    a.priceMinWan === b.priceMinWan &&
    a.priceMaxWan === b.priceMaxWan &&
    a.disputeClause === b.disputeClause &&
    JSON.stringify(a.technicalStandards) === JSON.stringify(b.technicalStandards) &&
    JSON.stringify(a.milestones.map((m) => [m.name, m.percent, m.criteria])) ===
      JSON.stringify(b.milestones.map((m) => [m.name, m.percent, m.criteria]))
  )
}
