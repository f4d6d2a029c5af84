import { vi } from 'vitest'

function createSeriesMock() {
  return {
    setData: vi.fn(),
    update: vi.fn(),
    applyOptions: vi.fn(),
    priceScale: vi.fn(() => ({ applyOptions: vi.fn() })),
    setMarkers: vi.fn(),
  }
}

/** A stand-in for lightweight-charts with the v5 API surface the app uses. */
export function createLightweightChartsMock() {
  // Like the real library, a removed chart refuses further calls.
  const createChart = vi.fn(() => {
    let removed = false
    const alive = <T extends unknown[], R>(fn: (...args: T) => R) =>
      vi.fn((...args: T): R => {
        if (removed) throw new Error('lightweight-charts mock: the chart was already removed')
        return fn(...args)
      })
    return {
    addSeries: alive(createSeriesMock),
    removeSeries: alive(() => {}),
    applyOptions: vi.fn(),
    resize: vi.fn(),
    remove: vi.fn(() => {
      removed = true
    }),
    timeScale: vi.fn(() => ({ fitContent: vi.fn(), applyOptions: vi.fn(), scrollToRealTime: vi.fn() })),
    priceScale: vi.fn(() => ({ applyOptions: vi.fn() })),
    subscribeCrosshairMove: vi.fn(),
    unsubscribeCrosshairMove: vi.fn(),
    subscribeClick: vi.fn(),
    unsubscribeClick: vi.fn(),
    }
  })
  return {
    createChart,
    createSeriesMarkers: vi.fn(() => ({ setMarkers: vi.fn() })),
    CandlestickSeries: { type: 'Candlestick' },
    LineSeries: { type: 'Line' },
    HistogramSeries: { type: 'Histogram' },
    AreaSeries: { type: 'Area' },
    BarSeries: { type: 'Bar' },
    ColorType: { Solid: 'solid', VerticalGradient: 'gradient' },
    CrosshairMode: { Normal: 0, Magnet: 1, Hidden: 2, MagnetOHLC: 3 },
    LineStyle: { Solid: 0, Dotted: 1, Dashed: 2, LargeDashed: 3, SparseDotted: 4 },
  }
}
