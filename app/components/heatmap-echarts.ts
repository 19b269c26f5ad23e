/*
 * The parts of ECharts the capability map's heat map uses, and nothing else: the page
 * imports this module dynamically (app/routes/providers.map.tsx), so the bundler puts
 * these, tree-shaken, into a chunk of their own that only that page loads.
 */
import { HeatmapChart } from 'echarts/charts'
import { GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer])

export const { init } = echarts
export type ECharts = echarts.ECharts
