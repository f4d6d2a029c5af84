import { describe, expect, it } from 'vitest'
import { bestIndex, equityPoints, formatMetric, metricKeys, strategyLabel } from '@/features/backtests/lib/backtest-metrics'

describe('backtest metrics', () => {
  it('test_fractions_show_as_percent_and_counts_as_integers', () => {
    expect(formatMetric('total_return', 0.1234)).toBe('+12.34 %')
    expect(formatMetric('max_drawdown', -0.2)).toBe('-20.00 %')
    expect(formatMetric('trades', 12)).toBe('12')
    expect(formatMetric('sharpe', 1.23456)).toBe('1.235')
    expect(formatMetric('sharpe', null)).toBe('—')
  })

  it('test_metric_keys_known_first_then_extra_sorted', () => {
    expect(metricKeys([{ zeta: 1, sharpe: 1 }, { total_return: 0.1, alpha: 2 }])).toEqual(['total_return', 'sharpe', 'alpha', 'zeta'])
  })

  it('test_best_index_prefers_higher_return_and_smaller_drawdown', () => {
    expect(bestIndex('total_return', [0.1, 0.3, -0.2])).toBe(1)
    expect(bestIndex('max_drawdown', [-0.3, -0.1, -0.2])).toBe(1)
    expect(bestIndex('trades', [3, 5])).toBeNull()
    expect(bestIndex('sharpe', [1, null])).toBeNull()
  })

  it('test_equity_points_converts_ms_and_computes_drawdown', () => {
    const { equity, drawdown } = equityPoints([
      [1000, 100],
      [2000, 120],
      [3000, 90],
    ])
    expect(equity.map((point) => point.time)).toEqual([1, 2, 3])
    expect(drawdown[2]?.value).toBeCloseTo(-0.25)
  })

  it('test_strategy_label', () => {
    expect(strategyLabel('model:7')).toBe('Model #7')
    expect(strategyLabel('sma_cross')).toBe('SMA cross')
  })
})
