import { z } from 'zod'

export const STREAM_MESSAGE_TYPES = [
  'hello',
  'candle',
  'signal',
  'news',
  'post',
  'sentiment',
  'order',
  'fill',
  'bot',
  'backtest',
  'model_tuning',
  'notification',
  'error',
] as const

export type KnownStreamMessageType = (typeof STREAM_MESSAGE_TYPES)[number]

/** Known message types, while still accepting types the server adds later. */
export type StreamMessageType = KnownStreamMessageType | (string & {})

export const streamMessageSchema = z.object({
  type: z.string().min(1),
  topic: z.string().catch(''),
  id: z.number().nullish(),
  ts: z.number().nullish(),
  data: z.unknown(),
})

export type StreamMessage = z.infer<typeof streamMessageSchema>

export type StreamCommand =
  | { action: 'subscribe'; topic: string }
  | { action: 'unsubscribe'; topic: string }
