/** The public entry of the signals feature: other features and the app import only from here. */
export { useSignals } from '@/features/signals/api/signals'
export type { Signal } from '@/features/signals/api/types'
export { SignalDetails } from '@/features/signals/components/signal-details'
export { useLiveSignals } from '@/features/signals/lib/use-live-signals'
export { validateSignalsSearch } from '@/features/signals/lib/search'
