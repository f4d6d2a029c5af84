import type { ReactNode } from 'react'
import { AlertIcon, RefreshIcon } from '@/components/icons'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/api-client'

/** A loading placeholder with an accessible label. */
export function LoadingBlock({ label, className }: { label: string; className?: string }) {
  return (
    <div className={className ?? 'h-40'}>
      <output className="sr-only">{label}</output>
      <div className="h-full animate-pulse rounded-xl bg-white/5 motion-reduce:animate-none" aria-hidden="true" />
    </div>
  )
}

/** A failed request: what failed, the server's reason, and a way to try again. */
export function ErrorBlock({ title, error, onRetry, children }: { title: string; error: unknown; onRetry?: () => void; children?: ReactNode }) {
  return (
    <div role="alert" className="flex flex-col items-start gap-3 rounded-xl border border-rose-400/30 bg-rose-400/5 p-4">
      <div className="flex items-start gap-2 text-sm text-rose-200">
        <AlertIcon className="mt-0.5 size-4 shrink-0" />
        <p>
          <span className="font-semibold">{title}.</span> {errorMessage(error)}
        </p>
      </div>
      {children}
      {onRetry === undefined ? null : (
        <Button variant="secondary" size="sm" icon={<RefreshIcon className="size-4" />} onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  )
}

/** A small "nothing here yet" line inside a panel. */
export function EmptyLine({ children }: { children: ReactNode }) {
  return <p className="rounded-xl border border-dashed border-white/10 px-4 py-6 text-center text-sm text-slate-400">{children}</p>
}
