import { fireEvent, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { queryKeys } from '@/lib/query-keys'
import { LoginPage } from '@/features/auth/pages/login-page'
import { jsonResponse, mockApi, renderWithQuery } from '@/test/render'

const USER = { id: 7, username: 'ada', email: 'ada@example.org', is_staff: false }

function withCsrfCookie() {
  document.cookie = 'csrftoken=login-token; path=/'
}

function deferred<T>() {
  let settle: ((value: T) => void) | undefined
  const promise = new Promise<T>((done) => {
    settle = done
  })
  return { promise, resolve: (value: T) => settle?.(value) }
}

describe('LoginPage', () => {
  it('test_fields_have_accessible_labels_and_autocomplete', () => {
    renderWithQuery(<LoginPage />)

    expect(screen.getByLabelText('Username')).toHaveAttribute('autocomplete', 'username')
    expect(screen.getByLabelText('Password')).toHaveAttribute('type', 'password')
    expect(screen.getByLabelText('Password')).toHaveAttribute('autocomplete', 'current-password')
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled()
  })

  it('test_empty_submit_shows_errors_beside_fields_and_sends_nothing', async () => {
    const user = userEvent.setup()
    const { requestSpy } = mockApi({})
    renderWithQuery(<LoginPage />)

    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    const username = screen.getByLabelText('Username')
    const password = screen.getByLabelText('Password')
    expect(username).toHaveAttribute('aria-invalid', 'true')
    expect(username).toHaveAccessibleDescription('Enter your username.')
    expect(password).toHaveAccessibleDescription('Enter your password.')
    expect(username).toHaveFocus()
    expect(requestSpy).not.toHaveBeenCalled()
  })

  it('test_whitespace_username_is_rejected_and_error_clears_when_typing', async () => {
    const user = userEvent.setup()
    mockApi({})
    renderWithQuery(<LoginPage />)

    await user.type(screen.getByLabelText('Username'), '   ')
    await user.type(screen.getByLabelText('Password'), 'secret')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription('Enter your username.')
    expect(screen.getByLabelText('Password')).not.toHaveAttribute('aria-invalid')

    await user.type(screen.getByLabelText('Username'), 'ada')
    expect(screen.getByLabelText('Username')).not.toHaveAttribute('aria-invalid')
  })

  it('test_wrong_credentials_show_a_general_error_alert', async () => {
    const user = userEvent.setup()
    withCsrfCookie()
    const { requests } = mockApi({
      'POST /api/auth/login/': () => jsonResponse({ non_field_errors: ['Unable to log in with provided credentials.'] }, 400),
    })
    renderWithQuery(<LoginPage />)

    await user.type(screen.getByLabelText('Username'), '  ada ')
    await user.type(screen.getByLabelText('Password'), 'wrong')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('Unable to log in with provided credentials.')
    expect(requests[0]?.body).toEqual({ username: 'ada', password: 'wrong' })
    expect(requests[0]?.headers.get('X-CSRFToken')).toBe('login-token')
    expect(screen.getByLabelText('Username')).not.toHaveAttribute('aria-invalid')
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled()
  })

  it('test_server_field_errors_are_shown_beside_their_fields', async () => {
    const user = userEvent.setup()
    withCsrfCookie()
    mockApi({
      'POST /api/auth/login/': () =>
        jsonResponse({ username: ['Ensure this field has no more than 150 characters.'], password: ['This field is required.'] }, 400),
    })
    renderWithQuery(<LoginPage />)

    await user.type(screen.getByLabelText('Username'), 'x'.repeat(151))
    await user.type(screen.getByLabelText('Password'), 'p')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    await waitFor(() => expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true'))
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription('Ensure this field has no more than 150 characters.')
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('This field is required.')
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    expect(screen.getByLabelText('Username')).toHaveFocus()
  })

  it('test_throttled_login_shows_the_server_detail', async () => {
    const user = userEvent.setup()
    withCsrfCookie()
    mockApi({
      'POST /api/auth/login/': () => jsonResponse({ detail: 'Request was throttled. Expected available in 60 seconds.' }, 429),
    })
    renderWithQuery(<LoginPage />)

    await user.type(screen.getByLabelText('Username'), 'ada')
    await user.type(screen.getByLabelText('Password'), 'guess')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('Request was throttled. Expected available in 60 seconds.')
  })

  it('test_unreachable_server_shows_a_connection_error', async () => {
    const user = userEvent.setup()
    withCsrfCookie()
    mockApi({
      'POST /api/auth/login/': () => {
        throw new TypeError('Failed to fetch')
      },
    })
    renderWithQuery(<LoginPage />)

    await user.type(screen.getByLabelText('Username'), 'ada')
    await user.type(screen.getByLabelText('Password'), 'secret')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('alert')).toHaveTextContent(/could not reach the server/i)
  })

  it('test_pending_login_disables_submit_and_is_sent_only_once', async () => {
    // given: the server takes its time
    const user = userEvent.setup()
    withCsrfCookie()
    const reply = deferred<Response>()
    const { requests } = mockApi({ 'POST /api/auth/login/': () => reply.promise })
    const { queryClient } = renderWithQuery(<LoginPage />)
    await user.type(screen.getByLabelText('Username'), 'ada')
    await user.type(screen.getByLabelText('Password'), 'correct horse')

    // when: the form is submitted twice in the same tick, then clicked and Enter pressed again
    const form = screen.getByRole('button', { name: 'Sign in' }).closest('form')
    if (form === null) throw new Error('no form')
    fireEvent.submit(form)
    fireEvent.submit(form)
    const button = await screen.findByRole('button', { name: /signing in/i })
    expect(button).toBeDisabled()
    await user.click(button)
    await user.type(screen.getByLabelText('Password'), '{Enter}')

    // then
    expect(requests.filter((request) => request.url === '/api/auth/login/')).toHaveLength(1)

    reply.resolve(jsonResponse(USER))
    await waitFor(() => expect(queryClient.getQueryData(queryKeys.me)).toEqual(USER))
  })
})
