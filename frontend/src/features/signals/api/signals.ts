import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { signalKeys } from '@/features/signals/api/query-keys'
import type { Paginated } from '@/types/paginated'
import type { Signal, SignalFilters } from '@/features/signals/api/types'

export type { SignalFilters }

export function signalParams(filters: SignalFilters): URLSearchParams {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '' && value !== null) params.set(key, String(value))
  }
  return params
}

export async function getSignals(filters: SignalFilters, signal?: AbortSignal): Promise<Paginated<Signal>> {
  return api.get<Paginated<Signal>>(`/api/signals/?${signalParams({ limit: 100, ...filters })}`, { signal })
}

export function signalsQueryOptions(filters: SignalFilters, enabled = true) {
  return queryOptions({
    queryKey: signalKeys.list(filters),
    queryFn: ({ signal }) => getSignals(filters, signal),
    enabled,
    // Live signals are merged from the stream; a slow refetch covers a dropped connection.
    refetchInterval: 60_000,
    meta: { errorMessage: 'Could not load the signals' },
  })
}

export function useSignals(filters: SignalFilters, enabled = true) {
  return useQuery(signalsQueryOptions(filters, enabled))
}

/** Whether a signal passes the filters (used to merge live signals into cached lists). */
export function signalMatches(item: Signal, filters: SignalFilters): boolean {
  if (filters.exchange !== undefined && filters.exchange !== '' && item.exchange !== filters.exchange) return false
  if (filters.symbol !== undefined && filters.symbol !== '' && item.symbol !== filters.symbol) return false
  if (filters.timeframe !== undefined && filters.timeframe !== '' && item.timeframe !== filters.timeframe) return false
  if (filters.action !== undefined && filters.action !== '' && item.action !== filters.action) return false
  if (filters.model !== undefined && item.model_version !== filters.model) return false
  return true
}
