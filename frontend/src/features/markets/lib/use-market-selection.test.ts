import { describe, expect, it } from 'vitest'
import { defaultMarket } from '@/features/markets/lib/use-market-selection'
import { MARKETS } from '@/test/fixtures'

describe('defaultMarket', () => {
  it('test_preferred_exchange_wins_over_list_order', () => {
    expect(defaultMarket(MARKETS, 'binance')?.symbol).toBe('ETH/USDT')
  })

  it('test_without_preference_the_first_enabled_market', () => {
    const [first, second] = MARKETS
    if (first === undefined || second === undefined) throw new Error('fixtures changed')
    expect(defaultMarket([{ ...first, enabled: false }, second], '')?.symbol).toBe('ETH/USDT')
  })

  it('test_unknown_preference_or_nothing_enabled_falls_back', () => {
    expect(defaultMarket(MARKETS, 'kraken')?.symbol).toBe('BTC/USDT')
    expect(defaultMarket(MARKETS.map((market) => ({ ...market, enabled: false })), '')?.symbol).toBe('BTC/USDT')
    expect(defaultMarket([], 'binance')).toBeNull()
  })
})
