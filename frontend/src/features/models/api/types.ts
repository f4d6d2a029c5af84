import type { Schemas } from '@/types/api'

export type FoldMetrics = Schemas['FoldMetrics']

export type MarketRef = Schemas['MarketRef']

export type ModelSummary = Schemas['ModelVersionList']

export type ModelDetail = Schemas['ModelVersionDetail']

export type ModelEvaluation = Schemas['Evaluation']

export type Reliability = Schemas['Reliability']

export type TuneRequest = Schemas['TuneRequestRequest']

export type TuneAccepted = Schemas['TuneAccepted']
