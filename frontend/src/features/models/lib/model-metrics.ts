import { formatDate, formatNumber, formatPercent } from '@/lib/format'
import type { FoldMetrics } from '@/features/models/api/types'

const PREFERRED = ['fold', 'market', 'test_start', 'test_end', 'test_rows', 'log_loss', 'prior_log_loss', 'log_loss_skill', 'accuracy', 'macro_f1']
const HIDDEN = new Set(['train_start', 'train_end', 'train_rows', 'best_iteration'])
const FRACTIONS = new Set(['accuracy', 'macro_f1', 'total_return', 'max_drawdown', 'win_rate', 'buy_and_hold_return', 'exposure', 'time_in_market'])

/** Columns of the fold table: the known ones in a fixed order, then any other scalar metric. */
export function foldColumns(folds: readonly FoldMetrics[]): string[] {
  const present = new Set<string>()
  for (const fold of folds) {
    for (const [key, value] of Object.entries(fold)) {
      if (!HIDDEN.has(key) && (typeof value === 'number' || typeof value === 'string')) present.add(key)
    }
  }
  const first = PREFERRED.filter((key) => present.has(key))
  const rest = [...present].filter((key) => !PREFERRED.includes(key)).toSorted()
  return [...first, ...rest]
}

export function formatFoldValue(column: string, value: unknown): string {
  if (typeof value === 'string') return column.endsWith('_start') || column.endsWith('_end') ? formatDate(value) : value
  if (typeof value !== 'number') return '—'
  if (column === 'fold' || column.endsWith('_rows')) return String(value)
  if (FRACTIONS.has(column)) return formatPercent(value, { digits: 1 })
  return formatNumber(value, 4)
}

/** The `count` most important features, largest first. */
export function topImportance(importance: Record<string, number>, count: number): [string, number][] {
  return Object.entries(importance)
    .filter(([, value]) => Number.isFinite(value) && value > 0)
    .toSorted((a, b) => b[1] - a[1])
    .slice(0, count)
}

/** `binance:BTC/USDT, binance:ETH/USDT` */
export function modelScope(model: { markets: readonly { exchange: string; symbol: string }[] }): string {
  return model.markets.map((market) => `${market.exchange}:${market.symbol}`).join(', ') || 'no market'
}
