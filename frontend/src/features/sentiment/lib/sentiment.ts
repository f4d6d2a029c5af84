import type { TimeSeriesSpec } from '@/components/charts/time-series-chart'
import type { NewsItem, Post, SentimentAggregate } from '@/features/sentiment/api/types'

export function sentimentLabel(value: number): { text: string; tone: string } {
  if (value >= 0.35) return { text: 'Very bullish', tone: 'text-emerald-300' }
  if (value >= 0.05) return { text: 'Bullish', tone: 'text-emerald-300' }
  if (value > -0.05) return { text: 'Neutral', tone: 'text-slate-200' }
  if (value > -0.35) return { text: 'Bearish', tone: 'text-rose-300' }
  return { text: 'Very bearish', tone: 'text-rose-300' }
}

export interface FeedItem {
  key: string
  kind: 'news' | 'post'
  title: string
  url: string | null
  meta: string
  time: string
  score: number | null
  isDemo: boolean
}

export function feedItems(news: readonly NewsItem[], posts: readonly Post[]): FeedItem[] {
  const items: FeedItem[] = [
    ...news.map((item) => ({
      key: `news-${item.id}`,
      kind: 'news' as const,
      title: item.title,
      url: /^https?:\/\//.test(item.url) ? item.url : null,
      meta: item.domain === '' ? item.source_name : item.domain,
      time: item.published_at,
      score: item.score?.compound ?? null,
      isDemo: item.is_demo,
    })),
    ...posts.map((item) => ({
      key: `post-${item.id}`,
      kind: 'post' as const,
      title: item.text,
      url: null,
      meta: item.author === '' ? item.source_name : `@${item.author}`,
      time: item.created_at,
      score: item.score?.compound ?? null,
      isDemo: item.is_demo,
    })),
  ]
  return items.toSorted((a, b) => Date.parse(b.time) - Date.parse(a.time))
}

export function aggregateSeries(buckets: readonly SentimentAggregate[]): TimeSeriesSpec[] {
  const points = buckets.map((bucket) => ({ time: Math.floor(Date.parse(bucket.bucket_end) / 1000), bucket }))
  return [
    {
      name: 'Weighted score',
      kind: 'line',
      color: '#22d3ee',
      points: points
        .filter(({ bucket }) => (bucket.weighted_compound ?? bucket.mean_compound) !== null)
        .map(({ time, bucket }) => ({ time, value: bucket.weighted_compound ?? bucket.mean_compound ?? 0 })),
    },
    {
      name: 'Items',
      kind: 'histogram',
      priceScaleId: 'left',
      points: points.map(({ time, bucket }) => ({ time, value: bucket.item_count, color: 'rgba(148, 163, 184, 0.35)' })),
    },
  ]
}

