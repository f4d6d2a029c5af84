import { useId, useRef, useState, type FormEvent } from 'react'
import { AlertIcon } from '@/components/icons'
import { Button } from '@/components/ui/button'
import { SelectField } from '@/components/ui/select-field'
import { TextField } from '@/components/ui/text-field'
import { useMarkets } from '@/features/markets'
import { useCreateOrder, usePaperAccounts } from '@/features/orders/api/orders'
import {
  newIdempotencyKey,
  normalizeSymbol,
  serverOrderErrors,
  validateOrderForm,
  type AccountOption,
  type OrderFormErrors,
  type OrderFormField,
  type OrderFormValues,
} from '@/features/orders/lib/order-form'
import { useExchangeAccounts } from '@/features/settings'
import { ApiError, errorMessage } from '@/lib/api-client'
import { toast } from '@/lib/toast-store'

const FIELD_ORDER: readonly OrderFormField[] = ['account', 'symbol', 'side', 'type', 'amount', 'price', 'confirm']

const INITIAL: OrderFormValues = { account: '', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '', price: '', confirm: '' }

const KIND_LABELS = { paper: 'Paper', testnet: 'Testnet', live: 'Live' } as const

/**
 * A manual order. The paper account is chosen by default; a live account asks for the symbol to be
 * typed again. Each submission carries an Idempotency-Key, reused when the very same order is sent
 * again (a retry after a lost answer), so the server never places it twice.
 */
