import '@testing-library/jest-dom/vitest'
import { cleanup, configure } from '@testing-library/react'
import { afterAll, afterEach, beforeAll, vi } from 'vitest'
import { clearToasts } from '@/lib/toast-store'
import { createLightweightChartsMock } from '@/test/lightweight-charts-mock'
import { server } from '@/test/msw-server'

// lightweight-charts draws on canvas, which jsdom lacks; charts are checked in the browser e2e.
vi.mock('lightweight-charts', () => createLightweightChartsMock())

// The machine running the suite may be busy; lazy pages and queries need a little longer.
configure({ asyncUtilTimeout: 4000 })

// jsdom does not implement scrolling; route changes scroll to the top.
window.scrollTo = () => {}

// API requests are answered by MSW; one that no handler covers fails the test.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

afterEach(() => {
  cleanup()
  server.resetHandlers()
  clearToasts()
  window.history.replaceState(null, '', '/')
  window.localStorage.clear()
  for (const cookie of document.cookie.split(';')) {
    const name = cookie.split('=')[0]?.trim()
    if (name !== undefined && name !== '') document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
  }
})
