import type { Schemas } from '@/types/api'

export type BacktestTrade = Schemas['BacktestTrade']

/** The run's configuration as the server stored it (after filling in defaults). */
export type BacktestConfig = Schemas['BacktestStoredConfig']

export type BacktestRun = Schemas['BacktestRun']

export type BacktestRunDetail = Schemas['BacktestRunDetail']

/** One entry of `GET /api/backtests/compare/`. */
export type BacktestCompareRun = Schemas['BacktestCompareRun']

/** The request body the form sends: the API's config with the fields the form always fills. */
export type BacktestInput = Schemas['BacktestConfigRequest'] & {
  params: Record<string, number>
  start: string
  end: string
  fee: number
  slippage_bps: number
  initial_cash: number
  stops: { stop_loss: number | null; take_profit: number | null; trailing_stop: number | null }
}
