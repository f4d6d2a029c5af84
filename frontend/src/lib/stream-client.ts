import { streamMessageSchema, type StreamCommand, type StreamMessage, type StreamMessageType } from '@/types/stream'

export type ConnectionState = 'connecting' | 'open' | 'closed'

export type StreamHandler = (message: StreamMessage) => void

/** The part of the browser WebSocket the client uses, so tests can pass a fake. */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: Event) => void) | null
  onclose: ((event: CloseEvent) => void) | null
  onmessage: ((event: MessageEvent) => void) | null
  onerror: ((event: Event) => void) | null
}

export type WebSocketFactory = (url: string) => WebSocketLike

export interface BackoffOptions {
  initialDelayMs: number
  maxDelayMs: number
  random: () => number
}

const WEBSOCKET_CONNECTING = 0
const WEBSOCKET_OPEN = 1
const NORMAL_CLOSURE = 1000
/** The server closes with this code when the connection's session or token was revoked. */
export const SIGNED_OUT_CLOSE = 4401

/**
 * Delay before reconnect attempt number `attempt` (0-based): exponential growth capped at
 * `maxDelayMs`, with "equal jitter" (a random point in the upper half) so many tabs reconnecting
 * after a server restart do not all arrive at once.
 */
export function backoffDelay(attempt: number, { initialDelayMs, maxDelayMs, random }: BackoffOptions): number {
  const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, attempt))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** `ws://host/ws/stream/` or `wss://…`, matching how the page itself was loaded. */
