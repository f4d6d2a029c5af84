// Browser tests of the built app against a running server (Django, or `vite preview` proxying
// to Django), on the Playwright test runner (playwright.config.ts). One signed-in browser walks the
// app step by step: each step is a test of a serial suite sharing one page, so a failure skips
// the steps after it, and its trace is kept (e2e/test-results/). Signs in through the login form,
// checks the dashboard's health panel, live chart and signal feed, the backtest and key forms, and
// every page; any page error, console error or failed request fails the step it happened in.
//
// Env: E2E_BASE_URL (default http://127.0.0.1:8765), E2E_USERNAME, E2E_PASSWORD,
//      E2E_SCREENSHOTS (default frontend/e2e/screenshots), E2E_MANAGE_PY=1 (bin/e2e) for the
//      steps that create data on the server with manage.py; E2E_CHROMIUM is read by the config.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { test } from '@playwright/test'
import { startFakeExchange } from './fake-exchange.mjs'

const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8765').replace(/\/+$/, '')
const USERNAME = process.env.E2E_USERNAME ?? ''
const PASSWORD = process.env.E2E_PASSWORD ?? ''
const SCREENSHOTS = process.env.E2E_SCREENSHOTS
  ? resolve(process.env.E2E_SCREENSHOTS)
  : fileURLToPath(new URL('./screenshots/', import.meta.url))
// Evaluated through the DevTools protocol rather than an inline <script>, which the pages'
// Content-Security-Policy (script-src 'self') rightly refuses.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const ACTION_TIMEOUT_MS = 15_000
const HEALTH_TIMEOUT_MS = 35_000 // the panel polls every 10 s
const SIGNAL_LATENCY_MS = 2000
const BACKTEST_TIMEOUT_MS = 90_000
// bin/e2e sets E2E_MANAGE_PY=1: the steps that create data on the server run manage.py in the
// same environment (QT_VAR_DIR, keys) as the server under test.
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const MANAGE_PY = process.env.E2E_MANAGE_PY === '1'
const PYTHON = process.env.E2E_PYTHON ?? join(ROOT, '.venv', 'bin', 'python')
const run = promisify(execFile)

const PAGES = [
  { label: 'Signals', path: '/signals' },
  { label: 'Sentiment', path: '/sentiment' },
  { label: 'Backtests', path: '/backtests' },
  { label: 'Models', path: '/models' },
  { label: 'Bots', path: '/bots' },
  { label: 'Trades', path: '/trades' },
  { label: 'Settings', path: '/settings' },
]

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
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
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

/** Run Python in the server's Django environment; the last stdout line is parsed as JSON. */
async function django(code) {
  const { stdout } = await run(PYTHON, ['manage.py', 'shell', '-c', code], { cwd: ROOT, env: process.env, maxBuffer: 4 * 1024 * 1024, timeout: 120_000 })
  const last = stdout.trim().split('\n').at(-1) ?? ''
  try {
    return JSON.parse(last)
  } catch {
    throw new Error(`manage.py shell printed no JSON result:\n${stdout}`)
  }
}

/**
 * Count the pixels of the given colours (±tolerance per channel) on every canvas inside
 * `selector`: proof that the chart drew something, not just a blank surface.
 */
async function chartPixels(page, selector, colors) {
  return page.evaluate(
    ({ selector: scope, colors: palette }) => {
      const parse = (hex) => [1, 3, 5].map((index) => Number.parseInt(hex.slice(index, index + 2), 16))
      const targets = palette.map(parse)
      let matched = 0
      let painted = 0
      const canvases = [...document.querySelectorAll(`${scope} canvas`)]
      for (const canvas of canvases) {
        if (canvas.width === 0 || canvas.height === 0) continue
        const context = canvas.getContext('2d')
        if (context === null) continue
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] === 0) continue
          painted += 1
          if (targets.some(([r, g, b]) => Math.abs(data[i] - r) <= 30 && Math.abs(data[i + 1] - g) <= 30 && Math.abs(data[i + 2] - b) <= 30)) matched += 1
        }
      }
      return { canvases: canvases.length, painted, matched }
    },
    { selector, colors },
  )
}

