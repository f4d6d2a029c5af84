import { describe, expect, it } from 'vitest'
import { mergeLiveSignal, signalFromMessage } from '@/features/signals/lib/live-signals'
import { signalKeys } from '@/features/signals/api/query-keys'
import { makeSignal, page } from '@/test/fixtures'
import { createTestQueryClient } from '@/test/render'
import type { Paginated } from '@/types/paginated'
import type { Signal } from '@/features/signals/api/types'

const PAYLOAD = {
  exchange: 'binance',
  symbol: 'BTC/USDT',
  timeframe: '1h',
  open_time: Date.UTC(2026, 10, 28, 15),
  action: 'BUY',
  confidence: 0.6,
  probabilities: { BUY: 0.6, HOLD: 0.3, SELL: 0.1 },
  model_version: 3,
}

describe('signalFromMessage', () => {
  it('test_server_payload_becomes_a_signal_with_the_message_id', () => {
    const signal = signalFromMessage(PAYLOAD, 'market.binance.BTC-USDT.1h', 41)
    expect(signal).toMatchObject({ id: 41, open_time: '2026-11-28T15:00:00.000Z', action: 'BUY', model_version: 3, probabilities: { BUY: 0.6 } })
  })

  it('test_market_missing_from_payload_is_taken_from_the_topic', () => {
    const { exchange: _e, symbol: _s, timeframe: _t, ...rest } = PAYLOAD
    expect(signalFromMessage(rest, 'market.kucoin.ETH-USDC.4h', 5)).toMatchObject({ exchange: 'kucoin', symbol: 'ETH/USDC', timeframe: '4h' })
  })

  it('test_demo_flag_and_explanation_come_from_the_payload_or_the_exchange', () => {
    const explanation = { top_features: [], headlines: [] }
    expect(signalFromMessage({ ...PAYLOAD, is_demo: false, explanation }, 'market.binance.BTC-USDT.1h', 2)).toMatchObject({ is_demo: false, explanation })
    expect(signalFromMessage({ ...PAYLOAD, exchange: 'demo' }, 'market.demo.BTC-USDT.1h', 2)).toMatchObject({ is_demo: true })
    expect(signalFromMessage(PAYLOAD, 'market.binance.BTC-USDT.1h', 2)).toMatchObject({ is_demo: false })
  })

  it('test_not_a_signal_is_ignored', () => {
    expect(signalFromMessage({ ...PAYLOAD, action: 'MAYBE' }, 'market.binance.BTC-USDT.1h', 1)).toBeNull()
    expect(signalFromMessage(PAYLOAD, 'market.binance.BTC-USDT.1h', null)).toBeNull()
    expect(signalFromMessage({ ...PAYLOAD, open_time: undefined }, 'market.binance.BTC-USDT.1h', 1)).toBeNull()
    expect(signalFromMessage('x', 'market.binance.BTC-USDT.1h', 1)).toBeNull()
  })
})

describe('mergeLiveSignal', () => {
  it('test_signal_goes_on_top_of_matching_lists_only', () => {
    const client = createTestQueryClient()
    const existing = makeSignal({ id: 1 })
    client.setQueryData(signalKeys.list({}), page([existing]))
    client.setQueryData(signalKeys.list({ action: 'SELL' }), page([]))
    client.setQueryData(signalKeys.list({ exchange: 'demo', symbol: 'BTC/USDT' }), page([existing]))
    const live: Signal = makeSignal({ id: 9, action: 'BUY', open_time: '2026-11-22T00:00:00Z' })

    mergeLiveSignal(client, live)
    mergeLiveSignal(client, live) // the same event twice must not duplicate

    const all = client.getQueryData<Paginated<Signal>>(signalKeys.list({}))
    expect(all?.results.map((item) => item.id)).toEqual([9, 1])
    expect(all?.count).toBe(2)
    expect(client.getQueryData<Paginated<Signal>>(signalKeys.list({ action: 'SELL' }))?.results).toEqual([])
    expect(client.getQueryData<Paginated<Signal>>(signalKeys.list({ exchange: 'demo', symbol: 'BTC/USDT' }))?.results).toHaveLength(2)
  })
})
