import { useQueryClient } from '@tanstack/react-query'
import { useStreamHandler, useStreamTopic } from '@/hooks/use-stream'
import { assetTopic } from '@/lib/candles'

/** Follow `asset.<ASSET>`: new news, posts and sentiment buckets refresh the cached lists. */
export function useLiveSentiment(asset: string | null): void {
  const queryClient = useQueryClient()
  const topic = asset === null || asset === '' ? null : assetTopic(asset)
  useStreamTopic(topic)
  const refresh = (root: string) => (message: { topic: string }) => {
    if (topic === null || message.topic !== topic) return
    void queryClient.invalidateQueries({ queryKey: [root] })
  }
  useStreamHandler('news', refresh('news'))
  useStreamHandler('post', refresh('posts'))
  useStreamHandler('sentiment', refresh('sentiment'))
}
