import { useMemo, useState } from 'react'
import { useMarkets } from '@/features/markets'
import { useNews, usePosts, useSentiment } from '@/features/sentiment/api/sentiment'
import { TimeSeriesChart } from '@/components/charts/time-series-chart'
import { DemoBadge } from '@/components/demo-badge'
import { PageHeader } from '@/components/page-header'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { SentimentFeed } from '@/features/sentiment/components/sentiment-feed'
import { SentimentGauge } from '@/features/sentiment/components/sentiment-gauge'
import { Panel } from '@/components/ui/panel'
import { SelectField } from '@/components/ui/select-field'
import { useLiveSentiment } from '@/features/sentiment/lib/use-live-sentiment'
import { formatPercent } from '@/lib/format'
import { aggregateSeries, feedItems } from '@/features/sentiment/lib/sentiment'

const INTERVALS = [
  { value: '1h', label: 'Hourly' },
  { value: '4h', label: 'Every 4 hours' },
  { value: '1d', label: 'Daily' },
]

export function SentimentPage() {
  const markets = useMarkets()
  const assets = useMemo(() => [...new Set((markets.data ?? []).map((market) => market.base))].toSorted(), [markets.data])
  const [chosen, setChosen] = useState<string | null>(null)
  const [interval, setInterval] = useState('1h')
  const asset = chosen ?? assets[0] ?? 'BTC'

  const buckets = useSentiment({ asset, interval, limit: 500 })
  const news = useNews({ asset, limit: 30 })
  const posts = usePosts({ asset, limit: 30 })
  useLiveSentiment(asset)

  const series = useMemo(() => aggregateSeries(buckets.data ?? []), [buckets.data])
  const latest = buckets.data?.at(-1) ?? null
  const newsItems = feedItems(news.data?.results ?? [], [])
  const postItems = feedItems([], posts.data?.results ?? [])
  const isDemo = (news.data?.results ?? []).some((item) => item.is_demo) || (posts.data?.results ?? []).some((item) => item.is_demo)

  return (
    <>
      <PageHeader
        title="Sentiment"
        description="What news and social posts say about an asset, scored from -1 (bearish) to +1 (bullish), and how it moved over time."
        actions={
          <div className="flex flex-wrap items-end gap-3">
            <SelectField
              label="Asset"
              className="w-32"
              value={asset}
              onChange={(event) => setChosen(event.target.value)}
              options={(assets.length === 0 ? [asset] : assets).map((value) => ({ value, label: value }))}
            />
            <SelectField label="Interval" className="w-40" value={interval} onChange={(event) => setInterval(event.target.value)} options={INTERVALS} />
          </div>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Panel className="p-4 sm:p-5 lg:col-span-2" aria-labelledby="aggregate-title">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="aggregate-title" className="text-base font-semibold text-white">
              {asset} sentiment per {interval === '1d' ? 'day' : interval === '4h' ? '4 hours' : 'hour'}
            </h2>
            <DemoBadge show={isDemo} />
          </div>
          <p className="text-xs text-slate-400">Line: weighted score (right axis). Bars: number of items scored (left axis).</p>
          <div className="relative mt-3">
            <TimeSeriesChart series={series} chartId="sentiment" label={`${asset} sentiment score and item count per ${interval}`} className="h-72 w-full" />
            {buckets.isPending ? (
              <div className="absolute inset-0 grid place-items-center">
                <output className="text-sm text-slate-400">Loading sentiment…</output>
              </div>
            ) : null}
            {buckets.isSuccess && buckets.data.length === 0 ? (
              <div className="absolute inset-0 grid place-items-center p-6 text-center text-sm text-slate-400">No closed {interval} buckets for {asset} yet.</div>
            ) : null}
          </div>
          {buckets.isError ? <ErrorBlock title="Sentiment history could not be loaded" error={buckets.error} onRetry={() => void buckets.refetch()} /> : null}
        </Panel>
        <Panel className="p-4 sm:p-5" aria-labelledby="now-title">
          <h2 id="now-title" className="text-base font-semibold text-white">
            Latest bucket
          </h2>
          <div className="mt-3">
            <SentimentGauge value={latest?.weighted_compound ?? latest?.mean_compound ?? null} caption={`${asset} latest sentiment`} />
          </div>
          {latest === null ? null : (
            <dl className="mt-4 grid grid-cols-3 gap-2 text-center text-xs">
              <div>
                <dt className="text-slate-400">Items</dt>
                <dd className="font-mono text-slate-100">{latest.item_count}</dd>
              </div>
              <div>
                <dt className="text-slate-400">Positive</dt>
                <dd className="font-mono text-emerald-300">{formatPercent(latest.share_positive, { digits: 0 })}</dd>
              </div>
              <div>
                <dt className="text-slate-400">Negative</dt>
                <dd className="font-mono text-rose-300">{formatPercent(latest.share_negative, { digits: 0 })}</dd>
              </div>
            </dl>
          )}
        </Panel>
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Panel className="p-4 sm:p-5" aria-labelledby="news-title">
          <h2 id="news-title" className="text-base font-semibold text-white">
            News
          </h2>
          {news.isPending ? (
            <LoadingBlock label="Loading news…" />
          ) : news.isError ? (
            <ErrorBlock title="News could not be loaded" error={news.error} onRetry={() => void news.refetch()} />
          ) : newsItems.length === 0 ? (
            <EmptyLine>No news about {asset} yet.</EmptyLine>
          ) : (
            <SentimentFeed items={newsItems} label={`News about ${asset}`} />
          )}
        </Panel>
        <Panel className="p-4 sm:p-5" aria-labelledby="posts-title">
          <h2 id="posts-title" className="text-base font-semibold text-white">
            Posts
          </h2>
          {posts.isPending ? (
            <LoadingBlock label="Loading posts…" />
          ) : posts.isError ? (
            <ErrorBlock title="Posts could not be loaded" error={posts.error} onRetry={() => void posts.refetch()} />
          ) : postItems.length === 0 ? (
            <EmptyLine>No posts about {asset} yet.</EmptyLine>
          ) : (
            <SentimentFeed items={postItems} label={`Posts about ${asset}`} />
          )}
        </Panel>
      </div>
    </>
  )
}
