import { getRouteApi } from '@tanstack/react-router'
import { useState } from 'react'
import { isRunning, useBacktests } from '@/features/backtests/api/backtests'
import { BacktestCompare } from '@/features/backtests/components/backtest-compare'
import { BacktestDetail } from '@/features/backtests/components/backtest-detail'
import { BacktestForm } from '@/features/backtests/components/backtest-form'
import { BacktestStatusBadge, ProgressBar } from '@/features/backtests/components/backtest-status'
import { DemoBadge } from '@/components/demo-badge'
import { PageHeader } from '@/components/page-header'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { Button } from '@/components/ui/button'
import { Panel } from '@/components/ui/panel'
import { useMarkets } from '@/features/markets'
import { formatMetric, strategyLabel } from '@/features/backtests/lib/backtest-metrics'
import { runConfig, runMetrics } from '@/features/backtests/lib/backtest-run'
import { cn } from '@/lib/cn'
import { formatDate } from '@/lib/format'

const MAX_COMPARE = 6

const backtestsRoute = getRouteApi('/backtests')

export function BacktestsPage() {
  const search = backtestsRoute.useSearch()
  const navigate = backtestsRoute.useNavigate()
  const open = (id: number) => void navigate({ search: { run: id } })
  const runs = useBacktests()
  const [checked, setChecked] = useState<readonly number[]>([])
  const openId = search.run ?? null
  const compareIds = search.compare ?? []
  const list = runs.data ?? []
  const markets = useMarkets()
  const demoExchanges = new Set((markets.data ?? []).filter((item) => item.is_demo).map((item) => item.exchange))
  const isDemo = (exchange: string | undefined) => exchange !== undefined && demoExchanges.has(exchange)

  const toggle = (id: number) =>
    setChecked((current) => (current.includes(id) ? current.filter((item) => item !== id) : current.length >= MAX_COMPARE ? current : [...current, id]))

  return (
    <>
      <PageHeader title="Backtests" description="Replay a strategy over stored candles with fees, slippage and stops, then compare runs side by side." />
      <div className="grid gap-6 xl:grid-cols-5">
        <div className="flex min-w-0 flex-col gap-6 xl:col-span-2">
          <Panel className="p-4 sm:p-5">
            <BacktestForm onCreated={(backtest) => open(backtest.id)} />
          </Panel>
          <Panel className="p-4 sm:p-5" aria-labelledby="runs-title">
            <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
              <h2 id="runs-title" className="text-base font-semibold text-white">
                Your runs
              </h2>
              <Button size="sm" variant="secondary" disabled={checked.length < 2} onClick={() => void navigate({ search: { compare: [...checked] } })}>
                Compare selected ({checked.length})
              </Button>
            </div>
            {runs.isPending ? (
              <LoadingBlock label="Loading your backtests…" />
            ) : runs.isError ? (
              <ErrorBlock title="Backtests could not be loaded" error={runs.error} onRetry={() => void runs.refetch()} />
            ) : list.length === 0 ? (
              <EmptyLine>No backtests yet. Fill in the form above and press “Run backtest”.</EmptyLine>
            ) : (
              <>
                <p className="mb-2 text-xs text-slate-400">Tick two to {MAX_COMPARE} runs to compare them.</p>
                <ul className="space-y-2" aria-label="Backtest runs">
                  {list.map((run) => {
                    const config = runConfig(run)
                    const metrics = runMetrics(run)
                    return (
                    <li
                      key={run.id}
                      data-run={run.id}
                      className={cn('flex items-start gap-3 rounded-xl border px-3 py-2.5', run.id === openId ? 'border-cyan-400/40 bg-cyan-400/5' : 'border-white/10')}
                    >
                      <input
                        type="checkbox"
                        className="mt-1 size-4 accent-cyan-400"
                        checked={checked.includes(run.id)}
                        onChange={() => toggle(run.id)}
                        aria-label={`Select backtest ${run.id} for comparison`}
                        disabled={isRunning(run.status) || run.status === 'failed'}
                      />
                      <button type="button" className="min-w-0 flex-1 text-left" onClick={() => open(run.id)} aria-current={run.id === openId ? 'true' : undefined}>
                        <span className="flex flex-wrap items-center gap-2">
                          <span className="text-sm font-medium text-white">#{run.id}</span>
                          <span className="text-sm text-slate-300">
                            {config.symbol} · {config.timeframe} · {strategyLabel(config.strategy ?? '?')}
                          </span>
                          <BacktestStatusBadge status={run.status} />
                          <DemoBadge show={isDemo(config.exchange)} />
                        </span>
                        <span className="mt-1 block text-xs text-slate-400">
                          {config.start === null || config.start === undefined ? 'first candle' : formatDate(config.start)} →{' '}
                          {config.end === null || config.end === undefined ? 'last candle' : formatDate(config.end)}
                          {metrics.total_return === undefined ? null : (
                            <>
                              {' · return '}
                              <span className="font-mono text-slate-200">{formatMetric('total_return', metrics.total_return)}</span>
                              {' · max DD '}
                              <span className="font-mono text-slate-200">{formatMetric('max_drawdown', metrics.max_drawdown)}</span>
                            </>
                          )}
                        </span>
                        {isRunning(run.status) ? (
                          <span className="mt-2 block">
                            <ProgressBar value={run.progress} label={`Backtest ${run.id} progress`} />
                          </span>
                        ) : null}
                      </button>
                    </li>
                    )
                  })}
                </ul>
              </>
            )}
          </Panel>
        </div>
        <Panel className="min-w-0 p-4 sm:p-5 xl:col-span-3" aria-label={compareIds.length >= 2 ? 'Comparison' : 'Backtest result'}>
          {compareIds.length >= 2 ? (
            <>
              <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
                <h2 className="text-lg font-semibold text-white">Comparing {compareIds.map((id) => `#${id}`).join(', ')}</h2>
                <Button size="sm" variant="ghost" onClick={() => void navigate({ search: {} })}>
                  Close comparison
                </Button>
              </div>
              <BacktestCompare ids={compareIds} />
            </>
          ) : openId !== null ? (
            <BacktestDetail id={openId} isDemo={isDemo} />
          ) : (
            <EmptyLine>Run a backtest or pick one from your runs to see its equity curve, drawdown, metrics and trades.</EmptyLine>
          )}
        </Panel>
      </div>
    </>
  )
}
