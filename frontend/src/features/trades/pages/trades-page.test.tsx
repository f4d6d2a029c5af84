import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TradesPage } from '@/features/trades/pages/trades-page'
import { makeBot, makeOrder, makePosition, makeTrade, mockBackend, page } from '@/test/fixtures'
import { jsonResponse, type RecordedRequest } from '@/test/render'
import { renderPage } from '@/test/render-page'

const FILLS = [
  makeTrade({ id: 40, order: 12, side: 'buy', bot: 3 }),
  makeTrade({ id: 41, order: 13, side: 'sell', price: '91000', realised_pnl: '9.79' }),
  makeTrade({ id: 42, order: 14, side: 'buy', symbol: 'ETH/USDT', price: '3000', amount: '0.5' }),
]

function params(requests: readonly RecordedRequest[], path: string): URLSearchParams[] {
  return requests.filter((request) => request.url.startsWith(path)).map((request) => new URL(request.url, 'http://app.test').searchParams)
}

function tradesRoutes() {
  return {
    'GET /api/fills/': (request: RecordedRequest) => {
      const symbol = new URL(request.url, 'http://app.test').searchParams.get('symbol')
      return jsonResponse(page(FILLS.filter((fill) => symbol === null || fill.symbol === symbol)))
    },
    'GET /api/bots/': () => jsonResponse(page([makeBot()])),
    'GET /api/positions/': () => jsonResponse([makePosition({ realised_pnl: '7.5', unrealised_pnl: '-2' })]),
    'GET /api/orders/': (request: RecordedRequest) => {
      const bot = new URL(request.url, 'http://app.test').searchParams.get('bot')
      const orders = [makeOrder({ id: 12, bot: 3 }), makeOrder({ id: 13, bot: null }), makeOrder({ id: 14, bot: null })]
      return jsonResponse(page(orders.filter((order) => bot === null || String(order.bot) === bot)))
    },
  }
}

afterEach(() => vi.restoreAllMocks())

describe('TradesPage', () => {
  it('test_filters_are_typed_search_params_symbol_goes_to_the_api_side_and_bot_filter_the_rows', async () => {
    const user = userEvent.setup()
    const backend = mockBackend(tradesRoutes())
    await renderPage(<TradesPage />, { path: '/trades?side=sell&bot=abc' })

    // A bad bot id is dropped; the side filter applies from the URL.
    const table = await screen.findByRole('table', { name: 'Trades' })
    expect(within(table).getAllByRole('row')).toHaveLength(2)
    expect(within(table).getByText('91000')).toBeInTheDocument()
    expect(within(table).getByText('+9.79')).toBeInTheDocument()
    expect(screen.getByText('+7.50')).toBeInTheDocument()

    const filters = screen.getByRole('form', { name: 'Trade filters' })
    await user.selectOptions(within(filters).getByLabelText('Side'), '')
    await user.selectOptions(within(filters).getByLabelText('Bot'), '3')
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('bot')).toBe('3'))
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Trades' })).getAllByRole('row')).toHaveLength(2))
    expect(within(screen.getByRole('table', { name: 'Trades' })).getByText('Trend BTC')).toBeInTheDocument()
    expect(params(backend.requests, '/api/orders/?').at(-1)?.get('bot')).toBe('3')

    await user.selectOptions(within(filters).getByLabelText('Bot'), '')
    await user.type(within(filters).getByLabelText('Symbol'), 'eth/usdt')
    await user.click(within(filters).getByRole('button', { name: 'Apply' }))
    await waitFor(() => expect(params(backend.requests, '/api/fills/?').at(-1)?.get('symbol')).toBe('ETH/USDT'))
    expect(new URLSearchParams(window.location.search).get('symbol')).toBe('ETH/USDT')
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Trades' })).getAllByRole('row')).toHaveLength(2))

    await user.click(within(filters).getByRole('button', { name: 'Clear filters' }))
    await waitFor(() => expect(window.location.search).toBe(''))
  })

  it('test_csv_export_holds_the_filtered_rows', async () => {
    const user = userEvent.setup()
    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:trades'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined)
    mockBackend(tradesRoutes())
    await renderPage(<TradesPage />, { path: '/trades?side=buy' })

    await user.click(await screen.findByRole('button', { name: 'Export CSV (2)' }))

    expect(blobs).toHaveLength(1)
    const lines = (await blobs[0]?.text())?.split('\r\n') ?? []
    expect(lines).toHaveLength(4)
    expect(lines[1]).toMatch(/^40,.*,Trend BTC,t-40,$/)
    expect(lines[2]).toMatch(/^42,.*,ETH\/USDT,buy,0.5,3000,1500,/)
  })
})
