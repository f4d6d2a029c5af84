import { describe, expect, it } from 'vitest'
import { aggregateSeries, feedItems, sentimentLabel } from '@/features/sentiment/lib/sentiment'
import { makeAggregates, makeNews, makePost } from '@/test/fixtures'

describe('sentiment helpers', () => {
  it('test_feed_mixes_news_and_posts_newest_first_and_drops_unsafe_links', () => {
    const items = feedItems([makeNews({ id: 1, url: 'javascript:alert(1)' }), makeNews({ id: 2, published_at: '2026-11-25T00:00:00Z' })], [makePost({ id: 3 })])
    expect(items.map((item) => item.key)).toEqual(['news-2', 'post-3', 'news-1'])
    expect(items.find((item) => item.key === 'news-1')?.url).toBeNull()
    expect(items.find((item) => item.key === 'post-3')?.meta).toBe('@satoshi_fan')
  })

  it('test_aggregate_series_uses_bucket_end_and_weighted_score', () => {
    const [line, bars] = aggregateSeries(makeAggregates(2))
    expect(line?.points[0]).toEqual({ time: Date.UTC(2026, 10, 20, 1) / 1000, value: 0.2 })
    expect(bars?.points.map((point) => point.value)).toEqual([3, 4])
  })

  it('test_labels_follow_the_score', () => {
    expect(sentimentLabel(0.5).text).toBe('Very bullish')
    expect(sentimentLabel(0).text).toBe('Neutral')
    expect(sentimentLabel(-0.2).text).toBe('Bearish')
  })
})
