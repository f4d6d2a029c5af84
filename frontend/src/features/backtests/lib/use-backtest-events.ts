import { useQueryClient } from '@tanstack/react-query'
import { isFinished } from '@/features/backtests/api/backtests'
import { backtestKeys } from '@/features/backtests/api/query-keys'
import type { BacktestRunDetail } from '@/features/backtests/api/types'
import { useStreamHandler } from '@/hooks/use-stream'
import { getPreferences } from '@/lib/preferences'
import { toast } from '@/lib/toast-store'

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
 * Backtest progress from the user's stream group, merged into the cache; a finished or failed
 * run raises a toast (when the preferences ask for it).
 */
export function useBacktestEvents(): void {
  const queryClient = useQueryClient()

  useStreamHandler('backtest', (message) => {
    const event = backtestEvent(message.id, message.data)
    if (event === null) return
    queryClient.setQueryData<BacktestRunDetail>(backtestKeys.detail(event.id), (current) =>
      current === undefined
        ? current
        : {
            ...current,
            ...(event.status === undefined ? {} : { status: event.status }),
            ...(event.progress === undefined ? {} : { progress: event.progress }),
            ...(event.error === undefined ? {} : { error: event.error }),
          },
    )
    const finished = event.status !== undefined && isFinished(event.status)
    if (!finished) {
      void queryClient.invalidateQueries({ queryKey: backtestKeys.list(), refetchType: 'none' })
      return
    }
    void queryClient.invalidateQueries({ queryKey: backtestKeys.all })
    if (!getPreferences().notifyBacktests) return
    if (event.status === 'failed') {
      toast({ id: `backtest-${event.id}`, variant: 'error', title: `Backtest #${event.id} failed`, description: event.error ?? 'Open it on the Backtests page to see why.' })
    } else {
      toast({ id: `backtest-${event.id}`, variant: 'success', title: `Backtest #${event.id} finished`, description: 'Its equity curve and metrics are ready on the Backtests page.' })
    }
  })
}
