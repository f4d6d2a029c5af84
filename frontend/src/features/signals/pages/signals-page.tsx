import { getRouteApi } from '@tanstack/react-router'
import { Fragment, useMemo, useState } from 'react'
import { marketKey, useMarkets } from '@/features/markets'
import { useModels } from '@/features/models'
import { useSignals } from '@/features/signals/api/signals'
import { ActionBadge } from '@/features/signals/components/action-badge'
import { DemoBadge } from '@/components/demo-badge'
import { PageHeader } from '@/components/page-header'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { SignalDetails } from '@/features/signals/components/signal-details'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Panel } from '@/components/ui/panel'
import { ScrollArea } from '@/components/ui/scroll-area'
import { SelectField } from '@/components/ui/select-field'
import { useLiveSignals } from '@/features/signals/lib/use-live-signals'
import { useStreamState } from '@/hooks/use-stream'
import { marketTopic } from '@/lib/candles'
import { explanationContributions } from '@/features/signals/lib/explanation'
import { formatDateTime, formatPercent, humanize } from '@/lib/format'
import { modelScope } from '@/features/models'
import { usePreferences } from '@/lib/preferences'
import type { SignalFilters } from '@/features/signals/api/types'
import type { SignalsSearch } from '@/features/signals/lib/search'

const PAGE_SIZE = 100

const signalsRoute = getRouteApi('/signals')

function parseAction(value: string): SignalsSearch['action'] {
  return value === 'BUY' || value === 'SELL' || value === 'HOLD' ? value : undefined
}

const ACTIONS = [
  { value: '', label: 'All actions' },
  { value: 'BUY', label: 'BUY' },
  { value: 'SELL', label: 'SELL' },
  { value: 'HOLD', label: 'HOLD' },
]

