export interface Exchange {
  id: number
  ccxt_id: string
  name: string
  enabled: boolean
  is_demo: boolean
}

export interface Market {
  id: number
  exchange: string
  symbol: string
  base: string
  quote: string
  active: boolean
  enabled: boolean
  timeframes: string[]
  is_demo: boolean
}

/** One candle as the chart wants it: time in epoch seconds (UTC). */
export interface Bar {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

/** A compact candle row: `[open time ms, open, high, low, close, volume]`. */
export type CandleRow = [number, number, number, number, number, number]

export interface CandlesPage {
  exchange: string
  symbol: string
  timeframe: string
  candles: CandleRow[]
  next: string | null
  is_demo?: boolean
}

export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'] as const

export interface CandleQuery {
  exchange: string
  symbol: string
  timeframe: string
  limit?: number
}
