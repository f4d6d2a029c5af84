import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { OrdersPage } from '@/features/orders/pages/orders-page'
import { makeAccount, makeOrder, makeOrderDetail, mockBackend, page } from '@/test/fixtures'
import { jsonResponse, type RecordedRequest } from '@/test/render'
import { renderPage } from '@/test/render-page'

const OPEN = makeOrder()
const FILLED = makeOrder({ id: 11, status: 'filled', type: 'market', price: null, filled_amount: '0.010', average_price: '89950', fee: '0.9', fee_currency: 'USDT' })
const REJECTED = makeOrder({ id: 10, side: 'sell', status: 'rejected', reason: 'Amount below the market minimum 0.001.' })
const LIVE_ACCOUNT = makeAccount({ id: 8, label: 'Binance live', mode: 'live' })

function ordersRoutes(history = [OPEN, FILLED, REJECTED]) {
  return {
    'GET /api/orders/': (request: RecordedRequest) => {
      const params = new URL(request.url, 'http://app.test').searchParams
      if (params.get('open') === 'true') return jsonResponse(page(history.filter((order) => order.status === 'open')))
      return jsonResponse(
        page(
          history.filter(
            (order) =>
              (params.get('status') === null || order.status === params.get('status')) &&
              (params.get('side') === null || order.side === params.get('side')) &&
              (params.get('symbol') === null || order.symbol === params.get('symbol')),
          ),
        ),
      )
    },
    'GET /api/orders/12/': () => jsonResponse(makeOrderDetail()),
  }
}

function listParams(requests: readonly RecordedRequest[]): URLSearchParams[] {
  return requests
    .filter((request) => request.method === 'GET' && request.url.startsWith('/api/orders/?'))
    .map((request) => new URL(request.url, 'http://app.test').searchParams)
    .filter((params) => params.get('open') !== 'true')
}

function posts(requests: readonly RecordedRequest[], path: string): RecordedRequest[] {
  return requests.filter((request) => request.method === 'POST' && request.url === path)
}

