import { FeatureUnavailable } from '@/components/feature-unavailable'

/** For sections listed as "coming soon" in the navigation but opened by URL. */
export function ComingSoonPage({ title }: { title: string }) {
  return (
    <FeatureUnavailable
      title={title}
      summary="This section is planned for a later release."
      description={`${title} cannot be used yet. It will appear in the navigation once it is ready.`}
    />
  )
}
