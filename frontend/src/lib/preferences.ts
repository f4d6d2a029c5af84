import { useSyncExternalStore } from 'react'

/**
 * Settings kept in this browser only (there is no server-side preferences endpoint yet):
 * the default exchange and which events raise a notification toast.
 */
export interface Preferences {
  defaultExchange: string
  notifyBacktests: boolean
  notifySignals: boolean
  notifyConnection: boolean
}

export const DEFAULT_PREFERENCES: Preferences = {
  defaultExchange: '',
  notifyBacktests: true,
  notifySignals: false,
  notifyConnection: true,
}

export const PREFERENCES_KEY = 'quantum-trader:preferences'
const listeners = new Set<() => void>()
let cached: { raw: string | null; value: Preferences } | null = null

function readRaw(): string | null {
  try {
    return window.localStorage.getItem(PREFERENCES_KEY)
  } catch {
    return null
  }
}

export function getPreferences(): Preferences {
  const raw = readRaw()
  if (cached !== null && cached.raw === raw) return cached.value
  let value = DEFAULT_PREFERENCES
  if (raw !== null) {
    try {
      const parsed = JSON.parse(raw) as Partial<Record<keyof Preferences, unknown>>
      value = {
        defaultExchange: typeof parsed.defaultExchange === 'string' ? parsed.defaultExchange : DEFAULT_PREFERENCES.defaultExchange,
        notifyBacktests: typeof parsed.notifyBacktests === 'boolean' ? parsed.notifyBacktests : DEFAULT_PREFERENCES.notifyBacktests,
        notifySignals: typeof parsed.notifySignals === 'boolean' ? parsed.notifySignals : DEFAULT_PREFERENCES.notifySignals,
        notifyConnection: typeof parsed.notifyConnection === 'boolean' ? parsed.notifyConnection : DEFAULT_PREFERENCES.notifyConnection,
      }
    } catch {
      value = DEFAULT_PREFERENCES
    }
  }
  cached = { raw, value }
  return value
}

export function setPreferences(patch: Partial<Preferences>): Preferences {
  const next = { ...getPreferences(), ...patch }
  try {
    window.localStorage.setItem(PREFERENCES_KEY, JSON.stringify(next))
  } catch {
    // Private browsing may refuse storage; the change then lasts for this page only.
    cached = { raw: readRaw(), value: next }
  }
  for (const listener of Array.from(listeners)) listener()
  return next
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  const onStorage = (event: StorageEvent) => {
    if (event.key === PREFERENCES_KEY) listener()
  }
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', onStorage)
  }
}

export function usePreferences(): Preferences {
  return useSyncExternalStore(subscribe, getPreferences, getPreferences)
}
