import { useQueryClient } from '@tanstack/react-query'
import { tradeKeys } from '@/features/trades/api/trades'
import { useStreamHandler } from '@/hooks/use-stream'

/** A new fill (or an order change that brought one) refreshes the trades list. */
export function useTradeEvents(): void {
  const queryClient = useQueryClient()
  const refresh = () => void queryClient.invalidateQueries({ queryKey: tradeKeys.all })
  useStreamHandler('fill', refresh)
  useStreamHandler('order', refresh)
}
