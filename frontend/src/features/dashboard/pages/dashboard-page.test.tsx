import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { createChart, createSeriesMarkers } from 'lightweight-charts'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { DashboardPage } from '@/features/dashboard/pages/dashboard-page'
import { HOUR_MS, T0, candleRows, makeSignal, mockBackend, page } from '@/test/fixtures'
import { jsonResponse } from '@/test/render'
import { renderPage } from '@/test/render-page'

interface SeriesMock {
  setData: ReturnType<typeof vi.fn>
  update: ReturnType<typeof vi.fn>
}

function priceChart() {
  const chart = vi.mocked(createChart).mock.results.at(-1)?.value as { addSeries: ReturnType<typeof vi.fn> }
  const series = chart.addSeries.mock.results.map((result) => result.value as SeriesMock)
  return { candles: series[0] as SeriesMock, volume: series[1] as SeriesMock, sma: series[2] as SeriesMock }
}

function markerApi() {
  return vi.mocked(createSeriesMarkers).mock.results.at(-1)?.value as { setMarkers: ReturnType<typeof vi.fn> }
}

beforeEach(() => {
  vi.mocked(createChart).mockClear()
  vi.mocked(createSeriesMarkers).mockClear()
})

describe('DashboardPage', () => {
  it('test_chart_gets_candles_volume_overlays_and_signal_markers', async () => {
    const backend = mockBackend()
    await renderPage(<DashboardPage />)

    expect(await screen.findByTestId('last-price')).toHaveTextContent('130.00')
    const { candles, volume, sma } = priceChart()
    await waitFor(() => expect(candles.setData).toHaveBeenLastCalledWith(expect.arrayContaining([expect.objectContaining({ time: T0 / 1000, open: 100, close: 101 })])))
    expect(candles.setData.mock.lastCall?.[0]).toHaveLength(30)
    expect(volume.setData.mock.lastCall?.[0]).toHaveLength(30)
    // SMA 20 over 30 candles has 11 points
    expect(sma.setData.mock.lastCall?.[0]).toHaveLength(11)
    await waitFor(() =>
      expect(markerApi().setMarkers).toHaveBeenLastCalledWith([
        expect.objectContaining({ time: (T0 + 20 * HOUR_MS) / 1000, position: 'belowBar', shape: 'arrowUp', text: 'BUY 62%' }),
      ]),
    )
    const candleRequest = backend.requests.find((request) => request.url.startsWith('/api/candles/'))
    expect(new URL(candleRequest?.url ?? '', 'http://x').searchParams.get('symbol')).toBe('BTC/USDT')
    expect(screen.getAllByText('Demo data').length).toBeGreaterThan(0)
  })

  it('test_latest_signal_shows_probabilities_and_explanation', async () => {
    mockBackend()
    await renderPage(<DashboardPage />)

    const panel = await screen.findByTestId('signal-panel')
    await within(panel).findByText('BUY')
    expect(panel).toHaveTextContent('62.0 %')
    expect(panel).toHaveTextContent('28.0 %')
    expect(panel).toHaveTextContent('Rsi 14')
    expect(panel).toHaveTextContent('+0.410')
    expect(panel).toHaveTextContent('model #7')
  })

  it('test_sentiment_gauge_and_feed_for_the_base_asset', async () => {
    const backend = mockBackend()
    await renderPage(<DashboardPage />)

    expect(await screen.findByText('Bullish')).toBeInTheDocument()
    const feed = await screen.findByRole('list', { name: /latest news and posts about btc/i })
    expect(within(feed).getByRole('link', { name: 'Bitcoin rallies as ETF inflows grow' })).toHaveAttribute('href', 'https://example.org/news/1')
    expect(within(feed).getByText(/expecting a dump/)).toBeInTheDocument()
    expect(backend.requests.some((request) => request.url.startsWith('/api/sentiment/?asset=BTC'))).toBe(true)
  })

  it('test_live_candles_update_the_last_bar_and_append_new_ones', async () => {
    mockBackend()
    const { stream } = await renderPage(<DashboardPage />)
    await screen.findByTestId('last-price')
    stream.open()
    await waitFor(() => expect(stream.topics()).toEqual(new Set(['market.demo.BTC-USDT.1h', 'asset.BTC'])))
    const { candles } = priceChart()
    const lastTime = T0 + 29 * HOUR_MS

    stream.send({ type: 'candle', topic: 'market.demo.BTC-USDT.1h', data: { candle: [lastTime, 129, 140, 128, 139.5, 50] } })
    await waitFor(() => expect(candles.update).toHaveBeenLastCalledWith({ time: lastTime / 1000, open: 129, high: 140, low: 128, close: 139.5 }))
    expect(screen.getByTestId('last-price')).toHaveTextContent('139.50')

    stream.send({ type: 'candle', topic: 'market.demo.BTC-USDT.1h', data: [lastTime + HOUR_MS, 139.5, 141, 139, 140.25, 5] })
    await waitFor(() => expect(candles.update).toHaveBeenLastCalledWith(expect.objectContaining({ time: (lastTime + HOUR_MS) / 1000, close: 140.25 })))
    expect(screen.getByTestId('last-price')).toHaveTextContent('140.25')

    // Another market's candle is ignored.
    stream.send({ type: 'candle', topic: 'market.binance.ETH-USDT.1h', data: [lastTime + 2 * HOUR_MS, 1, 1, 1, 1, 1] })
    expect(screen.getByTestId('last-price')).toHaveTextContent('140.25')
  })

  it('test_live_signal_appears_as_latest_and_as_marker', async () => {
    const stored = [makeSignal()]
    mockBackend({ 'GET /api/signals/': () => jsonResponse(page(stored)) })
    const { stream } = await renderPage(<DashboardPage />)
    await screen.findByTestId('last-price')
    stream.open()
    const created = makeSignal({ id: 2, action: 'SELL', probabilities: { BUY: 0.1, HOLD: 0.2, SELL: 0.7 }, confidence: 0.7, open_time: new Date(T0 + 25 * HOUR_MS).toISOString() })
    stored.unshift(created)
    stream.send({
      type: 'signal',
      topic: 'market.demo.BTC-USDT.1h',
      data: { ...makeSignal({ action: 'SELL', probabilities: { BUY: 0.1, HOLD: 0.2, SELL: 0.7 }, confidence: 0.7 }), id: undefined, explanation: undefined, open_time: T0 + 25 * HOUR_MS },
      id: 2,
    })

    const panel = screen.getByTestId('signal-panel')
    await within(panel).findByText('SELL')
    expect(markerApi().setMarkers.mock.lastCall?.[0]).toHaveLength(2)
  })

  it('test_pointing_at_a_marker_shows_that_signal_and_the_candle_values', async () => {
    const user = userEvent.setup()
    const older = makeSignal({ id: 1, action: 'BUY', confidence: 0.62 })
    const newer = makeSignal({ id: 2, action: 'SELL', confidence: 0.7, probabilities: { BUY: 0.1, HOLD: 0.2, SELL: 0.7 }, open_time: new Date(T0 + 25 * HOUR_MS).toISOString() })
    mockBackend({ 'GET /api/signals/': () => jsonResponse(page([newer, older])) })
    await renderPage(<DashboardPage />)
    const panel = await screen.findByTestId('signal-panel')
    await within(panel).findByText('SELL')
    const chart = vi.mocked(createChart).mock.results.at(-1)?.value as { subscribeCrosshairMove: ReturnType<typeof vi.fn>; subscribeClick: ReturnType<typeof vi.fn> }
    const move = chart.subscribeCrosshairMove.mock.lastCall?.[0] as (param: { time?: number }) => void
    const click = chart.subscribeClick.mock.lastCall?.[0] as (param: { time?: number }) => void
    const olderTime = (T0 + 20 * HOUR_MS) / 1000

    act(() => move({ time: olderTime }))
    expect(within(panel).getByRole('heading', { name: 'Selected signal' })).toBeInTheDocument()
    expect(within(panel).getByText('BUY')).toBeInTheDocument()
    // The OHLC readout follows the pointer: candle 20 opened at 120.
    expect(screen.getByText('O 120.00')).toBeInTheDocument()

    act(() => move({}))
    expect(within(panel).getByRole('heading', { name: 'Latest signal' })).toBeInTheDocument()

    act(() => click({ time: olderTime }))
    act(() => move({}))
    expect(within(panel).getByText('BUY')).toBeInTheDocument()
    await user.click(within(panel).getByRole('button', { name: 'Back to the latest signal' }))
    expect(within(panel).getByText('SELL')).toBeInTheDocument()

    // Without a pointer (keyboard, phone): step through the signals.
    expect(within(panel).getByRole('button', { name: 'Newer signal' })).toBeDisabled()
    await user.click(within(panel).getByRole('button', { name: 'Older signal' }))
    expect(within(panel).getByText('BUY')).toBeInTheDocument()
    expect(within(panel).getByRole('button', { name: 'Older signal' })).toBeDisabled()
    await user.click(within(panel).getByRole('button', { name: 'Newer signal' }))
    expect(within(panel).getByText('SELL')).toBeInTheDocument()
  })

  it('test_timeframe_change_is_kept_in_the_url_and_loads_those_candles', async () => {
    const user = userEvent.setup()
    const backend = mockBackend()
    await renderPage(<DashboardPage />)
    await screen.findByTestId('last-price')

    await user.selectOptions(screen.getByLabelText('Timeframe'), '4h')

    expect(new URLSearchParams(window.location.search).get('tf')).toBe('4h')
    await waitFor(() => expect(backend.requests.some((request) => request.url.includes('timeframe=4h'))).toBe(true))
  })

  it('test_no_markets_explains_what_to_do', async () => {
    mockBackend({ 'GET /api/markets/': () => jsonResponse(page([])) })
    await renderPage(<DashboardPage />)
    expect(await screen.findByText(/no markets are configured yet/i)).toBeInTheDocument()
  })

  it('test_candle_failure_shows_the_reason_and_a_retry', async () => {
    let calls = 0
    mockBackend({
      'GET /api/candles/': () => {
        calls += 1
        return calls === 1 ? jsonResponse({ detail: 'Unknown market.' }, 404) : jsonResponse({ candles: candleRows(3), next: null })
      },
    })
    const user = userEvent.setup()
    await renderPage(<DashboardPage />)

    const alert = await screen.findByText(/candles could not be loaded/i)
    expect(alert.closest('[role="alert"]')).toHaveTextContent('Unknown market.')
    await user.click(within(alert.closest('[role="alert"]') as HTMLElement).getByRole('button', { name: 'Try again' }))
    expect(await screen.findByTestId('last-price')).toHaveTextContent('103.00')
  })
})
