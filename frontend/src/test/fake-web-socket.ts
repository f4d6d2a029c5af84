import type { WebSocketLike } from '@/lib/stream-client'

/** An in-memory WebSocket: tests open, message and close it by hand and read what was sent. */
export class FakeWebSocket implements WebSocketLike {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSING = 2
  static readonly CLOSED = 3

  static instances: FakeWebSocket[] = []

  static latest(): FakeWebSocket {
    const socket = FakeWebSocket.instances.at(-1)
    if (socket === undefined) throw new Error('No FakeWebSocket was created')
    return socket
  }

  static reset(): void {
    FakeWebSocket.instances = []
  }

  readonly url: string
  readyState = FakeWebSocket.CONNECTING
  readonly sent: string[] = []
  closedByClient = false
  onopen: ((event: Event) => void) | null = null
  onclose: ((event: CloseEvent) => void) | null = null
  onmessage: ((event: MessageEvent) => void) | null = null
  onerror: ((event: Event) => void) | null = null

  constructor(url: string) {
    this.url = url
    FakeWebSocket.instances.push(this)
  }

  /** Parsed JSON of everything the client sent. */
  get commands(): unknown[] {
    return this.sent.map((raw) => JSON.parse(raw) as unknown)
  }

  send(data: string): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error('FakeWebSocket: send() while not open')
    this.sent.push(data)
  }

  close(): void {
    this.closedByClient = true
    this.readyState = FakeWebSocket.CLOSED
  }

  serverOpen(): void {
    this.readyState = FakeWebSocket.OPEN
    this.onopen?.(new Event('open'))
  }

  serverSend(message: unknown): void {
    const data = typeof message === 'string' ? message : JSON.stringify(message)
    this.onmessage?.(new MessageEvent('message', { data }))
  }

  /** The connection drops (server restart, network loss): error then close, like a browser. */
  serverDrop(code = 1006): void {
    this.readyState = FakeWebSocket.CLOSED
    this.onerror?.(new Event('error'))
    this.onclose?.(new CloseEvent('close', { code, wasClean: false }))
  }
}

export const createFakeSocket = (url: string) => new FakeWebSocket(url)
