import { describe, expect, it } from 'vitest'
import { mapServerErrors, parseBacktestForm, type BacktestFormValues } from '@/lib/backtest-form'

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
        start: '2026-01-01T00:00:00Z',
        end: '2026-03-01T00:00:00Z',
        fee_rate: 0.001,
        slippage_bps: 5,
        initial_cash: 10_000,
        stop_loss: null,
        take_profit: 0.1,
        trailing_stop: null,
      },
    })
  })

  it('test_bad_values_give_a_message_per_field', () => {
    const result = parseBacktestForm({ ...valid, end: '2025-12-01', feePercent: 'abc', initialCash: '0', stopLossPercent: '150' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.end).toEqual(['The end date must be after the start date.'])
    expect(result.errors.feePercent?.[0]).toMatch(/must be a number/)
    expect(result.errors.initialCash?.[0]).toMatch(/more than 0/)
    expect(result.errors.stopLossPercent?.[0]).toMatch(/between 0 and 100/)
    expect(result.errors.market).toBeUndefined()
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
    const { fields, general } = mapServerErrors({ fee_rate: ['Too high.'], symbol: ['Unknown market.'], params: ['Bad.'] })
    expect(fields).toEqual({ feePercent: ['Too high.'], market: ['Unknown market.'] })
    expect(general).toEqual(['params: Bad.'])
  })
})
