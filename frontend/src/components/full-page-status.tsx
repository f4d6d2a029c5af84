import type { ReactNode } from 'react'
import { LogoMark } from '@/components/icons'
import { Spinner } from '@/components/ui/spinner'

/** A centred message for the moments before the app can show anything else. */
export function FullPageStatus({ title, children, busy = false }: { title: string; children?: ReactNode; busy?: boolean }) {
  return (
    <div className="grid min-h-dvh place-items-center bg-slate-950 px-4 text-slate-100">
      <div className="flex max-w-md flex-col items-center text-center" aria-busy={busy || undefined}>
        <LogoMark className="mb-5 size-12" />
        <div className="flex items-center gap-2 text-base font-medium">
          {busy ? <Spinner /> : null}
          <h1>{title}</h1>
        </div>
        {children}
      </div>
    </div>
  )
}
