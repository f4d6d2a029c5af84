import { describe, expect, it } from 'vitest'
import { bollinger, drawdown, ema, sma } from '@/lib/indicators'

describe('indicators', () => {
  it('test_sma_window_not_full_is_null_then_mean', () => {
    expect(sma([1, 2, 3, 4, 5], 3)).toEqual([null, null, 2, 3, 4])
  })

  it('test_sma_period_one_is_identity', () => {
    expect(sma([5, 7, 9], 1)).toEqual([5, 7, 9])
  })

  it('test_ema_seeds_with_sma_then_smooths', () => {
    const out = ema([1, 2, 3, 4, 5], 3)
    expect(out.slice(0, 2)).toEqual([null, null])
    expect(out[2]).toBeCloseTo(2)
    // alpha = 0.5: 0.5 * 4 + 0.5 * 2 = 3, then 0.5 * 5 + 0.5 * 3 = 4
    expect(out[3]).toBeCloseTo(3)
    expect(out[4]).toBeCloseTo(4)
  })

  it('test_ema_shorter_than_period_is_all_null', () => {
    expect(ema([1, 2], 5)).toEqual([null, null])
  })

  it('test_bollinger_uses_population_deviation', () => {
    const { middle, upper, lower } = bollinger([2, 4, 4, 4, 5, 5, 7, 9], 8, 2)
    // mean 5, population standard deviation 2
    expect(middle[7]).toBeCloseTo(5)
    expect(upper[7]).toBeCloseTo(9)
    expect(lower[7]).toBeCloseTo(1)
    expect(upper[6]).toBeNull()
  })

  it('test_bollinger_flat_prices_have_zero_width', () => {
    const { upper, lower } = bollinger([3, 3, 3], 3)
    expect(upper[2]).toBe(3)
    expect(lower[2]).toBe(3)
  })

  it('test_indicator_bad_period_throws', () => {
    expect(() => sma([1], 0)).toThrow(RangeError)
    expect(() => ema([1], 1.5)).toThrow(RangeError)
  })

  it('test_drawdown_tracks_the_running_peak', () => {
    const out = drawdown([100, 110, 99, 120, 90])
    expect(out[0]).toBe(0)
    expect(out[1]).toBe(0)
    expect(out[2]).toBeCloseTo(-0.1)
    expect(out[3]).toBe(0)
    expect(out[4]).toBeCloseTo(-0.25)
  })
})
