import type { Schemas } from '@/types/api'

export type Exchange = Schemas['Exchange']

export type Market = Schemas['Market']

export type { Bar } from '@/lib/candles'

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
