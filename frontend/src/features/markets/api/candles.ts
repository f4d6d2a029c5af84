import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { toBars } from '@/lib/candles'
import { marketKeys } from '@/features/markets/api/query-keys'
import { timeframeSeconds } from '@/lib/candles'
import type { Bar, CandlePage, CandleQuery } from '@/features/markets/api/types'

export type { CandleQuery }

export interface CandleSeries {
  bars: readonly Bar[]
  isDemo: boolean
}

const MAX_PAGES = 4

/**
 * The latest `limit` candles of a market, oldest first, as chart bars. The API pages forward
 * from `start`, so ask from `limit` candles before `start` (default: now) and follow
 * `next_start` until the newest candle.
 */
export async function getCandles(query: CandleQuery, signal?: AbortSignal): Promise<CandleSeries> {
  const limit = query.limit ?? 500
  const step = (timeframeSeconds(query.timeframe) ?? 3600) * 1000
  let start: number | null = (query.start ?? Date.now()) - limit * step
  const rows: number[][] = []
  let isDemo = false
  for (let pageNumber = 0; pageNumber < MAX_PAGES && start !== null; pageNumber += 1) {
    const params = new URLSearchParams({ exchange: query.exchange, symbol: query.symbol, timeframe: query.timeframe, start: String(start), limit: String(limit) })
    const page: CandlePage = await api.get<CandlePage>(`/api/candles/?${params}`, { signal })
    rows.push(...page.candles)
    isDemo = page.is_demo
    start = page.next_start
  }
  return { bars: toBars(rows).slice(-limit), isDemo }
}

export function candlesQueryOptions(query: CandleQuery | null) {
  return queryOptions({
    queryKey: query === null ? ['candles', 'none'] : marketKeys.candles(query),
    queryFn: ({ signal }) => {
      if (query === null) throw new Error('No market selected.')
      return getCandles(query, signal)
    },
    enabled: query !== null,
    // Live candles are merged in from the stream; refetch only on a new mount.
    staleTime: 60_000,
    meta: { errorMessage: 'Could not load the candles' },
  })
}

export function useCandles(query: CandleQuery | null) {
  return useQuery(candlesQueryOptions(query))
}
