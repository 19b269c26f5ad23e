import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigate } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { getCapabilityMap, ZCapabilityMapParams, type CapabilityMap } from '~/domain/providers/capability-map.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import type { ECharts } from '~/components/heatmap-echarts.js'
import { useT } from '~/i18n/use-t.js'
import directoryStyles from '~/styles/directory.css'
import { formatNumber } from '~/utils/format.js'
import { parseQuery } from '~/web/input.server.js'
import { optionalActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'map.title')
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: directoryStyles }]

/** Below this width the heat map is not drawn (app/styles/directory.css hides its frame too). */
const NARROW = '(max-width: 640px)'

const LINKS = ['factory_build', 'rd_design', 'production', 'production_mgmt', 'operations_mgmt'] as const

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db, search } = services()
    const actor = await optionalActor(args)
    const params = parseQuery(ZCapabilityMapParams, args.request)
    const locale = await getLocale(args.request)
    return json({ map: await getCapabilityMap(db, search, actor, params, locale) })
  })
}

/** The directory listing a cell's providers: it filters by the map's rule (capability-map.server.ts), so it lists what the cell counts. */
function cellHref(region: string | null, industry: string, scenario: string): string {
  const params = new URLSearchParams({ industry, scenario })
  if (region) params.set('region', region)
  return `/providers?${params.toString()}`
}

/** The query of this map (region and link), for the export link and the form. */
function mapQuery(map: Pick<CapabilityMap, 'region' | 'link'>): string {
  const params = new URLSearchParams({ region: map.region?.code ?? 'all' })
  if (map.link) params.set('link', map.link)
  return params.toString()
}

/** A cell's background: the share of the largest cell, as the heat map colours it (the table without scripts too). */
function heat(value: number, max: number): string | undefined {
  if (value <= 0 || max <= 0) return undefined
  const share = value / max
  return `rgba(22, 93, 255, ${(0.06 + share * 0.37).toFixed(3)})`
}

