import { z } from 'zod'
import type { FieldErrors } from '@/lib/api-client'
import type { BacktestInput } from '@/features/backtests/api/types'

export interface BacktestFormValues {
  market: string
  timeframe: string
  strategy: string
  start: string
  end: string
  feePercent: string
  slippageBps: string
  initialCash: string
  stopLossPercent: string
  takeProfitPercent: string
  trailingStopPercent: string
  /** Strategy parameters by name (see STRATEGY_PARAMS), as typed. */
  params: Record<string, string>
}

export interface StrategyParam {
  name: string
  label: string
  default: string
  integer: boolean
}

/** The parameters of the strategies (trading/core/strategies.py, trading/services.py) and their defaults. */
export const STRATEGY_PARAMS: Record<string, readonly StrategyParam[]> = {
  sma_cross: [
    { name: 'fast', label: 'Fast SMA (candles)', default: '20', integer: true },
    { name: 'slow', label: 'Slow SMA (candles)', default: '50', integer: true },
  ],
  rsi_bands: [
    { name: 'window', label: 'RSI window (candles)', default: '14', integer: true },
    { name: 'lower', label: 'Buy below RSI', default: '30', integer: false },
    { name: 'upper', label: 'Sell above RSI', default: '70', integer: false },
  ],
  walk_forward: [
    { name: 'horizon', label: 'Label horizon (candles)', default: '4', integer: true },
    { name: 'folds', label: 'Walk-forward folds', default: '5', integer: true },
  ],
}

/** The error key of a strategy parameter field. */
export const paramField = (name: string) => `param.${name}`

const number = (label: string, { min, max, minInclusive = true }: { min: number; max?: number; minInclusive?: boolean }) =>
  z
    .string()
    .trim()
    .min(1, `Enter ${label}.`)
    .refine((value) => Number.isFinite(Number(value)), `${label[0]?.toUpperCase()}${label.slice(1)} must be a number.`)
    .refine((value) => (minInclusive ? Number(value) >= min : Number(value) > min), `Must be ${minInclusive ? 'at least' : 'more than'} ${min}.`)
    .refine((value) => max === undefined || Number(value) <= max, `Must be at most ${max}.`)

const optionalPercent = z
  .string()
  .trim()
  .refine((value) => value === '' || (Number.isFinite(Number(value)) && Number(value) > 0 && Number(value) < 100), 'Leave empty, or enter a percentage between 0 and 100.')

export const backtestFormSchema = z
  .object({
    market: z.string().min(1, 'Choose a market.'),
    timeframe: z.string().min(1, 'Choose a timeframe.'),
    strategy: z.string().min(1, 'Choose a strategy.'),
    start: z.iso.date('Enter a start date.'),
    end: z.iso.date('Enter an end date.'),
    feePercent: number('the fee', { min: 0, max: 10 }),
    slippageBps: number('the slippage', { min: 0, max: 1000 }),
    initialCash: number('the initial cash', { min: 0, minInclusive: false }),
    stopLossPercent: optionalPercent,
    takeProfitPercent: optionalPercent,
    trailingStopPercent: optionalPercent,
    params: z.record(z.string(), z.string()),
  })
  .superRefine((values, context) => {
    if (values.start !== '' && values.end !== '' && values.end <= values.start) {
      context.addIssue({ code: 'custom', path: ['end'], message: 'The end date must be after the start date.' })
    }
    const numbers: Record<string, number> = {}
    for (const param of STRATEGY_PARAMS[values.strategy] ?? []) {
      const raw = (values.params[param.name] ?? param.default).trim()
      const value = Number(raw)
      if (raw === '' || !Number.isFinite(value) || value <= 0 || (param.integer && !Number.isInteger(value))) {
        context.addIssue({ code: 'custom', path: [paramField(param.name)], message: param.integer ? 'Enter a whole number above 0.' : 'Enter a number above 0.' })
      } else {
        numbers[param.name] = value
      }
    }
    if (values.strategy === 'sma_cross' && numbers.fast !== undefined && numbers.slow !== undefined && numbers.fast >= numbers.slow) {
      context.addIssue({ code: 'custom', path: [paramField('slow')], message: 'The slow average must span more candles than the fast one.' })
    }
    if (values.strategy === 'walk_forward') {
      if (numbers.horizon !== undefined && numbers.horizon > 96) context.addIssue({ code: 'custom', path: [paramField('horizon')], message: 'Enter at most 96 candles.' })
      if (numbers.folds !== undefined && (numbers.folds < 2 || numbers.folds > 12)) context.addIssue({ code: 'custom', path: [paramField('folds')], message: 'Enter between 2 and 12 folds.' })
    }
    if (values.strategy === 'rsi_bands') {
      if (numbers.upper !== undefined && numbers.upper >= 100) context.addIssue({ code: 'custom', path: [paramField('upper')], message: 'RSI runs from 0 to 100: enter less than 100.' })
      if (numbers.lower !== undefined && numbers.upper !== undefined && numbers.lower >= numbers.upper) {
        context.addIssue({ code: 'custom', path: [paramField('upper')], message: 'The sell level must be above the buy level.' })
      }
    }
  })

