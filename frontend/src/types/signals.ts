export type SignalAction = 'BUY' | 'SELL' | 'HOLD'

export interface SignalContribution {
  feature: string
  value: number | string | null
  contribution: number
}

export interface Signal {
  id: number
  exchange: string
  symbol: string
  timeframe: string
  open_time: string
  action: SignalAction
  prob_buy: number
  prob_hold: number
  prob_sell: number
  confidence: number
  explanation: unknown
  model: number
  is_demo: boolean
  created_at: string
}

export type ModelStatus = 'candidate' | 'champion' | 'retired'

export type FoldMetrics = Record<string, unknown> & { fold?: number }

export interface ModelSummary {
  id: number
  scope: string
  timeframe: string
  status: ModelStatus
  summary_score: number
  feature_set_version: string
  train_start: string
  train_end: string
  is_demo: boolean
  created_at: string
  promoted_at: string | null
}

export interface ModelDetail extends ModelSummary {
  fold_metrics: FoldMetrics[]
  feature_importance: Record<string, number>
  hyperparameters: Record<string, unknown>
  label_params: Record<string, unknown>
  promotion: Record<string, unknown>
}

export interface SignalFilters {
  exchange?: string
  symbol?: string
  timeframe?: string
  action?: string
  model?: number
  limit?: number
}
