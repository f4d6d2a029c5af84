import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { SignalsPage } from '@/features/signals/pages/signals-page'
import { HOUR_MS, T0, makeSignal, mockBackend, page } from '@/test/fixtures'
import { jsonResponse, type RecordedRequest } from '@/test/render'
import { renderPage } from '@/test/render-page'

function lastSignalParams(requests: RecordedRequest[]): URLSearchParams {
  const last = requests.filter((request) => request.url.startsWith('/api/signals/')).at(-1)
  return new URL(last?.url ?? '/', 'http://x').searchParams
}

describe('SignalsPage', () => {
  it('test_feed_lists_signals_with_action_confidence_and_reason', async () => {
    mockBackend()
    await renderPage(<SignalsPage />, { path: '/signals' })

    const table = await screen.findByRole('table', { name: 'Signals' })
    const row = within(table).getAllByRole('row')[1] as HTMLElement
    expect(row).toHaveTextContent('BUY')
    expect(row).toHaveTextContent('62.0 %')
    expect(row).toHaveTextContent('Rsi 14')
    expect(row).toHaveTextContent('BTC/USDT')
    // Every row comes from the demo exchange: one label on the feed instead of one per row.
    expect(within(screen.getByRole('heading', { name: /signal feed/i })).getByText('Demo data')).toBeInTheDocument()
    expect(within(row).queryByText('Demo data')).not.toBeInTheDocument()
  })

  it('test_timeframe_filter_and_show_more', async () => {
    const user = userEvent.setup()
    const backend = mockBackend({ 'GET /api/signals/': () => jsonResponse({ ...page([makeSignal()]), count: 250 }) })
    await renderPage(<SignalsPage />, { path: '/signals' })
    await screen.findByRole('table', { name: 'Signals' })

    await user.selectOptions(screen.getByLabelText('Timeframe'), '4h')
    await waitFor(() => expect(lastSignalParams(backend.requests).get('timeframe')).toBe('4h'))
    await user.click(await screen.findByRole('button', { name: 'Show 100 more' }))

    await waitFor(() => expect(lastSignalParams(backend.requests).get('limit')).toBe('200'))
  })

  it('test_filters_are_sent_to_the_api', async () => {
    const user = userEvent.setup()
    const backend = mockBackend()
    await renderPage(<SignalsPage />, { path: '/signals' })
    await screen.findByRole('table', { name: 'Signals' })
    await screen.findByRole('option', { name: /#7/ })

    await user.selectOptions(screen.getByLabelText('Market'), 'binance:ETH/USDT')
    await user.selectOptions(screen.getByLabelText('Model'), '7')
    await user.selectOptions(screen.getByLabelText('Action'), 'SELL')

    await waitFor(() => expect(lastSignalParams(backend.requests).get('action')).toBe('SELL'))
    const params = lastSignalParams(backend.requests)
    expect(params.get('exchange')).toBe('binance')
    expect(params.get('symbol')).toBe('ETH/USDT')
    expect(params.get('model')).toBe('7')
    // The filters live in the URL, so a link or a reload shows the same feed.
    const search = new URLSearchParams(window.location.search)
    expect(Object.fromEntries(search)).toEqual({ market: 'binance:ETH/USDT', model: '7', action: 'SELL' })
  })

  it('test_filters_are_read_from_the_url', async () => {
    const backend = mockBackend()
    await renderPage(<SignalsPage />, { path: '/signals?market=binance:ETH/USDT&action=HOLD&tf=1h' })

    await waitFor(() => expect(lastSignalParams(backend.requests).get('symbol')).toBe('ETH/USDT'))
    const params = lastSignalParams(backend.requests)
    expect(params.get('action')).toBe('HOLD')
    expect(params.get('timeframe')).toBe('1h')
    expect(screen.getByLabelText('Action')).toHaveValue('HOLD')
  })

  it('test_new_signal_from_the_stream_appears_without_reload', async () => {
    let calls = 0
    mockBackend({
      // The first answer fills the feed; later refetches never answer, so what appears comes from the stream.
      'GET /api/signals/': () => {
        calls += 1
        return calls === 1 ? jsonResponse(page([makeSignal()])) : new Promise<Response>(() => {})
      },
    })
    const { stream } = await renderPage(<SignalsPage />, { path: '/signals' })
    await screen.findByRole('table', { name: 'Signals' })
    stream.open()
    await waitFor(() => expect(stream.topics()).toEqual(new Set(['market.demo.BTC-USDT.1h', 'market.demo.BTC-USDT.4h', 'market.binance.ETH-USDT.1h'])))

    // What the server publishes: the id is the message id, the open time is epoch ms.
    const payload = {
      exchange: 'binance',
      symbol: 'ETH/USDT',
      timeframe: '1h',
      open_time: T0 + 40 * HOUR_MS,
      action: 'SELL',
      confidence: 0.55,
      probabilities: { BUY: 0.15, HOLD: 0.3, SELL: 0.55 },
      model_version: 7,
    }
    stream.send({ type: 'signal', topic: 'market.binance.ETH-USDT.1h', id: 99, data: payload })

    const row = await screen.findByText('New')
    const tr = row.closest('tr') as HTMLElement
    expect(tr).toHaveTextContent('SELL')
    expect(tr).toHaveTextContent('ETH/USDT')
    expect(tr).toHaveTextContent('55.0 %')
    expect(tr).toHaveTextContent('2026-11-21 16:00 UTC')
    expect(within(screen.getByRole('table', { name: 'Signals' })).getAllByRole('row')[1]).toBe(tr)
  })

  it('test_live_signal_outside_the_filters_is_not_added', async () => {
    const user = userEvent.setup()
    mockBackend()
    const { stream } = await renderPage(<SignalsPage />, { path: '/signals' })
    await screen.findByRole('table', { name: 'Signals' })
    stream.open()
    await user.selectOptions(screen.getByLabelText('Action'), 'BUY')
    await screen.findByRole('table', { name: 'Signals' })

    stream.send({ type: 'signal', topic: 'market.demo.BTC-USDT.1h', data: makeSignal({ id: 50, action: 'SELL' }) })

    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(screen.queryByText('New')).not.toBeInTheDocument()
  })

  it('test_explain_opens_the_probabilities_and_feature_contributions', async () => {
    const user = userEvent.setup()
    mockBackend()
    await renderPage(<SignalsPage />, { path: '/signals' })
    await screen.findByRole('table', { name: 'Signals' })

    const button = screen.getByRole('button', { name: 'Explain signal 1' })
    await user.click(button)

    expect(button).toHaveAttribute('aria-expanded', 'true')
    const details = document.getElementById('signal-details-1') as HTMLElement
    expect(details).toHaveTextContent('Why (top features)')
    expect(details).toHaveTextContent('-0.120')
  })

  it('test_no_match_suggests_clearing_filters', async () => {
    const user = userEvent.setup()
    mockBackend({ 'GET /api/signals/': (request) => jsonResponse(page(request.url.includes('action=HOLD') ? [] : [makeSignal()])) })
    await renderPage(<SignalsPage />, { path: '/signals' })
    await screen.findByRole('table', { name: 'Signals' })

    await user.selectOptions(screen.getByLabelText('Action'), 'HOLD')

    expect(await screen.findByText(/no signal matches these filters/i)).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Clear filters' }))
    expect(await screen.findByRole('table', { name: 'Signals' })).toBeInTheDocument()
  })
})
