import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, type RenderOptions } from '@testing-library/react'
import type { ReactElement, ReactNode } from 'react'
import { vi } from 'vitest'

export function createTestQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Number.POSITIVE_INFINITY }, mutations: { retry: false } },
  })
}

export function renderWithQuery(ui: ReactElement, { queryClient = createTestQueryClient(), ...options }: RenderOptions & { queryClient?: QueryClient } = {}) {
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
  return { queryClient, ...render(ui, { wrapper, ...options }) }
}

/** A JSON Response like Django REST framework sends. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

export interface RecordedRequest {
  url: string
  method: string
  headers: Headers
  body: unknown
  credentials: RequestCredentials | undefined
}

type Route = (request: RecordedRequest) => Response | Promise<Response>

/**
 * Replace global fetch with a router keyed by "METHOD /path" and record every request.
 * Unmatched requests fail the test loudly.
 */
export function mockFetch(routes: Record<string, Route>) {
  const requests: RecordedRequest[] = []
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const method = (init.method ?? 'GET').toUpperCase()
    const rawBody = init.body
    const request: RecordedRequest = {
      url,
      method,
      headers: new Headers(init.headers),
      body: typeof rawBody === 'string' ? (JSON.parse(rawBody) as unknown) : rawBody,
      credentials: init.credentials,
    }
    requests.push(request)
    const route = routes[`${method} ${new URL(url, 'http://localhost').pathname}`]
    if (route === undefined) throw new Error(`Unexpected request: ${method} ${url}`)
    return route(request)
  })
  vi.stubGlobal('fetch', fetchMock)
  return { fetchMock, requests }
}
