import { useQueryClient } from '@tanstack/react-query'
import { useBacktestEvents } from '@/features/backtests'
import { useBotEvents } from '@/features/bots'
import { useOrderEvents } from '@/features/orders'
import { exchangeAccountKeys } from '@/features/settings'
import { useTradeEvents } from '@/features/trades'
import { useStreamHandler } from '@/hooks/use-stream'
import { toast } from '@/lib/toast-store'

/**
 * Events on the user's own stream group: each feature merges its own (backtest progress, order
 * and fill updates, bots and their positions, trades); notifications become toasts.
 */
export function useUserEvents(): void {
  const queryClient = useQueryClient()
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
    const title = typeof data.title === 'string' ? data.title : typeof data.message === 'string' ? data.message : null
    if (title !== null) toast({ variant: 'info', title, description: typeof data.detail === 'string' ? data.detail : undefined })
  })
}