/** The text of the messages tied to a form control (aria-describedby). */
async function describedText(locator) {
  return locator.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim(),
  )
}

/** Count the requests matching method and path while `action` runs (plus a short grace). */
async function countRequests(page, method, path, action) {
  let count = 0
  const listener = (request) => {
    if (request.method() === method && pathOf(request.url()) === path) count += 1
  }
  page.on('request', listener)
  try {
    await action()
    await page.waitForTimeout(800)
  } finally {
    page.off('request', listener)
  }
  return count
}

/** Wait until no loading placeholder is left on the page (for meaningful screenshots). */
async function settle(page) {
  await page
    .waitForFunction(() => ![...document.querySelectorAll('output')].some((element) => /Loading|Checking/.test(element.textContent ?? '')), null, { timeout: ACTION_TIMEOUT_MS })
    .catch(() => notes.push(`still loading after ${ACTION_TIMEOUT_MS / 1000} s on ${page.url()}`))
  await page.waitForTimeout(300)
}

async function openSection(page, label, path) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click()
  await mainHeading(page, label).waitFor()
  await page.waitForURL((url) => url.pathname === path)
}

function requireManagePy() {
  test.skip(!MANAGE_PY, 'needs E2E_MANAGE_PY=1 (run through bin/e2e) to create data on the server')
}

const isoDay = (offsetDays) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)
const randomText = (length) => randomBytes(length).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, length)
const E2E_KEY = `E2EKEY${randomText(24)}Q7ZX`
const E2E_SECRET = `e2eSECRET${randomText(40)}`
let fakeExchange = null

// Write a fresh signal through the signals service (which publishes it on the market's stream
// group): the demo model's call (the champion's, if one proved its skill) for the newest
// stored 1h candle of demo BTC/USDT, after
// removing the one the seed wrote for that candle.
const SIGNAL_CREATE_PY = `
import json
from datetime import timedelta
from markets.core.adapter import timeframe_ms
from markets.models import Candle, Market
from signals.models import ModelVersion, Signal
from signals.services import signal_predict

market = Market.objects.select_related("exchange").get(exchange__ccxt_id="demo", symbol="BTC/USDT")
models = ModelVersion.objects.filter(timeframe="1h", markets=market)
model = models.filter(status="champion").order_by("-pk").first() or models.order_by("-pk").first()
assert model is not None, "no model for demo BTC/USDT 1h"
last = Candle.objects.filter(market=market, timeframe="1h").order_by("-open_time").values_list("open_time", flat=True).first()
Signal.objects.filter(model_version=model, market=market, timeframe="1h", open_time=last).delete()
now = last + timedelta(milliseconds=timeframe_ms("1h"), seconds=1)
signal, created = signal_predict(market=market, timeframe="1h", model_version=model, now=now)
assert created, "signal_predict did not write a new signal"
print(json.dumps({"id": signal.pk, "action": signal.action, "market": str(market), "created_ms": int(signal.created_at.timestamp() * 1000)}))
`

/**
 * Publish the next candle of a market on its stream group, as ingestion does: one step after
 * the newest stored candle, closing 1 % above it.
 */
const candlePublishPy = (exchange, symbol, timeframe) => `
import json
from datetime import timedelta
from markets.core.adapter import timeframe_ms
from markets.events import market_group
from markets.models import Candle
from markets.stream import publish

last = Candle.objects.filter(market__exchange__ccxt_id=${JSON.stringify(exchange)}, market__symbol=${JSON.stringify(symbol)}, timeframe=${JSON.stringify(timeframe)}).order_by("-open_time").first()
t = int((last.open_time + timedelta(milliseconds=timeframe_ms(${JSON.stringify(timeframe)}))).timestamp() * 1000)
close = round(last.close * 1.01, 2)
publish(group=market_group(${JSON.stringify(exchange)}, ${JSON.stringify(symbol)}, ${JSON.stringify(timeframe)}), type="candle", id=t, data={"t": t, "o": last.close, "h": max(close, last.close), "l": min(close, last.close), "c": close, "v": 1.0})
print(json.dumps({"t": t, "close": close, "close_text": f"{close:,.2f}"}))
`

