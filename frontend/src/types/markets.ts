import type { Schemas } from '@/types/api'

export type Exchange = Schemas['Exchange']

export type Market = Schemas['Market']

/** One candle as the chart wants it: time in epoch seconds (UTC). */
export interface Bar {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

/** `candles` rows are `[open time ms, open, high, low, close, volume]`, oldest first. */
export type CandlePage = Schemas['CandlePage']

export interface CandleQuery {
  exchange: string
  symbol: string
  timeframe: string
  /** Epoch ms of the first candle wanted (inclusive). */
  start?: number
  limit?: number
}
