import type { Bot, BotCreateRequest, BotStrategy, PatchedBotUpdateRequest, RiskProfileRequest } from '@/features/bots/api/types'
import type { ApiError } from '@/lib/api-client'

export const RULES = ['sma_cross', 'rsi_bands'] as const
export type RuleName = (typeof RULES)[number]

export const RULE_PARAMS: Record<RuleName, readonly { name: string; label: string; initial: string }[]> = {
  sma_cross: [
    { name: 'fast', label: 'Fast SMA (candles)', initial: '20' },
    { name: 'slow', label: 'Slow SMA (candles)', initial: '50' },
  ],
  rsi_bands: [
    { name: 'window', label: 'RSI window', initial: '14' },
    { name: 'lower', label: 'Buy below RSI', initial: '30' },
    { name: 'upper', label: 'Sell above RSI', initial: '70' },
  ],
}

type RiskKind = 'fraction1' | 'fraction' | 'count' | 'seconds' | 'positive' | 'window'

/** The risk profile's inputs: blank means "off" (or the server's default for the required ones). */
export const RISK_FIELDS: readonly { name: keyof RiskProfileRequest; label: string; kind: RiskKind; hint: string }[] = [
  { name: 'max_position', label: 'Max position (share of equity)', kind: 'fraction1', hint: '(0, 1], default 1' },
  { name: 'max_open_positions', label: 'Max open positions', kind: 'count', hint: 'across your bots' },
  { name: 'risk_per_trade', label: 'Risk per trade', kind: 'fraction', hint: 'share of equity at the ATR stop' },
  { name: 'atr_multiple', label: 'ATR multiple', kind: 'positive', hint: 'ATRs to the sizing stop' },
  { name: 'atr_window', label: 'ATR window', kind: 'window', hint: 'candles' },
  { name: 'stop_loss', label: 'Stop-loss', kind: 'fraction', hint: 'below entry, e.g. 0.05' },
  { name: 'take_profit', label: 'Take-profit', kind: 'fraction', hint: 'above entry' },
  { name: 'trailing_stop', label: 'Trailing stop', kind: 'fraction', hint: 'below the high since entry' },
  { name: 'daily_loss_limit', label: 'Daily loss limit', kind: 'fraction', hint: 'halts the bot' },
  { name: 'max_drawdown', label: 'Max drawdown', kind: 'fraction', hint: 'halts the bot' },
  { name: 'cooldown_seconds', label: 'Cooldown after a loss (s)', kind: 'seconds', hint: 'seconds' },
  { name: 'min_confidence', label: 'Min signal confidence', kind: 'fraction1', hint: 'model bots, [0, 1]' },
  { name: 'max_orders_per_hour', label: 'Max orders per hour', kind: 'count', hint: '' },
]

export interface BotFormValues {
  name: string
  market: string
  timeframe: string
  strategy: BotStrategy
  rule_name: RuleName
  params: Record<string, string>
  model_version: string
  buy_threshold: string
  sell_threshold: string
  /** '' (a paper account on the market's exchange, the default), `paper:<id>` or `exchange:<id>` */
  account: string
  capital: string
  risk: Partial<Record<keyof RiskProfileRequest, string>>
}

/** Messages per input, keyed by the API's field names (`rule_params.fast`, `risk_profile.stop_loss`, `account`, …). */
export type BotFormErrors = Record<string, string[]>

export function initialParams(rule: RuleName): Record<string, string> {
  return Object.fromEntries(RULE_PARAMS[rule].map((param) => [param.name, param.initial]))
}

export function emptyBotForm(): BotFormValues {
  return {
    name: '',
    market: '',
    timeframe: '',
    strategy: 'rule',
    rule_name: 'sma_cross',
    params: initialParams('sma_cross'),
    model_version: '',
    buy_threshold: '0.5',
    sell_threshold: '0.5',
    account: '',
    capital: '1000',
    risk: { max_position: '1' },
  }
}

function text(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value)
}

