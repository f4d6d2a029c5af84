import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { ModelsPage } from '@/features/models/pages/models-page'
import { mockBackend, page } from '@/test/fixtures'
import { jsonResponse } from '@/test/render'
import { renderPage } from '@/test/render-page'

describe('ModelsPage', () => {
  it('test_champion_is_marked_and_shown_first_with_folds_and_importance', async () => {
    mockBackend()
    await renderPage(<ModelsPage />)

    const registry = await screen.findByRole('list', { name: 'Models' })
    const champion = within(registry).getByRole('button', { name: /#7/ })
    expect(champion).toHaveAttribute('aria-pressed', 'true')
    expect(champion).toHaveTextContent('★ Champion')
    expect(within(registry).getByRole('button', { name: /#3/ })).toHaveTextContent('Retired')

    const folds = await screen.findByRole('table', { name: 'Fold metrics' })
    const rows = within(folds).getAllByRole('row')
    expect(rows).toHaveLength(3)
    expect(within(rows[0] as HTMLElement).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual([
      'Fold',
      'Test start',
      'Test end',
      'Test rows',
      'Log loss',
      'Prior log loss',
      'Log loss skill',
      'Accuracy',
      'Macro f1',
    ])
    expect(rows[1]).toHaveTextContent('41.0 %')
    const importance = screen.getByRole('list', { name: 'Feature importance' })
    expect(within(importance).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['Rsi 1450.0 %', 'Ret 2430.0 %', 'Atr 1420.0 %'])
  })

  it('test_selecting_another_model_loads_its_details', async () => {
    const user = userEvent.setup()
    const backend = mockBackend()
    await renderPage(<ModelsPage />)
    await user.click(await screen.findByRole('button', { name: /#3/ }))
    expect(await screen.findByRole('heading', { name: /Model #3/ })).toBeInTheDocument()
    expect(backend.requests.some((request) => request.url === '/api/models/3/')).toBe(true)
  })

  it('test_empty_registry_explains_when_models_appear', async () => {
    mockBackend({ 'GET /api/models/': () => jsonResponse(page([])) })
    await renderPage(<ModelsPage />)
    expect(await screen.findByText(/no models are trained yet/i)).toBeInTheDocument()
  })

  it('test_champion_shows_its_skill_against_baselines_and_reliability', async () => {
    mockBackend()
    await renderPage(<ModelsPage />)
    expect(await screen.findByText('Passed every skill check out of sample.')).toBeInTheDocument()
    const stats = screen.getByLabelText('Skill against baselines')
    expect(stats).toHaveTextContent('Log loss (prior)1.03(1.05)')
    expect(stats).toHaveTextContent('Random entries percentile97.5of 500 draws')
    expect(stats).toHaveTextContent('Deflated Sharpe0.9720 trial(s)')
    expect(stats).toHaveTextContent('Overfitting probability (PBO)0.31')
    const chart = screen.getByRole('img', { name: /Reliability diagram/ })
    expect(chart.querySelectorAll('[data-class="BUY"] circle')).toHaveLength(2)
    expect(chart.querySelectorAll('[data-class="HOLD"] circle')).toHaveLength(1)
  })

  it('test_a_model_that_failed_the_checks_says_why_it_is_not_champion', async () => {
    const user = userEvent.setup()
    mockBackend()
    await renderPage(<ModelsPage />)
    await user.click(await screen.findByRole('button', { name: /#3/ }))
    const reasons = await screen.findByRole('list', { name: 'Why not champion' })
    expect(within(reasons).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'net return -2.00% does not beat buy-and-hold +5.00%',
      'Deflated Sharpe 0.310 over 20 configuration(s) is below 0.95',
    ])
  })

  it('test_search_form_queues_a_search_and_follows_its_progress', async () => {
    const user = userEvent.setup()
    const backend = mockBackend({
      'POST /api/models/tune/': () =>
        jsonResponse({ exchange: 'demo', symbol: 'BTC/USDT', timeframe: '1h', trials: 20, horizon: 4, folds: 5, study: 'signals:demo:BTC/USDT:1h:h4:f5', queue: 'ml' }, 202),
    })
    const { stream } = await renderPage(<ModelsPage />)
    stream.open()
    await screen.findByDisplayValue('BTC/USDT') // the form takes the shown model's market
    const form = screen.getByRole('form', { name: 'Search hyperparameters' })
    const trials = within(form).getByLabelText('Trials')
    await user.clear(trials)
    await user.type(trials, '20')
    await user.click(within(form).getByRole('button', { name: 'Start search' }))
    expect(await within(form).findByText(/Queued on the ml queue as study signals:demo:BTC\/USDT:1h:h4:f5/)).toBeInTheDocument()
    const posted = backend.requests.find((request) => request.url === '/api/models/tune/')
    expect(posted?.body).toEqual({ exchange: 'demo', symbol: 'BTC/USDT', timeframe: '1h', trials: 20 })

    stream.send({ type: 'model_tuning', data: { exchange: 'demo', symbol: 'BTC/USDT', timeframe: '1h', state: 'running', done: 3, total: 20, best_score: -0.0123 } })
    expect(await within(form).findByText('Trial 3 of 20 · best walk-forward score -0.0123')).toBeInTheDocument()
    stream.send({ type: 'model_tuning', data: { exchange: 'demo', symbol: 'BTC/USDT', timeframe: '1h', state: 'done', model_version: 9, status: 'candidate', reasons: ['log loss is not below the prior'] } })
    expect(await within(form).findByText('Search done: model #9 registered as candidate.')).toBeInTheDocument()
    expect(within(form).getByText('log loss is not below the prior')).toBeInTheDocument()
  })

  it('test_search_form_shows_the_field_the_server_refused', async () => {
    const user = userEvent.setup()
    mockBackend({
      'POST /api/models/tune/': () => jsonResponse({ code: 'tune_request_invalid', message: 'demo BTC/USDT has no 4h candles configured (it has 1h)', field: 'timeframe', fields: {} }, 400),
    })
    await renderPage(<ModelsPage />)
    await screen.findByDisplayValue('BTC/USDT') // the form takes the shown model's market
    const form = screen.getByRole('form', { name: 'Search hyperparameters' })
    const timeframe = within(form).getByLabelText('Timeframe')
    await user.clear(timeframe)
    await user.type(timeframe, '4h')
    await user.click(within(form).getByRole('button', { name: 'Start search' }))
    expect(await within(form).findByText('demo BTC/USDT has no 4h candles configured (it has 1h)')).toBeInTheDocument()
    expect(timeframe).toHaveAttribute('aria-invalid', 'true')
  })
})
