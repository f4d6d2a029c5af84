import { AreaSeries, HistogramSeries, LineSeries, createChart, type IChartApi, type UTCTimestamp } from 'lightweight-charts'
import { useEffect, useRef } from 'react'
import { CHART_COLORS, baseChartOptions } from '@/components/charts/chart-theme'

export interface TimePoint {
  /** Epoch seconds. */
  time: number
  value: number
  color?: string
}

export interface TimeSeriesSpec {
  name: string
  kind: 'line' | 'area' | 'histogram'
  points: readonly TimePoint[]
  color?: string
  /** Values are fractions shown as percentages. */
  percent?: boolean
  priceScaleId?: string
}

interface TimeSeriesChartProps {
  series: readonly TimeSeriesSpec[]
  label: string
  className?: string
  chartId?: string
}

function dedupe(points: readonly TimePoint[]) {
  const byTime = new Map<number, TimePoint>()
  for (const point of points) if (Number.isFinite(point.value)) byTime.set(point.time, point)
  return [...byTime.values()]
    .toSorted((a, b) => a.time - b.time)
    .map((point) => ({ time: point.time as UTCTimestamp, value: point.value, ...(point.color === undefined ? {} : { color: point.color }) }))
}

/** Lines, areas and histograms over time (equity, drawdown, sentiment), in the app's dark theme. */
export function TimeSeriesChart({ series, label, className, chartId }: TimeSeriesChartProps) {
  const container = useRef<HTMLElement>(null)
  const chartRef = useRef<IChartApi | null>(null)

  useEffect(() => {
    const element = container.current
    if (element === null) return undefined
    const chart = createChart(element, baseChartOptions())
    chartRef.current = chart
    return () => {
      chart.remove()
      chartRef.current = null
    }
  }, [])

  useEffect(() => {
    const chart = chartRef.current
    if (chart === null) return undefined
    const created = series.map((spec, index) => {
      const color = spec.color ?? CHART_COLORS.palette[index % CHART_COLORS.palette.length] ?? CHART_COLORS.line
      const priceFormat = spec.percent === true
        ? { type: 'custom' as const, formatter: (value: number) => `${(value * 100).toFixed(1)} %`, minMove: 0.0001 }
        : undefined
      const common = { title: series.length > 1 ? spec.name : '', priceLineVisible: false, ...(priceFormat === undefined ? {} : { priceFormat }), ...(spec.priceScaleId === undefined ? {} : { priceScaleId: spec.priceScaleId }) }
      const handle =
        spec.kind === 'histogram'
          ? chart.addSeries(HistogramSeries, { ...common, color })
          : spec.kind === 'area'
            ? chart.addSeries(AreaSeries, { ...common, lineColor: color, topColor: `${color}55`, bottomColor: `${color}05`, lineWidth: 2 })
            : chart.addSeries(LineSeries, { ...common, color, lineWidth: 2 })
      handle.setData(dedupe(spec.points))
      return handle
    })
    chart.timeScale().fitContent()
    return () => {
      // On unmount the chart effect's cleanup has already removed the whole chart.
      if (chartRef.current !== chart) return
      for (const handle of created) chart.removeSeries(handle)
    }
  }, [series])

  return <figure ref={container} aria-label={label} data-chart={chartId ?? 'series'} data-points={series.reduce((sum, spec) => sum + spec.points.length, 0)} className={className ?? 'h-64 w-full'} />
}