export function buildStreamUrl(path: string, location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}${path}`
}

export interface StreamClientOptions {
  url: string | (() => string)
  createSocket?: WebSocketFactory
  initialDelayMs?: number
  maxDelayMs?: number
  random?: () => number
  /** A connection that stayed open this long counts as healthy and resets the backoff. */
  stableAfterMs?: number
  /** Close and reconnect when nothing (not even a heartbeat) arrived for this many heartbeats. */
  missedHeartbeats?: number
}

const ANY_TYPE = '*'

/**
 * One shared WebSocket to the server's event stream.
 *
 * Reconnects with capped, jittered exponential backoff while started; remembers topic
 * subscriptions (reference counted) and sends them again after every reconnect, each with the
 * last sequence seen on it, so the server replays what was missed; drops events already seen
 * (by topic and sequence); dispatches messages to handlers registered per message type. A
 * `resync` notice (too far behind) reaches its handlers, which refetch.
 */
export class StreamClient {
  readonly #url: () => string
  readonly #createSocket: WebSocketFactory
  readonly #backoff: BackoffOptions
  readonly #stableAfterMs: number
  readonly #missedHeartbeats: number

  #socket: WebSocketLike | null = null
  #state: ConnectionState = 'closed'
  #running = false
  #attempt = 0
  #openedAt: number | null = null
  #timer: ReturnType<typeof setTimeout> | null = null
  readonly #topics = new Map<string, number>()
  readonly #handlers = new Map<string, Set<StreamHandler>>()
  readonly #stateListeners = new Set<() => void>()
  readonly #signedOutListeners = new Set<() => void>()
  /** The last sequence seen per topic; kept across reconnects to resume from. */
  readonly #lastSeq = new Map<string, number>()
  /** The user's own topic, joined by the server on connect (learnt from `hello`). */
  #ownTopic: string | null = null
  #heartbeatMs: number | null = null
  #watchdog: ReturnType<typeof setTimeout> | null = null

  constructor(options: StreamClientOptions) {
    const { url } = options
    this.#url = typeof url === 'string' ? () => url : url
    this.#createSocket = options.createSocket ?? ((target) => new WebSocket(target))
    this.#backoff = {
      initialDelayMs: options.initialDelayMs ?? 1000,
      maxDelayMs: options.maxDelayMs ?? 30_000,
      random: options.random ?? Math.random,
    }
    this.#stableAfterMs = options.stableAfterMs ?? 5000
    this.#missedHeartbeats = options.missedHeartbeats ?? 2.5
  }

  get state(): ConnectionState {
    return this.#state
  }

  /** Topics currently subscribed to, in subscription order. */
  get topics(): string[] {
    return [...this.#topics.keys()]
  }

  /** Number of reconnect attempts since the last healthy connection. */
  get attempt(): number {
    return this.#attempt
  }

  getState = (): ConnectionState => this.#state

  /** The last sequence seen on `topic` (undefined before the first event or notice). */
  lastSequence(topic: string): number | undefined {
    return this.#lastSeq.get(topic)
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.#attempt = 0
    this.#connect()
  }

  stop(): void {
    this.#running = false
    this.#clearTimer()
    this.#clearWatchdog()
    const socket = this.#socket
    this.#socket = null
    if (socket !== null) {
      detach(socket)
      if (socket.readyState === WEBSOCKET_CONNECTING) {
        // Closing mid-handshake makes browsers log an error; let it open, then close it.
        socket.onopen = () => socket.close(NORMAL_CLOSURE, 'client stopped')
      } else {
        socket.close(NORMAL_CLOSURE, 'client stopped')
      }
    }
    this.#setState('closed')
  }

  /** Skip the remaining backoff wait, e.g. when the browser reports it is back online. */
  reconnectNow(): void {
    if (!this.#running || this.#socket !== null) return
    this.#clearTimer()
    this.#attempt = 0
    this.#connect()
  }

  /** The browser reports the network gone: drop the socket now instead of waiting for the heartbeat watchdog. */
  dropConnection(): void {
    const socket = this.#socket
    if (socket === null) return
    socket.close(NORMAL_CLOSURE, 'offline')
    socket.onclose?.(new CloseEvent('close', { code: 1006, wasClean: false }))
  }

  /** Subscribe to a topic; returns the matching unsubscribe. */
  subscribe = (topic: string): (() => void) => {
    const count = this.#topics.get(topic) ?? 0
    this.#topics.set(topic, count + 1)
    if (count === 0) this.#send(this.#subscribeCommand(topic))
    let active = true
    return () => {
      if (!active) return
      active = false
      const remaining = (this.#topics.get(topic) ?? 1) - 1
      if (remaining > 0) {
        this.#topics.set(topic, remaining)
        return
      }
      this.#topics.delete(topic)
      this.#lastSeq.delete(topic)
      this.#send({ action: 'unsubscribe', topic })
    }
  }

  /** Register a handler for one message type (or `'*'` for all); returns the matching removal. */
  on = (type: StreamMessageType | typeof ANY_TYPE, handler: StreamHandler): (() => void) => {
    let handlers = this.#handlers.get(type)
    if (handlers === undefined) {
      handlers = new Set()
      this.#handlers.set(type, handlers)
    }
    handlers.add(handler)
    return () => {
      handlers.delete(handler)
    }
  }

  /** Call `listener` when the server closes the connection because its sign-in was revoked. */
  onSignedOut = (listener: () => void): (() => void) => {
    this.#signedOutListeners.add(listener)
    return () => {
      this.#signedOutListeners.delete(listener)
    }
  }

  subscribeState = (listener: () => void): (() => void) => {
    this.#stateListeners.add(listener)
    return () => {
      this.#stateListeners.delete(listener)
    }
  }

  #connect(): void {
    this.#setState('connecting')
    let socket: WebSocketLike
    try {
      socket = this.#createSocket(this.#resumeUrl())
    } catch {
      this.#setState('closed')
      this.#scheduleReconnect()
      return
    }
    this.#socket = socket

    socket.onopen = () => {
      if (socket !== this.#socket) return
      this.#openedAt = Date.now()
      this.#setState('open')
      this.#armWatchdog()
      for (const topic of this.#topics.keys()) {
        if (topic !== this.#ownTopic) this.#send(this.#subscribeCommand(topic))
      }
    }
    socket.onmessage = (event) => {
      if (socket !== this.#socket) return
      this.#handleMessage(event.data)
    }
    socket.onclose = (event) => {
      if (socket !== this.#socket) return
      detach(socket)
      this.#socket = null
      this.#clearWatchdog()
      if (this.#openedAt !== null && Date.now() - this.#openedAt >= this.#stableAfterMs) this.#attempt = 0
      this.#openedAt = null
      this.#setState('closed')
      if (this.#running) this.#scheduleReconnect()
      if (event.code === SIGNED_OUT_CLOSE) for (const listener of this.#signedOutListeners) listener()
    }
    // The browser always follows an error with a close event; reconnecting happens there.
    socket.onerror = () => {}
  }

  #handleMessage(raw: unknown): void {
    if (typeof raw !== 'string') return
    let decoded: unknown
    try {
      decoded = JSON.parse(raw)
    } catch {
      console.warn('stream: ignored a message that is not JSON')
      return
    }
    const parsed = streamMessageSchema.safeParse(decoded)
    if (!parsed.success) {
      console.warn('stream: ignored a message without a type')
      return
    }
    const message = parsed.data
    this.#armWatchdog()
    if (!this.#track(message)) return
    for (const key of [message.type, ANY_TYPE]) {
      // Snapshot: a handler may register or remove handlers while we dispatch.
      for (const handler of Array.from(this.#handlers.get(key) ?? [])) {
        try {
          handler(message)
        } catch (error) {
          console.error(`stream: a "${message.type}" handler failed`, error)
        }
      }
    }
  }

  /** Update the per-topic sequences; false for an event already seen (a duplicate). */
  #track(message: StreamMessage): boolean {
    const data = isRecord(message.data) ? message.data : {}
    switch (message.type) {
      case 'hello': {
        // The server greets every new connection: it accepted us, so the backoff can start over.
        this.#attempt = 0
        if (typeof data.heartbeat_ms === 'number' && data.heartbeat_ms > 0) this.#heartbeatMs = data.heartbeat_ms
        this.#armWatchdog()
        const topics = Array.isArray(data.topics) ? data.topics.filter((t): t is string => typeof t === 'string') : []
        this.#ownTopic = topics.find((t) => t.startsWith('user.')) ?? this.#ownTopic
        this.#adoptSequences(data.seq)
        return true
      }
      case 'subscribed':
      case 'resync': {
        if (typeof data.topic === 'string' && typeof data.seq === 'number') this.#lastSeq.set(data.topic, data.seq)
        return true
      }
      default:
        break
    }
    const seq = message.seq
    if (typeof seq !== 'number' || message.topic === '') return true
    const last = this.#lastSeq.get(message.topic)
    if (last !== undefined && seq <= last) return false
    this.#lastSeq.set(message.topic, seq)
    return true
  }

  #adoptSequences(value: unknown): void {
    if (!isRecord(value)) return
    for (const [topic, seq] of Object.entries(value)) {
      if (typeof seq === 'number') this.#lastSeq.set(topic, seq)
    }
  }

  #subscribeCommand(topic: string): StreamCommand {
    const after = this.#lastSeq.get(topic)
    return after === undefined ? { action: 'subscribe', topic } : { action: 'subscribe', topic, after }
  }

  /** The stream URL, with `?after=` resuming the own topic once a sequence of it is known. */
  #resumeUrl(): string {
    const url = this.#url()
    const after = this.#ownTopic === null ? undefined : this.#lastSeq.get(this.#ownTopic)
    if (after === undefined) return url
    return `${url}${url.includes('?') ? '&' : '?'}after=${after}`
  }

  /** No frame for a few heartbeats means a dead connection the browser has not noticed. */
  #armWatchdog(): void {
    this.#clearWatchdog()
    if (this.#heartbeatMs === null || this.#socket === null) return
    const socket = this.#socket
    this.#watchdog = setTimeout(() => {
      this.#watchdog = null
      if (socket !== this.#socket) return
      socket.close(NORMAL_CLOSURE, 'no heartbeat')
      socket.onclose?.(new CloseEvent('close', { code: 1006, wasClean: false }))
    }, this.#heartbeatMs * this.#missedHeartbeats)
  }

  #clearWatchdog(): void {
    if (this.#watchdog !== null) clearTimeout(this.#watchdog)
    this.#watchdog = null
  }

  #scheduleReconnect(): void {
    this.#clearTimer()
    const delay = backoffDelay(this.#attempt, this.#backoff)
    this.#attempt += 1
    this.#timer = setTimeout(() => {
      this.#timer = null
      if (this.#running && this.#socket === null) this.#connect()
    }, delay)
  }

  #send(command: StreamCommand): void {
    const socket = this.#socket
    if (socket !== null && socket.readyState === WEBSOCKET_OPEN && this.#state === 'open') {
      socket.send(JSON.stringify(command))
    }
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
  }

  #setState(next: ConnectionState): void {
    if (next === this.#state) return
    this.#state = next
    for (const listener of Array.from(this.#stateListeners)) listener()
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function detach(socket: WebSocketLike): void {
  socket.onopen = null
  socket.onclose = null
  socket.onmessage = null
  socket.onerror = null
}
