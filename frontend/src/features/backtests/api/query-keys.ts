/** Query keys of this feature (other features invalidate them through its public entry). */
export const backtestKeys = {
  all: ['backtests'] as const,
  list: () => ['backtests', 'list'] as const,
  detail: (id: number) => ['backtests', 'detail', id] as const,
  compare: (ids: readonly number[]) => ['backtests', 'compare', ids] as const,
}
