/** The public entry of the sentiment feature: other features and the app import only from here. */
export { useNews, usePosts, useSentiment } from '@/features/sentiment/api/sentiment'
export type { NewsItem, Post, SentimentAggregate } from '@/features/sentiment/api/types'
export { SentimentFeed } from '@/features/sentiment/components/sentiment-feed'
export { SentimentGauge } from '@/features/sentiment/components/sentiment-gauge'
export { feedItems } from '@/features/sentiment/lib/sentiment'
export { useLiveSentiment } from '@/features/sentiment/lib/use-live-sentiment'
