import { formatDate, formatDateTime, formatNumber, formatPercent, humanize } from '@/lib/format'
import type { TimePoint } from '@/components/charts/time-series-chart'
import { equityRows } from '@/features/backtests/lib/backtest-run'
import type { BacktestConfig } from '@/features/backtests/api/types'
import { drawdown } from '@/lib/indicators'

/** The backtester's metrics in reading order, with their labels (trading/core/metrics.py). */
export const METRIC_LABELS: Record<string, string> = {
  total_return: 'Total return',
  buy_and_hold_return: 'Buy and hold return',
  cagr: 'CAGR',
  sharpe: 'Sharpe ratio',
  sortino: 'Sortino ratio',
  calmar: 'Calmar ratio',
  max_drawdown: 'Max drawdown',
  max_drawdown_duration_days: 'Max drawdown duration (days)',
  max_drawdown_duration_candles: 'Max drawdown duration (candles)',
  annual_volatility: 'Annualised volatility',
  trades: 'Trades',
  win_rate: 'Win rate',
  profit_factor: 'Profit factor',
  expectancy: 'Expectancy (per trade)',
  expectancy_return: 'Expectancy (mean trade return)',
  exposure: 'Exposure (mean)',
  time_in_market: 'Time in market',
  fees_paid: 'Fees paid',
  initial_cash: 'Initial cash',
  final_equity: 'Final equity',
  candles: 'Candles',
  start: 'Start',
  end: 'End',
}

const FRACTIONS = new Set([
  'total_return',
  'cagr',
  'annual_volatility',
  'max_drawdown',
  'win_rate',
  'expectancy_return',
  'exposure',
  'time_in_market',
  'buy_and_hold_return',
])

/** How each comparable metric ranks; metrics not listed are not ranked. */
const RANKING: Record<string, 'higher' | 'lower' | 'smaller-magnitude'> = {
  total_return: 'higher',
  cagr: 'higher',
  sharpe: 'higher',
  sortino: 'higher',
  calmar: 'higher',
  win_rate: 'higher',
  profit_factor: 'higher',
  expectancy: 'higher',
  expectancy_return: 'higher',
  final_equity: 'higher',
  max_drawdown: 'smaller-magnitude',
  annual_volatility: 'lower',
  max_drawdown_duration_days: 'lower',
  max_drawdown_duration_candles: 'lower',
  fees_paid: 'lower',
}

export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? humanize(key)
}

export function formatMetric(key: string, value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return key === 'start' || key === 'end' ? formatDateTime(value) : value
  if (typeof value !== 'number') return '—'
  if (FRACTIONS.has(key)) return formatPercent(value, { signed: key.endsWith('return') })
  if (key === 'trades' || key === 'candles' || key.endsWith('_candles')) return formatNumber(value, 0)
  return formatNumber(value, key.endsWith('_cash') || key.endsWith('equity') || key === 'fees_paid' || key === 'expectancy' ? 2 : 3)
}

/** Known metrics first in reading order, then any others the server adds. */
export function metricKeys(metrics: readonly (Record<string, unknown> | null | undefined)[]): string[] {
  const present = new Set<string>()
  for (const item of metrics) for (const key of Object.keys(item ?? {})) present.add(key)
  const known = Object.keys(METRIC_LABELS).filter((key) => present.has(key))
  return [...known, ...[...present].filter((key) => !(key in METRIC_LABELS)).toSorted()]
}

/** Index of the best run for a metric, or null when it cannot be ranked. */
export function bestIndex(key: string, values: readonly unknown[]): number | null {
  const rule = RANKING[key]
  if (rule === undefined) return null
  const scored = values
    .map((value, index) => ({ value, index }))
    .filter((item): item is { value: number; index: number } => typeof item.value === 'number' && Number.isFinite(item.value))
  if (scored.length < 2) return null
  const score = (value: number) => (rule === 'higher' ? value : rule === 'lower' ? -value : -Math.abs(value))
  return scored.reduce((best, item) => (score(item.value) > score(best.value) ? item : best)).index
}

/** Equity curve `[[t_ms, equity], ...]` → chart points, and its drawdown as fractions. */
export function equityPoints(curve: unknown): { equity: TimePoint[]; drawdown: TimePoint[] } {
  const rows = equityRows(curve)
  const times = rows.map((row) => Math.floor(row[0] / 1000))
  const values = rows.map((row) => row[1])
  const dd = drawdown(values)
  return {
    equity: values.map((value, index) => ({ time: times[index] ?? 0, value })),
    drawdown: dd.map((value, index) => ({ time: times[index] ?? 0, value })),
  }
}

/** Strategy codes → readable names: `sma_cross`, `rsi_bands`, `model:12`. */
export function strategyLabel(strategy: string): string {
  if (strategy === 'sma_cross') return 'SMA cross'
  if (strategy === 'rsi_bands') return 'RSI bands'
  if (strategy === 'walk_forward') return 'Model walk-forward'
  if (strategy.startsWith('model:')) return `Model #${strategy.slice(6)}`
  return humanize(strategy)
}

/** "SMA cross (fast 20, slow 50) on demo from 2026-08-01 to 2026-11-01 · fee 0.10 % · slippage 5 bp" */
export function describeConfig(config: BacktestConfig): string {
  const params = Object.entries(config.params ?? {})
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(', ')
  const parts = [
    `${strategyLabel(config.strategy ?? '?')}${params === '' ? '' : ` (${params})`} on ${config.exchange ?? '?'}`,
    config.start === undefined || config.start === null ? 'from the first stored candle' : `from ${formatDate(config.start)}`,
    config.end === undefined || config.end === null ? 'to the last' : `to ${formatDate(config.end)}`,
  ].filter((part) => part !== null)
  const costs = [
    typeof config.fee === 'number' ? `fee ${formatPercent(config.fee)}` : null,
    typeof config.slippage_bps === 'number' ? `slippage ${formatNumber(config.slippage_bps, 1)} bp` : null,
    typeof config.initial_cash === 'number' ? `cash ${formatNumber(config.initial_cash, 0)}` : null,
    typeof config.stops?.stop_loss === 'number' ? `stop ${formatPercent(config.stops.stop_loss, { digits: 1 })}` : null,
    typeof config.stops?.take_profit === 'number' ? `take profit ${formatPercent(config.stops.take_profit, { digits: 1 })}` : null,
    typeof config.stops?.trailing_stop === 'number' ? `trailing ${formatPercent(config.stops.trailing_stop, { digits: 1 })}` : null,
  ].filter((part) => part !== null)
  return [parts.join(' '), ...costs].join(' · ')
}
