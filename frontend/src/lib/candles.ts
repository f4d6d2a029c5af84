/** One candle as the chart wants it: time in epoch seconds (UTC). */
export interface Bar {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

/** `[t_ms, o, h, l, c, v]` → a chart bar (time in epoch seconds). Returns null for a malformed row. */
export function rowToBar(row: unknown): Bar | null {
  if (!Array.isArray(row) || row.length < 5) return null
  const [t, open, high, low, close, volume] = row.map((value) => (typeof value === 'string' ? Number(value) : value)) as unknown[]
  const numbers = [t, open, high, low, close]
  if (!numbers.every((value) => typeof value === 'number' && Number.isFinite(value))) return null
  return {
    time: Math.floor((t as number) / 1000),
    open: open as number,
    high: high as number,
    low: low as number,
    close: close as number,
    volume: typeof volume === 'number' && Number.isFinite(volume) ? volume : 0,
  }
}

/** Sort by time and keep the last bar of each time (later rows win). */
export function toBars(rows: readonly unknown[]): Bar[] {
  const byTime = new Map<number, Bar>()
  for (const row of rows) {
    const bar = rowToBar(row)
    if (bar !== null) byTime.set(bar.time, bar)
  }
  return [...byTime.values()].toSorted((a, b) => a.time - b.time)
}

/**
 * Merge a live candle into bars: replace the bar with the same time (the forming candle
 * updated), append a newer one, ignore one older than the last bar that is not in the list.
 * Returns the same array when nothing changed.
 */
export function mergeBar(bars: readonly Bar[], bar: Bar): readonly Bar[] {
  const last = bars.at(-1)
  if (last === undefined || bar.time > last.time) return [...bars, bar]
  const index = bars.findIndex((item) => item.time === bar.time)
  if (index === -1) return bars
  const current = bars[index]
  if (current !== undefined && sameBar(current, bar)) return bars
  const next = bars.slice()
  next[index] = bar
  return next
}

function sameBar(a: Bar, b: Bar): boolean {
  return a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume
}

/**
 * The candle carried by a `candle` stream message, whatever its exact layout: a compact row,
 * `{candle: row}`, `{candles: [row, ...]}` (each is returned), or named fields.
 */
export function barsFromMessage(data: unknown): Bar[] {
  if (Array.isArray(data)) {
    if (data.length > 0 && Array.isArray(data[0])) return toBars(data)
    const bar = rowToBar(data)
    return bar === null ? [] : [bar]
  }
  if (typeof data !== 'object' || data === null) return []
  const record = data as Record<string, unknown>
  if (Array.isArray(record.candles)) return toBars(record.candles)
  if (Array.isArray(record.candle)) return barsFromMessage(record.candle)
  if (typeof record.candle === 'object' && record.candle !== null) return barsFromMessage(record.candle)
  const time = record.t ?? record.time ?? record.open_time ?? record.ts
  const timeMs = typeof time === 'string' ? Date.parse(time) : time
  const bar = rowToBar([
    timeMs,
    record.o ?? record.open,
    record.h ?? record.high,
    record.l ?? record.low,
    record.c ?? record.close,
    record.v ?? record.volume,
  ])
  return bar === null ? [] : [bar]
}

/** `BTC/USDT` on binance at 1h → `market.binance.BTC-USDT.1h` (the server's stream group name). */
export function marketTopic(exchange: string, symbol: string, timeframe: string): string {
  return `market.${exchange}.${symbol.replace('/', '-')}.${timeframe}`
}

/** `asset.BTC` */
export function assetTopic(asset: string): string {
  return `asset.${asset.toUpperCase()}`
}

const TIMEFRAME_UNITS: Record<string, number> = { m: 60, h: 3600, d: 86_400, w: 604_800 }

/** Length of a timeframe in seconds (`15m` → 900), or null if it is not one. */
export function timeframeSeconds(timeframe: string): number | null {
  const match = /^(\d{1,3})([mhdw])$/.exec(timeframe)
  if (match === null) return null
  return Number(match[1]) * (TIMEFRAME_UNITS[match[2] ?? ''] ?? 0)
}

/** Whether `next` is `previous` with its last bar changed and/or one bar appended. */
export function isIncremental(previous: readonly Bar[], next: readonly Bar[]): boolean {
  if (previous.length === 0 || next.length < previous.length || next.length > previous.length + 1) return false
  const lastKept = previous.length - 1
  for (let i = 0; i < lastKept; i += 1) if (previous[i] !== next[i]) return false
  return previous[lastKept]?.time === next[lastKept]?.time
}
