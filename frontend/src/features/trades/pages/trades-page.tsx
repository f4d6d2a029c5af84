import { getRouteApi } from '@tanstack/react-router'
import { useState } from 'react'
import { PageHeader } from '@/components/page-header'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { Button } from '@/components/ui/button'
import { Panel } from '@/components/ui/panel'
import { ScrollArea } from '@/components/ui/scroll-area'
import { SelectField } from '@/components/ui/select-field'
import { TextField } from '@/components/ui/text-field'
import { useBots, usePositions } from '@/features/bots'
import { downloadText, useOrders } from '@/features/orders'
import { useFills } from '@/features/trades/api/trades'
import { notional, tradesToCsv, type TradeRow } from '@/features/trades/lib/csv'
import type { TradesSearch } from '@/features/trades/lib/search'
import { formatDateTime } from '@/lib/format'

const PAGE_SIZE = 200
const CELL = 'px-2 py-2 whitespace-nowrap'
const tradesRoute = getRouteApi('/trades')

function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
}

function tone(value: number): string {
  return value > 0 ? 'text-emerald-300' : value < 0 ? 'text-rose-300' : 'text-slate-200'
}

export function TradesPage() {
  const search = tradesRoute.useSearch()
  const navigate = tradesRoute.useNavigate()
  const [limit, setLimit] = useState(PAGE_SIZE)
  const [symbolDraft, setSymbolDraft] = useState<string | null>(null)
  const fills = useFills(search.symbol, limit)
  const bots = useBots()
  // Which bot placed each fill's order (the orders API filters by bot; fills do not say).
  const orders = useOrders({ bot: search.bot, symbol: search.symbol, limit: 500 })
  const positions = usePositions()

  const setFilter = (change: Partial<TradesSearch>) => {
    setLimit(PAGE_SIZE)
    void navigate({ search: (current) => ({ ...current, ...change }), replace: true })
  }

  const botList = bots.data?.results ?? []
  const botNames = new Map(botList.map((bot) => [bot.id, bot.name]))
  const orderBots = new Map((orders.data?.results ?? []).map((order) => [order.id, order.bot]))
  const rows: TradeRow[] = (fills.data?.results ?? [])
    .filter((fill) => search.side === undefined || fill.side === search.side)
    .filter((fill) => search.bot === undefined || orderBots.has(fill.order))
    .map((fill) => {
      const bot = orderBots.get(fill.order) ?? null
      return { fill, bot: bot === null ? null : (botNames.get(bot) ?? `#${bot}`) }
    })
  const total = fills.data?.count ?? 0
  const filtered = search.symbol !== undefined || search.side !== undefined || search.bot !== undefined
  const symbolValue = symbolDraft ?? search.symbol ?? ''
  const shownPositions = (positions.data ?? []).filter((position) => search.bot === undefined || position.bot === search.bot)
  const realised = shownPositions.reduce((sum, position) => sum + Number(position.realised_pnl), 0)
  const unrealised = shownPositions.reduce((sum, position) => sum + Number(position.unrealised_pnl), 0)
  const waiting = fills.isPending || (search.bot !== undefined && orders.isPending)

  const exportCsv = () => {
    const stamp = new Date().toISOString().replaceAll(':', '-').slice(0, 19)
    downloadText(`trades-${stamp}.csv`, tradesToCsv(rows))
  }

  return (
    <>
      <PageHeader title="Trades" description="Every fill of your orders, manual and from bots, with your bots' profit and loss." />
      <div className="flex flex-col gap-6">
        <Panel className="p-4 sm:p-5" aria-labelledby="pnl-title">
          <h2 id="pnl-title" className="mb-2 text-base font-semibold text-white">
            Bot P&amp;L{search.bot === undefined ? '' : ` · ${botNames.get(search.bot) ?? `bot #${search.bot}`}`}
          </h2>
          {positions.data === undefined ? (
            positions.isError ? <ErrorBlock title="Could not load the P&L" error={positions.error} /> : <LoadingBlock label="Loading the P&L…" />
          ) : (
            <dl className="flex flex-wrap gap-6 text-sm">
              <div>
                <dt className="text-xs text-slate-400">Realised</dt>
                <dd className={`font-medium tabular-nums ${tone(realised)}`}>{signed(realised)}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-400">Unrealised</dt>
                <dd className={`font-medium tabular-nums ${tone(unrealised)}`}>{signed(unrealised)}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-400">Positions</dt>
                <dd className="font-medium tabular-nums text-slate-200">{shownPositions.length}</dd>
              </div>
            </dl>
          )}
          <p className="mt-2 text-xs text-slate-400">From the bots' positions, in the quote currency. A bot's sale below shows the P&amp;L it realised: its proceeds less the share of the position's cost, buy fees included, that it sold.</p>
        </Panel>

        <Panel className="p-4 sm:p-5" aria-labelledby="fills-title">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <h2 id="fills-title" className="text-base font-semibold text-white">
              Fills
            </h2>
            <Button size="sm" variant="secondary" disabled={rows.length === 0} onClick={exportCsv}>
              Export CSV ({rows.length})
            </Button>
          </div>
          <form
            className="mb-4 flex flex-wrap items-end gap-3"
            aria-label="Trade filters"
            onSubmit={(event) => {
              event.preventDefault()
              const symbol = symbolValue.trim().toUpperCase()
              setSymbolDraft(null)
              setFilter({ symbol: symbol === '' ? undefined : symbol })
            }}
          >
            <SelectField
              label="Side"
              className="w-full sm:w-36"
              value={search.side ?? ''}
              onChange={(event) => setFilter({ side: event.target.value === 'buy' || event.target.value === 'sell' ? event.target.value : undefined })}
              options={[
                { value: '', label: 'Both sides' },
                { value: 'buy', label: 'Buy' },
                { value: 'sell', label: 'Sell' },
              ]}
            />
            <SelectField
              label="Bot"
              className="w-full sm:w-48"
              value={search.bot === undefined ? '' : String(search.bot)}
              onChange={(event) => setFilter({ bot: event.target.value === '' ? undefined : Number(event.target.value) })}
              options={[{ value: '', label: 'Any bot or manual' }, ...botList.map((bot) => ({ value: String(bot.id), label: bot.name }))]}
            />
            <TextField label="Symbol" className="w-full sm:w-40" value={symbolValue} placeholder="BTC/USDT" onChange={(event) => setSymbolDraft(event.target.value)} />
            <Button type="submit" variant="secondary">
              Apply
            </Button>
            {filtered ? (
              <Button
                variant="ghost"
                onClick={() => {
                  setSymbolDraft(null)
                  setFilter({ symbol: undefined, side: undefined, bot: undefined })
                }}
              >
                Clear filters
              </Button>
            ) : null}
          </form>
          {waiting ? <LoadingBlock label="Loading your trades…" /> : null}
          {fills.isError ? <ErrorBlock title="Could not load your trades" error={fills.error} onRetry={() => void fills.refetch()} /> : null}
          {waiting || fills.data === undefined ? null : rows.length === 0 ? (
            <EmptyLine>{filtered ? 'No trade matches these filters.' : 'No trades yet.'}</EmptyLine>
          ) : (
            <>
              <ScrollArea className="overflow-x-auto" label="Trades table">
                <table className="w-full text-left text-sm" aria-label="Trades">
                  <thead className="text-xs text-slate-400">
                    <tr>
                      <th scope="col" className={CELL}>Time</th>
                      <th scope="col" className={CELL}>Market</th>
                      <th scope="col" className={CELL}>Side</th>
                      <th scope="col" className={CELL}>Amount</th>
                      <th scope="col" className={CELL}>Price</th>
                      <th scope="col" className={CELL}>Value</th>
                      <th scope="col" className={CELL}>Fee</th>
                      <th scope="col" className={CELL}>
                        P&amp;L
                      </th>
                      <th scope="col" className={CELL}>Order</th>
                      <th scope="col" className={CELL}>Bot</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-white/5">
                    {rows.map(({ fill, bot }) => (
                      <tr key={fill.id}>
                        <td className={CELL}>{formatDateTime(fill.executed_at)}</td>
                        <td className={CELL}>
                          {fill.symbol} <span className="text-xs text-slate-400">{fill.exchange}</span>
                        </td>
                        <td className={`${CELL} ${fill.side === 'buy' ? 'text-emerald-300' : 'text-rose-300'}`}>{fill.side === 'buy' ? 'Buy' : 'Sell'}</td>
                        <td className={`${CELL} tabular-nums`}>{fill.amount}</td>
                        <td className={`${CELL} tabular-nums`}>{fill.price}</td>
                        <td className={`${CELL} tabular-nums`}>{notional(fill)}</td>
                        <td className={`${CELL} tabular-nums`}>
                          {fill.fee} {fill.fee_currency ?? ''}
                        </td>
                        <td className={`${CELL} tabular-nums ${fill.realised_pnl === null ? 'text-slate-400' : tone(Number(fill.realised_pnl))}`}>
                          {fill.realised_pnl === null ? '—' : signed(Number(fill.realised_pnl))}
                        </td>
                        <td className={CELL}>#{fill.order}</td>
                        <td className={CELL}>{bot ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollArea>
              <p className="mt-3 text-xs text-slate-400">
                Showing {rows.length} of {total} loaded fills{filtered ? ' (side and bot are filtered in the browser)' : ''}.
              </p>
              {(fills.data.results.length ?? 0) < total ? (
                <Button className="mt-2" size="sm" variant="secondary" isLoading={fills.isFetching} onClick={() => setLimit((current) => current + PAGE_SIZE)}>
                  Show more
                </Button>
              ) : null}
            </>
          )}
        </Panel>
      </div>
    </>
  )
}
