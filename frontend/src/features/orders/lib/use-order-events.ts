import { useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { orderKeys } from '@/features/orders/api/query-keys'
import { useStreamHandler } from '@/hooks/use-stream'
import { toast } from '@/lib/toast-store'

const orderMessageSchema = z.object({
  id: z.number(),
  status: z.string(),
  symbol: z.string().catch(''),
  side: z.string().catch(''),
  reason: z.string().nullish().catch(null),
})

const fillMessageSchema = z.object({
  id: z.number(),
  order: z.number(),
  symbol: z.string().catch(''),
  side: z.string().catch(''),
  amount: z.string().catch(''),
  price: z.string().catch(''),
})

/**
 * Order and fill events from the user's stream group (types "order" and "fill"): every one
 * refreshes the orders queries; fills and rejections raise a toast.
 */
export function useOrderEvents(): void {
  const queryClient = useQueryClient()

  useStreamHandler('order', (message) => {
    const parsed = orderMessageSchema.safeParse(message.data)
    void queryClient.invalidateQueries({ queryKey: orderKeys.all })
    if (!parsed.success) return
    const order = parsed.data
    if (order.status === 'rejected') {
      toast({
        id: `order-${order.id}`,
        variant: 'error',
        title: `Order #${order.id} rejected`,
        description: `${order.side} ${order.symbol}: ${order.reason === null || order.reason === undefined || order.reason === '' ? 'the exchange refused it.' : order.reason}`,
      })
    }
  })

  useStreamHandler('fill', (message) => {
    const parsed = fillMessageSchema.safeParse(message.data)
    void queryClient.invalidateQueries({ queryKey: orderKeys.all })
    if (!parsed.success) return
    const fill = parsed.data
    toast({
      id: `fill-${fill.id}`,
      variant: 'success',
      title: `Order #${fill.order} filled ${fill.amount}`,
      description: `${fill.side} ${fill.amount} ${fill.symbol} at ${fill.price}`,
    })
  })
}
