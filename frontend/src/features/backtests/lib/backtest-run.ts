import { asNumber, asRecord } from '@/lib/records'
import type { BacktestConfig } from '@/features/backtests/api/types'

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

