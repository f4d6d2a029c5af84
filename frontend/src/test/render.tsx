import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, type RenderOptions } from '@testing-library/react'
import type { ReactElement, ReactNode } from 'react'
import { http, HttpResponse } from 'msw'
import { vi } from 'vitest'
import { server } from '@/test/msw-server'

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
  credentials: RequestCredentials
}

type Route = (request: RecordedRequest) => Response | Promise<Response>

async function readRequestBody(request: Request): Promise<unknown> {
  const text = await request.text()
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/**
 * Answer API requests through MSW with routes keyed by "METHOD /path", and record every request
 * (`requests`, and `requestSpy` called once per request). A request no route matches is logged
 * with its method and URL and fails like an unreachable server (the way a throwing route does).
 */
export function mockApi(routes: Record<string, Route>) {
  const requests: RecordedRequest[] = []
  const requestSpy = vi.fn<(request: RecordedRequest) => void>()
  server.use(
    http.all('*', async ({ request }) => {
      const url = new URL(request.url)
      const recorded: RecordedRequest = {
        // Same-origin requests are recorded as the app sent them: path and query.
        url: `${url.pathname}${url.search}`,
        method: request.method.toUpperCase(),
        headers: request.headers,
        body: await readRequestBody(request.clone()),
        credentials: request.credentials,
      }
      requests.push(recorded)
      requestSpy(recorded)
      const route = routes[`${recorded.method} ${url.pathname}`]
      if (route === undefined) {
        console.error(`Unexpected request: ${recorded.method} ${url.pathname}${url.search}`)
        return HttpResponse.error()
      }
      try {
        return await route(recorded)
      } catch {
        // A route that throws stands for a request that never reached the server.
        return HttpResponse.error()
      }
    }),
  )
  return { requests, requestSpy }
}