/** The form filled from an existing bot (for editing). */
export function botFormFromBot(bot: Bot): BotFormValues {
  const rule: RuleName = bot.rule_name === 'rsi_bands' ? 'rsi_bands' : 'sma_cross'
  const params = { ...initialParams(rule), ...Object.fromEntries(Object.entries(bot.rule_params).map(([key, value]) => [key, String(value)])) }
  const risk = Object.fromEntries(RISK_FIELDS.map((field) => [field.name, text(bot.risk_profile?.[field.name] ?? null)]))
  return {
    name: bot.name,
    market: String(bot.market),
    timeframe: bot.timeframe,
    strategy: bot.strategy,
    rule_name: rule,
    params,
    model_version: text(bot.model_version),
    buy_threshold: String(bot.buy_threshold),
    sell_threshold: String(bot.sell_threshold),
    account: bot.account.kind === 'paper' ? `paper:${bot.account.id}` : `exchange:${bot.account.id}`,
    capital: bot.capital,
    risk,
  }
}

const NUMBER = /^-?\d+(\.\d+)?$/

function parseNumber(value: string): number | null {
  const trimmed = value.trim()
  return NUMBER.test(trimmed) ? Number(trimmed) : null
}

function checkRisk(values: BotFormValues, errors: BotFormErrors): RiskProfileRequest {
  const risk: Record<string, number | null> = {}
  for (const field of RISK_FIELDS) {
    const raw = (values.risk[field.name] ?? '').trim()
    const key = `risk_profile.${field.name}`
    if (raw === '') {
      // Blank turns the rule off; the required ones keep the server's default.
      if (field.kind !== 'fraction1' && field.kind !== 'positive' && field.kind !== 'window') risk[field.name] = null
      else if (field.name === 'min_confidence') risk[field.name] = null
      continue
    }
    const value = parseNumber(raw)
    const bad = (message: string) => (errors[key] = [message])
    if (value === null) {
      bad('Enter a number (digits and a dot).')
      continue
    }
    if (field.kind === 'fraction1' && !(value > 0 && value <= 1) && !(field.name === 'min_confidence' && value === 0)) bad('Enter a fraction in (0, 1].')
    else if (field.kind === 'fraction' && !(value > 0 && value < 1)) bad('Enter a fraction between 0 and 1 (both excluded).')
    else if (field.kind === 'count' && !(Number.isInteger(value) && value >= 1)) bad('Enter a whole number of at least 1.')
    else if (field.kind === 'window' && !(Number.isInteger(value) && value >= 1)) bad('Enter a whole number of candles of at least 1.')
    else if (field.kind === 'seconds' && !(Number.isInteger(value) && value >= 0)) bad('Enter whole seconds, 0 or more.')
    else if (field.kind === 'positive' && !(value > 0)) bad('Enter a number greater than 0.')
    risk[field.name] = value
  }
  return risk as RiskProfileRequest
}

function checkParams(values: BotFormValues, errors: BotFormErrors): Record<string, number> {
  const params: Record<string, number> = {}
  for (const param of RULE_PARAMS[values.rule_name]) {
    const value = parseNumber(values.params[param.name] ?? '')
    if (value === null) errors[`rule_params.${param.name}`] = ['Enter a number.']
    else params[param.name] = value
  }
  if (values.rule_name === 'sma_cross') {
    const { fast, slow } = params
    if (fast !== undefined && !(Number.isInteger(fast) && fast >= 1)) errors['rule_params.fast'] = ['Enter a whole number of at least 1.']
    else if (fast !== undefined && slow !== undefined && fast >= slow) errors['rule_params.fast'] = ['The fast SMA must be shorter than the slow one.']
    if (slow !== undefined && !Number.isInteger(slow)) errors['rule_params.slow'] = ['Enter a whole number.']
  } else {
    const { window, lower, upper } = params
    if (window !== undefined && !(Number.isInteger(window) && window >= 2)) errors['rule_params.window'] = ['Enter a whole number of at least 2.']
    if (lower !== undefined && upper !== undefined && !(lower > 0 && lower < upper && upper < 100)) errors['rule_params.lower'] = ['Need 0 < buy level < sell level < 100.']
  }
  return params
}

