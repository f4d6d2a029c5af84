import { ColorType, CrosshairMode, type DeepPartial, type TimeChartOptions } from 'lightweight-charts'

export const CHART_COLORS = {
  up: '#34d399',
  down: '#fb7185',
  upVolume: 'rgba(52, 211, 153, 0.35)',
  downVolume: 'rgba(251, 113, 133, 0.35)',
  sma: '#fbbf24',
  ema: '#a78bfa',
  band: 'rgba(56, 189, 248, 0.75)',
  bandMiddle: 'rgba(56, 189, 248, 0.4)',
  line: '#22d3ee',
  palette: ['#22d3ee', '#fbbf24', '#a78bfa', '#34d399', '#fb7185', '#f472b6'],
} as const

/** The dark theme every chart shares. */
export function baseChartOptions(): DeepPartial<TimeChartOptions> {
  return {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: 'transparent' },
      textColor: '#94a3b8',
      fontSize: 11,
      attributionLogo: false,
    },
    grid: {
      vertLines: { color: 'rgba(255, 255, 255, 0.04)' },
      horzLines: { color: 'rgba(255, 255, 255, 0.06)' },
    },
    crosshair: { mode: CrosshairMode.Normal },
    rightPriceScale: { borderColor: 'rgba(255, 255, 255, 0.1)' },
    timeScale: { borderColor: 'rgba(255, 255, 255, 0.1)', timeVisible: true, secondsVisible: false },
    localization: { locale: 'en-US' },
  }
}
