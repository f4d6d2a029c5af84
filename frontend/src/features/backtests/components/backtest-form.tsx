import { useRef, useState, type FormEvent } from 'react'
import { useCreateBacktest } from '@/features/backtests/api/backtests'
import { marketKey, useMarkets } from '@/features/markets'
import { useModels } from '@/features/models'
import { AlertIcon } from '@/components/icons'
import { Button } from '@/components/ui/button'
import { SelectField } from '@/components/ui/select-field'
import { TextField } from '@/components/ui/text-field'
import { ApiError, errorMessage, type FieldErrors } from '@/lib/api-client'
import { STRATEGY_PARAMS, mapServerErrors, paramField, parseBacktestForm, type BacktestFormValues } from '@/features/backtests/lib/backtest-form'
import { toast } from '@/lib/toast-store'
import type { BacktestRun } from '@/features/backtests/api/types'

const DAY_MS = 86_400_000

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10)
}

function initialValues(): BacktestFormValues {
  const today = new Date()
  return {
    market: '',
    timeframe: '1h',
    strategy: 'sma_cross',
    start: isoDay(new Date(today.getTime() - 30 * DAY_MS)),
    end: isoDay(today),
    feePercent: '0.1',
    slippageBps: '5',
    initialCash: '10000',
    stopLossPercent: '',
    takeProfitPercent: '',
    trailingStopPercent: '',
    params: {},
  }
}

const FIELD_ORDER: (keyof BacktestFormValues)[] = [
  'market',
  'timeframe',
  'strategy',
  'start',
  'end',
  'feePercent',
  'slippageBps',
  'initialCash',
  'stopLossPercent',
  'takeProfitPercent',
  'trailingStopPercent',
]

