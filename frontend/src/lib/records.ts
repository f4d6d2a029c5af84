/** Helpers for JSON fields the API documents only as "any object". */

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

export function asRecordList(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(asRecord) : []
}

export function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return null
}

export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

/** A `{name: number}` map with every non-number dropped. */
export function asNumberMap(value: unknown): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [key, item] of Object.entries(asRecord(value))) {
    const number = asNumber(item)
    if (number !== null) out[key] = number
  }
  return out
}
