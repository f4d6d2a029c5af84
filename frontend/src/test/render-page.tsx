import { QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider, createRootRoute, createRoute, createRouter, type AnyRouter } from '@tanstack/react-router'
import { act, render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { validateLoginSearch } from '@/features/auth'
import { validateBacktestsSearch } from '@/features/backtests'
import { validateBotsSearch } from '@/features/bots'
import { validateMarketSearch } from '@/features/markets'
import { validateOrdersSearch } from '@/features/orders'
import { validateSignalsSearch } from '@/features/signals'
import { validateTradesSearch } from '@/features/trades'
import { parseSearch, stringifySearch } from '@/lib/search-params'
import { StreamProvider } from '@/components/stream-provider'
import { Toaster } from '@/components/toaster'
import { useUserEvents } from '@/app/use-user-events'
import { StreamClient } from '@/lib/stream-client'
import { FakeWebSocket, createFakeSocket } from '@/test/fake-web-socket'
import { createTestQueryClient } from '@/test/render'

type SearchValidator = (search: Record<string, unknown>) => object

/** The app's paths with the same search validation as src/app/router.tsx. */
const PATHS: Record<string, SearchValidator | undefined> = {
  '/': validateMarketSearch,
  '/login': validateLoginSearch,
  '/signals': validateSignalsSearch,
  '/sentiment': undefined,
  '/backtests': validateBacktestsSearch,
  '/models': undefined,
  '/orders': validateOrdersSearch,
  '/settings': undefined,
  '/bots': validateBotsSearch,
  '/trades': validateTradesSearch,
}

/** A router whose every app path shows `ui`, so a page reads and writes its typed search params. */
export function createTestRouter(ui: ReactElement): AnyRouter {
  const rootRoute = createRootRoute()
  const routes = Object.entries(PATHS).map(([path, validateSearch]) =>
    createRoute({ getParentRoute: () => rootRoute, path, ...(validateSearch === undefined ? {} : { validateSearch }), component: () => ui }),
  )
  return createRouter({ routeTree: rootRoute.addChildren(routes), parseSearch, stringifySearch, trailingSlash: 'never' }) as unknown as AnyRouter
}

function UserEvents() {
  useUserEvents()
  return null
}

/**
 * Render a page inside the app's providers (router at `path`) with an in-memory WebSocket. `stream.open()` makes
 * the server accept the connection; `stream.send()` pushes a message to the page.
 */
export async function renderPage(ui: ReactElement, { path = '/' }: { path?: string } = {}) {
  window.history.replaceState(null, '', path)
  FakeWebSocket.reset()
  const client = new StreamClient({ url: 'ws://app.test/ws/stream/', createSocket: createFakeSocket, random: () => 0.5 })
  const queryClient = createTestQueryClient()
  const router = createTestRouter(ui)
  // Match the path before the first render, so the page is on screen when this returns.
  await act(() => router.load())
  const result = render(
    <QueryClientProvider client={queryClient}>
      <StreamProvider client={client}>
        <UserEvents />
        <RouterProvider router={router} />
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
  return { ...result, queryClient, router, stream }
}
