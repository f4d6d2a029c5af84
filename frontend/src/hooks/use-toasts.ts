import { useSyncExternalStore } from 'react'
import { getToasts, subscribeToasts, type Toast } from '@/lib/toast-store'

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribeToasts, getToasts, getToasts)
}
