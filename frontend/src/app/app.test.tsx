import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from '@/app/app'
import { Toaster } from '@/components/toaster'
import { FakeWebSocket } from '@/test/fake-web-socket'
import { mockBackend } from '@/test/fixtures'
import { jsonResponse, mockApi, renderWithQuery } from '@/test/render'

const USER = { id: 1, username: 'grace', email: 'grace@example.org', is_staff: true }

const HEALTH = {
  status: 'ok',
  mode: 'embedded',
  version: '0.1.0',
  checks: {
    database: { ok: true, detail: 'sqlite' },
    channel_layer: { ok: true, detail: 'in-memory' },
    broker: { ok: true, detail: 'filesystem' },
    worker: { ok: true, detail: 'alive', last_heartbeat: null },
  },
}

function signedInBackend() {
  let signedIn = true
  const backend = mockBackend({
    'GET /api/auth/me/': () => (signedIn ? jsonResponse(USER) : jsonResponse({ detail: 'Authentication credentials were not provided.' }, 403)),
    'POST /api/auth/logout/': () => {
      signedIn = false
      return new Response(null, { status: 204 })
    },
  })
  return backend
}

function renderApp() {
  return renderWithQuery(
    <>
      <App />
      <Toaster />
    </>,
  )
}

beforeEach(() => {
  FakeWebSocket.reset()
  vi.stubGlobal('WebSocket', FakeWebSocket)
})

