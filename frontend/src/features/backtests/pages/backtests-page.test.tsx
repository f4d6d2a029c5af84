import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { BacktestsPage } from '@/features/backtests/pages/backtests-page'
import { makeBacktest, mockBackend, page } from '@/test/fixtures'
import { jsonResponse } from '@/test/render'
import { renderPage } from '@/test/render-page'

function errorOf(label: string | RegExp): string {
  const input = screen.getByLabelText(label)
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ')
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ')
}

async function fillValidForm(user: ReturnType<typeof userEvent.setup>) {
  await screen.findByRole('option', { name: 'BTC/USDT · demo' })
  await user.clear(screen.getByLabelText('Start date (UTC)'))
  await user.type(screen.getByLabelText('Start date (UTC)'), '2026-08-01')
  await user.clear(screen.getByLabelText('End date (UTC)'))
  await user.type(screen.getByLabelText('End date (UTC)'), '2026-11-01')
}

describe('BacktestsPage', () => {
  it('test_bad_input_shows_messages_beside_fields_and_sends_nothing', async () => {
    const user = userEvent.setup()
    const backend = mockBackend()
    await renderPage(<BacktestsPage />, { path: '/backtests' })
    await fillValidForm(user)

    await user.clear(screen.getByLabelText('Fee per trade (%)'))
    await user.type(screen.getByLabelText('Fee per trade (%)'), 'abc')
    await user.clear(screen.getByLabelText('End date (UTC)'))
    await user.type(screen.getByLabelText('End date (UTC)'), '2026-07-01')
    await user.type(screen.getByLabelText('Stop loss (%)'), '200')
    await user.click(screen.getByRole('button', { name: 'Run backtest' }))

    expect(errorOf('Fee per trade (%)')).toMatch(/must be a number/)
    expect(errorOf('End date (UTC)')).toMatch(/after the start date/)
    expect(errorOf('Stop loss (%)')).toMatch(/between 0 and 100/)
    expect(screen.getByLabelText('Fee per trade (%)')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('End date (UTC)')).toHaveFocus()
    expect(backend.requests.some((request) => request.method === 'POST')).toBe(false)
  })

  it('test_server_field_errors_are_shown_beside_the_matching_fields', async () => {
    const user = userEvent.setup()
    mockBackend({ 'POST /api/backtests/': () => jsonResponse({ fee: ['Ensure this value is less than or equal to 0.1.'], stops: { stop_loss: ['Ensure this value is less than or equal to 1.'] }, start: ['12 stored 1h candles of demo BTC/USDT'] }, 400) })
    await renderPage(<BacktestsPage />, { path: '/backtests' })
    await fillValidForm(user)

    await user.click(screen.getByRole('button', { name: 'Run backtest' }))

    await waitFor(() => expect(errorOf('Fee per trade (%)')).toMatch(/less than or equal to 0.1/))
    expect(errorOf('Stop loss (%)')).toMatch(/less than or equal to 1/)
    expect(errorOf('Start date (UTC)')).toMatch(/12 stored 1h candles/)
  })

  it('test_the_error_shape_marks_the_fields_it_names', async () => {
    const user = userEvent.setup()
    mockBackend({
      'POST /api/backtests/': () =>
        jsonResponse(
          {
            code: 'validation_error',
            message: 'fee: Ensure this value is less than or equal to 0.1.',
            field: 'fee',
            fields: { fee: ['Ensure this value is less than or equal to 0.1.'], 'stops.stop_loss': ['Ensure this value is less than or equal to 1.'] },
          },
          400,
        ),
    })
    await renderPage(<BacktestsPage />, { path: '/backtests' })
    await fillValidForm(user)

    await user.click(screen.getByRole('button', { name: 'Run backtest' }))

    await waitFor(() => expect(errorOf('Fee per trade (%)')).toMatch(/less than or equal to 0.1/))
    expect(screen.getByLabelText('Fee per trade (%)')).toHaveAttribute('aria-invalid', 'true')
    expect(errorOf('Stop loss (%)')).toMatch(/less than or equal to 1/)
  })

  it('test_a_project_error_naming_one_field_marks_that_field', async () => {
    const user = userEvent.setup()
    mockBackend({
      'POST /api/backtests/': () => jsonResponse({ code: 'not_enough_candles', message: 'Only 12 stored 1h candles of demo BTC/USDT in this range.', field: 'start', fields: {} }, 400),
    })
    await renderPage(<BacktestsPage />, { path: '/backtests' })
    await fillValidForm(user)

    await user.click(screen.getByRole('button', { name: 'Run backtest' }))

    await waitFor(() => expect(errorOf('Start date (UTC)')).toMatch(/Only 12 stored 1h candles/))
    expect(screen.getByLabelText('Start date (UTC)')).toHaveAttribute('aria-invalid', 'true')
  })

  it('test_double_click_submits_once_then_live_progress_and_result', async () => {
    const user = userEvent.setup()
    let release: ((response: Response) => void) | undefined
    let backtest = makeBacktest({ id: 12, status: 'running', progress: 0, metrics: {}, equity_curve: [], trades: [] })
    const backend = mockBackend({
      'POST /api/backtests/': () => new Promise<Response>((resolve) => (release = resolve)),
      'GET /api/backtests/12/': () => jsonResponse(backtest),
    })
    const { stream } = await renderPage(<BacktestsPage />, { path: '/backtests' })
    stream.open()
    await fillValidForm(user)

    const submit = screen.getByRole('button', { name: 'Run backtest' })
    await user.dblClick(submit)
    await user.click(submit)
    release?.(jsonResponse(backtest, 201))

    await waitFor(() => expect(window.location.search).toBe('?run=12'))
    const posts = backend.requests.filter((request) => request.method === 'POST')
    expect(posts).toHaveLength(1)
    expect(posts[0]?.body).toEqual({
      exchange: 'demo',
      symbol: 'BTC/USDT',
      timeframe: '1h',
      strategy: 'sma_cross',
      params: { fast: 20, slow: 50 },
      start: '2026-08-01T00:00:00Z',
      end: '2026-11-01T00:00:00Z',
      fee: 0.001,
      slippage_bps: 5,
      initial_cash: 10_000,
      stops: { stop_loss: null, take_profit: null, trailing_stop: null },
    })

    // Progress arrives on the user's stream group.
    stream.send({ type: 'backtest', topic: 'user.1', id: 12, data: { id: 12, status: 'running', progress: 0.4 } })
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Backtest #12 progress' })).toHaveAttribute('value', '40'))

    backtest = makeBacktest({ id: 12 })
    stream.send({ type: 'backtest', topic: 'user.1', id: 12, data: { id: 12, status: 'done', progress: 1 } })

    expect(await screen.findByText('Backtest #12 finished')).toBeInTheDocument()
    const equity = await screen.findByRole('figure', { name: 'Equity curve of backtest 12' })
    expect(equity).toHaveAttribute('data-points', '4')
    expect(screen.getByRole('figure', { name: 'Drawdown of backtest 12' })).toBeInTheDocument()
    expect(within(screen.getByLabelText('Metrics of backtest 12')).getByText('Total return').nextSibling).toHaveTextContent('+12.50 %')
    const trades = within(screen.getByRole('table', { name: 'Trades' })).getAllByRole('row')
    expect(trades).toHaveLength(3)
    expect(trades[2]).toHaveTextContent('Stop loss')
  })

  it('test_failed_run_says_why', async () => {
    mockBackend({ 'GET /api/backtests/11/': () => jsonResponse(makeBacktest({ status: 'failed', error: 'No candles between these dates.', metrics: {} })) })
    await renderPage(<BacktestsPage />, { path: '/backtests?run=11' })
    expect(await screen.findByText('No candles between these dates.')).toBeInTheDocument()
  })

  it('test_selected_runs_are_compared_side_by_side', async () => {
    const user = userEvent.setup()
    const first = makeBacktest({ id: 11 })
    const second = makeBacktest({ id: 13, config: { ...makeBacktest().config, strategy: 'rsi_bands' }, metrics: { total_return: 0.3, max_drawdown: -0.2, sharpe: 0.9, trades: 5, win_rate: 0.6 } })
    const backend = mockBackend({
      'GET /api/backtests/': () => jsonResponse(page([first, second])),
      'GET /api/backtests/compare/': () => jsonResponse({ runs: [first, second] }),
    })
    await renderPage(<BacktestsPage />, { path: '/backtests' })

    const compare = await screen.findByRole('button', { name: 'Compare selected (0)' })
    expect(compare).toBeDisabled()
    await user.click(await screen.findByRole('checkbox', { name: 'Select backtest 11 for comparison' }))
    await user.click(screen.getByRole('checkbox', { name: 'Select backtest 13 for comparison' }))
    await user.click(screen.getByRole('button', { name: 'Compare selected (2)' }))

    const table = await screen.findByRole('table', { name: 'Metrics side by side' })
    expect(backend.requests.some((request) => request.url === '/api/backtests/compare/?ids=11,13')).toBe(true)
    const totalReturn = within(table).getByRole('row', { name: /total return/i })
    expect(within(totalReturn).getAllByRole('cell')[1]).toHaveTextContent('+30.00 % (best)')
    const drawdown = within(table).getByRole('row', { name: /max drawdown/i })
    expect(within(drawdown).getAllByRole('cell')[0]).toHaveTextContent('(best)')
    expect(screen.getByRole('figure', { name: 'Returns of backtests 11, 13' })).toHaveAttribute('data-points', '8')
  })
})

