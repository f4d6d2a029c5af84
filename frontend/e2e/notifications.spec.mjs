// Browser test of notifications: set up a signed webhook channel in Settings, make a paper
// order fill, and see it both in the header's notification centre and at a local receiver
// (127.0.0.1, in this process) that checks every request's HMAC-SHA256 signature.
//
// Env: as smoke.spec.mjs (E2E_BASE_URL, E2E_USERNAME, E2E_PASSWORD, E2E_SCREENSHOTS). The server
// must allow loopback webhook targets (bin/e2e sets NOTIFY_ALLOW_PRIVATE_TARGETS=true).
import { createHmac, timingSafeEqual } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from '@playwright/test'

const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8765').replace(/\/+$/, '')
const USERNAME = process.env.E2E_USERNAME ?? ''
const PASSWORD = process.env.E2E_PASSWORD ?? ''
const SCREENSHOTS = process.env.E2E_SCREENSHOTS
  ? resolve(process.env.E2E_SCREENSHOTS)
  : fileURLToPath(new URL('./screenshots/', import.meta.url))
const DELIVERY_TIMEOUT_MS = 120_000

/** A webhook receiver on 127.0.0.1: records each POST with whether its signature holds. */
function startReceiver() {
  const received = []
  let secret = ''
  const server = createServer((request, response) => {
    const chunks = []
    request.on('data', (chunk) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks)
      const stamp = String(request.headers['x-qt-timestamp'] ?? '')
      const given = Buffer.from(String(request.headers['x-qt-signature'] ?? ''))
      const wanted = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${stamp}.`).update(body).digest('hex')}`)
      const fresh = Math.abs(Date.now() / 1000 - Number(stamp)) < 300
      const valid = secret !== '' && fresh && given.length === wanted.length && timingSafeEqual(given, wanted)
      received.push({ valid, body: JSON.parse(body.toString('utf8')) })
      response.writeHead(valid ? 204 : 401).end()
    })
  })
  return new Promise((done) => {
    server.listen(0, '127.0.0.1', () =>
      done({
        url: `http://127.0.0.1:${server.address().port}/e2e-hook`,
        received,
        setSecret: (value) => {
          secret = value
        },
        close: () => new Promise((closed) => server.close(closed)),
      }),
    )
  })
}

async function apiCall(page, method, path, body) {
  const cookies = await page.context().cookies(BASE_URL)
  const csrf = cookies.find((cookie) => cookie.name === 'csrftoken')?.value ?? ''
  const response = await page.request.fetch(`${BASE_URL}${path}`, {
    method,
    headers: { 'X-CSRFToken': csrf, Referer: `${BASE_URL}/` },
    data: body,
  })
  if (!response.ok()) throw new Error(`${method} ${path} answered ${response.status()}: ${await response.text()}`)
  return response.json()
}

test('a paper fill reaches the signed webhook and the notification centre', async ({ page }) => {
  if (USERNAME === '' || PASSWORD === '') throw new Error('set E2E_USERNAME and E2E_PASSWORD')
  mkdirSync(SCREENSHOTS, { recursive: true })
  const receiver = await startReceiver()
  const problems = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  try {
    // Sign in through the form
    await page.goto(`${BASE_URL}/login`)
    await page.getByLabel('Username').fill(USERNAME)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('button', { name: /^Notifications/ }).waitFor()

    // Set up a webhook channel for fills in Settings; its secret is shown once
    await page.goto(`${BASE_URL}/settings`)
    const label = `E2E hook ${Date.now()}`
    await page.getByLabel('Label').fill(label)
    await page.getByLabel('Webhook URL').fill(receiver.url)
    await page.getByRole('button', { name: 'Add channel' }).click()
    const secret = (await page.locator('output code').innerText()).trim()
    if (secret.length < 32) throw new Error(`no signing secret shown (got "${secret}")`)
    receiver.setSecret(secret)
    const channels = page.getByRole('list', { name: 'Notification channels' })
    await channels.getByText(label).waitFor()
    if ((await channels.innerText()).includes(receiver.url)) throw new Error('the channel list shows the whole webhook URL')
    await page.screenshot({ path: join(SCREENSHOTS, 'notifications-01-channel.png'), fullPage: true })

    // Make a paper market order that fills
    const accounts = await apiCall(page, 'GET', '/api/paper-accounts/')
    const paper = accounts.find((account) => account.exchange === 'demo') ?? accounts[0]
    if (paper === undefined) throw new Error('the demo user has no paper account')
    const order = await apiCall(page, 'POST', '/api/orders/', {
      paper_account: paper.id,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '0.001',
    })

    // The receiver gets the fill, signed; the header's centre lists it
    const deadline = Date.now() + DELIVERY_TIMEOUT_MS
    let delivery
    while (Date.now() < deadline && delivery === undefined) {
      delivery = receiver.received.find((item) => item.body.kind === 'order.filled' && item.body.data.order_id === order.id)
      if (delivery === undefined) await page.waitForTimeout(500)
    }
    if (delivery === undefined) throw new Error(`no order.filled delivery for order ${order.id} within ${DELIVERY_TIMEOUT_MS / 1000} s`)
    if (!delivery.valid) throw new Error('the delivery arrived with a signature that does not verify')
    await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click()
    const centre = page.getByRole('region', { name: 'Notification centre' })
    await centre.getByText('Order filled').first().waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'notifications-02-centre.png') })
    const duplicates = receiver.received.filter((item) => item.body.kind === 'order.filled' && item.body.data.order_id === order.id)
    if (duplicates.length !== 1) throw new Error(`the fill arrived ${duplicates.length} times`)
    if (problems.length > 0) throw new Error(problems.join('\n'))
  } finally {
    await receiver.close()
  }
})
