import { act, render, screen } from '@testing-library/react'
import { useState } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectionIndicator } from '@/components/connection-indicator'
import { StreamProvider } from '@/components/stream-provider'
import { Toaster } from '@/components/toaster'
import { useConnectionToasts } from '@/hooks/use-connection-toasts'
import { useStreamHandler, useStreamState, useStreamTopic } from '@/hooks/use-stream'
import { StreamClient } from '@/lib/stream-client'
import type { StreamMessage } from '@/types/stream'
import { FakeWebSocket, createFakeSocket } from '@/test/fake-web-socket'

const TOPIC = 'market.binance.ETH-USDT.1h'

function newClient() {
  return new StreamClient({ url: 'ws://app.test/ws/stream/', createSocket: createFakeSocket, random: () => 0.5 })
}

function CandleFeed({ topic, onCandle }: { topic: string; onCandle: (message: StreamMessage) => void }) {
  useStreamTopic(topic)
  useStreamHandler('candle', onCandle)
  return <p>state: {useStreamState()}</p>
}

function Harness({ client, onCandle = () => {} }: { client: StreamClient; onCandle?: (message: StreamMessage) => void }) {
  const [mounted, setMounted] = useState(true)
  return (
    <StreamProvider client={client}>
      <ConnectionIndicator />
      <button type="button" onClick={() => setMounted(false)}>
        leave
      </button>
      {mounted ? <CandleFeed topic={TOPIC} onCandle={onCandle} /> : null}
    </StreamProvider>
  )
}

function ToastHarness({ client }: { client: StreamClient }) {
  return (
    <StreamProvider client={client}>
      <ToastWatcher />
      <Toaster />
    </StreamProvider>
  )
}

function ToastWatcher() {
  useConnectionToasts()
  return null
}

beforeEach(() => {
  FakeWebSocket.reset()
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('stream hooks', () => {
  it('test_provider_opens_the_shared_socket_and_indicator_follows_its_state', () => {
    const client = newClient()
    render(<Harness client={client} />)

    const indicator = screen.getByRole('status')
    expect(indicator).toHaveAttribute('data-state', 'connecting')
    expect(indicator).toHaveTextContent('Connecting…')
    expect(FakeWebSocket.instances).toHaveLength(1)

    act(() => FakeWebSocket.latest().serverOpen())
    expect(indicator).toHaveAttribute('data-state', 'open')
    expect(indicator).toHaveTextContent('Live data connection: Live')

    act(() => FakeWebSocket.latest().serverDrop())
    expect(indicator).toHaveAttribute('data-state', 'closed')
    expect(indicator).toHaveTextContent('Offline')
  })

  it('test_topic_hook_subscribes_resubscribes_after_reconnect_and_unsubscribes_on_unmount', () => {
    const client = newClient()
    render(<Harness client={client} />)
    act(() => FakeWebSocket.latest().serverOpen())
    expect(FakeWebSocket.latest().commands).toEqual([{ action: 'subscribe', topic: TOPIC }])

    act(() => FakeWebSocket.latest().serverDrop())
    act(() => vi.advanceTimersByTime(1000))
    act(() => FakeWebSocket.latest().serverOpen())
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(FakeWebSocket.latest().commands).toEqual([{ action: 'subscribe', topic: TOPIC }])

    act(() => screen.getByRole('button', { name: 'leave' }).click())
    expect(FakeWebSocket.latest().commands.at(-1)).toEqual({ action: 'unsubscribe', topic: TOPIC })
  })

  it('test_handler_hook_receives_messages_of_its_type_after_reconnect', () => {
    const onCandle = vi.fn()
    const client = newClient()
    render(<Harness client={client} onCandle={onCandle} />)
    act(() => FakeWebSocket.latest().serverOpen())

    act(() => FakeWebSocket.latest().serverSend({ type: 'candle', topic: TOPIC, id: 1, ts: 1, data: { close: '1' } }))
    act(() => FakeWebSocket.latest().serverSend({ type: 'news', topic: 'news', id: 2, ts: 2, data: {} }))
    act(() => FakeWebSocket.latest().serverDrop())
    act(() => vi.advanceTimersByTime(1000))
    act(() => FakeWebSocket.latest().serverOpen())
    act(() => FakeWebSocket.latest().serverSend({ type: 'candle', topic: TOPIC, id: 3, ts: 3, data: { close: '2' } }))

    expect(onCandle.mock.calls.map(([message]) => (message as StreamMessage).id)).toEqual([1, 3])
  })

  it('test_unmounting_the_provider_closes_the_socket_for_good', () => {
    const client = newClient()
    const { unmount } = render(<Harness client={client} />)
    act(() => FakeWebSocket.latest().serverOpen())

    unmount()
    act(() => vi.advanceTimersByTime(120_000))

    expect(FakeWebSocket.latest().closedByClient).toBe(true)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('test_lost_connection_shows_an_error_toast_and_reconnect_replaces_it', () => {
    const client = newClient()
    render(<ToastHarness client={client} />)

    // Failing before ever connecting is shown by the indicator only, not as a "lost" toast.
    act(() => FakeWebSocket.latest().serverDrop())
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    act(() => vi.advanceTimersByTime(1000))
    act(() => FakeWebSocket.latest().serverOpen())

    act(() => FakeWebSocket.latest().serverDrop())
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent('Live connection lost')
    expect(alert.closest('[aria-live]')).toHaveAttribute('aria-live', 'polite')

    act(() => vi.advanceTimersByTime(2000))
    act(() => FakeWebSocket.latest().serverOpen())
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('Live connection restored')
  })
})
