export type BacktestStatus = 'queued' | 'running' | 'done' | 'failed'

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

export interface BacktestRun {
  id: number
  status: string
  progress: number
  error: string
  config: unknown
  metrics: unknown
  created_at: string
  started_at: string | null
  finished_at: string | null
}

export interface BacktestRunDetail extends BacktestRun {
  equity_curve: number[][]
  trades: Record<string, unknown>[]
}

export interface BacktestCompareRun {
  id: number
  status: string
  config: unknown
  metrics: unknown
  equity_curve: number[][]
}

export interface BacktestInput {
  exchange: string
  symbol: string
  timeframe: string
  strategy: string
  params: Record<string, number>
  start: string
  end: string
  fee: number
  slippage_bps: number
  initial_cash: number
  stops: { stop_loss: number | null; take_profit: number | null; trailing_stop: number | null }
}
