import { z } from 'zod'

/**
 * Search params as plain `key=value` pairs (the app's URLs predate the router:
 * `?market=binance:BTC/USDT&tf=1h`, `?run=12`, `?compare=3,4`). Arrays are written comma-separated;
 * empty and undefined values are left out.
 */
export function parseSearch(searchStr: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(searchStr.startsWith('?') ? searchStr.slice(1) : searchStr))
}

export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === '') continue
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','))
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      params.set(key, String(value))
    }
  }
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}

/** An optional text param; anything else becomes undefined. */
export const optionalText = z.string().trim().min(1).optional().catch(undefined)

/** An optional positive integer written as text. */
export const optionalId = z.coerce.number().int().positive().optional().catch(undefined)

/** `3,4,5` → [3, 4, 5]; malformed entries are dropped, and an empty list is left out. */
export const idList = z
  .union([z.string(), z.array(z.union([z.string(), z.number()]))])
  .optional()
  .transform((value) => {
    const parts = value === undefined ? [] : Array.isArray(value) ? value : value.split(',')
    const ids = parts.map(Number).filter((id) => Number.isInteger(id) && id > 0)
    return ids.length === 0 ? undefined : ids
  })
  .catch(undefined)

/** Build a `validateSearch` function from a zod object whose fields all have a fallback. */
export function searchValidator<T extends z.ZodType>(schema: T): (search: Record<string, unknown>) => z.output<T> {
  return (search) => schema.parse(search)
}
