import type { ReactNode } from 'react'
import { cn } from '@/lib/cn'

export type BadgeTone = 'success' | 'danger' | 'warning' | 'neutral' | 'info'

const TONES: Record<BadgeTone, string> = {
  success: 'bg-emerald-400/10 text-emerald-300 ring-emerald-400/30',
  danger: 'bg-rose-400/10 text-rose-300 ring-rose-400/30',
  warning: 'bg-amber-400/10 text-amber-300 ring-amber-400/30',
  neutral: 'bg-slate-400/10 text-slate-300 ring-slate-400/25',
  info: 'bg-cyan-400/10 text-cyan-300 ring-cyan-400/30',
}

const DOTS: Record<BadgeTone, string> = {
  success: 'bg-emerald-400',
  danger: 'bg-rose-400',
  warning: 'bg-amber-400',
  neutral: 'bg-slate-400',
  info: 'bg-cyan-400',
}

export function Badge({
  tone = 'neutral',
  dot = false,
  className,
  children,
}: {
  tone?: BadgeTone
  dot?: boolean
  className?: string
  children: ReactNode
}) {
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap',
        TONES[tone],
        className,
      )}
    >
      {dot ? <span className={cn('size-1.5 rounded-full', DOTS[tone])} aria-hidden="true" /> : null}
      {children}
    </span>
  )
}
