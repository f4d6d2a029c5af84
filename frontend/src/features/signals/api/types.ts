import type { Schemas } from '@/types/api'

export type SignalAction = Schemas['SignalActionEnum']

export interface SignalContribution {
  feature: string
  value: number | string | null
  contribution: number
}

export type Signal = Schemas['Signal']

export interface SignalFilters {
  exchange?: string
  symbol?: string
  timeframe?: string
  action?: string
  model?: number
  limit?: number
}
