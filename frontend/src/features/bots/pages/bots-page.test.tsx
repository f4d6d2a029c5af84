import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { Bot } from '@/features/bots/api/types'
import { BotsPage } from '@/features/bots/pages/bots-page'
import { KILL_SWITCHES, makeAccount, makeBot, makeOrder, makeTick, mockBackend, page } from '@/test/fixtures'
import { jsonResponse, type RecordedRequest } from '@/test/render'
import { renderPage } from '@/test/render-page'

const RUNNING = makeBot()
const HALTED = makeBot({ id: 4, name: 'Mean ETH', symbol: 'ETH/USDT', state: 'halted', state_reason: 'daily loss limit 5% reached (-5.3%)', position: null, equity: 947 })
const LIVE = makeBot({ id: 5, name: 'Live BTC', account: { kind: 'live', id: 8, label: 'Binance live' }, mode: 'live', state: 'stopped', exchange: 'binance', position: null })

function botsRoutes(bots: Bot[] = [RUNNING, HALTED]) {
  return {
    'GET /api/bots/': () => jsonResponse(page(bots)),
    'GET /api/bots/3/': () => jsonResponse(bots.find((bot) => bot.id === 3) ?? RUNNING),
    'GET /api/bots/3/ticks/': () => jsonResponse(page([makeTick(), makeTick({ id: 69, candle_time: '2026-11-20T09:00:00Z', outcome: 'no_order', reason: 'already at the target', order: null, checks: [] })])),
    'GET /api/orders/': (request: RecordedRequest) => {
      const bot = new URL(request.url, 'http://app.test').searchParams.get('bot')
      return jsonResponse(page(bot === '3' ? [makeOrder({ bot: 3 })] : []))
    },
  }
}

function posts(requests: readonly RecordedRequest[], path: string): RecordedRequest[] {
  return requests.filter((request) => request.method === 'POST' && request.url === path)
}

