import { FeatureUnavailable } from '@/components/feature-unavailable'
import { ModelIcon } from '@/components/icons'

export function ModelsPage() {
  return (
    <FeatureUnavailable
      title="Models"
      summary="The prediction models behind your signals."
      description="Trained models with their validation metrics and training history will be shown here once model management is available."
      icon={<ModelIcon className="size-6" />}
    />
  )
}
