// A local fake of the few Binance REST endpoints a key check uses, on 127.0.0.1 only, so the
// browser test can add an exchange account without any network. It records every request;
// unknown paths answer 404 so a change in what the server asks for shows up in the test output.
import { createServer } from 'node:http'

const NOW = () => Date.now()

const ROUTES = {
  '/api/v3/ping': () => ({}),
  '/api/v3/time': () => ({ serverTime: NOW() }),
  '/sapi/v1/account/apiRestrictions': () => ({
    ipRestrict: true,
    createTime: NOW() - 86_400_000,
    enableReading: true,
    enableWithdrawals: false,
    enableInternalTransfer: false,
    permitsUniversalTransfer: false,
    enableMargin: false,
    enableFutures: false,
    enableVanillaOptions: false,
    enablePortfolioMarginTrading: false,
    enableSpotAndMarginTrading: true,
  }),
  '/api/v3/account': () => ({
    makerCommission: 10,
    takerCommission: 10,
    canTrade: true,
    canWithdraw: false,
    canDeposit: true,
    updateTime: NOW(),
    accountType: 'SPOT',
    balances: [
      { asset: 'USDT', free: '1000.00000000', locked: '0.00000000' },
      { asset: 'BTC', free: '0.01000000', locked: '0.00000000' },
    ],
    permissions: ['SPOT'],
  }),
  '/sapi/v1/capital/config/getall': () => [],
}

/** Start the fake on a free port; resolves to { url, requests, close }. */
export async function startFakeExchange() {
  const requests = []
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    requests.push({ method: request.method, path, apiKey: request.headers['x-mbx-apikey'] ?? null })
    const route = ROUTES[path]
    const status = route === undefined ? 404 : 200
    const body = route === undefined ? { code: -1100, msg: `fake exchange: no route for ${path}` } : route()
    response.writeHead(status, { 'Content-Type': 'application/json' })
    response.end(JSON.stringify(body))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}