export default function CapabilityMapPage() {
  const { map } = useLoaderData<typeof loader>()
  const t = useT()
  const regionName = map.region?.name ?? t('map.region.all')
  const query = mapQuery(map)

  return (
    <>
      <header className="page-head">
        <h1>{t('map.title')}</h1>
        <p className="muted">{t('map.lead')}</p>
        <p>
          <Link to="/providers">{t('map.toDirectory')}</Link>
        </p>
      </header>

      <Form method="get" className="map-controls" key={query}>
        <div className="field">
          <label htmlFor="m-region">{t('map.region')}</label>
          <select id="m-region" name="region" defaultValue={map.region?.code ?? 'all'}>
            <option value="all">{t('map.region.all')}</option>
            {map.regionOptions.map((r) => (
              <option key={r.code} value={r.code} data-i18n-data>
                {'\u00a0\u00a0'.repeat(r.depth) + r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="m-link">{t('map.link')}</label>
          <select id="m-link" name="link" defaultValue={map.link ?? ''}>
            <option value="">{t('map.link.all')}</option>
            {LINKS.map((link) => (
              <option key={link} value={link}>
                {t(`link.${link}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit">{t('map.show')}</button>
          <a href={`/providers/map.xlsx?${query}`} download className="button button-secondary">
            {t('map.export')}
          </a>
        </div>
      </Form>

      <p className="map-summary" role="status" data-i18n-data>
        {t('map.summary', { region: regionName, total: formatNumber(map.total), proven: formatNumber(map.proven) })}
      </p>
      <p className="muted map-rule">{t('map.rule')}</p>

      {map.total === 0 ? (
        <div className="empty-state">
          <p>{t('map.empty')}</p>
          <p className="empty-actions">
            <Link to="/providers/map?region=all">{t('map.region.all')}</Link>
            <Link to="/providers">{t('map.toDirectory')}</Link>
          </p>
        </div>
      ) : (
        <>
          <Heatmap map={map} regionName={regionName} />
          <MapTable map={map} regionName={regionName} />
        </>
      )}
    </>
  )
}

/**
 * The accessible view, and the only one without scripts: one row per industry, one
 * column per scenario, each count a link to the directory filtered to that cell. A
 * screen reader names a cell by its row and column headers (scope), so the cells carry
 * no aria-label of their own: 744 of them would double the page (a title gives mouse
 * users the same sentence).
 */
function MapTable({ map, regionName }: { map: CapabilityMap; regionName: string }) {
  const t = useT()
  const region = map.region?.code ?? null
  return (
    <div className="map-table-wrap" role="region" aria-labelledby="map-table-caption" tabIndex={0}>
      <table className="map-table">
        <caption id="map-table-caption" data-i18n-data>
          {t('map.table.caption', { region: regionName })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('map.table.industry')}</th>
            {map.scenarios.map((s) => (
              <th scope="col" key={s.code} data-i18n-data>
                {s.name}
              </th>
            ))}
            <th scope="col">{t('map.table.total')}</th>
          </tr>
        </thead>
        <tbody>
          {map.industries.map((industry, i) => (
            <tr key={industry.code}>
              <th scope="row" data-i18n-data>
                {industry.name}
              </th>
              {map.scenarios.map((scenario, j) => {
                const n = map.providers[i]![j]!
                const v = map.verified[i]![j]!
                const label = t('map.cell.label', { industry: industry.name, scenario: scenario.name, count: n, verified: v })
                return (
                  <td
                    key={scenario.code}
                    style={{ background: heat(n, map.max) }}
                    data-cell={`${industry.code}-${scenario.code}`}
                  >
                    {n > 0 ? (
                      // A plain link: 744 router <Link>s (hooks each) cost more to render than the rest of the page.
                      <a href={cellHref(region, industry.code, scenario.code)} title={label}>
                        {n}
                        {v > 0 ? <span className="map-verified">{t('map.cell.verified', { count: v })}</span> : null}
                      </a>
                    ) : (
                      <span className="map-zero" title={label}>
                        0
                      </span>
                    )}
                  </td>
                )
              })}
              <td className="map-total">{industry.total}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('map.table.total')}</th>
            {map.scenarios.map((s) => (
              <td key={s.code} className="map-total">
                {s.total}
              </td>
            ))}
            <td className="map-total">{map.total}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  )
}

/**
 * The heat map, drawn by ECharts in the browser only: its modules load on this page,
 * after it is shown (a separate chunk from our own origin, as the CSP asks). A click
 * on a cell opens the directory filtered to it, like the table's links. For screen
 * readers it is one image, described by the table below.
 */
function Heatmap({ map, regionName }: { map: CapabilityMap; regionName: string }) {
  const t = useT()
  const navigate = useNavigate()
  const box = useRef<HTMLDivElement>(null)
  const [state, setState] = useState<'loading' | 'ready' | 'failed' | 'narrow'>('loading')

  useEffect(() => {
    const element = box.current
    if (!element) return
    // A phone shows the table (coloured the same way); 24 columns of a heat map do not fit it.
    if (window.matchMedia(NARROW).matches) {
      setState('narrow')
      return
    }
    let disposed = false
    let chart: ECharts | null = null
    let observer: ResizeObserver | null = null
    const region = map.region?.code ?? null
    import('~/components/heatmap-echarts.js')
      .then(({ init }) => {
        if (disposed) return
        chart = init(element, undefined, { renderer: 'canvas' })
        const data: [number, number, number, number][] = []
        map.industries.forEach((_, i) =>
          map.scenarios.forEach((__, j) => data.push([j, i, map.providers[i]![j]!, map.verified[i]![j]!])),
        )
        chart.setOption({
          animation: false,
          grid: { left: 8, right: 8, top: 8, bottom: 64, containLabel: true },
          tooltip: {
            formatter: (p: { value: [number, number, number, number] }) =>
              t('map.cell.label', {
                industry: map.industries[p.value[1]]!.name,
                scenario: map.scenarios[p.value[0]]!.name,
                count: p.value[2],
                verified: p.value[3],
              }),
          },
          xAxis: {
            type: 'category',
            data: map.scenarios.map((s) => s.name),
            axisLabel: { rotate: 45, interval: 0, fontSize: 11 },
          },
          yAxis: {
            type: 'category',
            data: map.industries.map((i) => i.name),
            inverse: true,
            axisLabel: { fontSize: 11, width: 150, overflow: 'truncate' },
          },
          visualMap: {
            // The providers of a cell (each datum is [scenario, industry, providers, verified]).
            dimension: 2,
            min: 0,
            max: Math.max(1, map.max),
            calculable: false,
            text: [String(map.max), '0'],
            orient: 'horizontal',
            left: 'center',
            bottom: 0,
            inRange: { color: ['#f4f7ff', '#165dff'] },
          },
          series: [
            {
              type: 'heatmap',
              data,
              label: {
                show: true,
                fontSize: 10,
                formatter: (p: { value: [number, number, number, number] }) => String(p.value[2]),
              },
              emphasis: { itemStyle: { borderColor: '#1d2129', borderWidth: 1 } },
            },
          ],
        })
        chart.on('click', (p) => {
          const value = p.value as [number, number, number, number] | undefined
          if (!value || value[2] <= 0) return
          navigate(cellHref(region, map.industries[value[1]]!.code, map.scenarios[value[0]]!.code))
        })
        observer = new ResizeObserver(() => chart?.resize())
        observer.observe(element)
        setState('ready')
      })
      .catch(() => {
        if (!disposed) setState('failed')
      })
    return () => {
      disposed = true
      observer?.disconnect()
      chart?.dispose()
    }
  }, [map, navigate, t])

  return (
    <div className="map-chart-wrap" data-state={state}>
      <div
        ref={box}
        className="map-chart"
        role="img"
        aria-label={t('map.chart.label', { region: regionName })}
        data-state={state}
        style={{ height: `${Math.max(320, map.industries.length * 24 + 160)}px` }}
      />
      {state === 'loading' ? <p className="muted map-chart-note">{t('map.chart.loading')}</p> : null}
      {state === 'failed' ? <p className="muted map-chart-note">{t('map.chart.failed')}</p> : null}
    </div>
  )
}