describe('OrdersPage', () => {
  it('test_open_orders_history_and_one_orders_events_and_fills', async () => {
    const user = userEvent.setup()
    mockBackend(ordersRoutes())
    await renderPage(<OrdersPage />, { path: '/orders' })

    const open = await screen.findByRole('table', { name: 'Open orders' })
    expect(within(open).getAllByRole('row')).toHaveLength(2)
    expect(within(open).getByRole('button', { name: 'Cancel order #12' })).toBeInTheDocument()
    const history = await screen.findByRole('table', { name: 'Order history' })
    expect(within(history).getAllByRole('row')).toHaveLength(4)
    expect(within(history).getByText('Rejected')).toBeInTheDocument()
    expect(within(history).queryByRole('button', { name: /Cancel order/ })).not.toBeInTheDocument()

    await user.click(within(open).getByRole('button', { name: 'Details of order #12' }))

    expect(window.location.search).toBe('?order=12')
    const events = await screen.findByRole('table', { name: 'State history' })
    expect(within(events).getAllByRole('row')).toHaveLength(4)
    expect(within(events).getByText('acknowledged by exchange')).toBeInTheDocument()
    const fills = screen.getByRole('table', { name: 'Fills' })
    expect(within(fills).getByText('t-40')).toBeInTheDocument()
    expect(within(fills).getByRole('cell', { name: 'Maker' })).toBeInTheDocument()
  })

  it('test_history_filters_are_typed_search_params_sent_to_the_api', async () => {
    const user = userEvent.setup()
    const backend = mockBackend(ordersRoutes())
    await renderPage(<OrdersPage />, { path: '/orders?status=rejected&side=bogus' })

    // An unknown side is dropped; a known status is applied from the URL.
    await waitFor(() => expect(listParams(backend.requests).at(-1)?.get('status')).toBe('rejected'))
    expect(listParams(backend.requests).at(-1)?.get('side')).toBeNull()
    const history = await screen.findByRole('table', { name: 'Order history' })
    expect(within(history).getAllByRole('row')).toHaveLength(2)

    const filters = screen.getByRole('form', { name: 'History filters' })
    await user.selectOptions(within(filters).getByLabelText('Status'), 'filled')
    await user.selectOptions(within(filters).getByLabelText('Side'), 'buy')
    await user.type(within(filters).getByLabelText('Symbol'), 'btc/usdt')
    await user.click(within(filters).getByRole('button', { name: 'Apply' }))

    await waitFor(() => expect(listParams(backend.requests).at(-1)?.get('symbol')).toBe('BTC/USDT'))
    const last = listParams(backend.requests).at(-1)
    expect(last?.get('status')).toBe('filled')
    expect(last?.get('side')).toBe('buy')
    expect(new URLSearchParams(window.location.search).get('status')).toBe('filled')
    expect(new URLSearchParams(window.location.search).get('symbol')).toBe('BTC/USDT')

    await user.click(within(filters).getByRole('button', { name: 'Clear filters' }))
    await waitFor(() => expect(window.location.search).toBe(''))
  })

  it('test_cancel_posts_once_and_refreshes_the_lists', async () => {
    const user = userEvent.setup()
    let status: 'open' | 'canceled' = 'open'
    const backend = mockBackend({
      ...ordersRoutes(),
      'GET /api/orders/': (request: RecordedRequest) => {
        const open = new URL(request.url, 'http://app.test').searchParams.get('open') === 'true'
        return jsonResponse(page(open && status === 'canceled' ? [] : [makeOrder({ status })]))
      },
      'POST /api/orders/12/cancel/': () => {
        status = 'canceled'
        return jsonResponse(makeOrder({ status: 'canceled' }), 200)
      },
    })
    await renderPage(<OrdersPage />, { path: '/orders' })
    const open = await screen.findByRole('table', { name: 'Open orders' })

    await user.click(within(open).getByRole('button', { name: 'Cancel order #12' }))

    expect(await screen.findByText('Order #12 canceled')).toBeInTheDocument()
    expect(await screen.findByText('No open orders.')).toBeInTheDocument()
    expect(posts(backend.requests, '/api/orders/12/cancel/')).toHaveLength(1)
    expect(posts(backend.requests, '/api/orders/12/cancel/')[0]?.headers.get('X-CSRFToken')).toBe('abc')
  })

  it('test_a_refused_cancel_shows_the_servers_message', async () => {
    const user = userEvent.setup()
    mockBackend({
      ...ordersRoutes(),
      'POST /api/orders/12/cancel/': () => jsonResponse({ code: 'conflict', message: 'The order is already filled.', field: null, fields: {} }, 409),
    })
    await renderPage(<OrdersPage />, { path: '/orders' })

    await user.click(await screen.findByRole('button', { name: 'Cancel order #12' }))

    expect(await screen.findByText('Could not cancel order #12')).toBeInTheDocument()
    expect(screen.getByText('The order is already filled.')).toBeInTheDocument()
  })

  it('test_the_form_checks_its_fields_before_sending', async () => {
    const user = userEvent.setup()
    const backend = mockBackend(ordersRoutes())
    await renderPage(<OrdersPage />, { path: '/orders' })
    const form = screen.getByRole('form', { name: 'New order' })
    await waitFor(() => expect(within(form).getByLabelText('Account')).toHaveValue('paper:1'))

    await user.selectOptions(within(form).getByLabelText('Type'), 'limit')
    await user.clear(within(form).getByLabelText('Symbol'))
    await user.type(within(form).getByLabelText('Symbol'), 'BTCUSDT')
    await user.type(within(form).getByLabelText('Amount'), '-1')
    await user.click(within(form).getByRole('button', { name: 'Place order' }))

    const amount = within(form).getByLabelText('Amount')
    expect(amount).toHaveAttribute('aria-invalid', 'true')
    expect(amount).toHaveAccessibleDescription(/amount greater than 0/)
    const symbol = within(form).getByLabelText('Symbol')
    expect(symbol).toHaveAccessibleDescription('Enter a market symbol such as BTC/USDT.')
    // The first invalid field in form order takes the focus.
    expect(symbol).toHaveFocus()
    expect(within(form).getByLabelText('Limit price')).toHaveAttribute('aria-invalid', 'true')
    expect(posts(backend.requests, '/api/orders/')).toHaveLength(0)
  })

  it('test_a_paper_order_is_sent_with_an_idempotency_key_and_field_errors_from_the_server_mark_the_field', async () => {
    const user = userEvent.setup()
    let accept = false
    const backend = mockBackend({
      ...ordersRoutes(),
      'POST /api/orders/': () =>
        accept
          ? jsonResponse(makeOrder({ id: 13, status: 'new', type: 'market', price: null, amount: '0.001' }), 201)
          : jsonResponse(
              { code: 'validation_error', message: 'amount: Ensure this value is greater than or equal to 0.0001.', field: 'amount', fields: { amount: ['Ensure this value is greater than or equal to 0.0001.'] } },
              400,
            ),
    })
    await renderPage(<OrdersPage />, { path: '/orders' })
    const form = screen.getByRole('form', { name: 'New order' })
    await waitFor(() => expect(within(form).getByLabelText('Account')).toHaveValue('paper:1'))

    await user.type(within(form).getByLabelText('Amount'), '0.00001')
    await user.click(within(form).getByRole('button', { name: 'Place order' }))

    const amount = within(form).getByLabelText('Amount')
    await waitFor(() => expect(amount).toHaveAttribute('aria-invalid', 'true'))
    expect(amount).toHaveAccessibleDescription('Ensure this value is greater than or equal to 0.0001.')
    const [first] = posts(backend.requests, '/api/orders/')
    expect(first?.body).toEqual({ paper_account: 1, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.00001' })
    const firstKey = first?.headers.get('Idempotency-Key') ?? ''
    expect(firstKey).toMatch(/^[0-9a-f-]{36}$/)

    accept = true
    await user.clear(amount)
    await user.type(amount, '0.001')
    await user.click(within(form).getByRole('button', { name: 'Place order' }))

    expect(await screen.findByText('Order #13 placed')).toBeInTheDocument()
    const second = posts(backend.requests, '/api/orders/')[1]
    expect(second?.body).toEqual({ paper_account: 1, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.001' })
    expect(second?.headers.get('Idempotency-Key')).not.toBe(firstKey)
    expect(within(form).getByLabelText('Amount')).toHaveValue('')
  })

  it('test_a_lost_answer_resends_the_same_order_with_the_same_key', async () => {
    const user = userEvent.setup()
    let calls = 0
    const backend = mockBackend({
      ...ordersRoutes(),
      'POST /api/orders/': () => {
        calls += 1
        if (calls === 1) throw new TypeError('Failed to fetch')
        return jsonResponse(makeOrder({ id: 14, status: 'new' }), 200)
      },
    })
    await renderPage(<OrdersPage />, { path: '/orders' })
    const form = screen.getByRole('form', { name: 'New order' })
    await waitFor(() => expect(within(form).getByLabelText('Account')).toHaveValue('paper:1'))
    await user.type(within(form).getByLabelText('Amount'), '0.002')

    await user.click(within(form).getByRole('button', { name: 'Place order' }))
    expect(await within(form).findByRole('alert')).toHaveTextContent('will not place it twice')
    await user.click(within(form).getByRole('button', { name: 'Place order' }))

    expect(await screen.findByText('Order #14 placed')).toBeInTheDocument()
    const sent = posts(backend.requests, '/api/orders/')
    expect(sent).toHaveLength(2)
    expect(sent[1]?.headers.get('Idempotency-Key')).toBe(sent[0]?.headers.get('Idempotency-Key'))
  })

  it('test_a_live_account_requires_the_symbol_typed_again', async () => {
    const user = userEvent.setup()
    const backend = mockBackend({
      ...ordersRoutes(),
      'GET /api/exchange-accounts/': () => jsonResponse(page([makeAccount(), LIVE_ACCOUNT])),
      'POST /api/orders/': () =>
        jsonResponse({ code: 'live_trading_disabled', message: 'Live trading is turned off on this server.', field: 'exchange_account', fields: {} }, 403),
    })
    await renderPage(<OrdersPage />, { path: '/orders' })
    const form = screen.getByRole('form', { name: 'New order' })
    await waitFor(() => expect(within(form).getByRole('option', { name: 'Live · Binance live (binance)' })).toBeInTheDocument())

    await user.selectOptions(within(form).getByLabelText('Account'), 'exchange:8')
    await user.clear(within(form).getByLabelText('Symbol'))
    await user.type(within(form).getByLabelText('Symbol'), 'eth/usdt')
    await user.type(within(form).getByLabelText('Amount'), '0.5')
    expect(within(form).getByText(/uses real money on binance/)).toBeInTheDocument()
    await user.type(within(form).getByLabelText('Type ETH/USDT to confirm'), 'BTC/USDT')
    await user.click(within(form).getByRole('button', { name: 'Place live order' }))

    const confirm = within(form).getByLabelText('Type ETH/USDT to confirm')
    expect(confirm).toHaveAttribute('aria-invalid', 'true')
    expect(confirm).toHaveAccessibleDescription('Type ETH/USDT to confirm an order with real money.')
    expect(posts(backend.requests, '/api/orders/')).toHaveLength(0)

    await user.clear(confirm)
    await user.type(confirm, 'eth/usdt')
    await user.click(within(form).getByRole('button', { name: 'Place live order' }))

    const account = within(form).getByLabelText('Account')
    await waitFor(() => expect(account).toHaveAttribute('aria-invalid', 'true'))
    expect(account).toHaveAccessibleDescription('Live trading is turned off on this server.')
    expect(posts(backend.requests, '/api/orders/')[0]?.body).toEqual({ exchange_account: 8, symbol: 'ETH/USDT', side: 'buy', type: 'market', amount: '0.5' })
  })

  it('test_fills_and_rejections_from_the_stream_raise_toasts_and_refresh_orders', async () => {
    const backend = mockBackend(ordersRoutes())
    const { stream } = await renderPage(<OrdersPage />, { path: '/orders' })
    await screen.findByRole('table', { name: 'Order history' })
    stream.open()
    const before = backend.requests.filter((request) => request.url.startsWith('/api/orders/?')).length

    stream.send({ type: 'fill', topic: 'user.1', data: { id: 41, order: 12, trade_id: 't-41', exchange: 'demo', symbol: 'BTC/USDT', side: 'buy', amount: '0.006', price: '89980', fee: '0.5', fee_currency: 'USDT', is_maker: false, executed_at: '2026-11-20T10:06:00Z' } })
    stream.send({ type: 'order', topic: 'user.1', data: makeOrder({ id: 15, status: 'rejected', side: 'sell', reason: 'Insufficient balance.' }) })
    stream.send({ type: 'order', topic: 'user.1', data: makeOrder({ id: 16, status: 'open' }) })

    expect(await screen.findByText('Order #12 filled 0.006')).toBeInTheDocument()
    expect(screen.getByText('buy 0.006 BTC/USDT at 89980')).toBeInTheDocument()
    expect(screen.getByText('Order #15 rejected')).toBeInTheDocument()
    expect(screen.getByText('sell BTC/USDT: Insufficient balance.')).toBeInTheDocument()
    expect(screen.queryByText(/Order #16/)).not.toBeInTheDocument()
    await waitFor(() => expect(backend.requests.filter((request) => request.url.startsWith('/api/orders/?')).length).toBeGreaterThan(before))
  })
})
