import type { Schemas } from '@/types/api'

export type FoldMetrics = Schemas['FoldMetrics']

export type MarketRef = Schemas['MarketRef']

export type ModelSummary = Schemas['ModelVersionList']

export type ModelDetail = Schemas['ModelVersionDetail']
