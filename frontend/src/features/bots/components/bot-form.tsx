import { useRef, useState, type FormEvent } from 'react'
import { AlertIcon } from '@/components/icons'
import { Button } from '@/components/ui/button'
import { SelectField } from '@/components/ui/select-field'
import { TextField } from '@/components/ui/text-field'
import { useCreateBot, useUpdateBot } from '@/features/bots/api/bots'
import type { Bot } from '@/features/bots/api/types'
import {
  RISK_FIELDS,
  RULE_PARAMS,
  botFormFromBot,
  emptyBotForm,
  initialParams,
  serverBotErrors,
  validateBotChanges,
  validateNewBot,
  type BotFormErrors,
  type BotFormValues,
} from '@/features/bots/lib/bot-form'
import { useMarkets } from '@/features/markets'
import { useModels } from '@/features/models'
import { usePaperAccounts } from '@/features/orders'
import { useExchangeAccounts } from '@/features/settings'
import { ApiError, errorMessage } from '@/lib/api-client'
import { toast } from '@/lib/toast-store'

const KIND_LABELS = { paper: 'Paper', testnet: 'Testnet', live: 'Live' } as const

/**
 * Create a bot, or edit one (`bot` given: only its name, rule parameters or thresholds and risk
 * profile can change). Inputs are checked before sending; the server's field errors are shown
 * under the input they name.
 */
