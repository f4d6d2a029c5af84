import { z } from 'zod'

/**
 * The `/ws/stream/` protocol (docs/realtime.md is the full description).
 *
 * Server -> client, every frame: `{type, topic, seq?, id, ts, data}`.
 * - Events (`candle` ... `notification`) carry their `topic` and `seq`: the topic's events are
 *   numbered 1, 2, 3, ... without gaps, in commit order. Delivery is at least once: a client
 *   drops an event whose `seq` is not above the last one it saw on that topic.
 * - Notices have `topic: ""`, `id: 0`, and say what happened in `data`:
 *   `hello` `{user, topics, heartbeat_ms, seq: {<own topic>: <seq to continue from>}}`;
 *   `subscribed` `{topic, seq}` (seq: where live events continue from; null when a resync
 *   follows); `unsubscribed` `{topic}`; `resync` `{topic, seq, reason}` (the missed events are
 *   no longer kept, or the client fell too far behind: refetch, then continue after `seq`);
 *   `heartbeat` `{seq: {<topic>: <last seq sent>}}` every `heartbeat_ms`; `error` `{detail, ...}`.
 *
 * Client -> server: `{action: "subscribe", topic, after?}` (`after`: the last seq seen; the
 * server replays what came after it before live events) and `{action: "unsubscribe", topic}`.
 * The own user topic is joined on connect; `/ws/stream/?after=<seq>` resumes it.
 * Close codes: 4401 not signed in, 4408 too slow (after `resync` notices), 1009 frame too big.
 */
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
  'subscribed',
  'unsubscribed',
  'resync',
  'heartbeat',
  'error',
] as const

export type KnownStreamMessageType = (typeof STREAM_MESSAGE_TYPES)[number]

/** Known message types, while still accepting types the server adds later. */
export type StreamMessageType = KnownStreamMessageType | (string & {})

export const streamMessageSchema = z.object({
  type: z.string().min(1),
  topic: z.string().catch(''),
  seq: z.number().int().nullish(),
  id: z.number().nullish(),
  ts: z.number().nullish(),
  data: z.unknown(),
})

export type StreamMessage = z.infer<typeof streamMessageSchema>

/** `data` of a `resync` notice: refetch what `topic` shows, then continue after `seq`. */
export interface StreamResync {
  topic: string
  seq: number | null
  reason: 'too_old' | 'too_slow' | (string & {})
}

export type StreamCommand =
  | { action: 'subscribe'; topic: string; after?: number }
  | { action: 'unsubscribe'; topic: string }

/** Close code the server uses for a client that fell too far behind (after `resync` notices). */
export const CLOSE_TOO_SLOW = 4408
