import type { CandleQuery } from '@/features/markets/api/types'

/** Query keys of this feature (other features invalidate them through its public entry). */
export const marketKeys = {
  markets: ['markets'] as const,
  exchanges: ['exchanges'] as const,
  candles: (query: CandleQuery) => ['candles', query.exchange, query.symbol, query.timeframe, query.limit ?? null] as const,
}
