import { Badge } from '@/components/ui/badge'

/** Marks anything built from the offline demo data, so nobody mistakes it for a real market. */
export function DemoBadge({ show = true }: { show?: boolean | null }) {
  if (show !== true) return null
  return (
    <Badge tone="warning" className="uppercase tracking-wide">
      Demo data
    </Badge>
  )
}
