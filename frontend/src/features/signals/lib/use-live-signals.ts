import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { useStreamClient, useStreamHandler } from '@/hooks/use-stream'
import { mergeLiveSignal, signalFromMessage } from '@/features/signals/lib/live-signals'
import { signalKeys } from '@/features/signals/api/query-keys'
import { toast } from '@/lib/toast-store'
import type { Signal } from '@/features/signals/api/types'

/** The server accepts at most 50 subscriptions per connection; leave room for other pages. */
export const MAX_SIGNAL_TOPICS = 40
const REFRESH_DELAY_MS = 1500

/**
 * Subscribe to the given market topics and merge every `signal` message into the cached
 * signal lists. Returns the ids of signals that arrived live (to highlight them).
 */
export function useLiveSignals(topics: readonly string[], { notify = false }: { notify?: boolean } = {}): ReadonlySet<number> {
  const client = useStreamClient()
  const queryClient = useQueryClient()
  const [arrived, setArrived] = useState<ReadonlySet<number>>(() => new Set())
  const refresh = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(
    () => () => {
      if (refresh.current !== null) clearTimeout(refresh.current)
    },
    [],
  )
  const key = topics.slice(0, MAX_SIGNAL_TOPICS).join('|')

  useEffect(() => {
    if (key === '') return undefined
    const unsubscribers = key.split('|').map((topic) => client.subscribe(topic))
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe()
    }
  }, [client, key])

  useStreamHandler('signal', (message) => {
    const item: Signal | null = signalFromMessage(message.data, message.topic, message.id)
    if (item === null) return
    mergeLiveSignal(queryClient, item)
    // Fetch the full rows (with the explanation) in the background, once per burst of signals
    // (every market's signal arrives at the same candle close).
    if (refresh.current !== null) clearTimeout(refresh.current)
    refresh.current = setTimeout(() => {
      refresh.current = null
      void queryClient.invalidateQueries({ queryKey: signalKeys.all })
    }, REFRESH_DELAY_MS)
    setArrived((current) => new Set([...current, item.id]))
    if (notify && item.action !== 'HOLD') {
      toast({ id: `signal-${item.id}`, variant: 'info', title: `${item.action} ${item.symbol} (${item.timeframe})`, description: `Confidence ${(item.confidence * 100).toFixed(0)} %` })
    }
  })
  return arrived
}
