import { ACTIVITY_LIMIT, useSecurityActivity } from '@/features/settings/api/security'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { Badge, type BadgeTone } from '@/components/ui/badge'
import { formatDateTime } from '@/lib/format'
import type { SecurityAction, SecurityEvent } from '@/features/settings/api/types'

const TONES: Partial<Record<SecurityAction, BadgeTone>> = {
  'auth.login_failed': 'warning',
  'auth.login_locked': 'danger',
  'exchange_key.unusable': 'danger',
  'trading.live_enabled': 'warning',
  'trading.kill_switch': 'warning',
}

function EventRow({ event }: { event: SecurityEvent }) {
  const tone = TONES[event.action] ?? 'neutral'
  return (
    <li className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2.5" data-action={event.action}>
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-2 text-sm">
          {tone === 'neutral' ? <span className="font-medium text-white">{event.action_label}</span> : <Badge tone={tone}>{event.action_label}</Badge>}
          {event.target_repr === '' ? null : <span className="text-slate-400">{event.target_repr}</span>}
          {event.by_staff ? <Badge tone="info">by staff</Badge> : null}
        </p>
        <p className="mt-0.5 font-mono text-xs text-slate-400">{event.ip_address ?? 'no address'}</p>
      </div>
      <time className="text-xs text-slate-400" dateTime={event.created_at}>
        {formatDateTime(event.created_at)}
      </time>
    </li>
  )
}

/** The user's own audit log: sign-ins, failed sign-ins, lockouts, key changes, live trading. */
export function SecurityActivity() {
  const activity = useSecurityActivity()
  if (activity.isPending) return <LoadingBlock label="Loading your security activity…" className="h-24" />
  if (activity.isError) return <ErrorBlock title="Your security activity could not be loaded" error={activity.error} onRetry={() => void activity.refetch()} />
  const { results, count } = activity.data
  if (results.length === 0) return <EmptyLine>No security activity yet.</EmptyLine>
  return (
    <>
      <ul className="mt-3 divide-y divide-white/10" aria-label="Security activity">
        {results.map((event) => (
          <EventRow key={event.id} event={event} />
        ))}
      </ul>
      {count > results.length ? (
        <p className="mt-2 text-xs text-slate-400">
          The latest {Math.min(ACTIVITY_LIMIT, results.length)} of {count} events.
        </p>
      ) : null}
    </>
  )
}
