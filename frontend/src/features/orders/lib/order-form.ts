import type { AccountKind, NewOrder, OrderSide, OrderType } from '@/features/orders/api/types'
import type { ApiError } from '@/lib/api-client'

export type OrderFormField = 'account' | 'symbol' | 'side' | 'type' | 'amount' | 'price' | 'confirm'
export type OrderFormErrors = Partial<Record<OrderFormField, string[]>>

export interface OrderFormValues {
  /** `paper:<id>` or `exchange:<id>` */
  account: string
  symbol: string
  side: OrderSide
  type: OrderType
  amount: string
  price: string
  /** The symbol typed again, required for a live account. */
  confirm: string
}

export interface AccountOption {
  value: string
  kind: AccountKind
  id: number
  label: string
  exchange: string
}

const SYMBOL = /^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/
const DECIMAL = /^\d+(\.\d+)?$/

export function normalizeSymbol(value: string): string {
  return value.trim().toUpperCase()
}

function positiveDecimal(value: string): string | null {
  const text = value.trim()
  if (!DECIMAL.test(text) || Number(text) <= 0) return null
  return text
}

export type OrderFormResult = { ok: true; order: NewOrder } | { ok: false; errors: OrderFormErrors }

/** Check the manual order form before anything is sent; returns the request body or the errors per field. */
export function validateOrderForm(values: OrderFormValues, account: AccountOption | null): OrderFormResult {
  const errors: OrderFormErrors = {}
  const symbol = normalizeSymbol(values.symbol)
  if (account === null) errors.account = ['Choose the account to trade with.']
  if (!SYMBOL.test(symbol)) errors.symbol = ['Enter a market symbol such as BTC/USDT.']
  const amount = positiveDecimal(values.amount)
  if (amount === null) errors.amount = ['Enter an amount greater than 0 (digits and a dot, e.g. 0.001).']
  const price = values.type === 'limit' ? positiveDecimal(values.price) : null
  if (values.type === 'limit' && price === null) errors.price = ['Enter a limit price greater than 0.']
  if (account?.kind === 'live' && normalizeSymbol(values.confirm) !== symbol) {
    errors.confirm = [`Type ${symbol === '' ? 'the symbol' : symbol} to confirm an order with real money.`]
  }
  if (Object.keys(errors).length > 0 || account === null || amount === null) return { ok: false, errors }

  const target = account.kind === 'paper' ? { paper_account: account.id } : { exchange_account: account.id }
  return {
    ok: true,
    order: { ...target, symbol, side: values.side, type: values.type, amount, ...(price === null ? {} : { price }) },
  }
}

const SERVER_FIELDS: Record<string, OrderFormField> = {
  account: 'account',
  paper_account: 'account',
  exchange_account: 'account',
  symbol: 'symbol',
  side: 'side',
  type: 'type',
  amount: 'amount',
  price: 'price',
}

/**
 * Place an API error (the `{code, message, field, fields}` shape) on the form: each named input's
 * messages under that input, the rest (and errors naming no input) as form-wide messages.
 */
export function serverOrderErrors(error: ApiError): { fields: OrderFormErrors; general: string[] } {
  const fields: OrderFormErrors = {}
  const general: string[] = []
  const names = new Set([...Object.keys(error.fields), ...(error.field === null ? [] : [error.field])])
  for (const name of names) {
    const messages = error.messagesFor(name)
    const target = SERVER_FIELDS[name]
    if (target === undefined) general.push(...messages)
    else fields[target] = [...(fields[target] ?? []), ...messages]
  }
  if (Object.keys(fields).length === 0 && general.length === 0) general.push(error.message)
  return { fields, general }
}

/** A fresh Idempotency-Key for one order intent. */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID()
}
