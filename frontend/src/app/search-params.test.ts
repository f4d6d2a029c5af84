import { describe, expect, it } from 'vitest'
import { validateBacktestsSearch } from '@/features/backtests'
import { validateMarketSearch } from '@/features/markets'
import { validateOrdersSearch } from '@/features/orders'
import { validateSignalsSearch } from '@/features/signals'
import { parseSearch, stringifySearch } from '@/lib/search-params'

describe('search params', () => {
  it('test_urls_keep_their_plain_key_value_form', () => {
    expect(parseSearch('?market=binance%3ABTC%2FUSDT&tf=1h')).toEqual({ market: 'binance:BTC/USDT', tf: '1h' })
    expect(stringifySearch({ market: 'binance:BTC/USDT', tf: '1h' })).toBe('?market=binance%3ABTC%2FUSDT&tf=1h')
    expect(stringifySearch({ run: 12, compare: [3, 4], status: undefined, symbol: '' })).toBe('?run=12&compare=3%2C4')
    expect(stringifySearch({})).toBe('')
  })

  it('test_each_route_validates_and_types_its_params_dropping_bad_values', () => {
    expect(validateMarketSearch({ market: 'demo:BTC/USDT', tf: '4h' })).toEqual({ market: 'demo:BTC/USDT', tf: '4h' })
    expect(validateSignalsSearch({ model: '7', action: 'SELL', tf: '' })).toEqual({ model: 7, action: 'SELL', tf: undefined, market: undefined })
    expect(validateSignalsSearch({ model: 'x', action: 'PANIC' })).toEqual({ model: undefined, action: undefined, tf: undefined, market: undefined })
    expect(validateBacktestsSearch({ run: '11', compare: '3,4,x,-1' })).toEqual({ run: 11, compare: [3, 4] })
    expect(validateBacktestsSearch({ compare: 'x' })).toEqual({ run: undefined, compare: undefined })
    expect(validateOrdersSearch({ status: 'partially_filled', side: 'sell', symbol: ' btc/usdt ', order: '5' })).toEqual({
      status: 'partially_filled',
      side: 'sell',
      symbol: 'BTC/USDT',
      order: 5,
    })
    expect(validateOrdersSearch({ status: 'pending', side: 'long', order: '0' })).toEqual({ status: undefined, side: undefined, symbol: undefined, order: undefined })
  })
})
