import { describe, expect, it } from 'vitest'
import { emptyBotForm, initialParams, validateBotChanges, validateNewBot } from '@/features/bots/lib/bot-form'
import { makeBot } from '@/test/fixtures'

const base = () => ({ ...emptyBotForm(), name: 'Swing', market: '1', timeframe: '1h' })

describe('bot form', () => {
  it('test_impossible_risk_values_are_refused_per_field', () => {
    const result = validateNewBot({ ...base(), risk: { max_position: '0', stop_loss: '1', daily_loss_limit: '-0.1', max_open_positions: '1.5', cooldown_seconds: '-1', atr_multiple: '0', trailing_stop: 'abc' } })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(Object.keys(result.errors).sort()).toEqual([
      'risk_profile.atr_multiple',
      'risk_profile.cooldown_seconds',
      'risk_profile.daily_loss_limit',
      'risk_profile.max_open_positions',
      'risk_profile.max_position',
      'risk_profile.stop_loss',
      'risk_profile.trailing_stop',
    ])
  })

  it('test_rsi_bands_and_model_bodies', () => {
    const rsi = validateNewBot({ ...base(), rule_name: 'rsi_bands', params: { ...initialParams('rsi_bands'), lower: '80', upper: '70' } })
    expect(rsi.ok ? {} : rsi.errors).toEqual({ 'rule_params.lower': ['Need 0 < buy level < sell level < 100.'] })

    const model = validateNewBot({ ...base(), strategy: 'model', model_version: '7', buy_threshold: '0.6', account: 'exchange:8' })
    expect(model.ok && model.body).toMatchObject({ strategy: 'model', model_version: 7, buy_threshold: 0.6, sell_threshold: 0.5, exchange_account: 8 })
    expect(model.ok && model.body).not.toHaveProperty('rule_params')
    expect(validateNewBot({ ...base(), strategy: 'model' }).ok).toBe(false)
    expect(validateNewBot({ ...base(), strategy: 'champion', sell_threshold: '1.2' }).ok).toBe(false)
  })

  it('test_an_edit_sends_only_what_the_api_can_change', () => {
    const bot = makeBot()
    const result = validateBotChanges({ ...base(), name: 'Trend BTC 2', params: { fast: '10', slow: '30' }, risk: { max_position: '0.5', stop_loss: '' } }, bot)
    expect(result.ok && result.body).toEqual({
      name: 'Trend BTC 2',
      rule_params: { fast: 10, slow: 30 },
      risk_profile: { max_position: 0.5, max_open_positions: null, risk_per_trade: null, stop_loss: null, take_profit: null, trailing_stop: null, daily_loss_limit: null, max_drawdown: null, cooldown_seconds: null, min_confidence: null, max_orders_per_hour: null },
    })
  })
})