export function BotForm({ bot, onDone }: { bot?: Bot; onDone: (bot: Bot) => void }) {
  const editing = bot !== undefined
  const markets = useMarkets()
  const models = useModels()
  const paper = usePaperAccounts()
  const exchangeAccounts = useExchangeAccounts()
  const create = useCreateBot()
  const update = useUpdateBot()
  const [values, setValues] = useState<BotFormValues>(() => (bot === undefined ? emptyBotForm() : botFormFromBot(bot)))
  const [errors, setErrors] = useState<BotFormErrors>({})
  const [general, setGeneral] = useState<string[]>([])
  const formRef = useRef<HTMLFormElement>(null)
  const pending = create.isPending || update.isPending

  const marketList = (markets.data ?? []).filter((item) => item.enabled || String(item.id) === values.market)
  const marketValue = values.market === '' ? String(marketList[0]?.id ?? '') : values.market
  const market = marketList.find((item) => String(item.id) === marketValue) ?? null
  const timeframes = market?.timeframes ?? []
  const timeframeValue = values.timeframe === '' || !timeframes.includes(values.timeframe) ? (timeframes[0] ?? values.timeframe) : values.timeframe
  const modelOptions = (models.data ?? []).filter(
    (model) => market !== null && model.timeframe === timeframeValue && model.markets.some((ref) => ref.exchange === market.exchange && ref.symbol === market.symbol),
  )
  const accounts = [
    ...(paper.data ?? []).filter((item) => market === null || item.exchange === market.exchange).map((item) => ({ value: `paper:${item.id}`, label: `Paper · ${item.label}` })),
    ...(exchangeAccounts.data ?? [])
      .filter((item) => market === null || item.exchange === market.exchange)
      .map((item) => ({ value: `exchange:${item.id}`, label: `${KIND_LABELS[item.mode]} · ${item.label} (${item.exchange})` })),
  ]

  const set = <K extends keyof BotFormValues>(name: K, value: BotFormValues[K], errorKey: string = name) => {
    setValues((current) => ({ ...current, [name]: value }))
    if (errors[errorKey] !== undefined) setErrors(({ [errorKey]: _dropped, ...rest }) => rest)
  }
  const setNested = (group: 'params' | 'risk', name: string, value: string) => {
    setValues((current) => ({ ...current, [group]: { ...current[group], [name]: value } }))
    const key = group === 'params' ? `rule_params.${name}` : `risk_profile.${name}`
    if (errors[key] !== undefined) setErrors(({ [key]: _dropped, ...rest }) => rest)
  }
  const errorsOf = (name: string) => errors[name] ?? []

  const show = (found: BotFormErrors, messages: string[]) => {
    setErrors(found)
    setGeneral(messages)
    const first = Object.keys(found)[0]
    if (first !== undefined) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus()
  }

  const onError = (error: unknown) => {
    if (error instanceof ApiError && error.status !== 0 && error.status < 500) {
      const known = new Set(Array.from(formRef.current?.querySelectorAll<HTMLElement>('[name]') ?? [], (element) => element.getAttribute('name') ?? ''))
      const placed = serverBotErrors(error, known)
      show(placed.fields, placed.general)
    } else show({}, [errorMessage(error)])
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (pending) return
    const current = { ...values, market: marketValue, timeframe: timeframeValue }
    if (bot === undefined) {
      const result = validateNewBot(current)
      if (!result.ok) return show(result.errors, [])
      show({}, [])
      create.mutate(result.body, {
        onSuccess: (created) => {
          toast({ id: `bot-${created.id}`, variant: 'success', title: `Bot ${created.name} created`, description: 'It is stopped: start it when you are ready.' })
          setValues(emptyBotForm())
          onDone(created)
        },
        onError,
      })
    } else {
      const result = validateBotChanges(current, bot)
      if (!result.ok) return show(result.errors, [])
      show({}, [])
      update.mutate(
        { id: bot.id, changes: result.body },
        {
          onSuccess: (saved) => {
            toast({ id: `bot-${saved.id}`, variant: 'success', title: `Bot ${saved.name} saved` })
            onDone(saved)
          },
          onError,
        },
      )
    }
  }

  const title = editing ? `Edit ${bot.name}` : 'New bot'
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label={title} className="space-y-4">
      <h2 className="text-base font-semibold text-white">{title}</h2>
      {general.length === 0 ? null : (
        <div role="alert" className="flex items-start gap-2 rounded-lg border border-rose-400/30 bg-rose-400/5 p-3 text-sm text-rose-200">
          <AlertIcon className="mt-0.5 size-4 shrink-0" />
          <p>{general.join(' ')}</p>
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" name="name" autoComplete="off" className="sm:col-span-2" value={values.name} errors={errorsOf('name')} onChange={(event) => set('name', event.target.value)} />
        <SelectField
          label="Market"
          name="market"
          disabled={editing}
          value={marketValue}
          errors={errorsOf('market')}
          onChange={(event) => set('market', event.target.value)}
          options={marketList.length === 0 ? [{ value: '', label: markets.isPending ? 'Loading markets…' : 'No market' }] : marketList.map((item) => ({ value: String(item.id), label: `${item.symbol} (${item.exchange})` }))}
        />
        <SelectField
          label="Timeframe"
          name="timeframe"
          disabled={editing}
          value={timeframeValue}
          errors={errorsOf('timeframe')}
          onChange={(event) => set('timeframe', event.target.value)}
          options={timeframes.length === 0 ? [{ value: '', label: '—' }] : timeframes.map((item) => ({ value: item, label: item }))}
        />
        <SelectField
          label="Strategy"
          name="strategy"
          disabled={editing}
          value={values.strategy}
          errors={errorsOf('strategy')}
          onChange={(event) => set('strategy', event.target.value === 'model' ? 'model' : event.target.value === 'champion' ? 'champion' : 'rule')}
          options={[
            { value: 'rule', label: 'Rule' },
            { value: 'model', label: 'A registered model' },
            { value: 'champion', label: "The market's champion model" },
          ]}
        />
        {values.strategy === 'rule' ? (
          <SelectField
            label="Rule"
            name="rule_name"
            disabled={editing}
            value={values.rule_name}
            errors={errorsOf('rule_name')}
            onChange={(event) => {
              const rule = event.target.value === 'rsi_bands' ? 'rsi_bands' : 'sma_cross'
              setValues((current) => ({ ...current, rule_name: rule, params: initialParams(rule) }))
            }}
            options={[
              { value: 'sma_cross', label: 'SMA cross' },
              { value: 'rsi_bands', label: 'RSI bands' },
            ]}
          />
        ) : null}
        {values.strategy === 'model' ? (
          <SelectField
            label="Model"
            name="model_version"
            disabled={editing}
            value={values.model_version}
            errors={errorsOf('model_version')}
            onChange={(event) => set('model_version', event.target.value)}
            options={[
              { value: '', label: modelOptions.length === 0 ? 'No model for this market and timeframe' : 'Choose a model' },
              ...modelOptions.map((model) => ({ value: String(model.id), label: `#${model.id} · ${model.status} (${model.feature_set_version})` })),
            ]}
          />
        ) : null}
        {values.strategy === 'rule'
          ? RULE_PARAMS[values.rule_name].map((param) => (
              <TextField
                key={param.name}
                label={param.label}
                name={`rule_params.${param.name}`}
                inputMode="decimal"
                autoComplete="off"
                value={values.params[param.name] ?? ''}
                errors={errorsOf(`rule_params.${param.name}`)}
                onChange={(event) => setNested('params', param.name, event.target.value)}
              />
            ))
          : (['buy_threshold', 'sell_threshold'] as const).map((name) => (
              <TextField
                key={name}
                label={name === 'buy_threshold' ? 'Buy when P(BUY) ≥' : 'Sell when P(SELL) ≥'}
                name={name}
                inputMode="decimal"
                autoComplete="off"
                value={values[name]}
                errors={errorsOf(name)}
                onChange={(event) => set(name, event.target.value)}
              />
            ))}
        <SelectField
          label="Account"
          name="account"
          disabled={editing}
          value={values.account}
          errors={errorsOf('account')}
          onChange={(event) => set('account', event.target.value)}
          options={[{ value: '', label: 'Paper account (default)' }, ...accounts]}
        />
        <TextField label="Capital (quote currency)" name="capital" inputMode="decimal" autoComplete="off" disabled={editing} value={values.capital} errors={errorsOf('capital')} onChange={(event) => set('capital', event.target.value)} />
      </div>
      <fieldset className="space-y-3 rounded-lg border border-white/10 p-3">
        <legend className="px-1 text-sm font-semibold text-white">Risk profile</legend>
        <p className="text-xs text-slate-400">Leave a rule blank to turn it off.</p>
        <div className="grid gap-4 sm:grid-cols-2">
          {RISK_FIELDS.map((field) => (
            <TextField
              key={field.name}
              label={field.label}
              name={`risk_profile.${field.name}`}
              inputMode="decimal"
              autoComplete="off"
              hint={field.hint === '' ? undefined : field.hint}
              value={values.risk[field.name] ?? ''}
              errors={errorsOf(`risk_profile.${field.name}`)}
              onChange={(event) => setNested('risk', field.name, event.target.value)}
            />
          ))}
        </div>
      </fieldset>
      <Button type="submit" isLoading={pending} disabled={pending}>
        {editing ? 'Save bot' : 'Create bot'}
      </Button>
    </form>
  )
}
