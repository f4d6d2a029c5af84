import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { PositionsPanel } from '@/features/bots/components/positions-panel'
import { makeBot, makePosition, mockBackend, page } from '@/test/fixtures'
import { jsonResponse } from '@/test/render'
import { renderPage } from '@/test/render-page'

describe('PositionsPanel', () => {
  it('test_open_positions_with_their_bot_and_the_total_pnl_refreshed_by_a_position_event', async () => {
    let positions = [makePosition(), makePosition({ id: 6, bot: 4, amount: '0.5', average_entry: '3000', last_price: '2950', unrealised_pnl: '-25', realised_pnl: '4.25' })]
    const backend = mockBackend({
      'GET /api/bots/': () => jsonResponse(page([makeBot(), makeBot({ id: 4, name: 'Mean ETH', symbol: 'ETH/USDT' })])),
      'GET /api/positions/': () => jsonResponse(positions),
    })
    const { stream } = await renderPage(<PositionsPanel />, { path: '/' })

    const table = await screen.findByRole('table', { name: 'Open positions' })
    expect(within(table).getAllByRole('row')).toHaveLength(3)
    expect(within(table).getByText('Trend BTC · BTC/USDT')).toBeInTheDocument()
    expect(within(table).getByText('Mean ETH · ETH/USDT')).toBeInTheDocument()
    expect(within(table).getByText('-25.00')).toBeInTheDocument()
    expect(screen.getByText(/P&L:/)).toHaveTextContent('P&L: -13.50 unrealised, +4.25 realised')
    expect(backend.requests.find((request) => request.url.startsWith('/api/positions/'))?.url).toBe('/api/positions/?open=true')

    positions = [makePosition({ unrealised_pnl: '20' })]
    stream.open()
    stream.send({ type: 'bot', topic: 'user.1', data: { event: 'position', bot_id: 3, position: positions[0] } })

    await waitFor(() => expect(screen.getByText(/P&L:/)).toHaveTextContent('P&L: +20.00 unrealised, 0.00 realised'))
  })

  it('test_no_open_position_points_to_the_bots_page', async () => {
    mockBackend()
    await renderPage(<PositionsPanel />, { path: '/' })
    expect(await screen.findByText(/No open positions/)).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Start a bot' })).toHaveAttribute('href', '/bots')
  })
})
