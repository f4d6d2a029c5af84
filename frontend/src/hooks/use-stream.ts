import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react'
import type { ConnectionState, StreamClient, StreamHandler } from '@/lib/stream-client'
import type { StreamMessageType } from '@/types/stream'

export const StreamContext = createContext<StreamClient | null>(null)

export function useStreamClient(): StreamClient {
  const client = useContext(StreamContext)
  if (client === null) throw new Error('Stream hooks must be used inside <StreamProvider>.')
  return client
}

/** The live connection state: `connecting`, `open` or `closed`. */
export function useStreamState(): ConnectionState {
  const client = useStreamClient()
  return useSyncExternalStore(client.subscribeState, client.getState, client.getState)
}

/** Keep a topic subscribed while the calling component is mounted (pass null to skip). */
export function useStreamTopic(topic: string | null | undefined): void {
  const client = useStreamClient()
  useEffect(() => {
    if (topic === null || topic === undefined || topic === '') return undefined
    return client.subscribe(topic)
  }, [client, topic])
}

/**
 * Call `handler` for every message of `type` (or `'*'`) while mounted. The latest handler is
 * always used, so callers do not need to memoise it.
 */
export function useStreamHandler(type: StreamMessageType | '*', handler: StreamHandler): void {
  const client = useStreamClient()
  const latest = useRef(handler)
  useEffect(() => {
    latest.current = handler
  })
  useEffect(() => client.on(type, (message) => latest.current(message)), [client, type])
}

/** The shared stream: its state plus imperative subscribe/on for advanced callers. */
export function useStream(): {
  state: ConnectionState
  subscribe: StreamClient['subscribe']
  on: StreamClient['on']
} {
  const client = useStreamClient()
  const state = useStreamState()
  return { state, subscribe: client.subscribe, on: client.on }
}
