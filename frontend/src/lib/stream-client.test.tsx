import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SIGNED_OUT_CLOSE, StreamClient, backoffDelay, buildStreamUrl, type ConnectionState } from '@/lib/stream-client'
import { FakeWebSocket, createFakeSocket } from '@/test/fake-web-socket'

const TOPIC = 'market.binance.BTC-USDT.1h'

function newClient(overrides: Partial<ConstructorParameters<typeof StreamClient>[0]> = {}) {
  return new StreamClient({
    url: 'ws://app.test/ws/stream/',
    createSocket: createFakeSocket,
    initialDelayMs: 1000,
    maxDelayMs: 8000,
    random: () => 0.5,
    ...overrides,
  })
}

function recordStates(client: StreamClient): ConnectionState[] {
  const states: ConnectionState[] = []
  client.subscribeState(() => states.push(client.state))
  return states
}

beforeEach(() => {
  FakeWebSocket.reset()
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('buildStreamUrl', () => {
  it('test_stream_url_on_http_page_uses_ws_scheme_and_same_host', () => {
    expect(buildStreamUrl('/ws/stream/', { protocol: 'http:', host: '127.0.0.1:8765' })).toBe('ws://127.0.0.1:8765/ws/stream/')
  })

  it('test_stream_url_on_https_page_uses_wss_scheme', () => {
    expect(buildStreamUrl('/ws/stream/', { protocol: 'https:', host: 'trader.example.org' })).toBe('wss://trader.example.org/ws/stream/')
  })
})

describe('backoffDelay', () => {
  const options = { initialDelayMs: 1000, maxDelayMs: 30_000 }

  it('test_backoff_doubles_per_attempt_within_jitter_bounds', () => {
    for (const [attempt, ceiling] of [
      [0, 1000],
      [1, 2000],
      [2, 4000],
      [3, 8000],
    ] as const) {
      expect(backoffDelay(attempt, { ...options, random: () => 0 })).toBe(ceiling / 2)
      expect(backoffDelay(attempt, { ...options, random: () => 0.999_999 })).toBe(ceiling)
    }
  })

  it('test_backoff_is_capped_at_max_delay', () => {
    expect(backoffDelay(20, { ...options, random: () => 0.999_999 })).toBe(30_000)
    expect(backoffDelay(50, { ...options, random: () => 0 })).toBe(15_000)
  })

  it('test_backoff_jitter_spreads_clients', () => {
    const delays = [0.1, 0.4, 0.9].map((value) => backoffDelay(3, { ...options, random: () => value }))
    expect(new Set(delays).size).toBe(3)
  })
})

describe('StreamClient', () => {
  it('test_start_connects_and_reports_connecting_then_open', () => {
    const client = newClient()
    const states = recordStates(client)

    client.start()
    expect(FakeWebSocket.latest().url).toBe('ws://app.test/ws/stream/')
    expect(client.state).toBe('connecting')
    FakeWebSocket.latest().serverOpen()

    expect(states).toEqual(['connecting', 'open'])
  })

  it('test_subscribe_while_connecting_is_sent_once_the_socket_opens', () => {
    const client = newClient()
    client.start()
    client.subscribe(TOPIC)
    const socket = FakeWebSocket.latest()
    expect(socket.sent).toEqual([])

    socket.serverOpen()

    expect(socket.commands).toEqual([{ action: 'subscribe', topic: TOPIC }])
  })

  it('test_dropped_connection_reconnects_with_growing_backoff', () => {
    // given: random 0.5 gives 75% of the ceiling (1000 -> 750, 2000 -> 1500, 4000 -> 3000)
    const client = newClient()
    const states = recordStates(client)
    client.start()
    FakeWebSocket.latest().serverOpen()

    // when: the server goes away and keeps refusing
    FakeWebSocket.latest().serverDrop()
    expect(client.state).toBe('closed')
    vi.advanceTimersByTime(749)
    expect(FakeWebSocket.instances).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(client.state).toBe('connecting')

    FakeWebSocket.latest().serverDrop()
    vi.advanceTimersByTime(1499)
    expect(FakeWebSocket.instances).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(FakeWebSocket.instances).toHaveLength(3)

    FakeWebSocket.latest().serverDrop()
    vi.advanceTimersByTime(2999)
    expect(FakeWebSocket.instances).toHaveLength(3)
    vi.advanceTimersByTime(1)
    expect(FakeWebSocket.instances).toHaveLength(4)

    // then
    expect(states).toEqual(['connecting', 'open', 'closed', 'connecting', 'closed', 'connecting', 'closed', 'connecting'])
  })

  it('test_backoff_never_exceeds_the_cap', () => {
    const client = newClient({ random: () => 0.999_999 })
    client.start()
    for (let attempt = 0; attempt < 8; attempt += 1) {
      FakeWebSocket.latest().serverDrop()
      vi.advanceTimersByTime(8000)
    }
    // Every drop was followed by exactly one new socket within the 8 s cap.
    expect(FakeWebSocket.instances).toHaveLength(9)
  })

  it('test_reconnect_resends_every_active_subscription', () => {
    // given: two topics subscribed on the first connection, one released again
    const client = newClient()
    client.start()
    const first = FakeWebSocket.latest()
    first.serverOpen()
    client.subscribe(TOPIC)
    const releaseSignals = client.subscribe('signals.all')
    const releaseNews = client.subscribe('news.all')
    releaseNews()
    expect(first.commands).toEqual([
      { action: 'subscribe', topic: TOPIC },
      { action: 'subscribe', topic: 'signals.all' },
      { action: 'subscribe', topic: 'news.all' },
      { action: 'unsubscribe', topic: 'news.all' },
    ])

    // when: the connection drops and comes back
    first.serverDrop()
    vi.advanceTimersByTime(1000)
    const second = FakeWebSocket.latest()
    expect(second).not.toBe(first)
    second.serverOpen()

    // then: only the still-active topics are subscribed again
    expect(second.commands).toEqual([
      { action: 'subscribe', topic: TOPIC },
      { action: 'subscribe', topic: 'signals.all' },
    ])
    expect(client.topics).toEqual([TOPIC, 'signals.all'])

    releaseSignals()
    expect(second.commands.at(-1)).toEqual({ action: 'unsubscribe', topic: 'signals.all' })
  })

  it('test_shared_topic_is_unsubscribed_only_when_the_last_user_leaves', () => {
    const client = newClient()
    client.start()
    const socket = FakeWebSocket.latest()
    socket.serverOpen()

    const releaseChart = client.subscribe(TOPIC)
    const releaseTicker = client.subscribe(TOPIC)
    releaseChart()
    releaseChart() // releasing twice must not steal the other user's subscription
    expect(socket.commands).toEqual([{ action: 'subscribe', topic: TOPIC }])

    releaseTicker()
    expect(socket.commands).toEqual([
      { action: 'subscribe', topic: TOPIC },
      { action: 'unsubscribe', topic: TOPIC },
    ])
  })

  it('test_handlers_receive_only_their_message_type', () => {
    const client = newClient()
    const candles = vi.fn()
    const everything = vi.fn()
    const removeCandles = client.on('candle', candles)
    client.on('*', everything)
    client.start()
    const socket = FakeWebSocket.latest()
    socket.serverOpen()

    const candle = { type: 'candle', topic: TOPIC, id: 1, ts: 1_700_000_000_000, data: { close: '42000.5' } }
    socket.serverSend(candle)
    socket.serverSend({ type: 'signal', topic: 'signals.all', id: 2, ts: 1_700_000_000_100, data: { side: 'buy' } })
    removeCandles()
    socket.serverSend({ ...candle, id: 3 })

    expect(candles).toHaveBeenCalledTimes(1)
    expect(candles).toHaveBeenCalledWith(candle)
    expect(everything.mock.calls.map(([message]) => (message as { id: number }).id)).toEqual([1, 2, 3])
  })

  it('test_malformed_messages_and_failing_handlers_do_not_break_dispatch', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const client = newClient()
    const good = vi.fn()
    client.on('notification', () => {
      throw new Error('boom')
    })
    client.on('notification', good)
    client.start()
    const socket = FakeWebSocket.latest()
    socket.serverOpen()

    socket.serverSend('not json')
    socket.serverSend({ topic: 'x' })
    socket.serverSend({ type: 'notification', topic: 'user', id: 9, ts: 1, data: { text: 'Filled' } })

    expect(good).toHaveBeenCalledTimes(1)
    expect(client.state).toBe('open')
  })

  it('test_hello_resets_backoff_after_a_reconnect', () => {
    const client = newClient()
    client.start()
    for (let index = 0; index < 3; index += 1) {
      FakeWebSocket.latest().serverDrop()
      vi.advanceTimersByTime(8000)
    }
    expect(client.attempt).toBe(3)

    FakeWebSocket.latest().serverOpen()
    FakeWebSocket.latest().serverSend({ type: 'hello', topic: '', id: 0, ts: 1, data: {} })
    expect(client.attempt).toBe(0)

    // The next drop waits the initial delay again (750 ms with random 0.5), not 6 s.
    FakeWebSocket.latest().serverDrop()
    const before = FakeWebSocket.instances.length
    vi.advanceTimersByTime(750)
    expect(FakeWebSocket.instances).toHaveLength(before + 1)
  })

  it('test_close_for_a_revoked_sign_in_tells_its_listeners_and_other_closes_do_not', () => {
    const client = newClient()
    const signedOut = vi.fn()
    const unsubscribe = client.onSignedOut(signedOut)
    client.start()
    FakeWebSocket.latest().serverOpen()

    FakeWebSocket.latest().serverDrop(1006)
    expect(signedOut).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1000)
    FakeWebSocket.latest().serverOpen()
    FakeWebSocket.latest().serverDrop(SIGNED_OUT_CLOSE)
    expect(signedOut).toHaveBeenCalledTimes(1)
    expect(client.state).toBe('closed')

    unsubscribe()
    vi.advanceTimersByTime(8000)
    FakeWebSocket.latest().serverOpen()
    FakeWebSocket.latest().serverDrop(SIGNED_OUT_CLOSE)
    expect(signedOut).toHaveBeenCalledTimes(1)
    client.stop()
  })

  it('test_stop_closes_socket_and_prevents_reconnect', () => {
    const client = newClient()
    client.start()
    const socket = FakeWebSocket.latest()
    socket.serverOpen()

    client.stop()

    expect(socket.closedByClient).toBe(true)
    expect(client.state).toBe('closed')
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('test_stop_while_connecting_closes_the_socket_once_it_opens_without_reporting_it', () => {
    const client = newClient()
    const states = recordStates(client)
    client.start()
    const socket = FakeWebSocket.latest()

    client.stop()
    expect(socket.closedByClient).toBe(false)
    socket.serverOpen()

    expect(socket.closedByClient).toBe(true)
    expect(socket.sent).toEqual([])
    expect(states).toEqual(['connecting', 'closed'])
    client.start()
    expect(FakeWebSocket.instances).toHaveLength(2)
  })

  it('test_stop_during_backoff_cancels_the_pending_reconnect', () => {
    const client = newClient()
    client.start()
    FakeWebSocket.latest().serverDrop()

    client.stop()
    vi.advanceTimersByTime(60_000)

    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('test_reconnect_now_skips_the_remaining_wait', () => {
    const client = newClient()
    client.start()
    FakeWebSocket.latest().serverDrop()
    FakeWebSocket.latest().serverDrop() // a late duplicate close must be ignored
    expect(FakeWebSocket.instances).toHaveLength(1)

    client.reconnectNow()

    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(client.state).toBe('connecting')
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(2)
  })

  it('test_socket_constructor_failure_is_retried_with_backoff', () => {
    let calls = 0
    const client = newClient({
      createSocket: (url) => {
        calls += 1
        if (calls === 1) throw new SyntaxError('bad url')
        return createFakeSocket(url)
      },
    })

    client.start()
    expect(client.state).toBe('closed')
    vi.advanceTimersByTime(750)

    expect(calls).toBe(2)
    expect(client.state).toBe('connecting')
  })
})

const OWN = 'user.7'

function event(topic: string, seq: number, id = seq) {
  return { type: 'news', topic, seq, id, ts: 1, data: { id } }
}

function hello(seq: Record<string, number> = { [OWN]: 0 }) {
  return { type: 'hello', topic: '', id: 0, ts: 1, data: { user: 'alice', topics: [OWN], heartbeat_ms: 1000, seq } }
}

function connected() {
  const client = newClient()
  const seen: Array<[string, number]> = []
  client.on('news', (m) => seen.push([m.topic, m.seq ?? -1]))
  const resyncs: unknown[] = []
  client.on('resync', (m) => resyncs.push(m.data))
  client.start()
  const socket = FakeWebSocket.latest()
  socket.serverOpen()
  socket.serverSend(hello())
  return { client, socket, seen, resyncs }
}

describe('StreamClient resume', () => {

  it('test_duplicate_events_are_dropped_by_topic_and_sequence', () => {
    const { client, socket, seen } = connected()
    client.subscribe(TOPIC)
    socket.serverSend({ type: 'subscribed', topic: '', id: 0, ts: 1, data: { topic: TOPIC, seq: 4 } })

    for (const m of [event(TOPIC, 4), event(TOPIC, 5), event(TOPIC, 5), event(OWN, 1), event(TOPIC, 6), event(OWN, 1)]) socket.serverSend(m)

    expect(seen).toEqual([
      [TOPIC, 5],
      [OWN, 1],
      [TOPIC, 6],
    ])
    expect(client.lastSequence(TOPIC)).toBe(6)
  })

  it('test_reconnect_resumes_every_topic_from_its_last_sequence', () => {
    const { client, socket } = connected()
    client.subscribe(TOPIC)
    client.subscribe('asset.BTC')
    socket.serverSend(event(TOPIC, 12))
    socket.serverSend(event(OWN, 3))

    socket.serverDrop()
    vi.advanceTimersByTime(1000)
    const second = FakeWebSocket.latest()
    second.serverOpen()

    expect(second.url).toBe('ws://app.test/ws/stream/?after=3')
    expect(second.commands).toEqual([
      { action: 'subscribe', topic: TOPIC, after: 12 },
      { action: 'subscribe', topic: 'asset.BTC' },
    ])
  })

  it('test_resync_reaches_its_handlers_and_moves_the_sequence', () => {
    const { client, socket, resyncs, seen } = connected()
    client.subscribe(TOPIC)
    socket.serverSend(event(TOPIC, 2))

    socket.serverSend({ type: 'resync', topic: '', id: 0, ts: 1, data: { topic: TOPIC, seq: 90, reason: 'too_old' } })
    socket.serverSend(event(TOPIC, 90))
    socket.serverSend(event(TOPIC, 91))

    expect(resyncs).toEqual([{ topic: TOPIC, seq: 90, reason: 'too_old' }])
    expect(seen).toEqual([
      [TOPIC, 2],
      [TOPIC, 91],
    ])
  })

  it('test_silent_connection_is_replaced_after_missed_heartbeats', () => {
    const { socket } = connected()

    vi.advanceTimersByTime(2400)
    expect(FakeWebSocket.instances).toHaveLength(1)
    socket.serverSend({ type: 'heartbeat', topic: '', id: 0, ts: 1, data: { seq: {} } })
    vi.advanceTimersByTime(2400)
    expect(socket.closedByClient).toBe(false)
    vi.advanceTimersByTime(200)

    expect(socket.closedByClient).toBe(true)
    vi.advanceTimersByTime(1000)
    expect(FakeWebSocket.instances).toHaveLength(2)
  })

  it('test_unsubscribed_topic_starts_fresh_next_time', () => {
    const { client, socket } = connected()
    const release = client.subscribe(TOPIC)
    socket.serverSend(event(TOPIC, 5))
    release()
    client.subscribe(TOPIC)

    expect(socket.commands.at(-1)).toEqual({ action: 'subscribe', topic: TOPIC })
  })
})
