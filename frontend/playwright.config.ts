import { defineConfig } from '@playwright/test'

/**
 * Browser tests (`npm run e2e`, or `bin/e2e` at the repository root against a fresh embedded
 * server). Debian's Chromium is launched through `executablePath`: `npx playwright install` cannot
 * download browsers here and is not needed. Traces are kept for failed tests only
 * (e2e/test-results/<test>/trace.zip; open with `npx playwright show-trace`).
 *
 * Env: E2E_BASE_URL (default http://127.0.0.1:8765), E2E_CHROMIUM (default /usr/bin/chromium);
 * the spec reads E2E_USERNAME, E2E_PASSWORD, E2E_SCREENSHOTS and E2E_MANAGE_PY.
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: '*.spec.mjs',
  outputDir: './e2e/test-results',
  // One signed-in browser walks the app step by step (a serial suite sharing one page).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 180_000,
  globalTimeout: 600_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8765').replace(/\/+$/, ''),
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    actionTimeout: 15_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
})
