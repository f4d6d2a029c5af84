import { Badge, type BadgeTone } from '@/components/ui/badge'
import { humanize } from '@/lib/format'
import type { BacktestRun } from '@/types/backtests'

const TONES: Record<BacktestRun['status'], BadgeTone> = { queued: 'neutral', running: 'info', done: 'success', failed: 'danger' }

export function BacktestStatusBadge({ status }: { status: BacktestRun['status'] }) {
  return (
    <Badge tone={TONES[status]} dot>
      {humanize(status)}
    </Badge>
  )
}

/** `value` is a fraction in [0, 1] (values above 1 are read as percentages). */
export function ProgressBar({ value, label }: { value: number | null | undefined; label: string }) {
  const raw = value ?? 0
  const fraction = Math.max(0, Math.min(1, raw > 1 ? raw / 100 : raw))
  return (
    <div className="flex items-center gap-3">
      <progress
        aria-label={label}
        max={100}
        value={Math.round(fraction * 100)}
        className="h-2 flex-1 appearance-none overflow-hidden rounded-full bg-white/10 [&::-moz-progress-bar]:bg-cyan-400 [&::-webkit-progress-bar]:bg-white/10 [&::-webkit-progress-value]:bg-cyan-400"
      />
      <span className="w-10 text-right font-mono text-xs text-slate-300">{Math.round(fraction * 100)} %</span>
    </div>
  )
}
