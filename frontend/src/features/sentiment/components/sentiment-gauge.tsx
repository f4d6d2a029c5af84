import { formatNumber } from '@/lib/format'
import { sentimentLabel } from '@/features/sentiment/lib/sentiment'

/** A half-circle gauge of a compound score in [-1, 1]. */
export function SentimentGauge({ value, caption }: { value: number | null; caption: string }) {
  const clamped = value === null ? 0 : Math.max(-1, Math.min(1, value))
  const angle = Math.PI * (1 - (clamped + 1) / 2)
  const x = 60 + 46 * Math.cos(angle)
  const y = 60 - 46 * Math.sin(angle)
  const label = value === null ? { text: 'No data yet', tone: 'text-slate-400' } : sentimentLabel(value)
  return (
    <div className="flex flex-col items-center">
      <meter className="sr-only" min={-1} max={1} value={value ?? 0} aria-label={caption} aria-valuetext={value === null ? 'No sentiment data' : `${label.text} (${formatNumber(value, 2)})`} />
      <svg viewBox="0 0 120 68" className="w-44" aria-hidden="true">
          <defs>
            <linearGradient id="gauge-gradient" x1="0" x2="1" y1="0" y2="0">
              <stop offset="0%" stopColor="#fb7185" />
              <stop offset="50%" stopColor="#94a3b8" />
              <stop offset="100%" stopColor="#34d399" />
            </linearGradient>
          </defs>
          <path d="M14 60 A46 46 0 0 1 106 60" fill="none" stroke="url(#gauge-gradient)" strokeWidth="9" strokeLinecap="round" opacity="0.85" />
          {value === null ? null : (
            <>
              <line x1="60" y1="60" x2={x} y2={y} stroke="#f8fafc" strokeWidth="2.5" strokeLinecap="round" />
              <circle cx="60" cy="60" r="4" fill="#f8fafc" />
            </>
          )}
      </svg>
      <p className={`-mt-1 text-base font-semibold ${label.tone}`}>{label.text}</p>
      {value === null ? null : <p className="font-mono text-xs text-slate-400">{formatNumber(value, 3)}</p>}
    </div>
  )
}
