import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { marketKeys } from '@/features/markets/api/query-keys'
import type { Exchange, Market } from '@/features/markets/api/types'
import type { Paginated } from '@/types/paginated'

export async function getMarkets(signal?: AbortSignal): Promise<Market[]> {
  const page = await api.get<Paginated<Market>>('/api/markets/?limit=500', { signal })
  return page.results
}

export function marketsQueryOptions() {
  return queryOptions({
    queryKey: marketKeys.markets,
    queryFn: ({ signal }) => getMarkets(signal),
    staleTime: 5 * 60_000,
    meta: { errorMessage: 'Could not load the markets' },
  })
}

export function useMarkets() {
  return useQuery(marketsQueryOptions())
}

export async function getExchanges(signal?: AbortSignal): Promise<Exchange[]> {
  const page = await api.get<Paginated<Exchange>>('/api/exchanges/?limit=200', { signal })
  return page.results
}

export function exchangesQueryOptions() {
  return queryOptions({
    queryKey: marketKeys.exchanges,
    queryFn: ({ signal }) => getExchanges(signal),
    staleTime: 5 * 60_000,
  })
}

export function useExchanges() {
  return useQuery(exchangesQueryOptions())
}

/** A market's stable key in URLs and pickers: `binance:BTC/USDT`. */
export function marketKey(market: Pick<Market, 'exchange' | 'symbol'>): string {
  return `${market.exchange}:${market.symbol}`
}
