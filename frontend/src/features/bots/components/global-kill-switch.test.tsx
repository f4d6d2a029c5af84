import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { GlobalKillSwitch } from '@/features/bots/components/global-kill-switch'
import { KILL_SWITCHES, mockBackend } from '@/test/fixtures'
import { jsonResponse } from '@/test/render'
import { renderPage } from '@/test/render-page'

describe('GlobalKillSwitch', () => {
  it('test_staff_confirm_before_the_global_switch_goes_on_and_can_lift_it', async () => {
    const user = userEvent.setup()
    let switches = KILL_SWITCHES
    const backend = mockBackend({
      'GET /api/kill-switches/': () => jsonResponse(switches),
      'POST /api/kill-switches/': (request) => {
        const active = (request.body as { active: boolean }).active
        switches = switches.map((item) => (item.scope === 'global' ? { ...item, active } : item))
        return jsonResponse(switches[0])
      },
    })
    await renderPage(<GlobalKillSwitch isStaff />, { path: '/' })

    await user.click(await screen.findByRole('button', { name: 'Global kill switch' }))
    const confirm = screen.getByRole('group', { name: 'Confirm: Global kill switch' })
    expect(within(confirm).getByText('No bot of any user sends a new order while this is on.')).toBeInTheDocument()
    expect(backend.requests.filter((request) => request.method === 'POST')).toHaveLength(0)
    await user.click(within(confirm).getByLabelText('Sell the positions'))
    await user.click(within(confirm).getByRole('button', { name: 'Confirm: global kill switch' }))

    expect(await screen.findByText('Global kill switch on')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Lift the global kill switch' }))
    expect(await screen.findByRole('button', { name: 'Global kill switch' })).toBeInTheDocument()
    const posted = backend.requests.filter((request) => request.method === 'POST').map((request) => request.body)
    expect(posted).toEqual([
      { scope: 'global', active: true, cancel_orders: true, close_positions: true },
      { scope: 'global', active: false, cancel_orders: false, close_positions: false },
    ])
  })

  it('test_nothing_for_other_users', async () => {
    const backend = mockBackend()
    const { container } = await renderPage(<GlobalKillSwitch isStaff={false} />, { path: '/' })
    expect(container.querySelector('button')).toBeNull()
    expect(backend.requests.some((request) => request.url.startsWith('/api/kill-switches/'))).toBe(false)
  })
})
