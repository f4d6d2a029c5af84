#!/usr/bin/env node
// Browser smoke test of the built app against a running server (Django, or `vite preview`
// proxying to Django). Signs in through the login form, checks the dashboard's health panel and
// every page, and fails on any page error, console error or failed request.
//
// Env: E2E_BASE_URL (default http://127.0.0.1:8765), E2E_USERNAME, E2E_PASSWORD,
//      E2E_SCREENSHOTS (default frontend/e2e/screenshots), E2E_CHROMIUM (default /usr/bin/chromium).
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8765').replace(/\/+$/, '')
const USERNAME = process.env.E2E_USERNAME ?? ''
const PASSWORD = process.env.E2E_PASSWORD ?? ''
const SCREENSHOTS = process.env.E2E_SCREENSHOTS
  ? resolve(process.env.E2E_SCREENSHOTS)
  : fileURLToPath(new URL('./screenshots/', import.meta.url))
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium'
const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const ACTION_TIMEOUT_MS = 15_000
const HEALTH_TIMEOUT_MS = 35_000 // the panel polls every 10 s
const OVERALL_TIMEOUT_MS = 240_000

const PAGES = [
  { label: 'Signals', path: '/signals' },
  { label: 'Sentiment', path: '/sentiment' },
  { label: 'Backtests', path: '/backtests' },
  { label: 'Models', path: '/models' },
  { label: 'Settings', path: '/settings' },
]

if (USERNAME === '' || PASSWORD === '') {
  console.error('e2e: set E2E_USERNAME and E2E_PASSWORD to an existing account')
  console.log('e2e: 0 passed, 1 failed')
  process.exit(2)
}

mkdirSync(SCREENSHOTS, { recursive: true })

const watchdog = setTimeout(() => {
  console.error(`e2e: gave up after ${OVERALL_TIMEOUT_MS / 1000} s`)
  console.log('e2e: 0 passed, 1 failed')
  process.exit(1)
}, OVERALL_TIMEOUT_MS)
watchdog.unref()

/** Problems seen by the browser since the current step began. */
let problems = []
const notes = []
let signedIn = false
let expectWrongPassword = false

function pathOf(url) {
  try {
    return new URL(url).pathname
  } catch {
    return url
  }
}

/** Responses that are part of normal operation and not failures. */
function isExpectedStatus(url, status) {
  const path = pathOf(url)
  // Before sign-in (and after sign-out) Django answers 401 or 403 to "who am I?".
  if (path === '/api/auth/me/' && (status === 401 || status === 403) && !signedIn) return true
  // The step that tries a wrong password expects the 400.
  if (path === '/api/auth/login/' && status === 400 && expectWrongPassword) return true
  // A degraded server answers the health check with 503 and a full report, which the UI shows.
  if (path === '/api/health/' && status === 503) return true
  return false
}

function watch(page) {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const { url } = message.location()
    const text = message.text()
    // Chromium logs every >= 400 response as a console error; expected ones are fine.
    const statusMatch = /status of (\d{3})/.exec(text)
    if (statusMatch !== null && url && isExpectedStatus(url, Number(statusMatch[1]))) return
    problems.push(`console error: ${text}${url ? ` (${url})` : ''}`)
  })
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'unknown'
    // Cancelled fetches (route changes, sign-out dropping queries) are not failures.
    if (reason === 'net::ERR_ABORTED') {
      notes.push(`aborted: ${request.method()} ${pathOf(request.url())}`)
      return
    }
    problems.push(`request failed: ${request.method()} ${request.url()} (${reason})`)
  })
  page.on('response', (response) => {
    const status = response.status()
    if (status < 400) return
    if (isExpectedStatus(response.url(), status)) {
      if (status === 503) notes.push(`health check reported degraded (503) at ${new Date().toISOString()}`)
      return
    }
    problems.push(`HTTP ${status}: ${response.request().method()} ${response.url()}`)
  })
  page.on('websocket', (socket) => {
    socket.on('socketerror', (error) => problems.push(`websocket error on ${socket.url()}: ${error}`))
  })
}

async function screenshot(page, name) {
  const file = resolve(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/** Run axe-core on the current page; serious and critical violations fail the step. */
async function checkAccessibility(page, label) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SOURCE })
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
    }))
  })
  for (const violation of violations) {
    const line = `${label}: ${violation.id} (${violation.impact}) ${violation.help} at ${violation.targets.join(', ')}`
    if (violation.impact === 'serious' || violation.impact === 'critical') problems.push(`accessibility: ${line}`)
    else notes.push(`accessibility: ${line}`)
  }
}

const mainHeading = (page, name) => page.getByRole('heading', { level: 1, name, exact: true })

