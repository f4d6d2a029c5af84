import type { Schemas } from '@/types/api'

export type SentimentScore = Schemas['Score']

export type NewsItem = Schemas['NewsItem']

export type Post = Schemas['Post']

export type SentimentAggregate = Schemas['Aggregate']

export interface SentimentQuery {
  asset: string
  interval?: string
  limit?: number
}
