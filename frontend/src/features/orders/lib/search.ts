import { z } from 'zod'
import { ORDER_SIDES, ORDER_STATUSES } from '@/features/orders/api/types'
import { optionalId, searchValidator } from '@/lib/search-params'

/** History filters and the open order, in the URL: `/orders?status=filled&symbol=BTC/USDT&side=buy&order=12`. */
export const ordersSearchSchema = z.object({
  status: z.enum(ORDER_STATUSES).optional().catch(undefined),
  symbol: z
    .string()
    .trim()
    .toUpperCase()
    .min(1)
    .max(40)
    .optional()
    .catch(undefined),
  side: z.enum(ORDER_SIDES).optional().catch(undefined),
  order: optionalId,
})
export type OrdersSearch = z.output<typeof ordersSearchSchema>
export const validateOrdersSearch = searchValidator(ordersSearchSchema)