export function OrderForm() {
  const paper = usePaperAccounts()
  const exchangeAccounts = useExchangeAccounts()
  const markets = useMarkets()
  const create = useCreateOrder()
  const [values, setValues] = useState<OrderFormValues>(INITIAL)
  const [errors, setErrors] = useState<OrderFormErrors>({})
  const [general, setGeneral] = useState<string[]>([])
  const submitting = useRef(false)
  const intent = useRef<{ body: string; key: string } | null>(null)
  const formRef = useRef<HTMLFormElement>(null)
  const listId = useId()

  const accounts: AccountOption[] = [
    ...(paper.data ?? []).map((item) => ({ value: `paper:${item.id}`, kind: 'paper' as const, id: item.id, label: item.label, exchange: item.exchange })),
    ...(exchangeAccounts.data ?? []).map((item) => ({ value: `exchange:${item.id}`, kind: item.mode, id: item.id, label: item.label, exchange: item.exchange })),
  ]
  const accountValue = values.account === '' ? (accounts.find((item) => item.kind === 'paper')?.value ?? accounts[0]?.value ?? '') : values.account
  const account = accounts.find((item) => item.value === accountValue) ?? null
  const symbols = [...new Set((markets.data ?? []).filter((item) => account === null || item.exchange === account.exchange).map((item) => item.symbol))]

  const set = <K extends keyof OrderFormValues>(name: K, value: OrderFormValues[K]) => {
    setValues((current) => ({ ...current, [name]: value }))
    if (errors[name] !== undefined) setErrors(({ [name]: _dropped, ...rest }) => rest)
  }

  const focusFirst = (found: OrderFormErrors) => {
    const first = FIELD_ORDER.find((name) => found[name] !== undefined)
    if (first !== undefined) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus()
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (submitting.current || create.isPending) return
    const result = validateOrderForm({ ...values, account: accountValue }, account)
    if (!result.ok) {
      setErrors(result.errors)
      setGeneral([])
      focusFirst(result.errors)
      return
    }
    const body = JSON.stringify(result.order)
    if (intent.current?.body !== body) intent.current = { body, key: newIdempotencyKey() }
    submitting.current = true
    setErrors({})
    setGeneral([])
    create.mutate(
      { order: result.order, idempotencyKey: intent.current.key },
      {
        onSuccess: (order) => {
          intent.current = null
          toast({ id: `order-${order.id}`, variant: 'success', title: `Order #${order.id} placed`, description: `${order.side} ${order.amount} ${order.symbol} (${order.type}) on ${order.account.label}.` })
          setValues((current) => ({ ...current, amount: '', price: '', confirm: '' }))
        },
        onError: (error) => {
          if (error instanceof ApiError && error.status !== 0 && error.status < 500) {
            // The server answered: this order was refused, a corrected one is a new intent.
            intent.current = null
            const placed = serverOrderErrors(error)
            setErrors(placed.fields)
            setGeneral(placed.general)
            focusFirst(placed.fields)
          } else {
            setGeneral([`${errorMessage(error)} Sending the same order again will not place it twice.`])
          }
        },
        onSettled: () => {
          submitting.current = false
        },
      },
    )
  }

  const errorsOf = (name: OrderFormField) => errors[name] ?? []
  const isLive = account?.kind === 'live'
  const loadingAccounts = paper.isPending || exchangeAccounts.isPending

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-labelledby="order-form-title" className="space-y-4">
      <h2 id="order-form-title" className="text-base font-semibold text-white">
        New order
      </h2>
      {general.length === 0 ? null : (
        <div role="alert" className="flex items-start gap-2 rounded-lg border border-rose-400/30 bg-rose-400/5 p-3 text-sm text-rose-200">
          <AlertIcon className="mt-0.5 size-4 shrink-0" />
          <p>{general.join(' ')}</p>
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Account"
          name="account"
          className="sm:col-span-2"
          value={accountValue}
          errors={errorsOf('account')}
          onChange={(event) => set('account', event.target.value)}
          options={
            accounts.length === 0
              ? [{ value: '', label: loadingAccounts ? 'Loading accounts…' : 'No account to trade with' }]
              : accounts.map((item) => ({ value: item.value, label: `${KIND_LABELS[item.kind]} · ${item.label} (${item.exchange})` }))
          }
        />
        <TextField
          label="Symbol"
          name="symbol"
          list={listId}
          autoComplete="off"
          spellCheck={false}
          value={values.symbol}
          errors={errorsOf('symbol')}
          onChange={(event) => set('symbol', event.target.value)}
          onBlur={(event) => set('symbol', normalizeSymbol(event.target.value))}
        />
        <datalist id={listId}>
          {symbols.map((symbol) => (
            <option key={symbol} value={symbol}>
              {symbol}
            </option>
          ))}
        </datalist>
        <SelectField
          label="Side"
          name="side"
          value={values.side}
          errors={errorsOf('side')}
          onChange={(event) => set('side', event.target.value === 'sell' ? 'sell' : 'buy')}
          options={[
            { value: 'buy', label: 'Buy' },
            { value: 'sell', label: 'Sell' },
          ]}
        />
        <SelectField
          label="Type"
          name="type"
          value={values.type}
          errors={errorsOf('type')}
          onChange={(event) => set('type', event.target.value === 'limit' ? 'limit' : 'market')}
          options={[
            { value: 'market', label: 'Market' },
            { value: 'limit', label: 'Limit' },
          ]}
        />
        <TextField label="Amount" name="amount" inputMode="decimal" autoComplete="off" value={values.amount} errors={errorsOf('amount')} onChange={(event) => set('amount', event.target.value)} placeholder="0.001" />
        {values.type === 'limit' ? (
          <TextField label="Limit price" name="price" inputMode="decimal" autoComplete="off" value={values.price} errors={errorsOf('price')} onChange={(event) => set('price', event.target.value)} />
        ) : null}
      </div>
      {isLive ? (
        <div className="space-y-3 rounded-lg border border-rose-400/40 bg-rose-400/5 p-3">
          <p className="text-sm text-rose-200">
            <strong>Live account:</strong> this order uses real money on {account.exchange}. Type the symbol again to confirm.
          </p>
          <TextField
            label={`Type ${normalizeSymbol(values.symbol) || 'the symbol'} to confirm`}
            name="confirm"
            autoComplete="off"
            spellCheck={false}
            value={values.confirm}
            errors={errorsOf('confirm')}
            onChange={(event) => set('confirm', event.target.value)}
          />
        </div>
      ) : null}
      <Button type="submit" variant={isLive ? 'danger' : 'primary'} isLoading={create.isPending} disabled={create.isPending}>
        {create.isPending ? 'Placing the order…' : isLive ? 'Place live order' : 'Place order'}
      </Button>
    </form>
  )
}
