import { QueryClientProvider } from '@tanstack/react-query'
import { act, render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { StreamProvider } from '@/components/stream-provider'
import { Toaster } from '@/components/toaster'
import { useUserEvents } from '@/hooks/use-user-events'
import { StreamClient } from '@/lib/stream-client'
import { FakeWebSocket, createFakeSocket } from '@/test/fake-web-socket'
import { createTestQueryClient } from '@/test/render'

function UserEvents() {
  useUserEvents()
  return null
}

/**
 * Render a page inside the app's providers with an in-memory WebSocket. `stream.open()` makes
 * the server accept the connection; `stream.send()` pushes a message to the page.
 */
export function renderPage(ui: ReactElement, { path = '/' }: { path?: string } = {}) {
  window.history.replaceState(null, '', path)
  FakeWebSocket.reset()
  const client = new StreamClient({ url: 'ws://app.test/ws/stream/', createSocket: createFakeSocket, random: () => 0.5 })
  const queryClient = createTestQueryClient()
  const result = render(
    <QueryClientProvider client={queryClient}>
      <StreamProvider client={client}>
        <UserEvents />
        {ui}
        <Toaster />
      </StreamProvider>
    </QueryClientProvider>,
  )
  const stream = {
    socket: () => FakeWebSocket.latest(),
    open: () => act(() => FakeWebSocket.latest().serverOpen()),
    send: (message: { type: string; topic?: string; id?: number; data: unknown }) =>
      act(() => FakeWebSocket.latest().serverSend({ topic: '', id: 0, ts: Date.now(), ...message })),
    /** Topics the page subscribed to (and did not unsubscribe from). */
    topics: () => {
      const active = new Set<string>()
      for (const command of FakeWebSocket.latest().commands as { action: string; topic: string }[]) {
        if (command.action === 'subscribe') active.add(command.topic)
        else active.delete(command.topic)
      }
      return active
    },
  }
  return { ...result, queryClient, stream }
}
