import { FeatureUnavailable } from '@/components/feature-unavailable'
import { SentimentIcon } from '@/components/icons'

export function SentimentPage() {
  return (
    <FeatureUnavailable
      title="Sentiment"
      summary="Market mood scored from crypto news and social posts."
      description="Sentiment scores per coin, with the news and posts behind them, will appear here once sentiment tracking is available."
      icon={<SentimentIcon className="size-6" />}
    />
  )
}
