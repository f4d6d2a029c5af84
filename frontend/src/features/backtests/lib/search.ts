import { z } from 'zod'
import { idList, optionalId, searchValidator } from '@/lib/search-params'

/** `?run=12` opens one run; `?compare=3,4` compares runs side by side. */
export const backtestsSearchSchema = z.object({ run: optionalId, compare: idList.optional() })
export type BacktestsSearch = z.output<typeof backtestsSearchSchema>
export const validateBacktestsSearch = searchValidator(backtestsSearchSchema)
