import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { queryKeys } from '@/lib/query-keys'
import { SettingsPage } from '@/features/settings/pages/settings-page'
import { SECURITY_EVENTS, SIGN_INS, makeSecurityEvent, mockBackend, page } from '@/test/fixtures'
import { jsonResponse } from '@/test/render'
import { renderPage } from '@/test/render-page'

async function signInRow(name: RegExp | string) {
  const list = await screen.findByRole('list', { name: 'Sessions and tokens' })
  const title = within(list).getByText(name)
  return title.closest('li') as HTMLElement
}

describe('Settings: sessions, tokens and security activity', () => {
  it('test_sign_ins_show_device_address_times_and_mark_this_browser', async () => {
    mockBackend()
    await renderPage(<SettingsPage />, { path: '/settings' })

    const browser = await signInRow('Chrome on Linux')
    expect(within(browser).getByText('This browser')).toBeInTheDocument()
    expect(within(browser).getByText('203.0.113.7')).toBeInTheDocument()
    expect(within(browser).getByText('Signed in')).toBeInTheDocument()
    expect(within(browser).getByText('Last used')).toBeInTheDocument()

    const token = await signInRow('API token …k3Q9')
    expect(within(token).queryByText('This browser')).not.toBeInTheDocument()
    expect(within(token).getByText('198.51.100.4, last from 198.51.100.9')).toBeInTheDocument()
    expect(screen.getByRole('list', { name: 'Sessions and tokens' }).children).toHaveLength(2)
  })

  it('test_revoking_another_sign_in_asks_first_sends_one_delete_and_removes_it', async () => {
    const user = userEvent.setup()
    let activityLoads = 0
    const backend = mockBackend({
      'DELETE /api/auth/sessions/22/': () => new Response(null, { status: 204 }),
      'GET /api/audit-events/': () => {
        activityLoads += 1
        return jsonResponse(page(SECURITY_EVENTS))
      },
    })
    await renderPage(<SettingsPage />, { path: '/settings' })

    await user.click(await screen.findByRole('button', { name: 'Revoke API token …k3Q9' }))
    expect(backend.requests.some((request) => request.method === 'DELETE')).toBe(false)
    await user.click(screen.getByRole('button', { name: 'Yes, revoke' }))

    expect(await screen.findByText('Sign-in revoked')).toBeInTheDocument()
    expect(backend.requests.filter((request) => request.method === 'DELETE').map((request) => request.url)).toEqual(['/api/auth/sessions/22/'])
    const list = screen.getByRole('list', { name: 'Sessions and tokens' })
    expect(within(list).queryByText('API token …k3Q9')).not.toBeInTheDocument()
    expect(within(list).getByText('Chrome on Linux')).toBeInTheDocument()
    await waitFor(() => expect(activityLoads).toBe(2))
  })

  it('test_revoking_this_browser_signs_out_and_shows_the_login_page', async () => {
    const user = userEvent.setup()
    mockBackend({ 'DELETE /api/auth/sessions/21/': () => new Response(null, { status: 204 }) })
    const { queryClient, router } = await renderPage(<SettingsPage />, { path: '/settings' })

    await user.click(await screen.findByRole('button', { name: 'Revoke Chrome on Linux' }))
    expect(screen.getByText(/revoking it signs you out here/)).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Yes, revoke' }))

    await waitFor(() => expect(router.state.location.pathname).toBe('/login'))
    expect(queryClient.getQueryData(queryKeys.me)).toBeNull()
  })

  it('test_sign_out_everywhere_confirms_posts_once_and_signs_this_browser_out', async () => {
    const user = userEvent.setup()
    const backend = mockBackend({ 'POST /api/auth/logout-everywhere/': () => jsonResponse({ revoked: 2 }) })
    const { queryClient, router } = await renderPage(<SettingsPage />, { path: '/settings' })
    await screen.findByRole('list', { name: 'Sessions and tokens' })

    await user.click(screen.getByRole('button', { name: 'Sign out everywhere' }))
    expect(backend.requests.some((request) => request.method === 'POST')).toBe(false)
    await user.click(screen.getByRole('button', { name: 'Yes, sign out everywhere' }))

    await waitFor(() => expect(router.state.location.pathname).toBe('/login'))
    expect(backend.requests.filter((request) => request.method === 'POST').map((request) => request.url)).toEqual(['/api/auth/logout-everywhere/'])
    expect(queryClient.getQueryData(queryKeys.me)).toBeNull()
  })

  it('test_failed_revoke_keeps_the_sign_in_and_says_why', async () => {
    const user = userEvent.setup()
    mockBackend({
      'DELETE /api/auth/sessions/22/': () => jsonResponse({ code: 'not_found', message: 'No such session or token.', field: null, fields: {} }, 404),
    })
    await renderPage(<SettingsPage />, { path: '/settings' })

    await user.click(await screen.findByRole('button', { name: 'Revoke API token …k3Q9' }))
    await user.click(screen.getByRole('button', { name: 'Yes, revoke' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not revoke it: No such session or token.')
    expect(within(screen.getByRole('list', { name: 'Sessions and tokens' })).getByText('API token …k3Q9')).toBeInTheDocument()
  })

  it('test_failed_sign_out_everywhere_stays_signed_in_and_says_why', async () => {
    const user = userEvent.setup()
    mockBackend({ 'POST /api/auth/logout-everywhere/': () => jsonResponse({ code: 'throttled', message: 'Request was throttled.', field: null, fields: {} }, 429) })
    const { router } = await renderPage(<SettingsPage />, { path: '/settings' })

    await user.click(await screen.findByRole('button', { name: 'Sign out everywhere' }))
    await user.click(screen.getByRole('button', { name: 'Yes, sign out everywhere' }))

    expect(await screen.findByRole('alert')).toHaveTextContent(/Could not sign out everywhere/)
    expect(router.state.location.pathname).toBe('/settings')
  })

  it('test_security_activity_lists_sign_ins_failures_lockouts_and_key_changes', async () => {
    mockBackend()
    await renderPage(<SettingsPage />, { path: '/settings' })

    const list = await screen.findByRole('list', { name: 'Security activity' })
    const rows = within(list).getAllByRole('listitem')
    expect(rows.map((row) => row.dataset.action)).toEqual(['exchange_key.created', 'auth.login_locked', 'auth.login_failed', 'auth.login'])
    expect(rows[0]).toHaveTextContent('Binance main (••••WXYZ)')
    expect(within(rows[0] as HTMLElement).getByText('by staff')).toBeInTheDocument()
    expect(rows[1]).toHaveTextContent('Login locked')
    expect(rows[1]).toHaveTextContent('192.0.2.66')
    expect(within(rows[3] as HTMLElement).queryByText('by staff')).not.toBeInTheDocument()
  })

  it('test_security_activity_says_when_only_the_latest_events_are_shown', async () => {
    const events = Array.from({ length: 3 }, (_, index) => makeSecurityEvent({ id: 400 + index }))
    mockBackend({ 'GET /api/audit-events/': () => jsonResponse({ count: 120, next: '/api/audit-events/?limit=50&offset=50', previous: null, results: events }) })
    await renderPage(<SettingsPage />, { path: '/settings' })

    expect(await screen.findByText('The latest 3 of 120 events.')).toBeInTheDocument()
  })

  it('test_security_sections_show_errors_with_a_retry', async () => {
    const user = userEvent.setup()
    let sessionsFail = true
    mockBackend({
      'GET /api/auth/sessions/': () =>
        sessionsFail ? jsonResponse({ code: 'server_error', message: 'Something went wrong on the server.', field: null, fields: {} }, 500) : jsonResponse(page(SIGN_INS)),
      'GET /api/audit-events/': () => jsonResponse(page([])),
    })
    await renderPage(<SettingsPage />, { path: '/settings' })

    expect(await screen.findByText('No security activity yet.')).toBeInTheDocument()
    const alert = (await screen.findByText(/Your sessions and tokens could not be loaded/)).closest('[role="alert"]') as HTMLElement
    sessionsFail = false
    await user.click(within(alert).getByRole('button', { name: 'Try again' }))

    expect(await screen.findByRole('list', { name: 'Sessions and tokens' })).toBeInTheDocument()
  })
})
