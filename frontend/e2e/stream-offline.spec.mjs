// The page's network is cut for 10 s while candles are published on the market it shows; once the
// network returns, the stream resumes from its last sequence: the chart gains every candle, each
// stream event reaches the page once, and the page is not reloaded. Chromium's offline mode stalls
// an open WebSocket rather than closing it; the page drops it on the browser's `offline` event (or
// after missed heartbeats) and, once online, opens a new one that resumes from the last sequence.
//
// Env: as smoke.spec.mjs (E2E_BASE_URL, E2E_USERNAME, E2E_PASSWORD, E2E_MANAGE_PY=1 from bin/e2e).
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from '@playwright/test'

const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8765').replace(/\/+$/, '')
const USERNAME = process.env.E2E_USERNAME ?? ''
const PASSWORD = process.env.E2E_PASSWORD ?? ''
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PYTHON = process.env.E2E_PYTHON ?? join(ROOT, '.venv', 'bin', 'python')
const OFFLINE_MS = 10_000
const CANDLES = 5
const run = promisify(execFile)

/** Publish the candle after the newest one (stored too, so each is a new bar). */
const nextCandlePy = (exchange, symbol, timeframe) => `
import json
from datetime import timedelta
from django.db import transaction
from markets.core.adapter import timeframe_ms
from markets.events import market_group
from markets.models import Candle
from markets.stream import publish

last = Candle.objects.filter(market__exchange__ccxt_id=${JSON.stringify(exchange)}, market__symbol=${JSON.stringify(symbol)}, timeframe=${JSON.stringify(timeframe)}).order_by("-open_time").first()
open_time = last.open_time + timedelta(milliseconds=timeframe_ms(${JSON.stringify(timeframe)}))
t = int(open_time.timestamp() * 1000)
close = round(last.close * 1.001, 2)
with transaction.atomic():
    Candle.objects.create(market=last.market, timeframe=last.timeframe, open_time=open_time, open=last.close, high=max(close, last.close), low=min(close, last.close), close=close, volume=1.0)
    publish(group=market_group(${JSON.stringify(exchange)}, ${JSON.stringify(symbol)}, ${JSON.stringify(timeframe)}), type="candle", id=t, data={"t": t, "o": last.close, "h": max(close, last.close), "l": min(close, last.close), "c": close, "v": 1.0})
print(json.dumps({"t": t}))
`

async function django(code) {
  const { stdout } = await run(PYTHON, ['manage.py', 'shell', '-c', code], { cwd: ROOT, env: process.env, timeout: 120_000 })
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '')
}

test('the stream resumes after the network was cut for 10 s: every event once, no reload', async ({ browser }) => {
  test.skip(process.env.E2E_MANAGE_PY !== '1', 'needs E2E_MANAGE_PY=1 (run through bin/e2e) to publish on the server')
  test.setTimeout(240_000)
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  let offline = false
  const frames = [] // candle events received by the page: {topic, seq, offline}
  let sockets = 0
  page.on('websocket', (ws) => {
    sockets += 1
    ws.on('framereceived', ({ payload }) => {
      try {
        const message = JSON.parse(String(payload))
        if (message.type === 'candle') frames.push({ topic: message.topic, seq: message.seq, t: message.data?.t, offline })
      } catch {
        // not JSON: not ours to count
      }
    })
  })

  await page.goto(`${BASE_URL}/`)
  await page.getByLabel('Username').fill(USERNAME)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  const chart = page.locator('figure[data-chart="price"]')
  await page.waitForFunction(() => Number(document.querySelector('figure[data-chart="price"]')?.getAttribute('data-bars') ?? 0) > 50)
  await page.locator('output[data-state="open"]').waitFor()
  await page.waitForTimeout(1000) // the chart's topic subscription reaches the server
  await page.evaluate(() => {
    window.e2eNoReload = true
  })
  const url = new URL(page.url())
  const market = url.searchParams.get('market') ?? 'demo:BTC/USDT'
  const timeframe = url.searchParams.get('tf') ?? '1h'
  const [exchange, symbol] = [market.slice(0, market.indexOf(':')), market.slice(market.indexOf(':') + 1)]
  const before = Number(await chart.getAttribute('data-bars'))

  offline = true
  await context.setOffline(true)
  const started = Date.now()
  const published = []
  for (let i = 0; i < CANDLES; i += 1) {
    published.push((await django(nextCandlePy(exchange, symbol, timeframe))).t)
    await page.waitForTimeout(Math.max(0, (OFFLINE_MS * (i + 1)) / CANDLES - (Date.now() - started)))
  }
  await context.setOffline(false)
  offline = false

  await page.waitForFunction((count) => Number(document.querySelector('figure[data-chart="price"]')?.getAttribute('data-bars')) === count, before + CANDLES, { timeout: 60_000 })
  await page.waitForTimeout(2000) // any late duplicate would arrive now
  const mine = frames.filter((frame) => published.includes(frame.t))
  expect(mine.filter((frame) => frame.offline), 'no frame may arrive while the network is cut').toEqual([])
  expect(mine.map((frame) => frame.t).toSorted()).toEqual([...published].toSorted())
  const seqs = mine.map((frame) => frame.seq)
  expect(new Set(seqs).size, 'each event once').toBe(seqs.length)
  expect(seqs, 'in sequence order').toEqual(seqs.toSorted((a, b) => a - b))
  expect(Number(await chart.getAttribute('data-bars'))).toBe(before + CANDLES)
  expect(await page.evaluate(() => window.e2eNoReload === true), 'the page was not reloaded').toBe(true)
  expect(sockets, 'the stream reconnected').toBeGreaterThan(1)
  await context.close()
})
