import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-keys'
import type { Paginated } from '@/types/paginated'
import type { ModelDetail, ModelSummary, Signal, SignalFilters } from '@/types/signals'

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
    queryKey: queryKeys.signals(filters),
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

export async function getModels(signal?: AbortSignal): Promise<ModelSummary[]> {
  const page = await api.get<Paginated<ModelSummary>>('/api/models/?limit=200', { signal })
  return page.results
}

export function modelsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.models,
    queryFn: ({ signal }) => getModels(signal),
    meta: { errorMessage: 'Could not load the models' },
  })
}

export function useModels() {
  return useQuery(modelsQueryOptions())
}

export function getModel(id: number, signal?: AbortSignal): Promise<ModelDetail> {
  return api.get<ModelDetail>(`/api/models/${id}/`, { signal })
}

export function modelQueryOptions(id: number | null) {
  return queryOptions({
    queryKey: queryKeys.model(id ?? 0),
    queryFn: ({ signal }) => getModel(id ?? 0, signal),
    enabled: id !== null,
  })
}

export function useModel(id: number | null) {
  return useQuery(modelQueryOptions(id))
}
