import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { toBars } from '@/lib/candles'
import { queryKeys } from '@/lib/query-keys'
import type { Bar, CandleQuery, CandlesPage } from '@/types/markets'

export type { CandleQuery }

export interface CandleSeries {
  bars: readonly Bar[]
  isDemo: boolean
}

/** The latest candles of a market, oldest first, as chart bars. */
export async function getCandles(query: CandleQuery, signal?: AbortSignal): Promise<CandleSeries> {
  const params = new URLSearchParams({ exchange: query.exchange, symbol: query.symbol, timeframe: query.timeframe })
  if (query.limit !== undefined) params.set('limit', String(query.limit))
  const page = await api.get<CandlesPage>(`/api/candles/?${params}`, { signal })
  return { bars: toBars(page.candles), isDemo: page.is_demo === true }
}

export function candlesQueryOptions(query: CandleQuery | null) {
  return queryOptions({
    queryKey: query === null ? ['candles', 'none'] : queryKeys.candles(query),
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