const steps = [
  {
    name: 'login page is served at the base URL',
    run: async (page) => {
      const response = await page.goto(`${BASE_URL}/`, { waitUntil: 'domcontentloaded' })
      if (response === null || !response.ok()) throw new Error(`GET ${BASE_URL}/ answered ${response?.status() ?? 'nothing'}`)
      await page.getByRole('heading', { name: 'Sign in to your account' }).waitFor()
      await page.waitForURL((url) => url.pathname === '/login')
      const css = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
      if (css === 'rgba(0, 0, 0, 0)' || css === 'rgb(255, 255, 255)') throw new Error(`styles not applied (body background ${css})`)
      await screenshot(page, '01-login')
      await checkAccessibility(page, 'login')
    },
  },
  {
    name: 'wrong password shows an error on the form',
    run: async (page) => {
      await page.getByLabel('Username').fill(USERNAME)
      await page.getByLabel('Password').fill(`${PASSWORD}-wrong`)
      expectWrongPassword = true
      const answer = page.waitForResponse((response) => pathOf(response.url()) === '/api/auth/login/')
      await page.getByRole('button', { name: 'Sign in' }).click()
      const response = await answer
      if (response.status() !== 400) throw new Error(`expected 400 for a wrong password, got ${response.status()}`)
      await page.getByRole('alert').waitFor()
      await screenshot(page, '02-login-error')
      await page.waitForTimeout(250)
      expectWrongPassword = false
    },
  },
  {
    name: 'sign in through the form opens the dashboard',
    run: async (page) => {
      await page.getByLabel('Password').fill(PASSWORD)
      const answer = page.waitForResponse((response) => pathOf(response.url()) === '/api/auth/login/')
      await page.getByRole('button', { name: 'Sign in' }).click()
      const response = await answer
      if (response.status() !== 200) throw new Error(`POST /api/auth/login/ answered ${response.status()}: ${await response.text()}`)
      signedIn = true
      await mainHeading(page, 'Dashboard').waitFor()
      const banner = await page.getByRole('banner').innerText()
      if (!banner.includes('Quantum Trader')) throw new Error('header does not show the product name')
    },
  },
  {
    name: 'health panel shows the database check as ok',
    run: async (page) => {
      await page.locator('[data-check="database"][data-ok="true"]').waitFor({ timeout: HEALTH_TIMEOUT_MS })
      const mode = await page.locator('[data-field="mode"]').innerText()
      const version = await page.locator('[data-field="version"]').innerText()
      const checks = await page.locator('[data-check]').evaluateAll((rows) =>
        rows.map((row) => `${row.getAttribute('data-check')}=${row.getAttribute('data-ok') === 'true' ? 'ok' : 'FAILED'}`),
      )
      notes.push(`health: mode ${mode}, version ${version}, ${checks.join(' ')}`)
      await screenshot(page, '03-dashboard')
      await checkAccessibility(page, 'dashboard')
    },
  },
  {
    name: 'live connection indicator reaches "Live"',
    run: async (page) => {
      await page.locator('output[data-state="open"]').waitFor({ timeout: ACTION_TIMEOUT_MS })
    },
  },
  {
    name: 'every section opens from the navigation',
    run: async (page) => {
      const nav = page.getByRole('navigation', { name: 'Main' })
      for (const { label, path } of PAGES) {
        await nav.getByRole('link', { name: label, exact: true }).click()
        await mainHeading(page, label).waitFor()
        await page.waitForURL((url) => url.pathname === path)
        await screenshot(page, `04-${label.toLowerCase()}`)
        await checkAccessibility(page, label)
      }
    },
  },
  {
    name: 'deep link reload is served by the backend',
    run: async (page) => {
      const response = await page.goto(`${BASE_URL}/signals`, { waitUntil: 'domcontentloaded' })
      if (response === null || !response.ok()) throw new Error(`GET /signals answered ${response?.status() ?? 'nothing'}`)
      await mainHeading(page, 'Signals').waitFor()
    },
  },
  {
    name: 'phone layout collapses the navigation into a top menu',
    run: async (page) => {
      await page.setViewportSize({ width: 390, height: 844 })
      await page.getByRole('button', { name: 'Open menu' }).click()
      await page.locator('#mobile-nav').getByRole('link', { name: 'Dashboard', exact: true }).waitFor()
      await screenshot(page, '05-phone-menu')
      await checkAccessibility(page, 'phone menu')
      await page.locator('#mobile-nav').getByRole('link', { name: 'Dashboard', exact: true }).click()
      await mainHeading(page, 'Dashboard').waitFor()
      await screenshot(page, '06-phone-dashboard')
      await page.setViewportSize({ width: 1280, height: 800 })
    },
  },
  {
    name: 'sign out returns to the login page',
    run: async (page) => {
      await page.getByRole('button', { name: /account menu/i }).click()
      const answer = page.waitForResponse((response) => pathOf(response.url()) === '/api/auth/logout/')
      await page.getByRole('menuitem', { name: 'Sign out' }).click()
      const response = await answer
      if (response.status() !== 204 && response.status() !== 200) throw new Error(`POST /api/auth/logout/ answered ${response.status()}`)
      signedIn = false
      await page.getByRole('heading', { name: 'Sign in to your account' }).waitFor()
      await screenshot(page, '07-signed-out')
    },
  },
]

let passed = 0
let failed = 0
let skipped = 0
let browser

try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
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
  })
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  context.setDefaultTimeout(ACTION_TIMEOUT_MS)
  const page = await context.newPage()
  watch(page)

  for (const step of steps) {
    if (failed > 0) {
      skipped += 1
      console.log(`  - skipped: ${step.name}`)
      continue
    }
    problems = []
    try {
      await step.run(page)
      // Give late console errors and responses of this step a moment to arrive.
      await page.waitForTimeout(250)
      if (problems.length > 0) throw new Error(`browser reported problems:\n      ${problems.join('\n      ')}`)
      passed += 1
      console.log(`  ✓ ${step.name}`)
    } catch (error) {
      failed += 1
      console.log(`  ✗ ${step.name}`)
      console.error(`    ${error instanceof Error ? error.message : String(error)}`)
      try {
        console.error(`    screenshot: ${await screenshot(page, 'failure')}`)
      } catch {
        // The page may be gone; the error above is what matters.
      }
    }
  }
  await context.close()
} catch (error) {
  failed += 1
  console.error(`e2e: could not run the browser: ${error instanceof Error ? error.message : String(error)}`)
} finally {
  await browser?.close().catch(() => {})
}

for (const note of notes) console.log(`  note: ${note}`)
console.log(`  screenshots: ${SCREENSHOTS}`)
console.log(`e2e: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 ? 1 : 0)
