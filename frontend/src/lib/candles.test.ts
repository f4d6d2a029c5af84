import { describe, expect, it } from 'vitest'
import { barsFromMessage, isIncremental, marketTopic, mergeBar, rowToBar, timeframeSeconds, toBars } from '@/lib/candles'

const bar = (time: number, close: number) => ({ time, open: close, high: close, low: close, close, volume: 1 })

describe('candles', () => {
  it('test_row_to_bar_converts_ms_to_seconds', () => {
    expect(rowToBar([1_700_000_000_000, 1, 2, 0.5, 1.5, 10])).toEqual({
      time: 1_700_000_000,
      open: 1,
      high: 2,
      low: 0.5,
      close: 1.5,
      volume: 10,
    })
  })

  it('test_row_to_bar_malformed_is_null', () => {
    expect(rowToBar([1, 2])).toBeNull()
    expect(rowToBar(['x', 1, 1, 1, 1, 1])).toBeNull()
    expect(rowToBar({})).toBeNull()
  })

  it('test_to_bars_sorts_and_dedupes_by_time', () => {
    const bars = toBars([
      [2000, 2, 2, 2, 2, 1],
      [1000, 1, 1, 1, 1, 1],
      [2000, 3, 3, 3, 3, 1],
    ])
    expect(bars.map((item) => [item.time, item.close])).toEqual([
      [1, 1],
      [2, 3],
    ])
  })

  it('test_merge_bar_newer_appends', () => {
    const bars = [bar(1, 1), bar(2, 2)]
    expect(mergeBar(bars, bar(3, 3)).map((item) => item.time)).toEqual([1, 2, 3])
  })

  it('test_merge_bar_same_time_replaces_the_forming_candle', () => {
    const bars = [bar(1, 1), bar(2, 2)]
    const merged = mergeBar(bars, bar(2, 5))
    expect(merged.map((item) => item.close)).toEqual([1, 5])
    expect(bars[1]?.close).toBe(2)
  })

  it('test_merge_bar_unchanged_or_unknown_old_returns_same_array', () => {
    const bars = [bar(1, 1), bar(3, 3)]
    expect(mergeBar(bars, bar(3, 3))).toBe(bars)
    expect(mergeBar(bars, bar(2, 2))).toBe(bars)
  })

  it('test_bars_from_message_accepts_every_layout', () => {
    expect(barsFromMessage([1000, 1, 2, 0, 1, 5])).toHaveLength(1)
    expect(barsFromMessage({ candle: [1000, 1, 2, 0, 1, 5] })[0]?.time).toBe(1)
    expect(barsFromMessage({ candles: [[1000, 1, 2, 0, 1, 5], [2000, 1, 2, 0, 1, 5]] })).toHaveLength(2)
    expect(barsFromMessage({ open_time: '1970-01-01T00:00:02Z', open: 1, high: 2, low: 0, close: 1, volume: 3 })[0]).toMatchObject({ time: 2, volume: 3 })
    expect(barsFromMessage({ t: 3000, o: 1, h: 2, l: 0, c: 1, v: 3 })[0]?.time).toBe(3)
    expect(barsFromMessage('nonsense')).toEqual([])
  })

  it('test_market_topic_matches_the_server_group_name', () => {
    expect(marketTopic('binance', 'BTC/USDT', '1h')).toBe('market.binance.BTC-USDT.1h')
  })

  it('test_timeframe_seconds', () => {
    expect(timeframeSeconds('15m')).toBe(900)
    expect(timeframeSeconds('4h')).toBe(14_400)
    expect(timeframeSeconds('1d')).toBe(86_400)
    expect(timeframeSeconds('x')).toBeNull()
  })
})

describe('isIncremental', () => {
  const a = bar(1, 1)
  const b = bar(2, 2)
  it('test_last_bar_changed_or_one_appended_is_incremental', () => {
    expect(isIncremental([a, b], [a, bar(2, 3)])).toBe(true)
    expect(isIncremental([a, b], [a, b, bar(3, 3)])).toBe(true)
  })
  it('test_reload_or_other_market_is_not_incremental', () => {
    expect(isIncremental([], [a])).toBe(false)
    expect(isIncremental([a, b], [bar(1, 9), b])).toBe(false)
    expect(isIncremental([a, b], [a, b, bar(3, 3), bar(4, 4)])).toBe(false)
    expect(isIncremental([a, b], [a])).toBe(false)
  })
})
