import type { ReactNode } from 'react'
import { useDocumentTitle } from '@/hooks/use-document-title'

export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }) {
  useDocumentTitle(title)
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-white">{title}</h1>
        {description === undefined ? null : <p className="mt-1 max-w-2xl text-sm text-slate-400">{description}</p>}
      </div>
      {actions}
    </div>
  )
}
