import type { ReactNode } from 'react'
import { EmptyState } from '@/components/empty-state'
import { PageHeader } from '@/components/page-header'

/** The honest placeholder for a section of the product that is not available yet. */
export function FeatureUnavailable({
  title,
  summary,
  description,
  icon,
}: {
  title: string
  summary: string
  description: string
  icon?: ReactNode
}) {
  return (
    <>
      <PageHeader title={title} description={summary} />
      <EmptyState title="This feature is not available yet" description={description} icon={icon} />
    </>
  )
}
