import type { SentimentQuery } from '@/features/sentiment/api/types'

/** Query keys of this feature (other features invalidate them through its public entry). */
export const sentimentKeys = {
  news: (query: SentimentQuery) => ['news', query] as const,
  posts: (query: SentimentQuery) => ['posts', query] as const,
  aggregates: (query: SentimentQuery) => ['sentiment', query] as const,
}
