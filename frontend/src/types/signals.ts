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
  /** ISO 8601 open time of the closed candle the signal is for. */
  open_time: string
  action: SignalAction
  confidence: number
  probabilities: Record<string, number>
  model_version: number
  explanation: unknown
  created_at: string
}

export type ModelStatus = 'candidate' | 'champion' | 'retired'

export type FoldMetrics = Record<string, unknown>

export interface MarketRef {
  exchange: string
  symbol: string
}

export interface ModelSummary {
  id: number
  markets: MarketRef[]
  timeframe: string
  status: string
  feature_set_version: string
  summary_score: number
  train_start: string
  train_end: string
  is_demo: boolean
  created_at: string
  promoted_at: string | null
}

export interface ModelDetail extends ModelSummary {
  feature_config: unknown
  label_params: unknown
  hyperparameters: unknown
  fold_metrics: unknown
  feature_importance: unknown
  promotion: unknown
  artifact_sha256: string
}

export interface SignalFilters {
  exchange?: string
  symbol?: string
  timeframe?: string
  action?: string
  model?: number
  limit?: number
}
