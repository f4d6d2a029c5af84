export interface SentimentScore {
  compound: number
  positive: number
  negative: number
  neutral: number
  votes_score: number | null
  scorer_version: string
}

export interface NewsItem {
  id: number
  source: string
  is_demo: boolean
  external_id: string
  title: string
  url: string
  domain: string
  currencies: unknown
  votes: unknown
  published_at: string
  ingested_at: string
  available_at: string
  score: SentimentScore | null
}

export interface Post {
  id: number
  source: string
  is_demo: boolean
  external_id: string
  author: string
  text: string
  language: string
  assets: unknown
  query: string
  public_metrics: unknown
  created_at: string
  ingested_at: string
  available_at: string
  score: SentimentScore | null
}

export interface SentimentAggregate {
  asset: string
  interval: string
  bucket_start: string
  bucket_end: string
  item_count: number
  mean_compound: number | null
  weighted_compound: number | null
  share_positive: number | null
  share_negative: number | null
}

export interface SentimentQuery {
  asset: string
  interval?: string
  limit?: number
}