/** Start a backtest. Errors appear beside their fields; a double click sends one request. */
export function BacktestForm({ onCreated }: { onCreated: (backtest: BacktestRun) => void }) {
  const markets = useMarkets()
  const models = useModels()
  const create = useCreateBacktest()
  const [values, setValues] = useState<BacktestFormValues>(initialValues)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [general, setGeneral] = useState<string[]>([])
  const submitting = useRef(false)
  const formRef = useRef<HTMLFormElement>(null)

  const marketList = markets.data ?? []
  const market = marketList.find((item) => marketKey(item) === values.market) ?? marketList[0] ?? null
  const timeframes = market === null || market.timeframes.length === 0 ? ['1h'] : market.timeframes
  const timeframe = timeframes.includes(values.timeframe) ? values.timeframe : (timeframes[0] ?? '1h')
  // A model can only be replayed on a market and timeframe it was trained for.
  const usableModels = (models.data ?? []).filter(
    (model) => model.timeframe === timeframe && market !== null && model.markets.some((ref) => ref.exchange === market.exchange && ref.symbol === market.symbol),
  )
  const strategies = [
    { value: 'sma_cross', label: 'SMA cross (fast over slow)' },
    { value: 'rsi_bands', label: 'RSI bands (buy oversold, sell overbought)' },
    { value: 'walk_forward', label: 'Model walk-forward (retrain, trade out-of-sample only)' },
    ...usableModels.map((model) => ({ value: `model:${model.id}`, label: `Model #${model.id} (${model.status})${model.status === 'champion' ? ' ★' : ''}` })),
  ]
  const effective: BacktestFormValues = {
    ...values,
    market: values.market === '' && market !== null ? marketKey(market) : values.market,
    timeframe,
    strategy: strategies.some((option) => option.value === values.strategy) ? values.strategy : 'sma_cross',
  }

  const setParam = (name: string) => (value: string) => {
    setValues((current) => ({ ...current, params: { ...current.params, [name]: value } }))
    setErrors((current) => {
      const key = paramField(name)
      if (current[key] === undefined) return current
      const next = { ...current }
      delete next[key]
      return next
    })
  }

  const set = (name: Exclude<keyof BacktestFormValues, 'params'>) => (value: string) => {
    setValues((current) => ({ ...current, [name]: value }))
    setErrors((current) => {
      if (current[name] === undefined) return current
      const next = { ...current }
      delete next[name]
      return next
    })
  }

  const focusFirstError = (fieldErrors: FieldErrors) => {
    const order = [...FIELD_ORDER.slice(0, 3), ...(STRATEGY_PARAMS[values.strategy] ?? []).map((param) => paramField(param.name)), ...FIELD_ORDER.slice(3)]
    const first = order.find((name) => fieldErrors[name] !== undefined)
    if (first !== undefined) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus()
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (submitting.current || create.isPending) return
    const parsed = parseBacktestForm(effective)
    if (!parsed.ok) {
      setErrors(parsed.errors)
      setGeneral([])
      focusFirstError(parsed.errors)
      return
    }
    submitting.current = true
    setErrors({})
    setGeneral([])
    create.mutate(parsed.input, {
      onSuccess: (backtest) => {
        toast({ variant: 'info', title: `Backtest #${backtest.id} started`, description: 'Progress shows below; you will be told when it finishes.' })
        onCreated(backtest)
      },
      onError: (error) => {
        if (error instanceof ApiError && error.hasFieldErrors) {
          const mapped = mapServerErrors(error.fieldErrors)
          setErrors(mapped.fields)
          setGeneral([...error.nonFieldErrors, ...mapped.general])
          focusFirstError(mapped.fields)
        } else if (error instanceof ApiError && error.nonFieldErrors.length > 0) {
          setGeneral(error.nonFieldErrors)
        } else {
          setGeneral([`${errorMessage(error)}`])
        }
      },
      onSettled: () => {
        submitting.current = false
      },
    })
  }

  const field = (name: Exclude<keyof BacktestFormValues, 'params'>) => ({
    name,
    value: effective[name],
    errors: errors[name] ?? [],
  })

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-labelledby="backtest-form-title" className="space-y-4">
      <h2 id="backtest-form-title" className="text-base font-semibold text-white">
        New backtest
      </h2>
      {general.length > 0 ? (
        <div role="alert" className="flex items-start gap-2 rounded-lg border border-rose-400/30 bg-rose-400/5 p-3 text-sm text-rose-200">
          <AlertIcon className="mt-0.5 size-4 shrink-0" />
          <p>{general.join(' ')}</p>
        </div>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Market"
          {...field('market')}
          onChange={(event) => set('market')(event.target.value)}
          options={marketList.length === 0 ? [{ value: '', label: markets.isPending ? 'Loading markets…' : 'No markets available' }] : marketList.map((item) => ({ value: marketKey(item), label: `${item.symbol} · ${item.exchange}` }))}
        />
        <SelectField label="Timeframe" {...field('timeframe')} onChange={(event) => set('timeframe')(event.target.value)} options={timeframes.map((value) => ({ value, label: value }))} />
        <SelectField label="Strategy" className="sm:col-span-2" {...field('strategy')} onChange={(event) => set('strategy')(event.target.value)} options={strategies} />
        {(STRATEGY_PARAMS[effective.strategy] ?? []).map((param) => (
          <TextField
            key={`${effective.strategy}-${param.name}`}
            label={param.label}
            name={paramField(param.name)}
            inputMode="decimal"
            value={effective.params[param.name] ?? param.default}
            errors={errors[paramField(param.name)] ?? []}
            onChange={(event) => setParam(param.name)(event.target.value)}
          />
        ))}
        <TextField label="Start date (UTC)" type="date" {...field('start')} onChange={(event) => set('start')(event.target.value)} />
        <TextField label="End date (UTC)" type="date" {...field('end')} onChange={(event) => set('end')(event.target.value)} />
        <TextField label="Fee per trade (%)" inputMode="decimal" hint="Taker fee, e.g. 0.1 for Binance spot" {...field('feePercent')} onChange={(event) => set('feePercent')(event.target.value)} />
        <TextField label="Slippage (basis points)" inputMode="decimal" hint="1 bp = 0.01 %" {...field('slippageBps')} onChange={(event) => set('slippageBps')(event.target.value)} />
        <TextField label="Initial cash (quote currency)" inputMode="decimal" {...field('initialCash')} onChange={(event) => set('initialCash')(event.target.value)} />
        <TextField label="Stop loss (%)" inputMode="decimal" placeholder="none" hint="Optional" {...field('stopLossPercent')} onChange={(event) => set('stopLossPercent')(event.target.value)} />
        <TextField label="Take profit (%)" inputMode="decimal" placeholder="none" hint="Optional" {...field('takeProfitPercent')} onChange={(event) => set('takeProfitPercent')(event.target.value)} />
        <TextField label="Trailing stop (%)" inputMode="decimal" placeholder="none" hint="Optional" {...field('trailingStopPercent')} onChange={(event) => set('trailingStopPercent')(event.target.value)} />
      </div>
      <Button type="submit" isLoading={create.isPending} className="w-full sm:w-auto">
        {create.isPending ? 'Starting…' : 'Run backtest'}
      </Button>
    </form>
  )
}
