import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Schemas } from '@/types/api'
import type { Paginated } from '@/types/paginated'

/** A fill as the trades list shows it: the fill, its order's bot and what a bot's sale realised. */
export type Trade = Schemas['Trade']

/** Query keys of the trades feature; order and fill events invalidate `all`. */
export const tradeKeys = {
  all: ['trades'] as const,
  fills: (symbol: string | undefined, limit: number) => ['trades', 'fills', { symbol, limit }] as const,
}

export function getFills(symbol: string | undefined, limit: number, signal?: AbortSignal): Promise<Paginated<Trade>> {
  const params = new URLSearchParams({ limit: String(limit) })
  if (symbol !== undefined) params.set('symbol', symbol)
  return api.get<Paginated<Trade>>(`/api/fills/?${params}`, { signal })
}

/** The user's fills, newest first (the API filters by symbol; side and bot are filtered here). */
export function useFills(symbol: string | undefined, limit: number) {
  return useQuery({
    queryKey: tradeKeys.fills(symbol, limit),
    queryFn: ({ signal }) => getFills(symbol, limit, signal),
    placeholderData: keepPreviousData,
    meta: { errorMessage: 'Could not load your trades' },
  })
}