describe('BotsPage', () => {
  it('test_list_shows_mode_and_state_with_the_halt_reason_and_a_bot_shows_ticks_checks_and_orders', async () => {
    const user = userEvent.setup()
    const backend = mockBackend(botsRoutes())
    await renderPage(<BotsPage />, { path: '/bots' })

    const list = await screen.findByRole('list', { name: 'Your bots' })
    const items = within(list).getAllByRole('listitem')
    expect(items).toHaveLength(2)
    expect(within(items[0] as HTMLElement).getByText('Paper')).toBeInTheDocument()
    expect(within(items[0] as HTMLElement).getByText('Running')).toBeInTheDocument()
    expect(within(items[1] as HTMLElement).getByText('Halted')).toBeInTheDocument()
    expect(within(items[1] as HTMLElement).getByText('Halted: daily loss limit 5% reached (-5.3%)')).toBeInTheDocument()

    await user.click(within(list).getByRole('button', { name: /^Open bot\s*Trend BTC/ }))

    expect(window.location.search).toBe('?bot=3')
    const detail = await screen.findByRole('region', { name: 'Bot Trend BTC' })
    const ticks = await within(detail).findByRole('table', { name: 'Decisions' })
    expect(within(ticks).getByText(/Pass · Max position/)).toBeInTheDocument()
    expect(within(ticks).getByText(/Fail · Orders per hour/)).toBeInTheDocument()
    expect(within(ticks).getByText(': 3 orders in the last hour, limit 3')).toBeInTheDocument()
    expect(within(ticks).getByText('already at the target')).toBeInTheDocument()
    const orders = await within(detail).findByRole('table', { name: 'Orders of Trend BTC' })
    expect(within(orders).getAllByRole('row')).toHaveLength(2)
    expect(backend.requests.some((request) => request.url.startsWith('/api/orders/?') && request.url.includes('bot=3'))).toBe(true)
    expect(within(detail).getByText('1,011.50')).toBeInTheDocument()
    expect(within(detail).getByText('+11.50')).toBeInTheDocument()
  })

  it('test_create_checks_fields_first_then_shows_the_servers_field_error_on_its_field', async () => {
    const user = userEvent.setup()
    let accept = false
    const created = makeBot({ id: 9, name: 'Swing', state: 'stopped', position: null, equity: null })
    const backend = mockBackend({
      ...botsRoutes(),
      'GET /api/bots/9/': () => jsonResponse(created),
      'GET /api/bots/9/ticks/': () => jsonResponse(page([])),
      'POST /api/bots/': () =>
        accept
          ? jsonResponse(created, 201)
          : jsonResponse(
              { code: 'validation_error', message: 'stop_loss must be a fraction in (0, 1), got 0.9999999', field: 'risk_profile.stop_loss', fields: { 'risk_profile.stop_loss': ['stop_loss must be a fraction in (0, 1), got 0.9999999'] } },
              400,
            ),
    })
    await renderPage(<BotsPage />, { path: '/bots' })
    await user.click(await screen.findByRole('button', { name: 'New bot' }))
    const form = screen.getByRole('form', { name: 'New bot' })
    await waitFor(() => expect(within(form).getByLabelText('Market')).toHaveValue('1'))

    // Client-side checks: no request while a field is wrong.
    await user.clear(within(form).getByLabelText('Slow SMA (candles)'))
    await user.type(within(form).getByLabelText('Slow SMA (candles)'), '10')
    await user.type(within(form).getByLabelText('Max drawdown'), '1.5')
    await user.click(within(form).getByRole('button', { name: 'Create bot' }))
    expect(within(form).getByLabelText('Name')).toHaveAccessibleDescription('Give the bot a name of 1 to 64 characters.')
    expect(within(form).getByLabelText('Fast SMA (candles)')).toHaveAccessibleDescription('The fast SMA must be shorter than the slow one.')
    expect(within(form).getByLabelText('Max drawdown')).toHaveAttribute('aria-invalid', 'true')
    expect(within(form).getByLabelText('Name')).toHaveFocus()
    expect(posts(backend.requests, '/api/bots/')).toHaveLength(0)

    await user.type(within(form).getByLabelText('Name'), 'Swing')
    await user.clear(within(form).getByLabelText('Slow SMA (candles)'))
    await user.type(within(form).getByLabelText('Slow SMA (candles)'), '50')
    await user.clear(within(form).getByLabelText('Max drawdown'))
    await user.type(within(form).getByLabelText('Max drawdown'), '0.2')
    await user.type(within(form).getByLabelText('Stop-loss'), '0.9999999')
    await user.click(within(form).getByRole('button', { name: 'Create bot' }))

    const stop = within(form).getByLabelText('Stop-loss')
    await waitFor(() => expect(stop).toHaveAttribute('aria-invalid', 'true'))
    expect(stop).toHaveAccessibleDescription(/stop_loss must be a fraction in \(0, 1\)/)
    expect(posts(backend.requests, '/api/bots/')[0]?.body).toMatchObject({
      name: 'Swing',
      market: 1,
      timeframe: '1h',
      strategy: 'rule',
      rule_name: 'sma_cross',
      rule_params: { fast: 20, slow: 50 },
      capital: '1000',
      risk_profile: { max_position: 1, max_drawdown: 0.2, stop_loss: 0.9999999, take_profit: null },
    })
    expect(posts(backend.requests, '/api/bots/')[0]?.body).not.toHaveProperty('paper_account')

    accept = true
    await user.clear(stop)
    await user.type(stop, '0.05')
    await user.click(within(form).getByRole('button', { name: 'Create bot' }))
    expect(await screen.findByText('Bot Swing created')).toBeInTheDocument()
    await waitFor(() => expect(window.location.search).toBe('?bot=9'))
  })

  it('test_start_then_kill_with_a_confirmation_shows_the_bot_halted', async () => {
    const user = userEvent.setup()
    let bot = makeBot({ state: 'stopped' })
    const backend = mockBackend({
      ...botsRoutes(),
      'GET /api/bots/': () => jsonResponse(page([bot])),
      'GET /api/bots/3/': () => jsonResponse(bot),
      'POST /api/bots/3/start/': () => {
        bot = { ...bot, state: 'running' }
        return jsonResponse(bot)
      },
      'POST /api/bots/3/kill/': () => {
        bot = { ...bot, state: 'halted', state_reason: 'killed: test run' }
        return jsonResponse(bot)
      },
    })
    await renderPage(<BotsPage />, { path: '/bots?bot=3' })
    const detail = await screen.findByRole('region', { name: 'Bot Trend BTC' })

    await user.click(within(detail).getByRole('button', { name: 'Start' }))
    expect(await within(detail).findByRole('button', { name: 'Pause' })).toBeInTheDocument()
    expect(posts(backend.requests, '/api/bots/3/start/')).toHaveLength(1)

    await user.click(within(detail).getByRole('button', { name: 'Kill' }))
    expect(posts(backend.requests, '/api/bots/3/kill/')).toHaveLength(0)
    const confirm = within(detail).getByRole('group', { name: 'Kill Trend BTC' })
    await user.type(within(confirm).getByLabelText('Reason (optional)'), 'test run')
    await user.click(within(confirm).getByRole('button', { name: 'Confirm kill' }))

    expect(await within(detail).findByText('Halted: killed: test run')).toBeInTheDocument()
    expect(posts(backend.requests, '/api/bots/3/kill/')[0]?.body).toEqual({ reason: 'test run', cancel_orders: true, close_position: false })
    expect(within(screen.getByRole('list', { name: 'Your bots' })).getByText('Halted')).toBeInTheDocument()
  })

  it('test_live_opt_in_needs_the_bots_name_typed_and_is_offered_only_for_live_accounts', async () => {
    const user = userEvent.setup()
    const backend = mockBackend({
      ...botsRoutes([RUNNING, LIVE]),
      'GET /api/bots/5/': () => jsonResponse(LIVE),
      'GET /api/bots/5/ticks/': () => jsonResponse(page([])),
      'GET /api/exchange-accounts/': () => jsonResponse(page([makeAccount({ id: 8, label: 'Binance live', mode: 'live' })])),
      'POST /api/bots/5/live-opt-in/': () => jsonResponse({ code: 'live_trading_disabled', message: 'Live trading is turned off on this server.', field: null, fields: {} }, 403),
    })
    const { router } = await renderPage(<BotsPage />, { path: '/bots?bot=3' })
    const paperDetail = await screen.findByRole('region', { name: 'Bot Trend BTC' })
    expect(within(paperDetail).queryByRole('form', { name: 'Live trading opt-in' })).not.toBeInTheDocument()

    await router.navigate({ to: '/bots', search: { bot: 5 } })
    const detail = await screen.findByRole('region', { name: 'Bot Live BTC' })
    expect(within(detail).getByText('LIVE')).toBeInTheDocument()
    const form = within(detail).getByRole('form', { name: 'Live trading opt-in' })
    await user.type(within(form).getByLabelText('Type Live BTC to confirm'), 'live btc')
    await user.click(within(form).getByRole('button', { name: 'Opt in to live trading' }))
    expect(within(form).getByLabelText('Type Live BTC to confirm')).toHaveAccessibleDescription('Type Live BTC exactly to trade real money with this bot.')
    expect(posts(backend.requests, '/api/bots/5/live-opt-in/')).toHaveLength(0)

    await user.clear(within(form).getByLabelText('Type Live BTC to confirm'))
    await user.type(within(form).getByLabelText('Type Live BTC to confirm'), 'Live BTC')
    await user.click(within(form).getByRole('button', { name: 'Opt in to live trading' }))

    await waitFor(() => expect(within(form).getByLabelText('Type Live BTC to confirm')).toHaveAccessibleDescription('Live trading is turned off on this server.'))
    expect(posts(backend.requests, '/api/bots/5/live-opt-in/')[0]?.body).toEqual({ confirmation: 'Live BTC' })
  })

  it('test_stop_all_my_bots_asks_first_then_sets_the_users_kill_switch', async () => {
    const user = userEvent.setup()
    let switches = KILL_SWITCHES
    const backend = mockBackend({
      ...botsRoutes(),
      'GET /api/kill-switches/': () => jsonResponse(switches),
      'POST /api/kill-switches/': () => {
        switches = switches.map((item) => (item.scope === 'user' ? { ...item, active: true } : item))
        return jsonResponse(switches[1])
      },
    })
    await renderPage(<BotsPage />, { path: '/bots' })

    await user.click(await screen.findByRole('button', { name: 'Stop all my bots' }))
    expect(posts(backend.requests, '/api/kill-switches/')).toHaveLength(0)
    await user.click(screen.getByRole('button', { name: 'Confirm: stop all my bots' }))

    expect(await screen.findByText('Your kill switch is on: none of your bots sends orders.')).toBeInTheDocument()
    expect(posts(backend.requests, '/api/kill-switches/')[0]?.body).toEqual({ scope: 'user', active: true, cancel_orders: true, close_positions: false })
    expect(screen.getByRole('button', { name: 'Lift my kill switch' })).toBeInTheDocument()
  })

  it('test_bot_order_and_fill_stream_messages_refresh_the_bots_and_a_halt_raises_a_toast', async () => {
    const backend = mockBackend(botsRoutes())
    const { stream } = await renderPage(<BotsPage />, { path: '/bots?bot=3' })
    await screen.findByRole('region', { name: 'Bot Trend BTC' })
    stream.open()
    const count = (path: string) => backend.requests.filter((request) => request.url.startsWith(path)).length
    const before = { list: count('/api/bots/?'), detail: count('/api/bots/3/'), orders: count('/api/orders/?') }

    stream.send({ type: 'bot', topic: 'user.1', data: { event: 'halted', bot: HALTED, reason: 'max drawdown 20% reached' } })

    expect(await screen.findByText('Mean ETH halted')).toBeInTheDocument()
    expect(screen.getByText('max drawdown 20% reached')).toBeInTheDocument()
    await waitFor(() => expect(count('/api/bots/?')).toBeGreaterThan(before.list))
    await waitFor(() => expect(count('/api/bots/3/')).toBeGreaterThan(before.detail))

    stream.send({ type: 'order', topic: 'user.1', data: makeOrder({ id: 30, bot: 3, status: 'filled' }) })
    await waitFor(() => expect(count('/api/orders/?')).toBeGreaterThan(before.orders))
  })
})
