import type { QueryClient } from '@tanstack/react-query'
import { signalMatches } from '@/api/signals'
import { queryKeys } from '@/lib/query-keys'
import type { Paginated } from '@/types/paginated'
import type { Signal, SignalFilters } from '@/types/signals'

const TOPIC = /^market\.([a-z0-9]+)\.([A-Z0-9]+)-([A-Z0-9]+)\.(\w+)$/

/**
 * The signal carried by a `signal` stream message, with its market taken from the topic when
 * the payload leaves it out. Null when the payload is not a signal.
 */
export function signalFromMessage(data: unknown, topic: string): Signal | null {
  if (typeof data !== 'object' || data === null) return null
  const record = data as Record<string, unknown>
  const inner = typeof record.signal === 'object' && record.signal !== null ? (record.signal as Record<string, unknown>) : record
  const action = inner.action
  if (typeof inner.id !== 'number' || (action !== 'BUY' && action !== 'SELL' && action !== 'HOLD')) return null
  const match = TOPIC.exec(topic)
  const fromTopic = match === null ? null : { exchange: match[1] ?? '', symbol: `${match[2]}/${match[3]}`, timeframe: match[4] ?? '' }
  return {
    ...(inner as unknown as Signal),
    exchange: typeof inner.exchange === 'string' ? inner.exchange : (fromTopic?.exchange ?? ''),
    symbol: typeof inner.symbol === 'string' ? inner.symbol : (fromTopic?.symbol ?? ''),
    timeframe: typeof inner.timeframe === 'string' ? inner.timeframe : (fromTopic?.timeframe ?? ''),
  }
}

/** Put a live signal at the top of every cached signal list whose filters it passes. */
export function mergeLiveSignal(queryClient: QueryClient, item: Signal): void {
  for (const [key, page] of queryClient.getQueriesData<Paginated<Signal>>({ queryKey: queryKeys.signalsAll })) {
    if (page === undefined) continue
    const filters = (key[1] ?? {}) as SignalFilters
    if (!signalMatches(item, filters)) continue
    const exists = page.results.some((existing) => existing.id === item.id)
    const results = exists
      ? page.results.map((existing) => (existing.id === item.id ? { ...existing, ...item } : existing))
      : [item, ...page.results]
    const sorted = results.toSorted((a, b) => Date.parse(b.open_time) - Date.parse(a.open_time) || b.id - a.id)
    queryClient.setQueryData<Paginated<Signal>>(key, { ...page, count: page.count + (exists ? 0 : 1), results: sorted })
  }
}