export function SignalsPage() {
  const markets = useMarkets()
  const models = useModels()
  const preferences = usePreferences()
  const stream = useStreamState()
  const search = signalsRoute.useSearch()
  const navigate = signalsRoute.useNavigate()
  const market = search.market ?? ''
  const model = search.model === undefined ? '' : String(search.model)
  const action = search.action ?? ''
  const timeframe = search.tf ?? ''
  const setFilter = (change: Partial<SignalsSearch>) => {
    void navigate({ search: (current) => ({ ...current, ...change }), replace: true })
  }
  const [limit, setLimit] = useState(PAGE_SIZE)
  const [expanded, setExpanded] = useState<number | null>(null)

  const selectedMarket = (markets.data ?? []).find((item) => marketKey(item) === market) ?? null
  const filters: SignalFilters = {
    ...(selectedMarket === null ? {} : { exchange: selectedMarket.exchange, symbol: selectedMarket.symbol }),
    ...(model === '' ? {} : { model: Number(model) }),
    ...(action === '' ? {} : { action }),
    ...(timeframe === '' ? {} : { timeframe }),
    limit,
  }
  const signals = useSignals(filters)

  // Live: every timeframe of the chosen market, or of every market when none is chosen.
  const topics = useMemo(() => {
    const list = selectedMarket === null ? (markets.data ?? []) : [selectedMarket]
    return list.flatMap((item) => (item.timeframes.length === 0 ? ['1h'] : item.timeframes).map((frame) => marketTopic(item.exchange, item.symbol, frame)))
  }, [markets.data, selectedMarket])
  const arrived = useLiveSignals(topics, { notify: preferences.notifySignals })
  const rows = signals.data?.results ?? []
  const demoExchanges = new Set((markets.data ?? []).filter((item) => item.is_demo).map((item) => item.exchange))
  const allDemo = rows.length > 0 && rows.every((item) => demoExchanges.has(item.exchange))
  const timeframes = [...new Set((markets.data ?? []).flatMap((item) => item.timeframes))].toSorted()
  const filtered = market !== '' || model !== '' || action !== '' || timeframe !== ''

  return (
    <>
      <PageHeader
        title="Signals"
        description="Every BUY, SELL and HOLD call of the models, newest first. New signals appear here as they are made."
        actions={
          <Badge tone={stream === 'open' ? 'success' : 'warning'} dot>
            {stream === 'open' ? 'Live updates on' : 'Live updates paused'}
          </Badge>
        }
      />
      <Panel className="p-4 sm:p-5" aria-label="Signal filters">
        <div className="flex flex-wrap items-end gap-3">
          <SelectField
            label="Market"
            className="w-full sm:w-60"
            value={market}
            onChange={(event) => setFilter({ market: event.target.value || undefined })}
            options={[{ value: '', label: 'All markets' }, ...(markets.data ?? []).map((item) => ({ value: marketKey(item), label: `${item.symbol} · ${item.exchange}` }))]}
          />
          <SelectField
            label="Model"
            className="w-full sm:w-60"
            value={model}
            onChange={(event) => setFilter({ model: event.target.value === '' ? undefined : Number(event.target.value) })}
            options={[
              { value: '', label: 'All models' },
              ...(models.data ?? []).map((item) => ({ value: String(item.id), label: `#${item.id} ${modelScope(item)} ${item.timeframe}${item.status === 'champion' ? ' ★' : ''}` })),
            ]}
          />
          <SelectField
            label="Timeframe"
            className="w-full sm:w-36"
            value={timeframe}
            onChange={(event) => setFilter({ tf: event.target.value || undefined })}
            options={[{ value: '', label: 'All timeframes' }, ...timeframes.map((value) => ({ value, label: value }))]}
          />
          <SelectField label="Action" className="w-full sm:w-40" value={action} onChange={(event) => setFilter({ action: parseAction(event.target.value) })} options={ACTIONS} />
          {filtered ? (
            <Button
              variant="ghost"
              onClick={() => {
                setFilter({ market: undefined, model: undefined, action: undefined, tf: undefined })
              }}
            >
              Clear filters
            </Button>
          ) : null}
        </div>
      </Panel>

      <Panel className="mt-6 p-0" aria-labelledby="signal-feed-title">
        <div className="flex items-center justify-between gap-3 px-4 pt-4 sm:px-5">
          <h2 id="signal-feed-title" className="flex items-center gap-2 text-base font-semibold text-white">
            Signal feed
            <DemoBadge show={allDemo} />
          </h2>
          {signals.data === undefined ? null : (
            <p className="text-xs text-slate-400" aria-live="polite">
              {signals.data.count} signal{signals.data.count === 1 ? '' : 's'}
              {rows.length < signals.data.count ? `, newest ${rows.length} shown` : ''}
            </p>
          )}
        </div>
        <div className="p-4 sm:p-5">
          {signals.isPending ? (
            <LoadingBlock label="Loading signals…" />
          ) : signals.isError ? (
            <ErrorBlock title="Signals could not be loaded" error={signals.error} onRetry={() => void signals.refetch()} />
          ) : rows.length === 0 ? (
            <EmptyLine>
              {filtered ? 'No signal matches these filters. Clear a filter to see more.' : 'No signals yet. They appear here as soon as a champion model scores a closed candle.'}
            </EmptyLine>
          ) : (
            <ScrollArea className="-mx-4 overflow-x-auto sm:mx-0" label="Signals table">
              <table className="w-full min-w-[44rem] text-left text-sm" aria-label="Signals">
                <thead className="text-xs tracking-wide text-slate-400 uppercase">
                  <tr className="border-b border-white/10">
                    <th scope="col" className="px-3 py-2 font-medium">Candle (UTC)</th>
                    <th scope="col" className="px-3 py-2 font-medium">Market</th>
                    <th scope="col" className="px-3 py-2 font-medium">Action</th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">Confidence</th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">Buy / Hold / Sell</th>
                    <th scope="col" className="px-3 py-2 font-medium">Top reason</th>
                    <th scope="col" className="px-3 py-2 font-medium">
                      <span className="sr-only">Details</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((item) => {
                    const top = explanationContributions(item.explanation)[0]
                    const open = expanded === item.id
                    return (
                      <Fragment key={item.id}>
                        <tr className="border-b border-white/5 align-top hover:bg-white/[0.02]" data-signal-row={item.id}>
                          <td className="px-3 py-2.5 font-mono text-xs whitespace-nowrap text-slate-300">
                            <time dateTime={item.open_time}>{formatDateTime(item.open_time)}</time>
                            {arrived.has(item.id) ? (
                              <Badge tone="info" className="ml-2">
                                New
                              </Badge>
                            ) : null}
                          </td>
                          <td className="px-3 py-2.5 whitespace-nowrap">
                            <span className="text-slate-100">{item.symbol}</span> <span className="text-xs text-slate-400">{item.exchange} · {item.timeframe}</span>{' '}
                            <DemoBadge show={!allDemo && demoExchanges.has(item.exchange)} />
                          </td>
                          <td className="px-3 py-2.5">
                            <ActionBadge action={item.action} />
                          </td>
                          <td className="px-3 py-2.5 text-right font-mono">{formatPercent(item.confidence, { digits: 1 })}</td>
                          <td className="px-3 py-2.5 text-right font-mono text-xs whitespace-nowrap text-slate-300">
                            {formatPercent(item.probabilities.BUY, { digits: 0 })} / {formatPercent(item.probabilities.HOLD, { digits: 0 })} / {formatPercent(item.probabilities.SELL, { digits: 0 })}
                          </td>
                          <td className="max-w-48 truncate px-3 py-2.5 text-xs text-slate-300">{top === undefined ? '—' : humanize(top.feature)}</td>
                          <td className="px-3 py-2.5 text-right">
                            <button
                              type="button"
                              className="rounded-md px-2 py-1 text-xs text-cyan-300 hover:bg-white/5"
                              aria-expanded={open}
                              aria-controls={`signal-details-${item.id}`}
                              aria-label={`${open ? 'Hide' : 'Explain'} signal ${item.id}`}
                              onClick={() => setExpanded(open ? null : item.id)}
                            >
                              {open ? 'Hide' : 'Explain'}
                            </button>
                          </td>
                        </tr>
                        {open ? (
                          <tr id={`signal-details-${item.id}`} className="border-b border-white/5 bg-white/[0.02]">
                            <td colSpan={7} className="px-3 py-4">
                              <div className="max-w-xl">
                                <SignalDetails signal={item} isDemo={demoExchanges.has(item.exchange)} />
                              </div>
                            </td>
                          </tr>
                        ) : null}
                      </Fragment>
                    )
                  })}
                </tbody>
              </table>
            </ScrollArea>
          )}
          {signals.data !== undefined && rows.length < signals.data.count ? (
            <div className="mt-4 flex justify-center">
              <Button variant="secondary" size="sm" isLoading={signals.isFetching} onClick={() => setLimit((current) => current + PAGE_SIZE)}>
                Show {Math.min(PAGE_SIZE, signals.data.count - rows.length)} more
              </Button>
            </div>
          ) : null}
        </div>
      </Panel>
    </>
  )
}
