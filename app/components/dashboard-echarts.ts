/*
 * The parts of ECharts the agency dashboard and the event outcomes pages draw with —
 * bars and pies, their grid, tooltip and legend, on a canvas — and nothing else: the
 * pages import this module dynamically (app/components/dashboard-chart.tsx), so the
 * bundler puts these, tree-shaken, into a chunk of their own that only those pages load.
 */
import { BarChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export const { init } = echarts
export type ECharts = echarts.ECharts
