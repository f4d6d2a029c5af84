import { FeatureUnavailable } from '@/components/feature-unavailable'
import { BacktestIcon } from '@/components/icons'

export function BacktestsPage() {
  return (
    <FeatureUnavailable
      title="Backtests"
      summary="Replay strategies on historical market data before risking funds."
      description="You will be able to run backtests and compare their returns, drawdowns and trades here once backtesting is available."
      icon={<BacktestIcon className="size-6" />}
    />
  )
}
