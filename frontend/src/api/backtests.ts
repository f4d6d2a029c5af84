import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-keys'
import type { BacktestCompareRun, BacktestInput, BacktestRun, BacktestRunDetail } from '@/types/backtests'
import type { Paginated } from '@/types/paginated'

export async function getBacktests(signal?: AbortSignal): Promise<BacktestRun[]> {
  const page = await api.get<Paginated<BacktestRun>>('/api/backtests/?limit=100', { signal })
  return page.results
}

export function backtestsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.backtests(),
    queryFn: ({ signal }) => getBacktests(signal),
    meta: { errorMessage: 'Could not load your backtests' },
  })
}

export function useBacktests() {
  return useQuery(backtestsQueryOptions())
}

export function getBacktest(id: number, signal?: AbortSignal): Promise<BacktestRunDetail> {
  return api.get<BacktestRunDetail>(`/api/backtests/${id}/`, { signal })
}

export function isRunning(status: BacktestRunDetail['status']): boolean {
  return status === 'queued' || status === 'running'
}

export function backtestQueryOptions(id: number | null) {
  return queryOptions({
    queryKey: queryKeys.backtest(id ?? 0),
    queryFn: ({ signal }) => getBacktest(id ?? 0, signal),
    enabled: id !== null,
    // The stream reports progress; poll slowly as a fallback while it runs.
    refetchInterval: (query) => (query.state.data !== undefined && isRunning(query.state.data.status) ? 5000 : false),
  })
}

export function useBacktest(id: number | null) {
  return useQuery(backtestQueryOptions(id))
}

export async function getBacktestComparison(ids: readonly number[], signal?: AbortSignal): Promise<BacktestCompareRun[]> {
  const body = await api.get<{ runs: BacktestCompareRun[] }>(`/api/backtests/compare/?ids=${ids.join(',')}`, { signal })
  return body.runs
}

export function backtestCompareQueryOptions(ids: readonly number[]) {
  return queryOptions({
    queryKey: queryKeys.backtestCompare(ids),
    queryFn: ({ signal }) => getBacktestComparison(ids, signal),
    enabled: ids.length >= 2,
    meta: { errorMessage: 'Could not compare the backtests' },
  })
}

export function useBacktestComparison(ids: readonly number[]) {
  return useQuery(backtestCompareQueryOptions(ids))
}

export function createBacktest(input: BacktestInput): Promise<BacktestRun> {
  return api.post<BacktestRun>('/api/backtests/', input)
}

export function useCreateBacktest() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: createBacktest,
    onSuccess: (created) => {
      queryClient.setQueryData<BacktestRunDetail>(queryKeys.backtest(created.id), { ...created, equity_curve: [], trades: [] })
      void queryClient.invalidateQueries({ queryKey: queryKeys.backtests() })
    },
  })
}