describe('BacktestsPage strategies', () => {
  it('test_only_models_of_the_chosen_market_and_timeframe_are_offered', async () => {
    const user = userEvent.setup()
    const backend = mockBackend({ 'POST /api/backtests/': () => jsonResponse(makeBacktest({ id: 20, status: 'queued' }), 201), 'GET /api/backtests/20/': () => jsonResponse(makeBacktest({ id: 20, status: 'queued' })) })
    await renderPage(<BacktestsPage />, { path: '/backtests' })
    await fillValidForm(user)
    const strategy = screen.getByLabelText('Strategy')
    // Model 7 serves demo BTC/USDT 1h; model 3 (same fixture market) too.
    await within(strategy).findByRole('option', { name: /Model #7 \(champion\)/ })

    await user.selectOptions(screen.getByLabelText('Timeframe'), '4h')
    expect(within(strategy).queryByRole('option', { name: /Model #7/ })).not.toBeInTheDocument()
    await user.selectOptions(screen.getByLabelText('Timeframe'), '1h')
    await user.selectOptions(strategy, 'model:7')
    expect(screen.queryByLabelText('Fast SMA (candles)')).not.toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Run backtest' }))

    await waitFor(() => expect(backend.requests.some((request) => request.method === 'POST')).toBe(true))
    expect(backend.requests.find((request) => request.method === 'POST')?.body).toMatchObject({ strategy: 'model:7', params: {}, timeframe: '1h' })
  })
})
