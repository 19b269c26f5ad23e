import type { SerializeFrom } from '@remix-run/node'
import type { ReactNode } from 'react'
import { fillTemplate } from '~/components/audit-sentence.js'
import type { CaseItem, MetricItem } from '~/domain/providers/views.js'
import { useT } from '~/i18n/use-t.js'
import { formatDecimal, formatNumber } from '~/utils/format.js'

type Case = SerializeFrom<CaseItem>

/** 平台验证 (a contract completed on the platform verified it) or 自述 (self-reported). */
export function CaseBadge({ verified }: { verified: boolean }) {
  const t = useT()
  return verified ? (
    <span className="badge badge-verified" title={t('providers.case.verifiedHint')}>
      {t('providers.case.verified')}
    </span>
  ) : (
    <span className="badge badge-self" title={t('providers.case.selfReportedHint')}>
      {t('providers.case.selfReported')}
    </span>
  )
}

/** A measured value with its unit: 2.1 %. */
function MetricValue({ value, unit }: { value: number | null; unit: string }) {
  const t = useT()
  if (value === null) return <>{t('providers.metric.noBefore')}</>
  return (
    <span data-i18n-data>
      {formatDecimal(value, 4)}
      {unit ? ` ${unit}` : ''}
    </span>
  )
}

const ARROWS = { up: '↑', down: '↓', flat: '→' } as const

/** How the value moved: an arrow, its direction in words (for screen readers) and the change in percent. */
export function MetricChange({ metric }: { metric: Pick<MetricItem, 'direction' | 'changePercent'> }) {
  const t = useT()
  if (!metric.direction) return <>{t('providers.metric.noBefore')}</>
  const percent = metric.changePercent === null ? null : `${formatDecimal(Math.abs(metric.changePercent), 1)}%`
  return (
    <span className={`metric-change metric-${metric.direction}`}>
      <span aria-hidden="true">{ARROWS[metric.direction]} </span>
      <span className={percent ? 'visually-hidden' : undefined}>{t(`providers.metric.${metric.direction}`)} </span>
      {percent}
    </span>
  )
}

/** A case's measured results: name, before, after, change. */
export function MetricsTable({ metrics, caption }: { metrics: SerializeFrom<MetricItem>[]; caption: string }) {
  const t = useT()
  if (metrics.length === 0) return null
  return (
    <table className="metric-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('providers.metric.name')}</th>
          <th scope="col">{t('providers.metric.before')}</th>
          <th scope="col">{t('providers.metric.after')}</th>
          <th scope="col">{t('providers.metric.change')}</th>
        </tr>
      </thead>
      <tbody>
        {metrics.map((m, i) => (
          <tr key={i}>
            <th scope="row" data-i18n-data>
              {m.name}
            </th>
            <td>
              <MetricValue value={m.before} unit={m.unit} />
            </td>
            <td>
              <MetricValue value={m.after} unit={m.unit} />
            </td>
            <td>
              <MetricChange metric={m} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Thumbnails of a case's images, each linking to the image itself. */
export function CaseThumbnails({ images, label }: { images: Case['images']; label: string }) {
  if (images.length === 0) return null
  return (
    <ul className="case-thumbs" aria-label={label}>
      {images.map((image) => (
        <li key={image.id}>
          <a href={image.url}>
            <img src={image.previewUrl ?? image.url} alt={image.name} loading="lazy" width={96} height={72} data-i18n-data />
          </a>
        </li>
      ))}
    </ul>
  )
}

/** `label：value`, as each language writes it. */
export function Pair({ label, children }: { label: string; children: ReactNode }) {
  const t = useT()
  return <>{fillTemplate(t('providers.meta.pair'), { label, value: <>{children}</> })}</>
}

/** One case as the public page lists it. */
export function CaseCard({ item, headingId }: { item: Case; headingId: string }) {
  const t = useT()
  return (
    <article className="card case-card" aria-labelledby={headingId}>
      <div className="case-head">
        <h3 id={headingId} data-i18n-data>
          {item.title}
        </h3>
        <CaseBadge verified={item.verified} />
      </div>
      <ul className="case-meta">
        <li>
          <Pair label={t('providers.case.client')}>
            <span data-i18n-data>{item.client}</span>
            {item.anonymised ? t('providers.case.anonymised') : null}
          </Pair>
        </li>
        <li>
          <Pair label={t('providers.case.industry')}>
            <span data-i18n-data>{item.industryName}</span>
          </Pair>
        </li>
        <li>{t('providers.case.yearValue', { year: item.year })}</li>
        {item.regionLabel ? (
          <li>
            <Pair label={t('providers.case.region')}>
              <span data-i18n-data>{item.regionLabel}</span>
            </Pair>
          </li>
        ) : null}
        {item.investmentWan !== null ? (
          <li>
            <Pair label={t('providers.case.investment')}>
              {t('providers.case.investmentValue', { amount: formatNumber(item.investmentWan) })}
            </Pair>
          </li>
        ) : null}
      </ul>
      {item.scenarios.length ? (
        <ul className="tag-list" aria-label={t('providers.case.scenarios')}>
          {item.scenarios.map((s) => (
            <li key={s.code} data-i18n-data>
              {s.name}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="case-summary" data-i18n-data>
        {item.summary}
      </p>
      <MetricsTable metrics={item.metrics} caption={t('providers.case.metrics')} />
      <CaseThumbnails images={item.images} label={t('providers.case.images')} />
    </article>
  )
}
