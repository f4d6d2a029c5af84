import { useStreamState } from '@/hooks/use-stream'
import { cn } from '@/lib/cn'
import type { ConnectionState } from '@/lib/stream-client'

const LABELS: Record<ConnectionState, { text: string; dot: string; chip: string }> = {
  open: { text: 'Live', dot: 'bg-emerald-400', chip: 'text-emerald-300 ring-emerald-400/30 bg-emerald-400/10' },
  connecting: { text: 'Connecting…', dot: 'bg-amber-400 animate-pulse motion-reduce:animate-none', chip: 'text-amber-300 ring-amber-400/30 bg-amber-400/10' },
  closed: { text: 'Offline', dot: 'bg-rose-400', chip: 'text-rose-300 ring-rose-400/30 bg-rose-400/10' },
}

/** Shows whether real-time updates are flowing. */
export function ConnectionIndicator() {
  const state = useStreamState()
  const label = LABELS[state]
  return (
    <output
      data-state={state}
      title={`Live data connection: ${label.text}`}
      className={cn('inline-flex items-center gap-2 whitespace-nowrap rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset', label.chip)}
    >
      <span className={cn('size-2 rounded-full', label.dot)} aria-hidden="true" />
      <span className="sr-only">Live data connection: </span>
      <span>{label.text}</span>
    </output>
  )
}
