/*
 * How complete an enterprise archive (一企一档) is: pure, shared by the archive's edit
 * page (the meter, each missing item a link to its field) and the agency's list of
 * enterprises (the percentage). Every item weighs the same.
 *
 * Titles held (智能工厂梯度) are not counted: holding none is a complete answer.
 */

/** The archive's values the meter looks at (a stored profile, or nulls while none was saved). */
export interface ArchiveFigures {
  sizeBand: string | null
  revenueBand: string | null
  staffBand: string | null
  mainProducts: string
  rdToolsPct: number | null
  equipmentNcPct: number | null
  keyProcessNcPct: number | null
  mgmtDigitalPct: number | null
  mesCoveragePct: number | null
  maturityLevel: number | null
  indicatorsYear: number | null
}

/** What lives on `organisations` (edited at /org/edit). */
export interface ArchiveBasics {
  industryCode: string | null
}

export const COMPLETENESS_ITEMS = [
  'industry',
  'sizeBand',
  'revenueBand',
  'staffBand',
  'mainProducts',
  'rdToolsPct',
  'equipmentNcPct',
  'keyProcessNcPct',
  'mgmtDigitalPct',
  'mesCoveragePct',
  'maturityLevel',
  'indicatorsYear',
] as const
export type CompletenessItemKey = (typeof COMPLETENESS_ITEMS)[number]

export interface ArchiveCompletenessItem {
  key: CompletenessItemKey
  filled: boolean
  /** Where it is filled in: the archive form's field, or /org/edit for the basics. */
  href: string
}

export interface ArchiveCompleteness {
  percent: number
  items: ArchiveCompletenessItem[]
  missing: ArchiveCompletenessItem[]
}

export const EMPTY_FIGURES: ArchiveFigures = {
  sizeBand: null,
  revenueBand: null,
  staffBand: null,
  mainProducts: '',
  rdToolsPct: null,
  equipmentNcPct: null,
  keyProcessNcPct: null,
  mgmtDigitalPct: null,
  mesCoveragePct: null,
  maturityLevel: null,
  indicatorsYear: null,
}

export function archiveCompleteness(
  figures: ArchiveFigures | null,
  basics: ArchiveBasics,
  archiveHref = '/enterprise/archive',
): ArchiveCompleteness {
  const f = figures ?? EMPTY_FIGURES
  const items: ArchiveCompletenessItem[] = COMPLETENESS_ITEMS.map((key) => {
    if (key === 'industry') return { key, filled: !!basics.industryCode, href: '/org/edit#industry' }
    const value = f[key]
    const filled = typeof value === 'string' ? value.trim() !== '' : value !== null
    return { key, filled, href: `${archiveHref}#${key}` }
  })
  const filled = items.filter((i) => i.filled).length
  return {
    percent: Math.round((filled / items.length) * 100),
    items,
    missing: items.filter((i) => !i.filled),
  }
}
