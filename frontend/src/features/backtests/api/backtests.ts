import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { backtestKeys } from '@/features/backtests/api/query-keys'
import type { BacktestCompareRun, BacktestInput, BacktestRun, BacktestRunDetail } from '@/features/backtests/api/types'
import type { Paginated } from '@/types/paginated'

export async function getBacktests(signal?: AbortSignal): Promise<BacktestRun[]> {
  const page = await api.get<Paginated<BacktestRun>>('/api/backtests/?limit=100', { signal })
  return page.results
}

export function backtestsQueryOptions() {
  return queryOptions({
    queryKey: backtestKeys.list(),
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

/**
 * A run's states, as trading/models.py BacktestRun.Status stores them. The schema still types
 * `status` as a string; narrow it with `backtestStatus` until it declares the choices.
 */
export const BACKTEST_STATUSES = ['queued', 'running', 'done', 'failed'] as const
export type BacktestStatus = (typeof BACKTEST_STATUSES)[number]

export function backtestStatus(status: string): BacktestStatus | null {
  return (BACKTEST_STATUSES as readonly string[]).includes(status) ? (status as BacktestStatus) : null
}

/** Queued or running: the worker has not finished it yet. */
export function isRunning(status: string): boolean {
  const known = backtestStatus(status)
  return known === 'queued' || known === 'running'
}

export function isFinished(status: string): boolean {
  const known = backtestStatus(status)
  return known === 'done' || known === 'failed'
}

export function backtestQueryOptions(id: number | null) {
  return queryOptions({
    queryKey: backtestKeys.detail(id ?? 0),
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
    queryKey: backtestKeys.compare(ids),
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
      queryClient.setQueryData<BacktestRunDetail>(backtestKeys.detail(created.id), { ...created, equity_curve: [], trades: [] })
      void queryClient.invalidateQueries({ queryKey: backtestKeys.list() })
    },
  })
}
