import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { timeframeSeconds } from '@/lib/candles'
import { sentimentKeys } from '@/features/sentiment/api/query-keys'
import type { Paginated } from '@/types/paginated'
import type { NewsItem, Post, SentimentAggregate, SentimentQuery } from '@/features/sentiment/api/types'

export type { SentimentQuery }

function params(query: SentimentQuery, extra: Record<string, string> = {}): string {
  const out = new URLSearchParams({ asset: query.asset, limit: String(query.limit ?? 50), ...extra })
  return out.toString()
}

export function getNews(query: SentimentQuery, signal?: AbortSignal): Promise<Paginated<NewsItem>> {
  return api.get<Paginated<NewsItem>>(`/api/news/?${params(query)}`, { signal })
}

export function getPosts(query: SentimentQuery, signal?: AbortSignal): Promise<Paginated<Post>> {
  return api.get<Paginated<Post>>(`/api/posts/?${params(query)}`, { signal })
}

/**
 * Closed sentiment buckets, oldest first: the newest `limit` of them. Asks for the last `limit`
 * intervals first (one request); when the asset has nothing that recent, pages to the end.
 */
export async function getSentiment(query: SentimentQuery, signal?: AbortSignal): Promise<SentimentAggregate[]> {
  const interval = query.interval ?? '1h'
  const limit = query.limit ?? 500
  const fetchPage = (extra: Record<string, string>) =>
    api.get<Paginated<SentimentAggregate>>(`/api/sentiment/?${params({ ...query, limit }, { interval, ...extra })}`, { signal })
  // The API lists oldest first: the newest `limit` buckets are its last page.
  const lastPage = async (extra: Record<string, string>) => {
    const first = await fetchPage(extra)
    if (first.count <= first.results.length) return first.results
    return (await fetchPage({ ...extra, offset: String(first.count - limit) })).results
  }
  const step = (timeframeSeconds(interval) ?? 3600) * 1000
  const recent = await lastPage({ start: new Date(Date.now() - limit * step).toISOString() })
  return recent.length > 0 ? recent : lastPage({})
}

export function newsQueryOptions(query: SentimentQuery | null) {
  return queryOptions({
    queryKey: sentimentKeys.news(query ?? { asset: '' }),
    queryFn: ({ signal }) => getNews(query ?? { asset: '' }, signal),
    enabled: query !== null && query.asset !== '',
    meta: { errorMessage: 'Could not load the news' },
  })
}

export function postsQueryOptions(query: SentimentQuery | null) {
  return queryOptions({
    queryKey: sentimentKeys.posts(query ?? { asset: '' }),
    queryFn: ({ signal }) => getPosts(query ?? { asset: '' }, signal),
    enabled: query !== null && query.asset !== '',
    meta: { errorMessage: 'Could not load the posts' },
  })
}

export function sentimentQueryOptions(query: SentimentQuery | null) {
  return queryOptions({
    queryKey: sentimentKeys.aggregates(query ?? { asset: '' }),
    queryFn: ({ signal }) => getSentiment(query ?? { asset: '' }, signal),
    enabled: query !== null && query.asset !== '',
    meta: { errorMessage: 'Could not load the sentiment history' },
  })
}

export function useNews(query: SentimentQuery | null) {
  return useQuery(newsQueryOptions(query))
}

export function usePosts(query: SentimentQuery | null) {
  return useQuery(postsQueryOptions(query))
}

export function useSentiment(query: SentimentQuery | null) {
  return useQuery(sentimentQueryOptions(query))
}
