import { Link } from '@remix-run/react'
import type { SerializeFrom } from '@remix-run/node'
import type { ArchiveCompleteness } from '~/domain/enterprises/completeness.js'
import { useT } from '~/i18n/use-t.js'
import { hasMessage } from '~/i18n/index.js'

/*
 * Pieces of the enterprise archive's pages (一企一档): the completeness meter, a title's
 * expiry flag, and the values of the archive as people read them (未填 when blank; the
 * history's before → after uses the same words).
 */

export function ArchiveCompletenessMeter({ completeness }: { completeness: SerializeFrom<ArchiveCompleteness> }) {
  const t = useT()
  return (
    <section className="card section completeness" aria-labelledby="completeness-title">
      <h2 id="completeness-title">{t('enterprises.completeness.title')}</h2>
      <p className="completeness-figure" data-testid="completeness-percent">
        {t('enterprises.completeness.percent', { percent: completeness.percent })}
      </p>
      <meter
        min={0}
        max={100}
        low={50}
        high={80}
        optimum={100}
        value={completeness.percent}
        aria-label={t('enterprises.completeness.title')}
      >
        {t('enterprises.completeness.percent', { percent: completeness.percent })}
      </meter>
      <p className="muted">{t('enterprises.completeness.lead')}</p>
      {completeness.missing.length ? (
        <div>
          <h3 className="muted">{t('enterprises.completeness.missing')}</h3>
          <ul aria-label={t('enterprises.completeness.missing')}>
            {completeness.missing.map((i) => (
              <li key={i.key}>
                {/* A plain link: the field is on this page (or /org/edit), and works without scripts. */}
                <a href={i.href}>{t(`enterprises.field.${i.key}`)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p>{t('enterprises.completeness.done')}</p>
      )}
    </section>
  )
}

export function TitleFlag({ flag }: { flag: 'expired' | 'reviewSoon' | null }) {
  const t = useT()
  if (flag === 'expired') return <span className="badge badge-rejected">{t('enterprises.titles.expired')}</span>
  if (flag === 'reviewSoon') return <span className="badge badge-pending">{t('enterprises.titles.reviewSoon')}</span>
  return null
}

const PERCENT_FIELDS = new Set(['rdToolsPct', 'equipmentNcPct', 'keyProcessNcPct', 'mgmtDigitalPct', 'mesCoveragePct'])
/** The catalogue key of an enumerated field's value. */
const ENUM_FIELDS: Record<string, (value: string) => string> = {
  sizeBand: (v) => `enterprises.sizeBand.${v}`,
  revenueBand: (v) => `enterprises.revenueBand.${v}`,
  staffBand: (v) => `enterprises.staffBand.${v}`,
  title: (v) => `enterprises.gradientTitle.${v}`,
  status: (v) => `enterprises.titleStatus.${v}`,
}

/** One archive or title value as people read it. */
export function useArchiveValue(): (field: string, value: unknown) => string {
  const t = useT()
  return (field, raw) => {
    if (raw === null || raw === undefined || raw === '') return t('enterprises.unset')
    if (typeof raw === 'boolean') return raw ? t('enterprises.yes') : t('enterprises.no')
    const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : JSON.stringify(raw)
    if (PERCENT_FIELDS.has(field)) return t('enterprises.percent', { value })
    if (field === 'maturityLevel') return t('enterprises.maturityLevel', { level: value })
    const key = ENUM_FIELDS[field]?.(value)
    if (key && hasMessage(key)) return t(key)
    return value
  }
}

/** The label of a field of the archive or of a title. */
export function useArchiveFieldLabel(): (field: string) => string {
  const t = useT()
  return (field) => {
    const key = `enterprises.field.${field}`
    return hasMessage(key) ? t(key) : field
  }
}

export function EditBasicsLink() {
  const t = useT()
  return <Link to="/org/edit">{t('enterprises.archive.editBasics')}</Link>
}
