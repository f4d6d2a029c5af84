import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { healthQueryOptions } from '@/features/health/api/health'
import { HealthPanel } from '@/features/health/components/health-panel'
import { jsonResponse, mockApi, renderWithQuery } from '@/test/render'

const healthy = () => ({
  status: 'ok',
  mode: 'embedded',
  version: '0.1.0',
  checks: {
    worker: { ok: true, detail: 'heartbeat fresh', last_heartbeat: new Date(Date.now() - 12_000).toISOString() },
    database: { ok: true, detail: 'postgresql 15.8' },
    broker: { ok: true, detail: 'filesystem queue' },
    channel_layer: { ok: true, detail: 'in-memory layer' },
  },
})

const DEGRADED = {
  status: 'degraded',
  mode: 'production',
  version: '0.2.0-rc1',
  checks: {
    database: { ok: true, detail: 'postgresql 15.8' },
    channel_layer: { ok: true, detail: 'redis 7.0' },
    broker: { ok: false, detail: 'Error 111 connecting to 127.0.0.1:6379. Connection refused.' },
    worker: { ok: false, detail: 'no heartbeat received', last_heartbeat: null },
  },
}

function checkRow(name: string): HTMLElement {
  const list = screen.getByRole('list', { name: 'Service checks' })
  return within(list).getByRole('listitem', { name })
}

describe('HealthPanel', () => {
  it('test_healthy_server_shows_every_check_ok_with_mode_and_version', async () => {
    mockApi({ 'GET /api/health/': () => jsonResponse(healthy()) })

    renderWithQuery(<HealthPanel />)

    expect(await screen.findByText('All systems operational')).toBeInTheDocument()
    const rows = within(screen.getByRole('list', { name: 'Service checks' })).getAllByRole('listitem')
    expect(rows.map((row) => row.getAttribute('data-check'))).toEqual(['database', 'channel_layer', 'broker', 'worker'])
    for (const name of ['Database', 'Channel layer', 'Broker', 'Worker']) {
      expect(within(checkRow(name)).getByText('OK')).toBeInTheDocument()
    }
    expect(within(checkRow('Database')).getByText('postgresql 15.8')).toBeInTheDocument()
    expect(within(checkRow('Worker')).getByText(/last heartbeat/i)).toHaveTextContent('12 seconds ago')
    expect(screen.getByText('Embedded')).toBeInTheDocument()
    expect(screen.getByText('0.1.0')).toBeInTheDocument()
  })

  it('test_degraded_503_body_is_shown_as_data_not_as_an_error', async () => {
    mockApi({ 'GET /api/health/': () => jsonResponse(DEGRADED, 503) })

    renderWithQuery(<HealthPanel />)

    expect(await screen.findByText('Degraded')).toBeInTheDocument()
    expect(within(checkRow('Database')).getByText('OK')).toBeInTheDocument()
    expect(within(checkRow('Channel layer')).getByText('OK')).toBeInTheDocument()
    const broker = checkRow('Broker')
    expect(within(broker).getByText('Failed')).toBeInTheDocument()
    expect(within(broker).getByText('Error 111 connecting to 127.0.0.1:6379. Connection refused.')).toBeInTheDocument()
    expect(broker).toHaveAttribute('data-ok', 'false')
    expect(within(checkRow('Worker')).getByText('No heartbeat received yet')).toBeInTheDocument()
    expect(screen.getByText('Production')).toBeInTheDocument()
    expect(screen.getByText('0.2.0-rc1')).toBeInTheDocument()
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it('test_unreachable_server_shows_an_error_with_retry', async () => {
    let calls = 0
    mockApi({
      'GET /api/health/': () => {
        calls += 1
        if (calls === 1) return new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } })
        return jsonResponse(healthy())
      },
    })

    renderWithQuery(<HealthPanel />)

    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('Health status unavailable.')
    within(alert).getByRole('button', { name: 'Try again' }).click()
    expect(await screen.findByText('All systems operational')).toBeInTheDocument()
  })

  it('test_failed_refresh_keeps_last_known_status_with_a_warning', async () => {
    let calls = 0
    mockApi({
      'GET /api/health/': () => {
        calls += 1
        if (calls === 1) return jsonResponse(healthy())
        throw new TypeError('Failed to fetch')
      },
    })
    const { queryClient } = renderWithQuery(<HealthPanel />)
    await screen.findByText('All systems operational')

    await queryClient.refetchQueries({ queryKey: ['health'] })

    expect(await screen.findByRole('alert')).toHaveTextContent(/latest check failed/i)
    expect(within(checkRow('Database')).getByText('OK')).toBeInTheDocument()
  })

  it('test_health_is_polled_every_ten_seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    try {
      let calls = 0
      mockApi({
        'GET /api/health/': () => {
          calls += 1
          return jsonResponse(calls === 1 ? healthy() : DEGRADED, calls === 1 ? 200 : 503)
        },
      })
      renderWithQuery(<HealthPanel />)
      await screen.findByText('All systems operational')
      expect(healthQueryOptions().refetchInterval).toBe(10_000)

      await vi.advanceTimersByTimeAsync(9_000)
      expect(calls).toBe(1)
      await vi.advanceTimersByTimeAsync(1_500)

      await waitFor(() => expect(calls).toBe(2))
      expect(await screen.findByText('Degraded')).toBeInTheDocument()
    } finally {
      vi.useRealTimers()
    }
  })
})
