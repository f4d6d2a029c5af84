import { useMemo } from 'react'
import { isRunning, useBacktest } from '@/features/backtests/api/backtests'
import { TimeSeriesChart, type TimeSeriesSpec } from '@/components/charts/time-series-chart'
import { DemoBadge } from '@/components/demo-badge'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { BacktestStatusBadge, ProgressBar } from '@/features/backtests/components/backtest-status'
import { describeConfig, equityPoints, formatMetric, metricKeys, metricLabel } from '@/features/backtests/lib/backtest-metrics'
import { ScrollArea } from '@/components/ui/scroll-area'
import { cn } from '@/lib/cn'
import { formatDateTime, formatPercent, formatPrice, humanize } from '@/lib/format'
import { runConfig, runMetrics } from '@/features/backtests/lib/backtest-run'
import type { BacktestRunDetail } from '@/features/backtests/api/types'

function MetricsTable({ backtest }: { backtest: BacktestRunDetail }) {
  const metrics = runMetrics(backtest)
  const keys = metricKeys([metrics]).filter((key) => key !== 'start' && key !== 'end')
  if (keys.length === 0) return <EmptyLine>No metrics yet.</EmptyLine>
  return (
    <dl className="grid grid-cols-1 gap-x-6 sm:grid-cols-2" aria-label={`Metrics of backtest ${backtest.id}`}>
      {keys.map((key) => (
        <div key={key} className="flex items-baseline justify-between gap-3 border-b border-white/5 py-1.5 text-sm" data-metric={key}>
          <dt className="text-slate-400">{metricLabel(key)}</dt>
          <dd className="font-mono whitespace-nowrap text-slate-100">{formatMetric(key, metrics[key])}</dd>
        </div>
      ))}
    </dl>
  )
}

