import { useQueryClient } from '@tanstack/react-query'
import type { CandleSeries } from '@/features/markets/api/candles'
import { useStreamHandler, useStreamTopic } from '@/hooks/use-stream'
import { barsFromMessage, marketTopic, mergeBar } from '@/lib/candles'
import { marketKeys } from '@/features/markets/api/query-keys'
import type { CandleQuery } from '@/features/markets/api/types'

/** Keep the cached candles of `query` following the market's live `candle` messages. */
export function useLiveCandles(query: CandleQuery | null): void {
  const queryClient = useQueryClient()
  const topic = query === null ? null : marketTopic(query.exchange, query.symbol, query.timeframe)
  useStreamTopic(topic)
  useStreamHandler('candle', (message) => {
    if (query === null || message.topic !== topic) return
    const incoming = barsFromMessage(message.data)
    if (incoming.length === 0) return
    queryClient.setQueryData<CandleSeries>(marketKeys.candles(query), (current) => {
      if (current === undefined) return current
      let bars = current.bars
      for (const bar of incoming) bars = mergeBar(bars, bar)
      return bars === current.bars ? current : { ...current, bars }
    })
  })
}
