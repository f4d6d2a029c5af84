import { asNumber, asRecord, asRecordList, asString } from '@/lib/records'
import type { BacktestConfig, BacktestTrade } from '@/features/backtests/api/types'

/** The stored configuration of a run (the API types it as a free-form object). */
export function runConfig(run: { config: unknown }): BacktestConfig {
  return asRecord(run.config) as BacktestConfig
}

export function runMetrics(run: { metrics: unknown }): Record<string, unknown> {
  return asRecord(run.metrics)
}

/** `[[t_ms, equity], ...]` with malformed rows dropped. */
export function equityRows(curve: unknown): [number, number][] {
  if (!Array.isArray(curve)) return []
  const rows: [number, number][] = []
  for (const row of curve) {
    if (!Array.isArray(row)) continue
    const time = asNumber(row[0])
    const value = asNumber(row[1])
    if (time !== null && value !== null) rows.push([time, value])
  }
  return rows
}

export function tradeRows(trades: unknown): BacktestTrade[] {
  return asRecordList(trades).map((trade) => ({
    entry_time: asString(trade.entry_time) ?? '',
    entry_price: asNumber(trade.entry_price) ?? Number.NaN,
    exit_time: asString(trade.exit_time) ?? '',
    exit_price: asNumber(trade.exit_price) ?? Number.NaN,
    size: asNumber(trade.size) ?? Number.NaN,
    exposure: asNumber(trade.exposure) ?? Number.NaN,
    fees: asNumber(trade.fees) ?? Number.NaN,
    pnl: asNumber(trade.pnl) ?? Number.NaN,
    return: asNumber(trade.return) ?? Number.NaN,
    exit_reason: asString(trade.exit_reason) ?? '',
  }))
}
