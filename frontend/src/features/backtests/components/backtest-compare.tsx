import { useMemo } from 'react'
import { useBacktestComparison } from '@/features/backtests/api/backtests'
import { CHART_COLORS } from '@/components/charts/chart-theme'
import { TimeSeriesChart, type TimeSeriesSpec } from '@/components/charts/time-series-chart'
import { ErrorBlock, LoadingBlock } from '@/components/query-state'
import { bestIndex, equityPoints, formatMetric, metricKeys, metricLabel, strategyLabel } from '@/features/backtests/lib/backtest-metrics'
import { runConfig, runMetrics } from '@/features/backtests/lib/backtest-run'
import { ScrollArea } from '@/components/ui/scroll-area'
import { cn } from '@/lib/cn'

/** Several runs side by side: equity as % of the initial cash on one chart, and every metric. */
export function BacktestCompare({ ids }: { ids: readonly number[] }) {
  const comparison = useBacktestComparison(ids)
  const runs = useMemo(() => comparison.data ?? [], [comparison.data])
  const series = useMemo<TimeSeriesSpec[]>(
    () =>
      runs.map((run, index) => {
        const { equity } = equityPoints(run.equity_curve)
        const base = equity[0]?.value ?? 1
        return {
          name: `#${run.id}`,
          kind: 'line',
          percent: true,
          color: CHART_COLORS.palette[index % CHART_COLORS.palette.length],
          points: equity.map((point) => ({ time: point.time, value: base === 0 ? 0 : point.value / base - 1 })),
        }
      }),
    [runs],
  )
  if (comparison.isPending) return <LoadingBlock label="Loading the comparison…" className="h-64" />
  if (comparison.isError) return <ErrorBlock title="The runs could not be compared" error={comparison.error} onRetry={() => void comparison.refetch()} />
  const keys = metricKeys(runs.map(runMetrics)).filter((key) => key !== 'start' && key !== 'end')
  return (
    <div className="space-y-6" data-compare={ids.join(',')}>
      <section aria-labelledby="compare-chart-title">
        <h3 id="compare-chart-title" className="mb-2 text-sm font-semibold text-white">
          Return over time
        </h3>
        <TimeSeriesChart series={series} chartId="compare" label={`Returns of backtests ${ids.join(', ')}`} className="h-72 w-full" />
      </section>
      <ScrollArea className="overflow-x-auto" label="Metrics side by side table">
        <table className="w-full text-left text-sm" aria-label="Metrics side by side">
          <thead>
            <tr className="border-b border-white/10 text-xs text-slate-400">
              <th scope="col" className="px-2 py-2 font-medium">Metric</th>
              {runs.map((run, index) => (
                <th key={run.id} scope="col" className="px-2 py-2 text-right font-medium whitespace-nowrap">
                  <span className="mr-1 inline-block size-2 rounded-full" style={{ background: CHART_COLORS.palette[index % CHART_COLORS.palette.length] }} aria-hidden="true" />#{run.id} · {runConfig(run).symbol} {runConfig(run).timeframe}
                  <span className="block font-normal text-slate-400">{strategyLabel(runConfig(run).strategy ?? '?')}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => {
              const values = runs.map((run) => runMetrics(run)[key])
              const best = bestIndex(key, values)
              return (
                <tr key={key} className="border-b border-white/5">
                  <th scope="row" className="px-2 py-1.5 font-normal text-slate-400">
                    {metricLabel(key)}
                  </th>
                  {values.map((value, index) => (
                    <td key={runs[index]?.id ?? index} className={cn('px-2 py-1.5 text-right font-mono', best === index ? 'font-semibold text-emerald-300' : 'text-slate-200')}>
                      {formatMetric(key, value)}
                      {best === index ? <span className="sr-only"> (best)</span> : null}
                    </td>
                  ))}
                </tr>
              )
            })}
          </tbody>
        </table>
      </ScrollArea>
    </div>
  )
}