describe('App', () => {
  it('test_visitor_without_session_gets_the_login_page_and_keeps_the_requested_path', async () => {
    // given: Django answers 403 to /api/auth/me/ without a session
    window.history.replaceState(null, '', '/signals')
    mockApi({ 'GET /api/auth/me/': () => jsonResponse({ detail: 'Authentication credentials were not provided.' }, 403) })

    renderApp()

    expect(await screen.findByRole('heading', { name: 'Sign in to your account' })).toBeInTheDocument()
    await waitFor(() => expect(window.location.pathname).toBe('/login'))
    expect(new URLSearchParams(window.location.search).get('next')).toBe('/signals')
    expect(FakeWebSocket.instances).toHaveLength(0)
  })

  it('test_401_is_treated_as_signed_out_too', async () => {
    mockApi({ 'GET /api/auth/me/': () => jsonResponse({ detail: 'Not authenticated.' }, 401) })

    renderApp()

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument()
  })

  it('test_signing_in_opens_the_requested_page_in_the_shell', async () => {
    const user = userEvent.setup()
    window.history.replaceState(null, '', '/login?next=%2Fbacktests')
    document.cookie = 'csrftoken=abc; path=/'
    let signedIn = false
    mockBackend({
      'GET /api/auth/me/': () => (signedIn ? jsonResponse(USER) : jsonResponse({ detail: 'Authentication credentials were not provided.' }, 403)),
      'POST /api/auth/login/': () => {
        signedIn = true
        return jsonResponse(USER)
      },
    })
    renderApp()

    await user.type(await screen.findByLabelText('Username'), 'grace')
    await user.type(screen.getByLabelText('Password'), 'hopper')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('heading', { level: 1, name: 'Backtests' })).toBeInTheDocument()
    expect(window.location.pathname).toBe('/backtests')
    expect(screen.getByRole('heading', { level: 2, name: 'New backtest' })).toBeInTheDocument()
    expect(FakeWebSocket.latest().url).toBe(`ws://${window.location.host}/ws/stream/`)
  })

  it('test_shell_has_header_connection_indicator_navigation_and_health', async () => {
    signedInBackend()
    renderApp()

    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument()
    expect(screen.getByRole('banner')).toHaveTextContent('Quantum Trader')
    expect(screen.getByRole('status', { name: /live data connection/i })).toHaveAttribute('data-state', 'connecting')
    expect(await screen.findByText('All systems operational')).toBeInTheDocument()

    const nav = screen.getByRole('navigation', { name: 'Main' })
    for (const label of ['Dashboard', 'Signals', 'Sentiment', 'Backtests', 'Models', 'Bots', 'Orders', 'Trades', 'Settings']) {
      expect(within(nav).getByRole('link', { name: label })).toBeInTheDocument()
    }
    expect(within(nav).getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page')
    expect(within(nav).queryByText(/Soon/)).not.toBeInTheDocument()
    // The user is staff: the header offers the global kill switch.
    expect(within(screen.getByRole('banner')).getByRole('button', { name: 'Global kill switch' })).toBeInTheDocument()
  })

  it('test_navigation_uses_history_api_without_reloading', async () => {
    const user = userEvent.setup()
    signedInBackend()
    renderApp()
    const nav = await screen.findByRole('navigation', { name: 'Main' })

    await user.click(within(nav).getByRole('link', { name: 'Signals' }))

    expect(window.location.pathname).toBe('/signals')
    expect(await screen.findByRole('heading', { level: 1, name: 'Signals' })).toBeInTheDocument()
    expect(screen.getByRole('heading', { level: 2, name: /^Signal feed/ })).toBeInTheDocument()
    expect(within(nav).getByRole('link', { name: 'Signals' })).toHaveAttribute('aria-current', 'page')
    expect(document.title).toBe('Signals · Quantum Trader')

    window.history.back()
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument()
  })

  it('test_phone_menu_toggles_a_top_navigation', async () => {
    const user = userEvent.setup()
    signedInBackend()
    renderApp()
    const toggle = await screen.findByRole('button', { name: 'Open menu' })
    expect(toggle).toHaveAttribute('aria-expanded', 'false')

    await user.click(toggle)

    expect(screen.getByRole('button', { name: 'Close menu' })).toHaveAttribute('aria-expanded', 'true')
    const mobileNav = document.getElementById('mobile-nav')
    if (mobileNav === null) throw new Error('mobile nav not rendered')
    await user.click(within(mobileNav).getByRole('link', { name: 'Models' }))
    expect(window.location.pathname).toBe('/models')
    expect(document.getElementById('mobile-nav')).toBeNull()
  })

  it('test_a_trailing_slash_opens_the_same_page', async () => {
    window.history.replaceState(null, '', '/models/')
    signedInBackend()
    renderApp()

    expect(await screen.findByRole('heading', { level: 1, name: 'Models' })).toBeInTheDocument()
  })

  it('test_orders_opens_from_the_navigation', async () => {
    const user = userEvent.setup()
    signedInBackend()
    renderApp()
    const nav = await screen.findByRole('navigation', { name: 'Main' })

    await user.click(within(nav).getByRole('link', { name: 'Orders' }))

    expect(await screen.findByRole('heading', { level: 1, name: 'Orders' })).toBeInTheDocument()
    expect(window.location.pathname).toBe('/orders')
    expect(within(nav).getByRole('link', { name: 'Orders' })).toHaveAttribute('aria-current', 'page')
  })

  it('test_unknown_path_shows_not_found_inside_the_shell', async () => {
    window.history.replaceState(null, '', '/nowhere')
    signedInBackend()
    renderApp()

    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Back to the dashboard' })).toHaveAttribute('href', '/')
  })

  it('test_sign_out_from_user_menu_returns_to_login_and_closes_the_stream', async () => {
    const user = userEvent.setup()
    const { requests } = signedInBackend()
    renderApp()
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' })
    const socket = FakeWebSocket.latest()
    act(() => socket.serverOpen())
    expect(screen.getByRole('status', { name: /live data connection/i })).toHaveAttribute('data-state', 'open')

    await user.click(screen.getByRole('button', { name: 'Account menu for grace' }))
    const menu = screen.getByRole('menu', { name: 'Account' })
    expect(menu).toHaveTextContent('grace@example.org')
    expect(within(menu).getByRole('menuitem', { name: 'Administration' })).toHaveAttribute('href', '/admin/')
    await user.click(within(menu).getByRole('menuitem', { name: 'Sign out' }))

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument()
    expect(window.location.pathname).toBe('/login')
    expect(window.location.search).toBe('')
    expect(socket.closedByClient).toBe(true)
    expect(screen.queryByText('Live connection lost')).not.toBeInTheDocument()
    const logout = requests.find((request) => request.url === '/api/auth/logout/')
    expect(logout?.headers.get('X-CSRFToken')).toBe('abc')
  })

  it('test_stream_closed_for_a_revoked_session_shows_the_login_page', async () => {
    let signedIn = true
    mockBackend({ 'GET /api/auth/me/': () => (signedIn ? jsonResponse(USER) : jsonResponse({ code: 'not_authenticated', message: 'Authentication credentials were not provided.', field: null, fields: {} }, 401)) })
    renderApp()
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' })
    const socket = FakeWebSocket.latest()
    act(() => socket.serverOpen())

    // given: the session is revoked from another device; the server closes the stream with 4401
    signedIn = false
    act(() => socket.serverDrop(4401))

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument()
    expect(window.location.pathname).toBe('/login')
  })

  it('test_user_menu_closes_with_escape_and_returns_focus', async () => {
    const user = userEvent.setup()
    signedInBackend()
    renderApp()
    const button = await screen.findByRole('button', { name: 'Account menu for grace' })

    await user.click(button)
    expect(within(screen.getByRole('menu')).getByRole('menuitem', { name: 'Administration' })).toHaveFocus()
    await user.keyboard('{ArrowDown}')
    expect(screen.getByRole('menuitem', { name: 'Sign out' })).toHaveFocus()
    await user.keyboard('{Escape}')

    expect(screen.queryByRole('menu')).not.toBeInTheDocument()
    expect(button).toHaveFocus()
  })

  it('test_unreachable_backend_offers_a_retry', async () => {
    let calls = 0
    mockApi({
      'GET /api/auth/me/': () => {
        calls += 1
        if (calls === 1) throw new TypeError('Failed to fetch')
        return jsonResponse(USER)
      },
      'GET /api/health/': () => jsonResponse(HEALTH),
    })
    const user = userEvent.setup()
    renderApp()

    expect(await screen.findByRole('heading', { name: 'Quantum Trader is unreachable' })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Try again' }))

    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument()
  })
})
