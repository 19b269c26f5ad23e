import { useEffect, useRef, useState } from 'react'
import type { ECharts } from '~/components/dashboard-echarts.js'
import { useT } from '~/i18n/use-t.js'

/** The few ECharts option shapes the dashboard builds (kept loose: ECharts checks them itself). */
export type ChartOption = Record<string, unknown>

/**
 * One chart of the dashboard, drawn by ECharts in the browser only: its modules load
 * after the page is shown (a chunk of its own, from our origin as the CSP asks). For
 * screen readers it is one image named by `label`; the table that follows it on the
 * page carries the numbers (and is what shows without scripts).
 */
export function DashboardChart({ option, label, height = 280 }: { option: ChartOption; label: string; height?: number }) {
  const t = useT()
  const box = useRef<HTMLDivElement>(null)
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading')

  useEffect(() => {
    const element = box.current
    if (!element) return
    let disposed = false
    let chart: ECharts | null = null
    let observer: ResizeObserver | null = null
    import('~/components/dashboard-echarts.js')
      .then(({ init }) => {
        if (disposed) return
        chart = init(element, undefined, { renderer: 'canvas' })
        chart.setOption({ animation: false, ...option })
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
  }, [option])

  return (
    <div className="dash-chart-wrap" data-state={state}>
      <div ref={box} className="dash-chart" role="img" aria-label={label} data-state={state} style={{ height: `${height}px` }} />
      {state === 'loading' ? <p className="muted dash-chart-note">{t('dashboard.chart.loading')}</p> : null}
      {state === 'failed' ? <p className="muted dash-chart-note">{t('dashboard.chart.failed')}</p> : null}
    </div>
  )
}
