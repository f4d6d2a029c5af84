import { useEffect, useState } from 'react'
import { useHealth } from '@/features/health/api/health'
import { AlertIcon, RefreshIcon } from '@/components/icons'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Panel } from '@/components/ui/panel'
import { env } from '@/config/env'
import { errorMessage } from '@/lib/api-client'
import { formatClockTime, formatRelativeTime, humanize } from '@/lib/format'
import type { HealthCheckReport, HealthReport } from '@/features/health/api/types'

const CHECK_ORDER = ['database', 'channel_layer', 'stream_outbox', 'broker', 'worker']

const CHECK_LABELS: Record<string, { label: string; description: string }> = {
  database: { label: 'Database', description: 'Stores accounts, market data and results' },
  channel_layer: { label: 'Channel layer', description: 'Carries real-time updates to the browser' },
  stream_outbox: { label: 'Stream outbox', description: 'Real-time updates waiting to be sent' },
  broker: { label: 'Broker', description: 'Queues background jobs' },
  worker: { label: 'Worker', description: 'Runs scheduled and background jobs' },
}

const MODE_LABELS: Record<string, { label: string; description: string }> = {
  embedded: { label: 'Embedded', description: 'Single process with built-in services' },
  production: { label: 'Production', description: 'External database, cache and workers' },
}

function checkRank(name: string): number {
  const index = CHECK_ORDER.indexOf(name)
  return index === -1 ? CHECK_ORDER.length : index
}

function orderedChecks(checks: HealthReport['checks']): [string, HealthCheckReport][] {
  return Object.entries(checks).toSorted(([a], [b]) => checkRank(a) - checkRank(b) || a.localeCompare(b))
}

/** Re-render every few seconds so relative times ("12 seconds ago") stay true. */
function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}

function Heartbeat({ value, now }: { value: string | null | undefined; now: Date }) {
  if (value === undefined) return null
  if (value === null) return <p className="mt-1 text-xs text-slate-400">No heartbeat received yet</p>
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return null
  return (
    <p className="mt-1 text-xs text-slate-400">
      Last heartbeat{' '}
      <time dateTime={value} title={date.toLocaleString()}>
        {formatRelativeTime(date, now)}
      </time>
    </p>
  )
}

function CheckRow({ name, check, now, compact }: { name: string; check: HealthCheckReport; now: Date; compact: boolean }) {
  const meta = CHECK_LABELS[name] ?? { label: humanize(name), description: '' }
  const labelId = `health-check-${name}`
  return (
    <li aria-labelledby={labelId} data-check={name} data-ok={check.ok} className={compact ? 'flex items-start justify-between gap-4 py-2' : 'flex items-start justify-between gap-4 py-3.5'}>
      <div className="min-w-0">
        <p id={labelId} className="text-sm font-medium text-slate-100">
          {meta.label}
        </p>
        {meta.description === '' || compact ? null : <p className="text-xs text-slate-400">{meta.description}</p>}
        {check.detail === '' ? null : (
          <p className={check.ok ? 'mt-1 text-sm break-words text-slate-300' : 'mt-1 text-sm break-words text-rose-200'}>
            {check.detail}
          </p>
        )}
        <Heartbeat value={check.last_heartbeat} now={now} />
      </div>
      <Badge tone={check.ok ? 'success' : 'danger'} dot>
        {check.ok ? 'OK' : 'Failed'}
      </Badge>
    </li>
  )
}

function HealthSkeleton() {
  return (
    <div className="space-y-3" aria-hidden="true">
      {CHECK_ORDER.map((name) => (
        <div key={name} className="h-12 animate-pulse rounded-lg bg-white/5 motion-reduce:animate-none" />
      ))}
    </div>
  )
}

/** Live status of the services Quantum Trader depends on, refreshed every few seconds. */
export function HealthPanel({ compact = false }: { compact?: boolean }) {
  const health = useHealth()
  const now = useNow(5000)
  const pollSeconds = Math.round(env.healthPollMs / 1000)
  const data = health.data
  const updatedAt = health.dataUpdatedAt > 0 ? new Date(health.dataUpdatedAt) : null
  const overallOk = data?.status === 'ok'
  const mode = data === undefined ? null : (MODE_LABELS[data.mode] ?? { label: humanize(data.mode), description: '' })

  return (
    <Panel aria-labelledby="health-title" aria-busy={health.isPending || undefined} className={compact ? 'p-4' : 'p-5 sm:p-6'}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="health-title" className="text-base font-semibold text-white">
            System health
          </h2>
          <p className="mt-0.5 text-xs text-slate-400">
            Checked every {pollSeconds} s
            {updatedAt === null ? null : (
              <>
                {' · updated '}
                <time dateTime={updatedAt.toISOString()}>{formatClockTime(updatedAt)}</time>
              </>
            )}
          </p>
        </div>
        {data === undefined ? null : (
          <Badge tone={overallOk ? 'success' : 'warning'} dot className="px-3 py-1 text-sm">
            <span className="sr-only">Overall status: </span>
            {overallOk ? 'All systems operational' : 'Degraded'}
          </Badge>
        )}
      </div>

      {health.isPending ? (
        <div className="mt-5">
          <output className="sr-only">Checking system health…</output>
          <HealthSkeleton />
        </div>
      ) : null}

      {health.isError && data === undefined ? (
        <div role="alert" className="mt-5 flex flex-col items-start gap-3 rounded-xl border border-rose-400/30 bg-rose-400/5 p-4">
          <div className="flex items-start gap-2 text-sm text-rose-200">
            <AlertIcon className="mt-0.5 size-4 shrink-0" />
            <p>
              <span className="font-semibold">Health status unavailable.</span> {errorMessage(health.error)}
            </p>
          </div>
          <Button variant="secondary" size="sm" icon={<RefreshIcon className="size-4" />} onClick={() => void health.refetch()} isLoading={health.isFetching}>
            Try again
          </Button>
        </div>
      ) : null}

      {data !== undefined && mode !== null ? (
        <>
          {health.isError ? (
            <p role="alert" className="mt-4 flex items-start gap-2 rounded-lg bg-amber-400/10 px-3 py-2 text-xs text-amber-200">
              <AlertIcon className="mt-0.5 size-3.5 shrink-0" />
              The latest check failed ({errorMessage(health.error)}). Showing the last known status.
            </p>
          ) : null}
          <dl className={compact ? 'mt-3 grid grid-cols-2 gap-2' : 'mt-5 grid grid-cols-1 gap-3 sm:grid-cols-2'}>
            <div className="rounded-xl bg-white/[0.03] px-4 py-3 ring-1 ring-white/10 ring-inset">
              <dt className="text-xs font-medium tracking-wide text-slate-400 uppercase">Mode</dt>
              <dd className="mt-1 text-sm font-semibold text-white" data-field="mode">
                {mode.label}
              </dd>
              {mode.description === '' || compact ? null : <dd className="text-xs text-slate-400">{mode.description}</dd>}
            </div>
            <div className="rounded-xl bg-white/[0.03] px-4 py-3 ring-1 ring-white/10 ring-inset">
              <dt className="text-xs font-medium tracking-wide text-slate-400 uppercase">Version</dt>
              <dd className="mt-1 font-mono text-sm font-semibold text-white" data-field="version">
                {data.version}
              </dd>
            </div>
          </dl>
          <ul aria-label="Service checks" className="mt-4 divide-y divide-white/10">
            {orderedChecks(data.checks).map(([name, check]) => (
              <CheckRow key={name} name={name} check={check} now={now} compact={compact} />
            ))}
          </ul>
        </>
      ) : null}
    </Panel>
  )
}
