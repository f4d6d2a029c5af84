import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { PREFERENCES_KEY } from '@/lib/preferences'
import { SettingsPage } from '@/features/settings/pages/settings-page'
import { makeAccount, mockBackend, page } from '@/test/fixtures'
import { jsonResponse } from '@/test/render'
import { renderPage } from '@/test/render-page'

const SECRET = 'sEcReT-9f8e7d6c5b4a-do-not-leak'
const API_KEY = 'AKIA-1234567890-NEWK'

async function fillAccount(user: ReturnType<typeof userEvent.setup>) {
  await within(screen.getByLabelText('Exchange')).findByRole('option', { name: 'Binance' })
  await user.type(screen.getByLabelText('Name'), 'Binance spare')
  await user.type(screen.getByLabelText('API key'), API_KEY)
  await user.type(screen.getByLabelText('API secret'), SECRET)
}

describe('SettingsPage', () => {
  it('test_accounts_show_only_the_masked_key_which_can_be_copied', async () => {
    const user = userEvent.setup()
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    mockBackend()
    await renderPage(<SettingsPage />)

    const list = await screen.findByRole('list', { name: 'Exchange accounts' })
    expect(within(list).getByText('••••WXYZ')).toBeInTheDocument()
    expect(within(list).getByText('No withdrawals')).toBeInTheDocument()
    await user.click(within(list).getByRole('button', { name: 'Copy masked key of Binance main' }))

    expect(writeText).toHaveBeenCalledWith('••••WXYZ')
    expect(await screen.findByText('Masked key copied')).toBeInTheDocument()
  })

  it('test_secret_inputs_are_password_fields_without_autocomplete', async () => {
    mockBackend()
    await renderPage(<SettingsPage />)
    for (const label of ['API key', 'API secret', 'Passphrase']) {
      const input = await screen.findByLabelText(label)
      expect(input).toHaveAttribute('type', 'password')
      expect(input).toHaveAttribute('autocomplete', 'off')
    }
  })

  it('test_adding_a_key_sends_it_once_clears_the_inputs_and_never_shows_the_secret', async () => {
    const user = userEvent.setup()
    let release: ((response: Response) => void) | undefined
    const saved = makeAccount({ id: 6, label: 'Binance spare', api_key: '••••NEWK' })
    let accounts = [makeAccount()]
    const backend = mockBackend({
      'GET /api/exchange-accounts/': () => jsonResponse(page(accounts)),
      'POST /api/exchange-accounts/': () =>
        new Promise<Response>((resolve) => {
          release = resolve
        }),
    })
    await renderPage(<SettingsPage />)
    await fillAccount(user)

    const submit = screen.getByRole('button', { name: 'Save key' })
    await user.dblClick(submit)
    accounts = [...accounts, saved]
    release?.(jsonResponse(saved, 201))

    expect(await screen.findByText('Exchange key saved')).toBeInTheDocument()
    const posts = backend.requests.filter((request) => request.method === 'POST')
    expect(posts).toHaveLength(1)
    expect(posts[0]?.body).toEqual({ exchange: 'binance', label: 'Binance spare', mode: 'testnet', api_key: API_KEY, secret: SECRET })
    expect(await screen.findByText('••••NEWK')).toBeInTheDocument()
    expect(screen.getByLabelText('API key')).toHaveValue('')
    expect(screen.getByLabelText('API secret')).toHaveValue('')
    expect(document.body.innerHTML).not.toContain(SECRET)
    expect(document.body.innerHTML).not.toContain(API_KEY)
    expect(document.body.textContent).not.toContain(SECRET)
  })

  it('test_refused_key_shows_the_reason_beside_the_field_and_clears_secrets', async () => {
    const user = userEvent.setup()
    mockBackend({
      'POST /api/exchange-accounts/': () =>
        jsonResponse({ api_key: ['The exchange refused the API key or its signature (wrong key, wrong secret, revoked key, or a testnet key used live).'] }, 400),
    })
    await renderPage(<SettingsPage />)
    await fillAccount(user)

    await user.click(screen.getByRole('button', { name: 'Save key' }))

    const input = screen.getByLabelText('API key')
    await waitFor(() => expect(input).toHaveAttribute('aria-invalid', 'true'))
    const describedBy = input.getAttribute('aria-describedby') ?? ''
    expect(document.getElementById(describedBy)).toHaveTextContent(/refused the API key/)
    expect(input).toHaveFocus()
    expect(screen.getByLabelText('API secret')).toHaveValue('')
    expect(document.body.innerHTML).not.toContain(SECRET)
  })

  it('test_missing_fields_are_reported_before_sending', async () => {
    const user = userEvent.setup()
    const backend = mockBackend()
    await renderPage(<SettingsPage />)
    await within(screen.getByLabelText('Exchange')).findByRole('option', { name: 'Binance' })

    await user.click(screen.getByRole('button', { name: 'Save key' }))

    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(/give this key a name/i)
    expect(screen.getByLabelText('API key')).toHaveAccessibleDescription(/paste the api key/i)
    expect(screen.getByLabelText('API secret')).toHaveAccessibleDescription(/paste the api secret/i)
    expect(backend.requests.some((request) => request.method === 'POST')).toBe(false)
  })

  it('test_connection_test_shows_exactly_what_failed', async () => {
    const user = userEvent.setup()
    mockBackend({
      'POST /api/exchange-accounts/5/test/': () =>
        jsonResponse({
          ok: false,
          failure: 'permission',
          detail: "The exchange accepted the key but refused the request: a permission is missing, or this server's IP address is not on the key's allowed list.",
          exchange_message: 'binance {"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}',
          warnings: [],
          permissions: null,
        }),
    })
    await renderPage(<SettingsPage />)
    await user.click(await screen.findByRole('button', { name: 'Test connection' }))

    const alert = await screen.findByText('Permission refused.')
    const box = alert.closest('[role="alert"]') as HTMLElement
    expect(box).toHaveTextContent(/IP address is not on the key's allowed list/)
    expect(box).toHaveTextContent('Invalid API-key, IP, or permissions for action.')
  })

  it('test_remove_asks_for_confirmation_first', async () => {
    const user = userEvent.setup()
    const backend = mockBackend({ 'DELETE /api/exchange-accounts/5/': () => new Response(null, { status: 204 }) })
    await renderPage(<SettingsPage />)

    await user.click(await screen.findByRole('button', { name: 'Remove' }))
    expect(backend.requests.some((request) => request.method === 'DELETE')).toBe(false)
    await user.click(screen.getByRole('button', { name: 'Yes, remove' }))

    expect(await screen.findByText('Exchange key removed')).toBeInTheDocument()
    expect(backend.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1)
    expect(screen.queryByText('••••WXYZ')).not.toBeInTheDocument()
  })

  it('test_preferences_are_saved_in_this_browser_and_say_so', async () => {
    const user = userEvent.setup()
    mockBackend()
    await renderPage(<SettingsPage />)

    expect(screen.getByText(/saved in this browser only/i)).toBeInTheDocument()
    await within(screen.getByLabelText('Exchange')).findByRole('option', { name: 'Binance' })
    await user.selectOptions(screen.getByLabelText('Default exchange'), 'binance')
    await user.click(screen.getByLabelText('Finished backtests'))

    expect(JSON.parse(window.localStorage.getItem(PREFERENCES_KEY) ?? '{}')).toMatchObject({ defaultExchange: 'binance', notifyBacktests: false })
    window.localStorage.removeItem(PREFERENCES_KEY)
  })
})
