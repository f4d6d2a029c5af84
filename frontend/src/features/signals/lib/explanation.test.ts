import { describe, expect, it } from 'vitest'
import { explanationContributions, explanationSummary } from '@/features/signals/lib/explanation'

describe('explanationContributions', () => {
  it('test_list_is_sorted_by_absolute_contribution', () => {
    const out = explanationContributions([
      { feature: 'rsi_14', value: 71.2, contribution: -0.1 },
      { feature: 'ret_1', value: 'NaN', contribution: 0.4 },
      { feature: 'bad' },
    ])
    expect(out.map((item) => item.feature)).toEqual(['ret_1', 'rsi_14'])
    expect(out[0]?.value).toBe('NaN')
  })

  it('test_nested_under_top_and_plain_map_are_accepted', () => {
    expect(explanationContributions({ top: [{ feature: 'a', value: 1, contribution: 0.2 }], summary: 'x' })).toHaveLength(1)
    expect(explanationContributions({ a: 0.1, b: -0.3 }).map((item) => item.feature)).toEqual(['b', 'a'])
  })

  it('test_nothing_usable_is_empty', () => {
    expect(explanationContributions(null)).toEqual([])
    expect(explanationContributions('text')).toEqual([])
  })

  it('test_summary_from_string_or_field', () => {
    expect(explanationSummary('RSI is high')).toBe('RSI is high')
    expect(explanationSummary({ summary: 'trend up' })).toBe('trend up')
    expect(explanationSummary({})).toBeNull()
  })
})