function checkThreshold(name: 'buy_threshold' | 'sell_threshold', raw: string, errors: BotFormErrors): number {
  const value = parseNumber(raw)
  if (value === null || value < 0 || value > 1) errors[name] = ['Enter a probability between 0 and 1.']
  return value ?? 0
}

export type BotFormResult<T> = { ok: true; body: T } | { ok: false; errors: BotFormErrors }

/** Check a new bot before anything is sent; returns the `POST /api/bots/` body or the errors per field. */
export function validateNewBot(values: BotFormValues): BotFormResult<BotCreateRequest> {
  const errors: BotFormErrors = {}
  const name = values.name.trim()
  if (name === '' || name.length > 64) errors.name = ['Give the bot a name of 1 to 64 characters.']
  const market = Number(values.market)
  if (!Number.isInteger(market) || market < 1) errors.market = ['Choose a market.']
  if (values.timeframe === '') errors.timeframe = ['Choose a timeframe.']
  const capital = parseNumber(values.capital)
  if (capital === null || capital <= 0) errors.capital = ['Enter an amount greater than 0.']
  const body: BotCreateRequest = { name, market, timeframe: values.timeframe, strategy: values.strategy }
  if (values.strategy === 'rule') {
    body.rule_name = values.rule_name
    body.rule_params = checkParams(values, errors)
  } else {
    if (values.strategy === 'model') {
      const version = Number(values.model_version)
      if (values.model_version === '' || !Number.isInteger(version)) errors.model_version = ['Choose a model of this market and timeframe.']
      body.model_version = version
    }
    body.buy_threshold = checkThreshold('buy_threshold', values.buy_threshold, errors)
    body.sell_threshold = checkThreshold('sell_threshold', values.sell_threshold, errors)
  }
  const [kind, id] = values.account.split(':')
  if (kind === 'paper') body.paper_account = Number(id)
  if (kind === 'exchange') body.exchange_account = Number(id)
  body.capital = values.capital.trim()
  body.risk_profile = checkRisk(values, errors)
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, body }
}

/** Check an edit of `bot`: only what the API lets change (name, parameters, thresholds, risk). */
export function validateBotChanges(values: BotFormValues, bot: Bot): BotFormResult<PatchedBotUpdateRequest> {
  const errors: BotFormErrors = {}
  const name = values.name.trim()
  if (name === '' || name.length > 64) errors.name = ['Give the bot a name of 1 to 64 characters.']
  const body: PatchedBotUpdateRequest = { name }
  if (bot.strategy === 'rule') body.rule_params = checkParams({ ...values, rule_name: bot.rule_name === 'rsi_bands' ? 'rsi_bands' : 'sma_cross' }, errors)
  else {
    body.buy_threshold = checkThreshold('buy_threshold', values.buy_threshold, errors)
    body.sell_threshold = checkThreshold('sell_threshold', values.sell_threshold, errors)
  }
  body.risk_profile = checkRisk(values, errors)
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, body }
}

const ALIASES: Record<string, string> = { paper_account: 'account', exchange_account: 'account', risk_profile: 'risk_profile', rule_params: 'rule_params' }

/**
 * Place an API error on the form: each named input's messages under it (`risk_profile.stop_loss`
 * under the stop-loss input); messages naming no input of the form go above it.
 */
export function serverBotErrors(error: ApiError, known: ReadonlySet<string>): { fields: BotFormErrors; general: string[] } {
  const fields: BotFormErrors = {}
  const general: string[] = []
  const names = new Set([...Object.keys(error.fields), ...(error.field === null ? [] : [error.field])])
  for (const name of names) {
    const messages = error.messagesFor(name)
    const target = ALIASES[name] ?? name
    if (known.has(target)) fields[target] = [...(fields[target] ?? []), ...messages]
    else general.push(...messages)
  }
  if (Object.keys(fields).length === 0 && general.length === 0) general.push(error.message)
  return { fields, general }
}