const fraction = (percent: string) => (percent === '' ? null : Number(percent) / 100)

/** Validate the form; field errors keyed by form field, or the request body. */
export function parseBacktestForm(values: BacktestFormValues): { ok: true; input: BacktestInput } | { ok: false; errors: FieldErrors } {
  const parsed = backtestFormSchema.safeParse(values)
  if (!parsed.success) {
    const errors: FieldErrors = {}
    // One message per field: the first problem found is the one to fix.
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'non_field_errors')
      errors[key] ??= [issue.message]
    }
    return { ok: false, errors }
  }
  const data = parsed.data
  const separator = data.market.indexOf(':')
  const params: Record<string, number> = {}
  for (const param of STRATEGY_PARAMS[data.strategy] ?? []) params[param.name] = Number((data.params[param.name] ?? param.default).trim())
  return {
    ok: true,
    input: {
      exchange: data.market.slice(0, separator),
      symbol: data.market.slice(separator + 1),
      timeframe: data.timeframe,
      strategy: data.strategy,
      params,
      start: `${data.start}T00:00:00Z`,
      end: `${data.end}T00:00:00Z`,
      fee: Number(data.feePercent) / 100,
      slippage_bps: Number(data.slippageBps),
      initial_cash: Number(data.initialCash),
      stops: {
        stop_loss: fraction(data.stopLossPercent),
        take_profit: fraction(data.takeProfitPercent),
        trailing_stop: fraction(data.trailingStopPercent),
      },
    },
  }
}

/** Server field names → the form field that shows the message. */
const SERVER_FIELDS: Record<string, string> = {
  exchange: 'market',
  symbol: 'market',
  market: 'market',
  timeframe: 'timeframe',
  strategy: 'strategy',
  params: 'strategy',
  start: 'start',
  end: 'end',
  fee: 'feePercent',
  slippage_bps: 'slippageBps',
  initial_cash: 'initialCash',
  'stops.stop_loss': 'stopLossPercent',
  'stops.take_profit': 'takeProfitPercent',
  'stops.trailing_stop': 'trailingStopPercent',
  stops: 'stopLossPercent',
}

/** Put the server's field errors beside the right inputs; the rest is returned as general messages. */
export function mapServerErrors(fieldErrors: FieldErrors): { fields: FieldErrors; general: string[] } {
  const fields: FieldErrors = {}
  const general: string[] = []
  for (const [name, messages] of Object.entries(fieldErrors)) {
    const target = name.startsWith('params.') ? paramField(name.slice(7)) : (SERVER_FIELDS[name] ?? SERVER_FIELDS[name.split('.')[0] ?? name])
    if (target === undefined) general.push(...messages.map((message) => `${name}: ${message}`))
    else fields[target] = [...(fields[target] ?? []), ...messages]
  }
  return { fields, general }
}
