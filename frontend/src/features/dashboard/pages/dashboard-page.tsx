import { useMemo, useState } from 'react'
import { PriceChart, type ChartMarker, type Overlays } from '@/features/dashboard/components/price-chart'
import { useCandles, MarketPicker, useLiveCandles, useMarketSelection, type CandleQuery } from '@/features/markets'
import { useNews, usePosts, useSentiment, SentimentFeed, SentimentGauge, useLiveSentiment, feedItems } from '@/features/sentiment'
import { useSignals, SignalDetails, useLiveSignals, type Signal } from '@/features/signals'
import { DemoBadge } from '@/components/demo-badge'
import { PositionsPanel } from '@/features/bots'
import { HealthPanel } from '@/features/health'
import { PageHeader } from '@/components/page-header'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { Button } from '@/components/ui/button'
import { CheckboxField } from '@/components/ui/checkbox-field'
import { Panel } from '@/components/ui/panel'
import { SelectField } from '@/components/ui/select-field'
import { marketTopic, timeframeSeconds } from '@/lib/candles'
import { cn } from '@/lib/cn'
import { formatPercent, formatPrice } from '@/lib/format'

const CANDLE_LIMIT = 500
const PERIODS = [
  { value: '', label: 'Off' },
  { value: '9', label: '9' },
  { value: '20', label: '20' },
  { value: '50', label: '50' },
  { value: '200', label: '200' },
]

function toMarker(signal: Signal): ChartMarker | null {
  if (signal.action === 'HOLD') return null
  const time = Date.parse(signal.open_time)
  if (Number.isNaN(time)) return null
  return { id: signal.id, time: Math.floor(time / 1000), action: signal.action, label: `${signal.action} ${Math.round(signal.confidence * 100)}%` }
}

function OverlayControls({ overlays, onChange }: { overlays: Overlays; onChange: (next: Overlays) => void }) {
  return (
    <fieldset className="flex flex-wrap items-end gap-3">
      <legend className="sr-only">Chart overlays</legend>
      <SelectField
        label="SMA"
        className="w-24"
        value={overlays.sma === null ? '' : String(overlays.sma)}
        onChange={(event) => onChange({ ...overlays, sma: event.target.value === '' ? null : Number(event.target.value) })}
        options={PERIODS}
      />
      <SelectField
        label="EMA"
        className="w-24"
        value={overlays.ema === null ? '' : String(overlays.ema)}
        onChange={(event) => onChange({ ...overlays, ema: event.target.value === '' ? null : Number(event.target.value) })}
        options={PERIODS}
      />
      <CheckboxField className="pb-2.5" label="Bollinger (20, 2)" checked={overlays.bollinger} onChange={(event) => onChange({ ...overlays, bollinger: event.target.checked })} />
    </fieldset>
  )
}

function Legend({ overlays }: { overlays: Overlays }) {
  const items = [
    overlays.sma === null ? null : { label: `SMA ${overlays.sma}`, color: 'bg-amber-400' },
    overlays.ema === null ? null : { label: `EMA ${overlays.ema}`, color: 'bg-violet-400' },
    overlays.bollinger ? { label: 'Bollinger 20, 2σ', color: 'bg-sky-400' } : null,
    { label: 'BUY / SELL signals', color: 'bg-emerald-400' },
  ].filter((item) => item !== null)
  return (
    <ul className="flex flex-wrap gap-3 text-xs text-slate-400" aria-label="Chart legend">
      {items.map((item) => (
        <li key={item.label} className="flex items-center gap-1.5">
          <span className={cn('h-0.5 w-4 rounded', item.color)} aria-hidden="true" />
          {item.label}
        </li>
      ))}
    </ul>
  )
}

