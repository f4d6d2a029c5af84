import { useQueryClient } from '@tanstack/react-query'
import { useStreamHandler } from '@/hooks/use-stream'
import { getPreferences } from '@/lib/preferences'
import { queryKeys } from '@/lib/query-keys'
import { toast } from '@/lib/toast-store'
import type { BacktestRunDetail } from '@/types/backtests'

const BACKTEST_STATUSES: readonly string[] = ['queued', 'running', 'done', 'failed'] satisfies BacktestRunDetail['status'][]

function isBacktestStatus(value: unknown): value is BacktestRunDetail['status'] {
  return typeof value === 'string' && BACKTEST_STATUSES.includes(value)
}

interface BacktestEvent {
  id: number
  status?: BacktestRunDetail['status']
  progress?: number
  error?: string
  total_return?: number | null
}

function backtestEvent(id: number | null | undefined, data: unknown): BacktestEvent | null {
  if (typeof data !== 'object' || data === null) return null
  const record = data as Record<string, unknown>
  const eventId = typeof record.id === 'number' ? record.id : typeof record.backtest_id === 'number' ? record.backtest_id : id
  if (typeof eventId !== 'number' || eventId <= 0) return null
  return {
    id: eventId,
    status: isBacktestStatus(record.status) ? record.status : undefined,
    progress: typeof record.progress === 'number' ? record.progress : undefined,
    error: typeof record.error === 'string' ? record.error : undefined,
  }
}

/**
 * Events on the user's own stream group: backtest progress is merged into the cache (and a
 * finished or failed run raises a toast), notifications become toasts.
 */
export function useUserEvents(): void {
  const queryClient = useQueryClient()

  useStreamHandler('backtest', (message) => {
    const event = backtestEvent(message.id, message.data)
    if (event === null) return
    queryClient.setQueryData<BacktestRunDetail>(queryKeys.backtest(event.id), (current) =>
      current === undefined
        ? current
        : {
            ...current,
            ...(event.status === undefined ? {} : { status: event.status }),
            ...(event.progress === undefined ? {} : { progress: event.progress }),
            ...(event.error === undefined ? {} : { error: event.error }),
          },
    )
    const finished = event.status === 'done' || event.status === 'failed'
    if (!finished) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.backtests(), refetchType: 'none' })
      return
    }
    void queryClient.invalidateQueries({ queryKey: queryKeys.backtestsAll })
    if (!getPreferences().notifyBacktests) return
    if (event.status === 'failed') {
      toast({ id: `backtest-${event.id}`, variant: 'error', title: `Backtest #${event.id} failed`, description: event.error ?? 'Open it on the Backtests page to see why.' })
    } else {
      toast({ id: `backtest-${event.id}`, variant: 'success', title: `Backtest #${event.id} finished`, description: 'Its equity curve and metrics are ready on the Backtests page.' })
    }
  })

  useStreamHandler('notification', (message) => {
    const data = (typeof message.data === 'object' && message.data !== null ? message.data : {}) as Record<string, unknown>
    const kind = typeof data.kind === 'string' ? data.kind : ''
    if (kind.startsWith('exchange_account.')) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.exchangeAccounts })
      return // the Settings page reports its own changes
    }
    const title = typeof data.title === 'string' ? data.title : typeof data.message === 'string' ? data.message : null
    if (title !== null) toast({ variant: 'info', title, description: typeof data.detail === 'string' ? data.detail : undefined })
  })
}