function TradesTable({ backtest }: { backtest: BacktestRunDetail }) {
  const trades = backtest.trades
  if (trades.length === 0) return <EmptyLine>No trades were made in this run.</EmptyLine>
  return (
    <ScrollArea className="max-h-96 overflow-auto" label={`Trades of backtest ${backtest.id}`}>
      <table className="w-full min-w-[40rem] text-left text-xs" aria-label="Trades">
        <thead className="sticky top-0 bg-slate-900 text-slate-400">
          <tr className="border-b border-white/10">
            <th scope="col" className="px-2 py-2 font-medium">#</th>
            <th scope="col" className="px-2 py-2 font-medium">Entry (UTC)</th>
            <th scope="col" className="px-2 py-2 text-right font-medium">Entry price</th>
            <th scope="col" className="px-2 py-2 font-medium">Exit (UTC)</th>
            <th scope="col" className="px-2 py-2 text-right font-medium">Exit price</th>
            <th scope="col" className="px-2 py-2 text-right font-medium">Return</th>
            <th scope="col" className="px-2 py-2 text-right font-medium">P&amp;L</th>
            <th scope="col" className="px-2 py-2 font-medium">Exit reason</th>
          </tr>
        </thead>
        <tbody>
          {trades.map((trade, index) => (
            <tr key={`${trade.entry_time}-${index}`} className="border-b border-white/5">
              <td className="px-2 py-1.5 text-slate-400">{index + 1}</td>
              <td className="px-2 py-1.5 font-mono whitespace-nowrap text-slate-300">{formatDateTime(trade.entry_time)}</td>
              <td className="px-2 py-1.5 text-right font-mono whitespace-nowrap text-slate-200">{formatPrice(trade.entry_price)}</td>
              <td className="px-2 py-1.5 font-mono whitespace-nowrap text-slate-300">{formatDateTime(trade.exit_time)}</td>
              <td className="px-2 py-1.5 text-right font-mono whitespace-nowrap text-slate-200">{formatPrice(trade.exit_price)}</td>
              <td className={cn('px-2 py-1.5 text-right font-mono whitespace-nowrap', (trade.return ?? 0) >= 0 ? 'text-emerald-300' : 'text-rose-300')}>{formatPercent(trade.return, { signed: true })}</td>
              <td className={cn('px-2 py-1.5 text-right font-mono whitespace-nowrap', (trade.pnl ?? 0) >= 0 ? 'text-emerald-300' : 'text-rose-300')}>{formatPrice(trade.pnl)}</td>
              <td className="px-2 py-1.5 text-slate-300">{humanize(trade.exit_reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  )
}

export function BacktestResult({ backtest, isDemo = false }: { backtest: BacktestRunDetail; isDemo?: boolean }) {
  const curves = useMemo(() => equityPoints(backtest.equity_curve), [backtest.equity_curve])
  const config = runConfig(backtest)
  const equitySeries = useMemo<TimeSeriesSpec[]>(() => [{ name: 'Equity', kind: 'area', color: '#22d3ee', points: curves.equity }], [curves])
  const drawdownSeries = useMemo<TimeSeriesSpec[]>(() => [{ name: 'Drawdown', kind: 'area', color: '#fb7185', percent: true, points: curves.drawdown }], [curves])
  const running = isRunning(backtest.status)

  return (
    <div className="space-y-6" data-backtest-id={backtest.id} data-status={backtest.status}>
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-lg font-semibold text-white">
          Backtest #{backtest.id} · {config.symbol ?? '?'} · {config.timeframe ?? '?'}
        </h2>
        <BacktestStatusBadge status={backtest.status} />
        <DemoBadge show={isDemo} />
      </div>
      <p className="text-sm text-slate-400">{describeConfig(config)}</p>
      {running ? (
        <div>
          <ProgressBar value={backtest.progress} label={`Backtest #${backtest.id} progress`} />
          <p className="mt-2 text-xs text-slate-400">Running: this page updates by itself when it finishes.</p>
        </div>
      ) : null}
      {backtest.status === 'failed' ? (
        <div role="alert" className="rounded-lg border border-rose-400/30 bg-rose-400/5 p-3 text-sm text-rose-200">
          <p className="font-semibold">This backtest failed.</p>
          <p className="mt-1">{backtest.error === '' ? 'The server did not say why. Check the worker in the health panel and try again.' : backtest.error}</p>
        </div>
      ) : null}
      {!running && backtest.status !== 'failed' ? (
        <>
          <section aria-labelledby={`equity-${backtest.id}`}>
            <h3 id={`equity-${backtest.id}`} className="mb-2 text-sm font-semibold text-white">
              Equity
            </h3>
            {curves.equity.length === 0 ? (
              <EmptyLine>This run has no equity curve.</EmptyLine>
            ) : (
              <TimeSeriesChart series={equitySeries} chartId="equity" label={`Equity curve of backtest ${backtest.id}`} className="h-64 w-full" />
            )}
          </section>
          <section aria-labelledby={`drawdown-${backtest.id}`}>
            <h3 id={`drawdown-${backtest.id}`} className="mb-2 text-sm font-semibold text-white">
              Drawdown
            </h3>
            {curves.drawdown.length === 0 ? null : (
              <TimeSeriesChart series={drawdownSeries} chartId="drawdown" label={`Drawdown of backtest ${backtest.id}`} className="h-40 w-full" />
            )}
          </section>
          <section aria-labelledby={`metrics-${backtest.id}`}>
            <h3 id={`metrics-${backtest.id}`} className="mb-2 text-sm font-semibold text-white">
              Metrics
            </h3>
            <MetricsTable backtest={backtest} />
          </section>
          <section aria-labelledby={`trades-${backtest.id}`}>
            <h3 id={`trades-${backtest.id}`} className="mb-2 text-sm font-semibold text-white">
              Trades ({backtest.trades.length})
            </h3>
            <TradesTable backtest={backtest} />
          </section>
        </>
      ) : null}
    </div>
  )
}

export function BacktestDetail({ id, isDemo }: { id: number; isDemo: (exchange: string | undefined) => boolean }) {
  const backtest = useBacktest(id)
  if (backtest.isPending) return <LoadingBlock label="Loading backtest…" className="h-64" />
  if (backtest.isError) return <ErrorBlock title={`Backtest #${id} could not be loaded`} error={backtest.error} onRetry={() => void backtest.refetch()} />
  return <BacktestResult backtest={backtest.data} isDemo={isDemo(runConfig(backtest.data).exchange)} />
}
