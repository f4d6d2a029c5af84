import type { Schemas } from '@/types/api'

export interface BacktestTrade {
  entry_time: string
  entry_price: number
  exit_time: string
  exit_price: number
  size: number
  exposure: number
  fees: number
  pnl: number
  return: number
  exit_reason: string
}

/** The run's configuration as the server stored it (after filling in defaults). */
export interface BacktestConfig {
  exchange?: string
  symbol?: string
  timeframe?: string
  strategy?: string
  params?: Record<string, unknown>
  start?: string | null
  end?: string | null
  fee?: number
  slippage_bps?: number
  initial_cash?: number
  stops?: { stop_loss?: number | null; take_profit?: number | null; trailing_stop?: number | null }
  [key: string]: unknown
}

export type BacktestRun = Schemas['BacktestRun']

export type BacktestRunDetail = Schemas['BacktestRunDetail']

/** One entry of `GET /api/backtests/compare/` (documented only as an object by the API). */
export interface BacktestCompareRun {
  id: number
  status: string
  config: unknown
  metrics: unknown
  equity_curve: unknown
}

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
