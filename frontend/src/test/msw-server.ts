import { setupServer } from 'msw/node'

/**
 * The one MSW server for unit tests (started in setup-tests.ts). Tests add handlers with
 * `mockApi` (src/test/render.tsx) or `server.use(http.get(...))`; they are reset after each test,
 * and a request no handler answers fails the test.
 */
export const server = setupServer()
