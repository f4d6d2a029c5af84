import { z } from 'zod'
import type { FieldErrors } from '@/lib/api-client'
import type { BacktestInput } from '@/types/backtests'

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
}

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
  })
  .superRefine((values, context) => {
    if (values.start !== '' && values.end !== '' && values.end <= values.start) {
      context.addIssue({ code: 'custom', path: ['end'], message: 'The end date must be after the start date.' })
    }
  })

const fraction = (percent: string) => (percent === '' ? null : Number(percent) / 100)

/** Validate the form; field errors keyed by form field, or the request body. */
export function parseBacktestForm(values: BacktestFormValues): { ok: true; input: BacktestInput } | { ok: false; errors: FieldErrors } {
  const parsed = backtestFormSchema.safeParse(values)
  if (!parsed.success) {
    const errors: FieldErrors = {}
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'non_field_errors')
      errors[key] = [...(errors[key] ?? []), issue.message]
    }
    return { ok: false, errors }
  }
  const data = parsed.data
  const separator = data.market.indexOf(':')
  return {
    ok: true,
    input: {
      exchange: data.market.slice(0, separator),
      symbol: data.market.slice(separator + 1),
      timeframe: data.timeframe,
      strategy: data.strategy,
      start: `${data.start}T00:00:00Z`,
      end: `${data.end}T00:00:00Z`,
      fee_rate: Number(data.feePercent) / 100,
      slippage_bps: Number(data.slippageBps),
      initial_cash: Number(data.initialCash),
      stop_loss: fraction(data.stopLossPercent),
      take_profit: fraction(data.takeProfitPercent),
      trailing_stop: fraction(data.trailingStopPercent),
    },
  }
}

/** Server field names → the form field that shows the message. */
const SERVER_FIELDS: Record<string, keyof BacktestFormValues> = {
  exchange: 'market',
  symbol: 'market',
  market: 'market',
  timeframe: 'timeframe',
  strategy: 'strategy',
  start: 'start',
  end: 'end',
  fee_rate: 'feePercent',
  slippage_bps: 'slippageBps',
  initial_cash: 'initialCash',
  stop_loss: 'stopLossPercent',
  take_profit: 'takeProfitPercent',
  trailing_stop: 'trailingStopPercent',
}

/** Put the server's field errors beside the right inputs; the rest is returned as general messages. */
export function mapServerErrors(fieldErrors: FieldErrors): { fields: FieldErrors; general: string[] } {
  const fields: FieldErrors = {}
  const general: string[] = []
  for (const [name, messages] of Object.entries(fieldErrors)) {
    const target = SERVER_FIELDS[name.split('.')[0] ?? name]
    if (target === undefined) general.push(...messages.map((message) => `${name}: ${message}`))
    else fields[target] = [...(fields[target] ?? []), ...messages]
  }
  return { fields, general }
}
