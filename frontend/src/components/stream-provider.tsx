import { useEffect, useState, type ReactNode } from 'react'
import { env } from '@/config/env'
import { StreamContext } from '@/hooks/use-stream'
import { StreamClient, buildStreamUrl } from '@/lib/stream-client'

interface StreamProviderProps {
  children: ReactNode
  /** Inject a client (tests); by default one is created for this page's origin. */
  client?: StreamClient
}

/** Owns the one WebSocket of the signed-in app: opens it on mount, closes it on unmount. */
export function StreamProvider({ children, client }: StreamProviderProps) {
  const [stream] = useState(() => client ?? new StreamClient({ url: () => buildStreamUrl(env.streamPath) }))

  useEffect(() => {
    stream.start()
    const reconnect = () => stream.reconnectNow()
    const drop = () => stream.dropConnection()
    window.addEventListener('online', reconnect)
    window.addEventListener('offline', drop)
    return () => {
      window.removeEventListener('online', reconnect)
      window.removeEventListener('offline', drop)
      stream.stop()
    }
  }, [stream])

  return <StreamContext value={stream}>{children}</StreamContext>
}