export function DashboardPage() {
  const selection = useMarketSelection()
  const { market, timeframe } = selection
  const [overlays, setOverlays] = useState<Overlays>({ sma: 20, ema: 50, bollinger: false })
  const [focused, setFocused] = useState<{ id: number; pinned: boolean } | null>(null)

  const anchor = market?.last_candle_at === null || market?.last_candle_at === undefined ? undefined : Date.parse(market.last_candle_at) + (timeframeSeconds(timeframe) ?? 0) * 1000
  const query: CandleQuery | null = market === null ? null : { exchange: market.exchange, symbol: market.symbol, timeframe, limit: CANDLE_LIMIT, start: anchor }
  const candles = useCandles(query)
  useLiveCandles(query)
  const signals = useSignals({ exchange: market?.exchange, symbol: market?.symbol, timeframe, limit: 200 }, market !== null)
  const topics = useMemo(() => (market === null ? [] : [marketTopic(market.exchange, market.symbol, timeframe)]), [market, timeframe])
  useLiveSignals(topics)

  const asset = market?.base ?? null
  const sentimentQuery = asset === null ? null : { asset, interval: '1h', limit: 48 }
  const sentiment = useSentiment(sentimentQuery)
  const news = useNews(asset === null ? null : { asset, limit: 10 })
  const posts = usePosts(asset === null ? null : { asset, limit: 10 })
  useLiveSentiment(asset)

  const bars = candles.data?.bars ?? []
  const signalList = useMemo(() => signals.data?.results ?? [], [signals.data])
  const markers = useMemo(() => signalList.map(toMarker).filter((item) => item !== null), [signalList])
  const latest = signalList[0] ?? null
  const shown = (focused === null ? null : signalList.find((item) => item.id === focused.id)) ?? latest
  const shownIndex = shown === null ? -1 : signalList.indexOf(shown)
  const step = (offset: number) => {
    const next = signalList[shownIndex + offset]
    if (next !== undefined) setFocused({ id: next.id, pinned: true })
  }
  const last = bars.at(-1)
  const first = bars[0]
  const change = last !== undefined && first !== undefined && first.close !== 0 ? last.close / first.close - 1 : null
  const latestAggregate = sentiment.data?.at(-1) ?? null
  const sentimentValue = latestAggregate?.weighted_compound ?? latestAggregate?.mean_compound ?? null
  const feed = feedItems(news.data?.results ?? [], posts.data?.results ?? []).slice(0, 8)
  const isDemo = market?.is_demo === true || candles.data?.isDemo === true

  const onMarkerFocus = (id: number | null, source: 'hover' | 'click') => {
    if (source === 'click' && id !== null) setFocused({ id, pinned: true })
    else if (source === 'hover') setFocused((current) => (current?.pinned === true ? current : id === null ? null : { id, pinned: false }))
  }

  return (
    <>
      <PageHeader title="Dashboard" description="Price, model signals and market mood for one market at a time." actions={<MarketPicker selection={selection} />} />

      {selection.error !== null && selection.markets.length === 0 ? (
        <ErrorBlock title="Markets could not be loaded" error={selection.error} onRetry={selection.refetch} />
      ) : null}
      {!selection.isPending && selection.error === null && selection.markets.length === 0 ? (
        <EmptyLine>No markets are configured yet. Add one in the admin (Markets → Markets) or run the demo seed, then reload.</EmptyLine>
      ) : null}

      <div className="grid items-start gap-6 xl:grid-cols-3 xl:grid-rows-[auto_1fr]">
        <div className="min-w-0 xl:col-span-2">
          <Panel aria-labelledby="chart-title" className="p-4 sm:p-5">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div>
                <h2 id="chart-title" className="flex flex-wrap items-center gap-2 text-base font-semibold text-white">
                  {market === null ? 'Price' : `${market.symbol} · ${timeframe}`}
                  <span className="text-xs font-normal text-slate-400">{market?.exchange}</span>
                  <DemoBadge show={isDemo} />
                </h2>
                {last === undefined ? null : (
                  <p className="mt-1 flex items-baseline gap-2">
                    <span className="font-mono text-xl text-white" data-testid="last-price">
                      {formatPrice(last.close)}
                    </span>
                    <span className={cn('font-mono text-sm', (change ?? 0) >= 0 ? 'text-emerald-300' : 'text-rose-300')}>
                      {formatPercent(change, { signed: true })}
                    </span>
                    <span className="text-xs text-slate-400">over {bars.length} candles</span>
                  </p>
                )}
              </div>
              <OverlayControls overlays={overlays} onChange={setOverlays} />
            </div>
            <div className="relative mt-4">
              <PriceChart
                bars={bars}
                overlays={overlays}
                markers={markers}
                onMarkerFocus={onMarkerFocus}
                label={market === null ? 'Price chart' : `Candlestick chart of ${market.symbol} on ${market.exchange}, ${timeframe} candles, with ${markers.length} buy and sell signals`}
                className="h-[320px] w-full sm:h-[440px]"
              />
              {candles.isPending && query !== null ? (
                <div className="absolute inset-0 grid place-items-center">
                  <output className="text-sm text-slate-400">Loading candles…</output>
                </div>
              ) : null}
              {candles.isSuccess && bars.length === 0 ? (
                <div className="absolute inset-0 grid place-items-center p-6 text-center">
                  <p className="max-w-sm text-sm text-slate-400">
                    No {timeframe} candles stored for this market yet. Ingestion runs on a schedule; pick another timeframe or check the worker in the health panel.
                  </p>
                </div>
              ) : null}
            </div>
            {candles.isError ? (
              <div className="mt-3">
                <ErrorBlock title="Candles could not be loaded" error={candles.error} onRetry={() => void candles.refetch()} />
              </div>
            ) : null}
            <div className="mt-3">
              <Legend overlays={overlays} />
            </div>
          </Panel>

        </div>

        <div className="flex min-w-0 flex-col gap-6 xl:col-start-3 xl:row-span-2 xl:row-start-1">
          <Panel aria-labelledby="signal-title" className="p-4 sm:p-5" data-testid="signal-panel">
            <h2 id="signal-title" className="mb-3 text-base font-semibold text-white">
              {shown !== null && latest !== null && shown.id !== latest.id ? 'Selected signal' : 'Latest signal'}
            </h2>
            {signals.isPending && market !== null ? (
              <LoadingBlock label="Loading signals…" className="h-40" />
            ) : signals.isError ? (
              <ErrorBlock title="Signals could not be loaded" error={signals.error} onRetry={() => void signals.refetch()} />
            ) : shown === null ? (
              <EmptyLine>No signals for this market and timeframe yet. A champion model writes one after each closed candle.</EmptyLine>
            ) : (
              <>
                <SignalDetails signal={shown} isDemo={market?.is_demo === true} />
                <div className="mt-3 flex flex-wrap items-center gap-2">
                  <Button size="sm" variant="secondary" disabled={shownIndex >= signalList.length - 1} onClick={() => step(1)}>
                    Older signal
                  </Button>
                  <Button size="sm" variant="secondary" disabled={shownIndex <= 0} onClick={() => step(-1)}>
                    Newer signal
                  </Button>
                  {focused?.pinned === true ? (
                    <button type="button" className="text-xs text-cyan-300 hover:underline" onClick={() => setFocused(null)}>
                      Back to the latest signal
                    </button>
                  ) : null}
                </div>
                <p className="mt-2 text-xs text-slate-400">Point at or click a marker on the chart, or step through the signals.</p>
              </>
            )}
          </Panel>

          <Panel aria-labelledby="mood-title" className="p-4 sm:p-5">
            <h2 id="mood-title" className="text-base font-semibold text-white">
              {asset === null ? 'Sentiment' : `${asset} sentiment`}
            </h2>
            <p className="text-xs text-slate-400">Weighted score of the last closed hour, news and posts.</p>
            <div className="mt-3">
              {sentiment.isPending && asset !== null ? (
                <LoadingBlock label="Loading sentiment…" className="h-32" />
              ) : sentiment.isError ? (
                <ErrorBlock title="Sentiment could not be loaded" error={sentiment.error} onRetry={() => void sentiment.refetch()} />
              ) : (
                <SentimentGauge value={sentimentValue} caption={`${asset ?? ''} sentiment`} />
              )}
              {latestAggregate === null ? null : (
                <p className="mt-2 text-center text-xs text-slate-400">
                  {latestAggregate.item_count} item{latestAggregate.item_count === 1 ? '' : 's'} · {formatPercent(latestAggregate.share_positive, { digits: 0 })} positive ·{' '}
                  {formatPercent(latestAggregate.share_negative, { digits: 0 })} negative
                </p>
              )}
            </div>
          </Panel>

          <PositionsPanel />

          <HealthPanel compact />
        </div>

        <div className="min-w-0 xl:col-span-2 xl:col-start-1 xl:row-start-2">
          <Panel aria-labelledby="feed-title" className="p-4 sm:p-5">
            <h2 id="feed-title" className="text-base font-semibold text-white">
              {asset === null ? 'News and posts' : `News and posts about ${asset}`}
            </h2>
            <div className="mt-2">
              {news.isPending && posts.isPending && asset !== null ? (
                <LoadingBlock label="Loading news and posts…" className="h-32" />
              ) : feed.length === 0 ? (
                <EmptyLine>No news or posts about {asset ?? 'this asset'} yet.</EmptyLine>
              ) : (
                <SentimentFeed items={feed} label={`Latest news and posts about ${asset ?? ''}`} />
              )}
            </div>
          </Panel>
        </div>
      </div>
    </>
  )
}
