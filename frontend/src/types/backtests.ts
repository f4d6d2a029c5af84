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

export interface BacktestSummary {
  id: number
  exchange: string
  symbol: string
  timeframe: string
  strategy: string
  start: string
  end: string
  status: BacktestStatus
  progress: number
  error: string
  metrics: Record<string, number | string | null> | null
  is_demo: boolean
  created_at: string
  finished_at: string | null
}

export interface Backtest extends BacktestSummary {
  fee_rate: number
  slippage_bps: number
  initial_cash: number
  stop_loss: number | null
  take_profit: number | null
  trailing_stop: number | null
  equity: [number, number][]
  trades: BacktestTrade[]
}

export interface BacktestInput {
  exchange: string
  symbol: string
  timeframe: string
  strategy: string
  start: string
  end: string
  fee_rate: number
  slippage_bps: number
  initial_cash: number
  stop_loss: number | null
  take_profit: number | null
  trailing_stop: number | null
}
