export interface Exchange {
  ccxt_id: string
  name: string
  enabled: boolean
  sandbox: boolean
  is_demo: boolean
  market_count: number
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
  last_candle_at: string | null
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

export interface CandlePage {
  exchange: string
  symbol: string
  timeframe: string
  is_demo: boolean
  columns: string[]
  /** `[open time ms, open, high, low, close, volume]`, oldest first. */
  candles: number[][]
  next_start: number | null
  next: string | null
}

export interface CandleQuery {
  exchange: string
  symbol: string
  timeframe: string
  /** Epoch ms of the first candle wanted (inclusive). */
  start?: number
  limit?: number
}
