import { z } from 'zod'
import { ORDER_SIDES } from '@/features/orders'
import { optionalId, searchValidator } from '@/lib/search-params'

/** Trade filters in the URL: `/trades?symbol=BTC/USDT&side=buy&bot=3`. */
export const tradesSearchSchema = z.object({
  symbol: z.string().trim().toUpperCase().min(1).max(40).optional().catch(undefined),
  side: z.enum(ORDER_SIDES).optional().catch(undefined),
  bot: optionalId,
})
export type TradesSearch = z.output<typeof tradesSearchSchema>
export const validateTradesSearch = searchValidator(tradesSearchSchema)
