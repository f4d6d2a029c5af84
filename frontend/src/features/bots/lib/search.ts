import { z } from 'zod'
import { optionalId, searchValidator } from '@/lib/search-params'

/** The bot shown: `/bots?bot=3`. */
export const botsSearchSchema = z.object({ bot: optionalId })
export type BotsSearch = z.output<typeof botsSearchSchema>
export const validateBotsSearch = searchValidator(botsSearchSchema)
