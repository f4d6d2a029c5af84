import {
  CandlestickSeries,
  HistogramSeries,
  LineSeries,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type MouseEventParams,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts'
import { useEffect, useRef, useState } from 'react'
import { CHART_COLORS, baseChartOptions } from '@/components/charts/chart-theme'
import { isIncremental } from '@/lib/candles'
import { cn } from '@/lib/cn'
import { formatDateTime, formatNumber, formatPrice } from '@/lib/format'
import { bollinger, ema, sma, type Series } from '@/lib/indicators'
import type { Bar } from '@/lib/candles'

export interface Overlays {
  sma: number | null
  ema: number | null
  bollinger: boolean
}

export interface ChartMarker {
  id: number
  /** Epoch seconds of the candle it belongs to. */
  time: number
  action: 'BUY' | 'SELL'
  label?: string
}

interface PriceChartProps {
  bars: readonly Bar[]
  overlays: Overlays
  markers: readonly ChartMarker[]
  /** The marker under the crosshair or clicked, or null when the pointer leaves it. */
  onMarkerFocus?: (id: number | null, source: 'hover' | 'click') => void
  label: string
  className?: string
}

interface ChartParts {
  chart: IChartApi
  candles: ISeriesApi<'Candlestick'>
  volume: ISeriesApi<'Histogram'>
  sma: ISeriesApi<'Line'>
  ema: ISeriesApi<'Line'>
  upper: ISeriesApi<'Line'>
  middle: ISeriesApi<'Line'>
  lower: ISeriesApi<'Line'>
  markers: ISeriesMarkersPluginApi<Time>
}

const asTime = (seconds: number) => seconds as UTCTimestamp

function lineData(bars: readonly Bar[], values: Series) {
  const out: { time: UTCTimestamp; value: number }[] = []
  values.forEach((value, index) => {
    const bar = bars[index]
    if (value !== null && bar !== undefined) out.push({ time: asTime(bar.time), value })
  })
  return out
}

function volumeBar(bar: Bar) {
  return { time: asTime(bar.time), value: bar.volume, color: bar.close >= bar.open ? CHART_COLORS.upVolume : CHART_COLORS.downVolume }
}

function candleBar(bar: Bar) {
  return { time: asTime(bar.time), open: bar.open, high: bar.high, low: bar.low, close: bar.close }
}

/** Nearest marker id at a crosshair time (markers sit on candle open times). */
function markerAt(markers: readonly ChartMarker[], time: Time | undefined): number | null {
  if (typeof time !== 'number') return null
  return markers.find((marker) => marker.time === time)?.id ?? null
}

/**
 * Candlesticks with volume, moving averages, Bollinger bands and BUY/SELL markers.
 * Live updates that only touch the last bar use `update()`, so the view does not jump.
 */
export function PriceChart({ bars, overlays, markers, onMarkerFocus, label, className }: PriceChartProps) {
  const container = useRef<HTMLElement>(null)
  const parts = useRef<ChartParts | null>(null)
  const drawn = useRef<readonly Bar[]>([])
  const fitted = useRef(false)
  const latestMarkers = useRef(markers)
  const latestFocus = useRef(onMarkerFocus)
  const latestBars = useRef(bars)
  const [hovered, setHovered] = useState<Bar | null>(null)

  useEffect(() => {
    latestMarkers.current = markers
    latestFocus.current = onMarkerFocus
    latestBars.current = bars
  })

  useEffect(() => {
    const element = container.current
    if (element === null) return undefined
    const chart = createChart(element, baseChartOptions())
    const candles = chart.addSeries(CandlestickSeries, {
      upColor: CHART_COLORS.up,
      downColor: CHART_COLORS.down,
      borderVisible: false,
      wickUpColor: CHART_COLORS.up,
      wickDownColor: CHART_COLORS.down,
    })
    const volume = chart.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false })
    volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } })
    const line = (color: string, width: 1 | 2 = 2) =>
      chart.addSeries(LineSeries, { color, lineWidth: width, lastValueVisible: false, priceLineVisible: false, crosshairMarkerVisible: false })
    const next: ChartParts = {
      chart,
      candles,
      volume,
      sma: line(CHART_COLORS.sma),
      ema: line(CHART_COLORS.ema),
      upper: line(CHART_COLORS.band, 1),
      middle: line(CHART_COLORS.bandMiddle, 1),
      lower: line(CHART_COLORS.band, 1),
      markers: createSeriesMarkers(candles, []),
    }
    parts.current = next
    const onMove = (param: MouseEventParams) => {
      latestFocus.current?.(markerAt(latestMarkers.current, param.time), 'hover')
      const time = typeof param.time === 'number' ? param.time : null
      setHovered(time === null ? null : (latestBars.current.find((bar) => bar.time === time) ?? null))
    }
    const onClick = (param: MouseEventParams) => {
      const id = markerAt(latestMarkers.current, param.time)
      if (id !== null) latestFocus.current?.(id, 'click')
    }
    chart.subscribeCrosshairMove(onMove)
    chart.subscribeClick(onClick)
    return () => {
      chart.unsubscribeCrosshairMove(onMove)
      chart.unsubscribeClick(onClick)
      chart.remove()
      parts.current = null
      drawn.current = []
      fitted.current = false
    }
  }, [])

  // Candles and volume: incremental when only the forming candle changed or one was added.
  useEffect(() => {
    const current = parts.current
    if (current === null) return
    const previous = drawn.current
    if (isIncremental(previous, bars)) {
      const start = previous.length - 1
      for (const bar of bars.slice(start)) {
        current.candles.update(candleBar(bar))
        current.volume.update(volumeBar(bar))
      }
    } else {
      current.candles.setData(bars.map(candleBar))
      current.volume.setData(bars.map(volumeBar))
      if (!fitted.current && bars.length > 0) {
        current.chart.timeScale().fitContent()
        fitted.current = true
      }
    }
    drawn.current = bars
  }, [bars])

  // Overlays are cheap to recompute (O(n) each); redraw them with the bars.
  useEffect(() => {
    const current = parts.current
    if (current === null) return
    const closes = bars.map((bar) => bar.close)
    current.sma.setData(overlays.sma === null ? [] : lineData(bars, sma(closes, overlays.sma)))
    current.ema.setData(overlays.ema === null ? [] : lineData(bars, ema(closes, overlays.ema)))
    const bands = overlays.bollinger ? bollinger(closes, 20, 2) : null
    current.upper.setData(bands === null ? [] : lineData(bars, bands.upper))
    current.middle.setData(bands === null ? [] : lineData(bars, bands.middle))
    current.lower.setData(bands === null ? [] : lineData(bars, bands.lower))
  }, [bars, overlays.sma, overlays.ema, overlays.bollinger])

  useEffect(() => {
    const current = parts.current
    if (current === null) return
    // Arrows for every signal; a text label only on the newest, so a busy chart stays readable.
    const sorted = markers.toSorted((a, b) => a.time - b.time)
    const items: SeriesMarker<Time>[] = sorted
      .map((marker, index) => ({
        id: String(marker.id),
        time: asTime(marker.time),
        position: marker.action === 'BUY' ? 'belowBar' : 'aboveBar',
        shape: marker.action === 'BUY' ? 'arrowUp' : 'arrowDown',
        color: marker.action === 'BUY' ? CHART_COLORS.up : CHART_COLORS.down,
        text: index === sorted.length - 1 ? (marker.label ?? marker.action) : '',
      }))
    current.markers.setMarkers(items)
  }, [markers])

  // The candle under the pointer, or the newest one: open, high, low, close, volume.
  const shown = hovered ?? bars.at(-1) ?? null
  return (
    <div className="relative">
      <figure
        ref={container}
        aria-label={label}
        data-chart="price"
        data-bars={bars.length}
        data-markers={markers.length}
        className={className ?? 'h-[420px] w-full'}
      />
      {shown === null ? null : (
        <p className="pointer-events-none absolute top-1 left-1 z-10 flex flex-wrap gap-x-2 rounded bg-slate-950/70 px-1.5 py-0.5 font-mono text-[0.7rem] text-slate-300" aria-hidden="true">
          <span className="text-slate-400">{formatDateTime(shown.time * 1000)}</span>
          <span>O {formatPrice(shown.open)}</span>
          <span>H {formatPrice(shown.high)}</span>
          <span>L {formatPrice(shown.low)}</span>
          <span className={cn(shown.close >= shown.open ? 'text-emerald-300' : 'text-rose-300')}>C {formatPrice(shown.close)}</span>
          <span>V {formatNumber(shown.volume, 2)}</span>
        </p>
      )}
    </div>
  )
}
