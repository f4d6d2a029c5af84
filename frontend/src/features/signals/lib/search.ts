import { z } from 'zod'
import { optionalId, optionalText, searchValidator } from '@/lib/search-params'

/** The Signals feed's filters, kept in the URL: `?market=binance:BTC/USDT&tf=1h&model=7&action=BUY`. */
export const signalsSearchSchema = z.object({
  market: optionalText,
  tf: optionalText,
  model: optionalId,
  action: z.enum(['BUY', 'SELL', 'HOLD']).optional().catch(undefined),
})
export type SignalsSearch = z.output<typeof signalsSearchSchema>
export const validateSignalsSearch = searchValidator(signalsSearchSchema)
