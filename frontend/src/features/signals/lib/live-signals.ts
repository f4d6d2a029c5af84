import type { QueryClient } from '@tanstack/react-query'
import { signalMatches } from '@/features/signals/api/signals'
import { signalKeys } from '@/features/signals/api/query-keys'
import { asNumber, asNumberMap } from '@/lib/records'
import type { Paginated } from '@/types/paginated'
import type { Signal, SignalFilters } from '@/features/signals/api/types'

const TOPIC = /^market\.([a-z0-9]+)\.([A-Z0-9]+)-([A-Z0-9]+)\.(\w+)$/

const NO_EXPLANATION: Signal['explanation'] = { top_features: [], headlines: [], feature_set_version: '' }

/** The explanation of a stream payload; the stream sends the API's shape, older ones none. */
function explanationOf(value: unknown): Signal['explanation'] {
  if (typeof value !== 'object' || value === null) return NO_EXPLANATION
  return { ...NO_EXPLANATION, ...(value as Partial<Signal['explanation']>) }
}

/**
 * The signal carried by a `signal` stream message, with its market taken from the topic when
 * the payload leaves it out. Null when the payload is not a signal.
 */
export function signalFromMessage(data: unknown, topic: string, messageId?: number | null): Signal | null {
  if (typeof data !== 'object' || data === null) return null
  const record = data as Record<string, unknown>
  const id = typeof record.id === 'number' ? record.id : messageId
  const action = record.action
  if (typeof id !== 'number' || id <= 0 || (action !== 'BUY' && action !== 'SELL' && action !== 'HOLD')) return null
  const openTime = typeof record.open_time === 'number' ? new Date(record.open_time).toISOString() : typeof record.open_time === 'string' ? record.open_time : null
  if (openTime === null) return null
  const match = TOPIC.exec(topic)
  const fromTopic = match === null ? null : { exchange: match[1] ?? '', symbol: `${match[2]}/${match[3]}`, timeframe: match[4] ?? '' }
  return {
    id,
    exchange: typeof record.exchange === 'string' ? record.exchange : (fromTopic?.exchange ?? ''),
    symbol: typeof record.symbol === 'string' ? record.symbol : (fromTopic?.symbol ?? ''),
    timeframe: typeof record.timeframe === 'string' ? record.timeframe : (fromTopic?.timeframe ?? ''),
    open_time: openTime,
    action,
    confidence: asNumber(record.confidence) ?? 0,
    probabilities: { BUY: 0, HOLD: 0, SELL: 0, ...asNumberMap(record.probabilities) },
    model_version: asNumber(record.model_version) ?? 0,
    // Demo markets are the `demo` exchange; older payloads may leave the flag out.
    is_demo: typeof record.is_demo === 'boolean' ? record.is_demo : exchangeIsDemo(record, fromTopic),
    explanation: explanationOf(record.explanation),
    created_at: typeof record.created_at === 'string' ? record.created_at : new Date().toISOString(),
  }
}

function exchangeIsDemo(record: Record<string, unknown>, fromTopic: { exchange: string } | null): boolean {
  const exchange = typeof record.exchange === 'string' ? record.exchange : fromTopic?.exchange
  return exchange === 'demo'
}

/** Put a live signal at the top of every cached signal list whose filters it passes. */
export function mergeLiveSignal(queryClient: QueryClient, item: Signal): void {
  for (const [key, page] of queryClient.getQueriesData<Paginated<Signal>>({ queryKey: signalKeys.all })) {
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
