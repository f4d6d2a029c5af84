import { Link } from '@tanstack/react-router'
import { EmptyState } from '@/components/empty-state'
import { PageHeader } from '@/components/page-header'

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="There is nothing at this address" description="The link may be mistyped, or the page may have moved.">
        <Link
          to="/"
          className="mt-6 inline-flex h-10 items-center rounded-lg bg-cyan-400 px-4 text-sm font-medium text-slate-950 hover:bg-cyan-300"
        >
          Back to the dashboard
        </Link>
      </EmptyState>
    </>
  )
}
