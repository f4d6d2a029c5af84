import { FeatureUnavailable } from '@/components/feature-unavailable'
import { SignalIcon } from '@/components/icons'

export function SignalsPage() {
  return (
    <FeatureUnavailable
      title="Signals"
      summary="Buy and sell signals produced by your prediction models."
      description="Signals will be listed here with their market, direction and confidence once signal generation is available."
      icon={<SignalIcon className="size-6" />}
    />
  )
}
