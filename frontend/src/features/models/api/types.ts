import type { Schemas } from '@/types/api'

export type FoldMetrics = Record<string, unknown>

export type MarketRef = Schemas['MarketRef']

export type ModelSummary = Schemas['ModelVersionList']

export type ModelDetail = Schemas['ModelVersionDetail']