/** Point the binance exchange at the local fake, so a key can be checked without the network. */
const exchangeCreatePy = (url) => `
import json
from markets.models import Exchange
exchange, _ = Exchange.objects.update_or_create(ccxt_id="binance", defaults={"name": "Binance", "enabled": True, "is_demo": False, "api_base_url": ${JSON.stringify(url)}})
print(json.dumps({"id": exchange.pk}))
`

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
    },
  },
  {
    name: 'live connection indicator reaches "Live"',
    run: async (page) => {
      await page.locator('output[data-state="open"]').waitFor({ timeout: ACTION_TIMEOUT_MS })
    },
  },
  {
    name: 'dashboard chart draws the candles of the demo market',
    run: async (page) => {
      const chart = page.locator('figure[data-chart="price"]')
      await chart.waitFor()
      await page.waitForFunction(() => Number(document.querySelector('figure[data-chart="price"]')?.getAttribute('data-bars') ?? 0) > 50, null, { timeout: ACTION_TIMEOUT_MS })
      await page.waitForTimeout(500) // let the chart paint its next frame
      const bars = Number(await chart.getAttribute('data-bars'))
      const pixels = await chartPixels(page, 'figure[data-chart="price"]', ['#34d399', '#fb7185'])
      if (pixels.matched < 500) throw new Error(`the price chart looks blank: ${JSON.stringify(pixels)} for ${bars} candles`)
      const markers = Number(await chart.getAttribute('data-markers'))
      notes.push(`dashboard: ${bars} candles, ${markers} signal markers, ${pixels.matched} candle-coloured pixels on ${pixels.canvases} canvases`)
      await page.getByTestId('signal-panel').getByText(/BUY|SELL|HOLD|No signals/).first().waitFor()
      await page.getByText('Demo data').first().waitFor()
      await screenshot(page, '03-dashboard')
      await checkAccessibility(page, 'dashboard')
    },
  },
  {
    name: 'dashboard chart follows a live candle from the stream',
    run: async (page) => {
      requireManagePy()
      const chart = page.locator('figure[data-chart="price"]')
      const before = Number(await chart.getAttribute('data-bars'))
      const url = new URL(page.url())
      const market = url.searchParams.get('market') ?? 'demo:BTC/USDT'
      const timeframe = url.searchParams.get('tf') ?? '1h'
      const [exchange, symbol] = [market.slice(0, market.indexOf(':')), market.slice(market.indexOf(':') + 1)]
      const published = await django(candlePublishPy(exchange, symbol, timeframe))
      await page.waitForFunction((count) => Number(document.querySelector('figure[data-chart="price"]')?.getAttribute('data-bars')) === count, before + 1, { timeout: 5000 })
      const price = await page.getByTestId('last-price').innerText()
      if (!price.startsWith(published.close_text)) throw new Error(`last price shows ${price}, the live candle closed at ${published.close}`)
      notes.push(`dashboard: live candle at ${new Date(published.t).toISOString()} appended (${before} → ${before + 1} candles), last price ${price}`)
    },
  },
  {
    name: 'a signal created on the server appears in the feed within 2 s, without a reload',
    run: async (page) => {
      requireManagePy()
      await openSection(page, 'Signals', '/signals')
      await page.getByRole('table', { name: 'Signals' }).waitFor()
      await page.locator('output[data-state="open"]').waitFor()
      await page.evaluate(() => {
        window.e2eNoReload = true
        window.e2eSeen = {}
        const record = () => {
          for (const row of document.querySelectorAll('[data-signal-row]')) {
            const id = row.getAttribute('data-signal-row')
            if (!(id in window.e2eSeen)) window.e2eSeen[id] = Date.now()
          }
        }
        record()
        for (const id of Object.keys(window.e2eSeen)) window.e2eSeen[id] = 0
        new MutationObserver(record).observe(document.body, { subtree: true, childList: true })
      })
      // Give the feed's topic subscriptions a moment to reach the server.
      await page.waitForTimeout(1000)
      const created = await django(SIGNAL_CREATE_PY)
      const row = page.locator(`[data-signal-row="${created.id}"]`)
      await row.waitFor({ timeout: SIGNAL_LATENCY_MS + 1000 })
      const seenAt = await page.evaluate((id) => window.e2eSeen[String(id)] ?? null, created.id)
      const stillSamePage = await page.evaluate(() => window.e2eNoReload === true)
      if (!stillSamePage) throw new Error('the page reloaded')
      if (seenAt === null || seenAt === 0) throw new Error(`signal ${created.id} was not added live`)
      const latency = seenAt - created.created_ms
      if (latency > SIGNAL_LATENCY_MS) throw new Error(`signal ${created.id} appeared ${latency} ms after it was created (limit ${SIGNAL_LATENCY_MS} ms)`)
      const text = await row.innerText()
      if (!text.includes(created.action)) throw new Error(`row of signal ${created.id} does not show ${created.action}: ${text}`)
      await row.getByText('New').waitFor()
      notes.push(`signals: #${created.id} ${created.action} ${created.market} appeared ${latency} ms after it was created`)
      await screenshot(page, '04-signals')
      await checkAccessibility(page, 'Signals')
    },
  },
  {
    name: 'backtest form: bad input is explained beside the fields and nothing is sent',
    run: async (page) => {
      await openSection(page, 'Backtests', '/backtests')
      const form = page.getByRole('form', { name: 'New backtest' })
      await form.getByLabel('Market').locator('option').first().waitFor({ state: 'attached' })
      await page.waitForFunction(() => [...document.querySelectorAll('select[name="market"] option')].some((option) => option.value !== ''))
      const fee = form.getByLabel('Fee per trade (%)')
      await fee.fill('abc')
      await form.getByLabel('Start date (UTC)').fill(isoDay(-10))
      await form.getByLabel('End date (UTC)').fill(isoDay(-20))
      const posts = await countRequests(page, 'POST', '/api/backtests/', () => form.getByRole('button', { name: 'Run backtest' }).click())
      if (posts !== 0) throw new Error(`bad input sent ${posts} request(s)`)
      const feeMessage = await describedText(fee)
      const endMessage = await describedText(form.getByLabel('End date (UTC)'))
      if (!/must be a number/.test(feeMessage)) throw new Error(`no message beside the fee: "${feeMessage}"`)
      if (!/after the start date/.test(endMessage)) throw new Error(`no message beside the end date: "${endMessage}"`)
      if ((await fee.getAttribute('aria-invalid')) !== 'true') throw new Error('the fee input is not marked invalid')
      await screenshot(page, '05-backtest-errors')
    },
  },
  {
    name: 'start a backtest with a double click (one run), watch it finish, see its equity curve',
    run: async (page) => {
      const form = page.getByRole('form', { name: 'New backtest' })
      await form.getByLabel('Fee per trade (%)').fill('0.1')
      await form.getByLabel('Start date (UTC)').fill(isoDay(-30))
      await form.getByLabel('End date (UTC)').fill(isoDay(0))
      const posts = await countRequests(page, 'POST', '/api/backtests/', () => form.getByRole('button', { name: 'Run backtest' }).dblclick())
      if (posts !== 1) throw new Error(`a double click sent ${posts} requests, expected 1`)
      await page.waitForURL((url) => url.searchParams.has('run'))
      const runId = new URL(page.url()).searchParams.get('run')
      const equity = page.locator('figure[data-chart="equity"]')
      await equity.waitFor({ timeout: BACKTEST_TIMEOUT_MS })
      await page.waitForFunction(() => Number(document.querySelector('figure[data-chart="equity"]')?.getAttribute('data-points') ?? 0) > 10)
      await page.waitForTimeout(500)
      const pixels = await chartPixels(page, 'figure[data-chart="equity"]', ['#22d3ee'])
      if (pixels.matched < 200) throw new Error(`the equity chart looks blank: ${JSON.stringify(pixels)}`)
      await page.getByRole('figure', { name: `Drawdown of backtest ${runId}` }).waitFor()
      const totalReturn = await page.locator('[data-metric="total_return"] dd').innerText()
      const trades = await page.locator('[data-metric="trades"] dd').innerText()
      await page.getByText(`Backtest #${runId} finished`).waitFor({ timeout: ACTION_TIMEOUT_MS })
      notes.push(`backtest #${runId}: total return ${totalReturn}, ${trades} trades, equity ${await equity.getAttribute('data-points')} points`)
      await screenshot(page, '06-backtest-result')
      await checkAccessibility(page, 'Backtests')
    },
  },
  {
    name: 'settings: bad input in the key form is explained beside the fields',
    run: async (page) => {
      await openSection(page, 'Settings', '/settings')
      const form = page.getByRole('form', { name: 'Add an exchange key' })
      await form.waitFor()
      const posts = await countRequests(page, 'POST', '/api/exchange-accounts/', () => form.getByRole('button', { name: 'Save key' }).click())
      if (posts !== 0) throw new Error(`an empty form sent ${posts} request(s)`)
      for (const [label, pattern] of [
        ['Name', /give this key a name/i],
        ['API key', /paste the api key/i],
        ['API secret', /paste the api secret/i],
      ]) {
        const message = await describedText(form.getByLabel(label, { exact: true }))
        if (!pattern.test(message)) throw new Error(`no message beside "${label}": "${message}"`)
      }
      await screenshot(page, '07-settings-errors')
    },
  },
  {
    name: 'settings: add an exchange key (double click saves once); only the masked key is ever shown',
    run: async (page) => {
      requireManagePy()
      fakeExchange = await startFakeExchange()
      await django(exchangeCreatePy(fakeExchange.url))
      await page.reload()
      await mainHeading(page, 'Settings').waitFor()
      const form = page.getByRole('form', { name: 'Add an exchange key' })
      await page.waitForFunction(() => [...document.querySelectorAll('select[name="exchange"] option')].some((option) => option.value === 'binance'))
      await form.getByLabel('Exchange').selectOption('binance')
      await form.getByLabel('Name').fill('E2E key')
      // Live: ccxt's Binance sandbox has no sapi URL, so a testnet key check cannot reach the fake.
      await form.getByLabel('Mode').selectOption(process.env.E2E_ACCOUNT_MODE ?? 'live')
      for (const label of ['API key', 'API secret', 'Passphrase']) {
        const input = form.getByLabel(label, { exact: true })
        if ((await input.getAttribute('type')) !== 'password' || (await input.getAttribute('autocomplete')) !== 'off') {
          throw new Error(`${label} is not a password input with autocomplete off`)
        }
      }
      await form.getByLabel('API key', { exact: true }).fill(E2E_KEY)
      await form.getByLabel('API secret', { exact: true }).fill(E2E_SECRET)
      const posts = await countRequests(page, 'POST', '/api/exchange-accounts/', () => form.getByRole('button', { name: 'Save key' }).dblclick())
      if (posts !== 1) throw new Error(`a double click sent ${posts} requests, expected 1`)
      const masked = `••••${E2E_KEY.slice(-4)}`
      const alert = form.getByRole('alert')
      const shown = page.locator('[data-masked-key]', { hasText: masked })
      await Promise.race([shown.waitFor(), alert.waitFor().then(async () => Promise.reject(new Error(`the server refused the key: ${await alert.innerText()} (fake exchange saw ${JSON.stringify(fakeExchange.requests)})`)))])
      await page.getByText('Exchange key saved').waitFor()
      if (!fakeExchange.requests.some((request) => request.apiKey === E2E_KEY)) throw new Error(`the server never asked the exchange with the key: ${JSON.stringify(fakeExchange.requests)}`)
      await page.waitForTimeout(500)
      const leaks = await page.evaluate(
        ({ secrets }) => {
          const places = {
            html: document.documentElement.outerHTML,
            text: document.body.innerText,
            inputs: [...document.querySelectorAll('input, textarea')].map((element) => element.value).join('\n'),
            localStorage: Object.keys(localStorage).map((key) => `${key}=${localStorage.getItem(key)}`).join('\n'),
            sessionStorage: Object.keys(sessionStorage).map((key) => `${key}=${sessionStorage.getItem(key)}`).join('\n'),
            title: document.title,
            url: location.href,
          }
          return Object.entries(places).flatMap(([place, content]) => secrets.filter((secret) => content.includes(secret)).map((secret) => `${place} contains ${secret.slice(0, 6)}…`))
        },
        { secrets: [E2E_KEY, E2E_SECRET] },
      )
      const content = await page.content()
      if (content.includes(E2E_SECRET) || content.includes(E2E_KEY)) leaks.push('page.content() contains the key or secret')
      if (leaks.length > 0) throw new Error(`secret material in the page: ${leaks.join('; ')}`)
      notes.push(`settings: key saved and shown as ${masked}; key and secret found nowhere in HTML, text, inputs, localStorage or sessionStorage`)
      await screenshot(page, '08-settings-account')
      await checkAccessibility(page, 'Settings')
    },
  },
  {
    name: 'settings: test connection reports the result',
    run: async (page) => {
      requireManagePy()
      const row = page.locator('[data-account]', { hasText: 'E2E key' })
      await row.getByRole('button', { name: 'Test connection' }).click()
      const result = row.locator('output, [role="alert"]').filter({ hasText: /Connection works|failed|refused|unavailable|error/i }).first()
      await result.waitFor()
      notes.push(`settings: test connection said "${(await result.innerText()).split('\n')[0]}"`)
    },
  },
  {
    name: 'bots: a new paper bot trades on the demo market live, then the kill switch halts it',
    run: async (page) => {
      await openSection(page, 'Bots', '/bots')
      await page.getByRole('button', { name: 'New bot' }).click()
      const form = page.getByRole('form', { name: 'New bot' })
      await page.waitForFunction(() => [...document.querySelectorAll('select[name="market"] option')].some((option) => option.textContent === 'BTC/USDT (demo)'))
      const name = `E2E bot ${randomText(6)}`
      await form.getByLabel('Name').fill(name)
      await form.getByLabel('Market').selectOption({ label: 'BTC/USDT (demo)' })
      // 5m: a closed candle is never more than a few minutes old, so the first decision is never stale.
      await form.getByLabel('Timeframe').selectOption('5m')
      // RSI bands that buy below 99: long on the first decision, so the bot orders at once.
      await form.getByLabel('Rule').selectOption('rsi_bands')
      await form.getByLabel('Buy below RSI').fill('99')
      await form.getByLabel('Sell above RSI').fill('99.5')
      const posts = await countRequests(page, 'POST', '/api/bots/', () => form.getByRole('button', { name: 'Create bot' }).click())
      if (posts !== 1) throw new Error(`creating the bot sent ${posts} requests, expected 1`)
      const detail = page.getByRole('region', { name: `Bot ${name}` })
      await detail.waitFor()
      await detail.getByText('Mode: Paper', { exact: true }).waitFor()
      await detail.getByText('Stopped', { exact: true }).waitFor()
      await detail.getByRole('button', { name: 'Start', exact: true }).click()
      await detail.getByText('Running', { exact: true }).waitFor()
      const started = Date.now()

      // Starting ticks the bot on the newest closed candle (a Celery task on the worker); its
      // order, the fill and the position arrive through the stream: no reload from here on.
      let reloaded = false
      const onLoad = () => (reloaded = true)
      page.on('load', onLoad)
      try {
        const orders = detail.getByRole('table', { name: `Orders of ${name}` })
        await orders.getByRole('row').nth(1).waitFor({ timeout: 90_000 })
        const ordered = Date.now() - started
        await detail.getByRole('table', { name: 'Decisions' }).getByText('Ordered', { exact: true }).first().waitFor({ timeout: 30_000 })
        await page.waitForFunction(
          (label) => {
            const value = document.querySelector(`[data-stat="${label}"] dd`)?.textContent ?? ''
            return Number(value.replaceAll(',', '')) > 0
          },
          'Position',
          { timeout: 90_000 },
        )
        const position = await detail.locator('[data-stat="Position"] dd').innerText()
        await orders.getByText('Filled').first().waitFor({ timeout: 30_000 })
        notes.push(`bots: ${name} ordered ${(ordered / 1000).toFixed(1)} s after Start; position ${position} BTC, shown without a reload`)
      } finally {
        page.off('load', onLoad)
      }
      if (reloaded) throw new Error('the page reloaded while waiting for the bot')
      await settle(page)
      await screenshot(page, '09-bot-trading')

      await detail.getByRole('button', { name: 'Kill', exact: true }).click()
      await detail.getByRole('group', { name: `Kill ${name}` }).getByRole('button', { name: 'Confirm kill' }).click()
      await detail.getByText('Halted', { exact: true }).first().waitFor()
      await detail.getByText(/^Halted: /).waitFor()
      const list = page.getByRole('list', { name: 'Your bots' })
      await list.getByRole('listitem').filter({ hasText: name }).getByText('Halted', { exact: true }).waitFor()
      notes.push(`bots: killed, shown as "${(await detail.getByText(/^Halted: /).innerText()).trim()}"`)
      await screenshot(page, '09-bot-halted')
      await checkAccessibility(page, 'Bots')
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
        await settle(page)
        await screenshot(page, `09-${label.toLowerCase()}`)
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
      await screenshot(page, '10-phone-menu')
      await checkAccessibility(page, 'phone menu')
      await page.locator('#mobile-nav').getByRole('link', { name: 'Dashboard', exact: true }).click()
      await mainHeading(page, 'Dashboard').waitFor()
      await page.waitForFunction(() => Number(document.querySelector('figure[data-chart="price"]')?.getAttribute('data-bars') ?? 0) > 0)
      await page.getByTestId('signal-panel').getByText(/BUY|SELL|HOLD|No signals/).first().waitFor()
      await page.waitForTimeout(500)
      await screenshot(page, '11-phone-dashboard')
      await checkAccessibility(page, 'phone dashboard')
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
      await screenshot(page, '12-signed-out')
    },
  },
]


