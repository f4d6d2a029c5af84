import { z } from 'zod'
import { optionalText, searchValidator } from '@/lib/search-params'

/** `/login?next=/signals`: where to go after signing in (checked with safeRedirectPath). */
export const loginSearchSchema = z.object({ next: optionalText })
export const validateLoginSearch = searchValidator(loginSearchSchema)
