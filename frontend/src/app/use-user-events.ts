import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useBacktestEvents } from '@/features/backtests'
import { useBotEvents } from '@/features/bots'
import { useOrderEvents } from '@/features/orders'
import { notificationKeys } from '@/features/notifications'
import { exchangeAccountKeys } from '@/features/settings'
import { useTradeEvents } from '@/features/trades'
import { useStreamClient, useStreamHandler } from '@/hooks/use-stream'
import { queryKeys } from '@/lib/query-keys'
import { toast } from '@/lib/toast-store'

/** Notification kinds whose own stream events already raise a toast (fills, rejections, switches). */
const SHOWN_BY_THEIR_FEATURE = new Set(['order.filled', 'order.rejected', 'bot.kill_switch'])

/**
 * Events on the user's own stream group: each feature merges its own (backtest progress, order
 * and fill updates, bots and their positions, trades); notifications become toasts. When the
 * server closes the stream because this browser's session was revoked (elsewhere, or "sign out
 * everywhere"), ask again who is signed in, so the login page shows at once.
 */
export function useUserEvents(): void {
  const queryClient = useQueryClient()
  const stream = useStreamClient()
  useEffect(() => stream.onSignedOut(() => void queryClient.invalidateQueries({ queryKey: queryKeys.me })), [stream, queryClient])
  useBacktestEvents()
  useOrderEvents()
  useBotEvents()
  useTradeEvents()

  // Missed events the server no longer keeps: what the pages show is refetched instead (the
  // only refetch a reconnect causes; otherwise the missed events are replayed).
  useStreamHandler('resync', () => {
    void queryClient.invalidateQueries()
  })

  useStreamHandler('notification', (message) => {
    const data = (typeof message.data === 'object' && message.data !== null ? message.data : {}) as Record<string, unknown>
    const kind = typeof data.kind === 'string' ? data.kind : ''
    if (kind.startsWith('exchange_account.')) {
      void queryClient.invalidateQueries({ queryKey: exchangeAccountKeys.all })
      return // the Settings page reports its own changes
    }
    void queryClient.invalidateQueries({ queryKey: notificationKeys.all })
    if (SHOWN_BY_THEIR_FEATURE.has(kind)) return // the orders and kill-switch toasts say it already
    const title = typeof data.title === 'string' ? data.title : typeof data.message === 'string' ? data.message : null
    if (title !== null) toast({ variant: 'info', title, description: typeof data.detail === 'string' ? data.detail : typeof data.body === 'string' && data.body !== '' ? data.body : undefined })
  })
}
