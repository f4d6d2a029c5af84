import type { SignalFilters } from '@/features/signals/api/types'

/** Query keys of this feature (other features invalidate them through its public entry). */
export const signalKeys = {
  all: ['signals'] as const,
  list: (filters: SignalFilters) => ['signals', filters] as const,
}
