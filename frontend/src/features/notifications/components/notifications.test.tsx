import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { NotificationBell } from '@/features/notifications/components/notification-bell'
import { NotificationSettings } from '@/features/notifications/components/notification-settings'
import { mockBackend, page } from '@/test/fixtures'
import { jsonResponse } from '@/test/render'
import { renderPage } from '@/test/render-page'

const WEBHOOK_URL = 'https://hooks.example.test/path/tOkEn-do-not-show-1234'
const SIGNING_SECRET = 'sig-secret-shown-once-abcdef'

function channel(overrides: Record<string, unknown> = {}) {
  return {
    id: 4,
    kind: 'webhook',
    label: 'Ops hook',
    events: ['order.filled'],
    masked_target: 'https://hooks.example.test/…1234',
    max_per_hour: 30,
    enabled: true,
    paused: false,
    paused_reason: '',
    consecutive_failures: 0,
    last_success_at: null,
    last_failure_at: null,
    created_at: '2026-12-01T10:00:00Z',
    ...overrides,
  }
}

describe('NotificationBell', () => {
  it('test_bell_shows_unread_count_lists_and_marks_read', async () => {
    const user = userEvent.setup()
    let unread = 2
    const backend = mockBackend({
      'GET /api/notifications/unread-count/': () => jsonResponse({ unread }),
      'GET /api/notifications/': () =>
        jsonResponse(
          page([
            { id: 9, kind: 'order.filled', title: 'Order filled', body: 'buy 0.1 BTC/USDT at 64000', data: {}, created_at: new Date().toISOString(), read: false, read_at: null },
            { id: 8, kind: 'bot.halted', title: 'Bot trend halted', body: 'Daily loss limit', data: {}, created_at: new Date().toISOString(), read: false, read_at: null },
          ]),
        ),
      'POST /api/notifications/mark-read/': () => {
        unread = 0
        return jsonResponse({ marked: 2 })
      },
    })
    await renderPage(<NotificationBell />)
    const bell = await screen.findByRole('button', { name: 'Notifications, 2 unread' })
    await user.click(bell)
    const centre = await screen.findByRole('region', { name: 'Notification centre' })
    expect(await within(centre).findByText('buy 0.1 BTC/USDT at 64000')).toBeInTheDocument()
    expect(within(centre).getByText('Bot trend halted')).toBeInTheDocument()
    await user.click(within(centre).getByRole('button', { name: 'Mark all read' }))
    await waitFor(() => expect(screen.getByRole('button', { name: 'Notifications' })).toBeInTheDocument())
    const posted = backend.requests.filter((request) => request.method === 'POST')
    expect(posted.map((request) => [request.url, request.body])).toEqual([['/api/notifications/mark-read/', {}]])
  })
})

describe('notifications on the stream', () => {
  it('test_pushed_notification_refreshes_the_badge_and_toasts_only_what_no_feature_toasts', async () => {
    let unread = 0
    mockBackend({ 'GET /api/notifications/unread-count/': () => jsonResponse({ unread }) })
    const { stream } = await renderPage(<NotificationBell />)
    await stream.open()
    await screen.findByRole('button', { name: 'Notifications' })
    unread = 2
    await stream.send({ type: 'notification', topic: 'user.1', id: 5, data: { id: 5, kind: 'bot.halted', title: 'Bot trend halted', body: 'Daily loss limit' } })
    await stream.send({ type: 'notification', topic: 'user.1', id: 6, data: { id: 6, kind: 'order.filled', title: 'Order filled', body: 'buy 1 BTC/USDT' } })
    expect(await screen.findByRole('button', { name: 'Notifications, 2 unread' })).toBeInTheDocument()
    expect(await screen.findByText('Daily loss limit')).toBeInTheDocument()
    // A fill is toasted by the orders feature from its own event, so not twice
    expect(screen.queryByText('buy 1 BTC/USDT')).not.toBeInTheDocument()
  })
})

describe('NotificationSettings', () => {
  it('test_adding_a_webhook_shows_its_secret_once_and_never_the_url', async () => {
    const user = userEvent.setup()
    let channels: ReturnType<typeof channel>[] = []
    const backend = mockBackend({
      'GET /api/notification-channels/': () => jsonResponse(page(channels)),
      'POST /api/notification-channels/': () => {
        channels = [channel()]
        return jsonResponse({ ...channel(), secret: SIGNING_SECRET }, 201)
      },
    })
    await renderPage(<NotificationSettings />)
    expect(await screen.findByText(/No channels yet/)).toBeInTheDocument()
    const url = screen.getByLabelText('Webhook URL')
    expect(url).toHaveAttribute('type', 'password')
    await user.type(screen.getByLabelText('Label'), 'Ops hook')
    await user.type(url, WEBHOOK_URL)
    await user.click(screen.getByRole('button', { name: 'Add channel' }))
    expect(await screen.findByText(SIGNING_SECRET)).toBeInTheDocument()
    const list = await screen.findByRole('list', { name: 'Notification channels' })
    expect(within(list).getByText('https://hooks.example.test/…1234')).toBeInTheDocument()
    expect(document.body.innerHTML).not.toContain('tOkEn-do-not-show')
    expect(url).toHaveValue('')
    const created = backend.requests.find((request) => request.method === 'POST')
    expect(created?.body).toEqual({ kind: 'webhook', label: 'Ops hook', events: ['order.filled', 'order.rejected', 'bot.halted'], url: WEBHOOK_URL })
  })

  it('test_paused_channel_shows_why_and_resumes', async () => {
    const user = userEvent.setup()
    let current = channel({ paused: true, paused_reason: 'Paused after 5 failed deliveries in a row. Last error: HTTP 500' })
    const backend = mockBackend({
      'GET /api/notification-channels/': () => jsonResponse(page([current])),
      'PATCH /api/notification-channels/4/': () => {
        current = channel()
        return jsonResponse(current)
      },
      'POST /api/notification-channels/4/test/': () => jsonResponse({ id: 1, status: 'pending' }, 202),
    })
    await renderPage(<NotificationSettings />)
    expect(await screen.findByText(/Last error: HTTP 500/)).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Resume' }))
    expect(await screen.findByText('Active')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Send a test' }))
    await waitFor(() => expect(backend.requests.some((request) => request.url === '/api/notification-channels/4/test/')).toBe(true))
    const patch = backend.requests.find((request) => request.method === 'PATCH')
    expect(patch?.body).toEqual({ paused: false })
  })
})