test.describe.configure({ mode: 'serial' })

/** The one page every step drives (created once; the runner traces its context per test). */
let page
let context

test.beforeAll(async ({ browser }) => {
  if (USERNAME === '' || PASSWORD === '') throw new Error('set E2E_USERNAME and E2E_PASSWORD to an existing account')
  mkdirSync(SCREENSHOTS, { recursive: true })
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  context.setDefaultTimeout(ACTION_TIMEOUT_MS)
  page = await context.newPage()
  watch(page)
})

test.beforeEach(() => {
  problems = []
})

// oxlint-disable-next-line no-empty-pattern -- Playwright wants the fixtures argument destructured
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === 'passed') {
    // Give late console errors and responses of this step a moment to arrive.
    await page.waitForTimeout(250)
    if (problems.length > 0) throw new Error(`browser reported problems:\n      ${problems.join('\n      ')}`)
  } else if (testInfo.status !== 'skipped') {
    await screenshot(page, 'failure').catch(() => {})
  }
})

test.afterAll(async () => {
  await context?.close()
  await fakeExchange?.close()
  for (const note of notes) console.log(`  note: ${note}`)
  console.log(`  screenshots: ${SCREENSHOTS}`)
})

for (const step of steps) {
  test(step.name, async () => {
    await step.run(page)
  })
}
