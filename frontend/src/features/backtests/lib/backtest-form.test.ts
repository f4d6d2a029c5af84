import { describe, expect, it } from 'vitest'
import { mapServerErrors, parseBacktestForm, type BacktestFormValues } from '@/features/backtests/lib/backtest-form'

const valid: BacktestFormValues = {
  market: 'binance:BTC/USDT',
  timeframe: '1h',
  strategy: 'sma_cross',
  start: '2026-01-01',
  end: '2026-03-01',
  feePercent: '0.1',
  slippageBps: '5',
  initialCash: '10000',
  stopLossPercent: '',
  takeProfitPercent: '10',
  trailingStopPercent: '',
  params: { fast: '10' },
}

describe('parseBacktestForm', () => {
  it('test_valid_form_builds_the_request_body', () => {
    const result = parseBacktestForm(valid)
    expect(result).toEqual({
      ok: true,
      input: {
        exchange: 'binance',
        symbol: 'BTC/USDT',
        timeframe: '1h',
        strategy: 'sma_cross',
        params: { fast: 10, slow: 50 },
        start: '2026-01-01T00:00:00Z',
        end: '2026-03-01T00:00:00Z',
        fee: 0.001,
        slippage_bps: 5,
        initial_cash: 10_000,
        stops: { stop_loss: null, take_profit: 0.1, trailing_stop: null },
      },
    })
  })

  it('test_bad_values_give_a_message_per_field', () => {
    const result = parseBacktestForm({ ...valid, end: '2025-12-01', feePercent: 'abc', initialCash: '0', stopLossPercent: '150' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.end).toEqual(['The end date must be after the start date.'])
    expect(result.errors.feePercent).toEqual(['The fee must be a number.'])
    expect(result.errors.initialCash?.[0]).toMatch(/more than 0/)
    expect(result.errors.stopLossPercent?.[0]).toMatch(/between 0 and 100/)
    expect(result.errors.market).toBeUndefined()
  })

  it('test_strategy_parameters_are_checked', () => {
    const sma = parseBacktestForm({ ...valid, params: { fast: '60', slow: '50' } })
    expect(sma.ok === false && sma.errors['param.slow']).toEqual(['The slow average must span more candles than the fast one.'])
    const rsi = parseBacktestForm({ ...valid, strategy: 'rsi_bands', params: { window: '1.5', lower: '70', upper: '30' } })
    expect(rsi.ok === false && rsi.errors['param.window']).toEqual(['Enter a whole number above 0.'])
    expect(rsi.ok === false && rsi.errors['param.upper']).toEqual(['The sell level must be above the buy level.'])
    const model = parseBacktestForm({ ...valid, strategy: 'model:7', params: {} })
    expect(model.ok && model.input.params).toEqual({})
  })

  it('test_walk_forward_sends_its_parameters_and_checks_their_ranges', () => {
    const good = parseBacktestForm({ ...valid, strategy: 'walk_forward', params: { horizon: '6' } })
    expect(good.ok && good.input.params).toEqual({ horizon: 6, folds: 5 })
    const bad = parseBacktestForm({ ...valid, strategy: 'walk_forward', params: { horizon: '200', folds: '1' } })
    expect(bad.ok === false && bad.errors['param.horizon']).toEqual(['Enter at most 96 candles.'])
    expect(bad.ok === false && bad.errors['param.folds']).toEqual(['Enter between 2 and 12 folds.'])
  })

  it('test_missing_values_are_reported', () => {
    const result = parseBacktestForm({ ...valid, market: '', start: '', slippageBps: ' ' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.market).toEqual(['Choose a market.'])
    expect(result.errors.start).toEqual(['Enter a start date.'])
    expect(result.errors.slippageBps?.[0]).toBe('Enter the slippage.')
  })

  it('test_server_errors_map_to_form_fields', () => {
    const { fields, general } = mapServerErrors({ fee: ['Too high.'], symbol: ['Unknown market.'], 'stops.trailing_stop': ['Too big.'], 'params.fast': ['Bad.'], sizing: ['Odd.'] })
    expect(fields).toEqual({ feePercent: ['Too high.'], market: ['Unknown market.'], trailingStopPercent: ['Too big.'], 'param.fast': ['Bad.'] })
    expect(general).toEqual(['sizing: Odd.'])
  })
})
