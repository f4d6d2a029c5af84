/** The public entry of the backtests feature: other features and the app import only from here. */
export { backtestKeys } from '@/features/backtests/api/query-keys'
export type { BacktestRunDetail } from '@/features/backtests/api/types'
export { validateBacktestsSearch } from '@/features/backtests/lib/search'
export { useBacktestEvents } from '@/features/backtests/lib/use-backtest-events'
