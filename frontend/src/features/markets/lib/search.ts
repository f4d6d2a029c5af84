import { z } from 'zod'
import { optionalText, searchValidator } from '@/lib/search-params'

/** `?market=binance:BTC/USDT&tf=1h`: the market and timeframe in view. */
export const marketSearchSchema = z.object({ market: optionalText, tf: optionalText })
export type MarketSearch = z.output<typeof marketSearchSchema>
export const validateMarketSearch = searchValidator(marketSearchSchema)
