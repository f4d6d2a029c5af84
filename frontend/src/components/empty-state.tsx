import type { ReactNode } from 'react'
import { SparkIcon } from '@/components/icons'

export function EmptyState({ title, description, icon, children }: { title: string; description: string; icon?: ReactNode; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center rounded-2xl border border-dashed border-white/15 bg-slate-900/30 px-6 py-16 text-center">
      <div className="mb-4 grid size-12 place-items-center rounded-xl bg-cyan-400/10 text-cyan-300 ring-1 ring-cyan-400/20" aria-hidden="true">
        {icon ?? <SparkIcon className="size-6" />}
      </div>
      <h2 className="text-lg font-semibold text-white">{title}</h2>
      <p className="mt-2 max-w-md text-sm text-slate-400">{description}</p>
      {children}
    </div>
  )
}
