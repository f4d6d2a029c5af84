import { ActionBadge } from '@/features/signals/components/action-badge'
import { DemoBadge } from '@/components/demo-badge'
import { explanationContributions, explanationHeadlines, explanationSummary } from '@/features/signals/lib/explanation'
import { formatDateTime, formatPercent, humanize } from '@/lib/format'
import { cn } from '@/lib/cn'
import type { Signal } from '@/features/signals/api/types'

const PROBABILITIES = [
  { key: 'BUY', label: 'Buy', bar: 'bg-emerald-400' },
  { key: 'HOLD', label: 'Hold', bar: 'bg-slate-400' },
  { key: 'SELL', label: 'Sell', bar: 'bg-rose-400' },
] as const

export function ProbabilityBars({ probabilities }: { probabilities: Record<string, number> }) {
  return (
    <dl className="space-y-1.5">
      {PROBABILITIES.map(({ key, label, bar }) => {
        const value = probabilities[key] ?? 0
        return (
          <div key={key} className="grid grid-cols-[3rem_1fr_3.5rem] items-center gap-2 text-xs">
            <dt className="text-slate-400">{label}</dt>
            <dd className="h-2 overflow-hidden rounded-full bg-white/5" aria-hidden="true">
              <div className={cn('h-full rounded-full', bar)} style={{ width: `${Math.max(0, Math.min(1, value)) * 100}%` }} />
            </dd>
            <dd className="text-right font-mono text-slate-200">{formatPercent(value, { digits: 1 })}</dd>
          </div>
        )
      })}
    </dl>
  )
}

/** A signal's call, probabilities and the features that drove it. */
export function SignalDetails({ signal, heading, isDemo = false }: { signal: Signal; heading?: string; isDemo?: boolean }) {
  const contributions = explanationContributions(signal.explanation).slice(0, 6)
  const summary = explanationSummary(signal.explanation)
  const headlines = explanationHeadlines(signal.explanation)
  const largest = Math.max(...contributions.map((item) => Math.abs(item.contribution)), 1e-9)
  return (
    <div className="space-y-4" data-signal-id={signal.id}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-2">
          <ActionBadge action={signal.action} />
          <span className="text-sm font-medium text-white">
            {heading ?? `${signal.symbol} · ${signal.timeframe}`}
          </span>
        </div>
        <DemoBadge show={isDemo} />
      </div>
      <p className="text-xs text-slate-400">
        Candle of <time dateTime={signal.open_time}>{formatDateTime(signal.open_time)}</time> · model #{signal.model_version} · confidence{' '}
        <span className="font-mono text-slate-200">{formatPercent(signal.confidence, { digits: 1 })}</span>
      </p>
      <ProbabilityBars probabilities={signal.probabilities} />
      {summary === null ? null : <p className="text-sm text-slate-300">{summary}</p>}
      {contributions.length === 0 ? (
        <p className="text-xs text-slate-400">The model gave no explanation for this signal.</p>
      ) : (
        <div>
          <h3 className="mb-2 text-xs font-semibold tracking-wide text-slate-400 uppercase">Why (top features)</h3>
          <ul className="space-y-1.5">
            {contributions.map((item) => (
              <li key={item.feature} className="grid grid-cols-[minmax(0,1fr)_5rem_3.5rem] items-center gap-2 text-xs">
                <span className="truncate text-slate-300" title={item.feature}>
                  {humanize(item.feature)}
                  {item.value === null ? null : <span className="text-slate-400"> = {typeof item.value === 'number' ? item.value.toPrecision(4) : item.value}</span>}
                </span>
                <span className="h-1.5 overflow-hidden rounded-full bg-white/5" aria-hidden="true">
                  <span
                    className={cn('block h-full rounded-full', item.contribution >= 0 ? 'bg-emerald-400/80' : 'bg-rose-400/80')}
                    style={{ width: `${(Math.abs(item.contribution) / largest) * 100}%` }}
                  />
                </span>
                <span className={cn('text-right font-mono', item.contribution >= 0 ? 'text-emerald-300' : 'text-rose-300')}>
                  {item.contribution >= 0 ? '+' : ''}
                  {item.contribution.toFixed(3)}
                </span>
              </li>
            ))}
          </ul>
          <p className="mt-2 text-xs text-slate-400">Contribution to the chosen class (SHAP, model margin units). Positive values pushed towards this call.</p>
        </div>
      )}
      {headlines.length === 0 ? null : (
        <div>
          <h3 className="mb-2 text-xs font-semibold tracking-wide text-slate-400 uppercase">Headlines the model saw</h3>
          <ul className="space-y-1 text-xs">
            {headlines.map((headline) => (
              <li key={headline.title} className="flex items-start justify-between gap-2">
                {headline.url === null ? (
                  <span className="text-slate-300">{headline.title}</span>
                ) : (
                  <a href={headline.url} target="_blank" rel="noreferrer noopener" className="text-slate-300 hover:text-cyan-300 hover:underline">
                    {headline.title}
                  </a>
                )}
                {headline.compound === null ? null : <span className="font-mono text-slate-400">{headline.compound.toFixed(2)}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
