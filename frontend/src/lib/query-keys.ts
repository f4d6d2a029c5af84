import type { CandleQuery } from '@/types/markets'
import type { SentimentQuery } from '@/types/sentiment'
import type { SignalFilters } from '@/types/signals'

/** Query keys shared between resources and app-wide cache handling. */
export const queryKeys = {
  me: ['auth', 'me'] as const,
  health: ['health'] as const,
  markets: ['markets'] as const,
  exchanges: ['exchanges'] as const,
  candles: (query: CandleQuery) => ['candles', query.exchange, query.symbol, query.timeframe, query.limit ?? null] as const,
  signals: (filters: SignalFilters) => ['signals', filters] as const,
  signalsAll: ['signals'] as const,
  models: ['models'] as const,
  model: (id: number) => ['models', id] as const,
  news: (query: SentimentQuery) => ['news', query] as const,
  posts: (query: SentimentQuery) => ['posts', query] as const,
  sentiment: (query: SentimentQuery) => ['sentiment', query] as const,
  backtests: () => ['backtests', 'list'] as const,
  backtestsAll: ['backtests'] as const,
  backtest: (id: number) => ['backtests', 'detail', id] as const,
  backtestCompare: (ids: readonly number[]) => ['backtests', 'compare', ids] as const,
  exchangeAccounts: ['exchange-accounts'] as const,
}
