import { useRef, useState, type FormEvent } from 'react'
import { useCreateExchangeAccount } from '@/features/settings/api/exchange-accounts'
import { useExchanges } from '@/features/markets'
import { AlertIcon } from '@/components/icons'
import { Button } from '@/components/ui/button'
import { SelectField } from '@/components/ui/select-field'
import { TextField } from '@/components/ui/text-field'
import { ApiError, errorMessage, type FieldErrors } from '@/lib/api-client'
import { toast } from '@/lib/toast-store'

const FIELDS = ['exchange', 'label', 'mode', 'api_key', 'secret', 'passphrase'] as const
type Field = (typeof FIELDS)[number]
const PASSPHRASE_EXCHANGES = new Set(['coinbase', 'kucoin', 'okx', 'bitget'])

/**
 * Add an exchange key. Key, secret and passphrase are uncontrolled password inputs: their values
 * never reach React state or the page's HTML, and they are emptied after every attempt.
 */
export function ExchangeAccountForm() {
  const exchanges = useExchanges()
  const create = useCreateExchangeAccount()
  const [exchange, setExchange] = useState('')
  const [label, setLabel] = useState('')
  const [mode, setMode] = useState<'testnet' | 'live'>('testnet')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [general, setGeneral] = useState<string | null>(null)
  const submitting = useRef(false)
  const formRef = useRef<HTMLFormElement>(null)
  const keyRef = useRef<HTMLInputElement>(null)
  const secretRef = useRef<HTMLInputElement>(null)
  const passphraseRef = useRef<HTMLInputElement>(null)

  const choices = (exchanges.data ?? []).filter((item) => item.enabled && !item.is_demo)
  const selected = exchange === '' ? (choices[0]?.ccxt_id ?? '') : exchange

  const clearSecrets = () => {
    for (const ref of [keyRef, secretRef, passphraseRef]) if (ref.current !== null) ref.current.value = ''
  }

  const focusFirst = (fieldErrors: FieldErrors) => {
    const first = FIELDS.find((name) => fieldErrors[name] !== undefined)
    if (first !== undefined) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus()
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (submitting.current || create.isPending) return
    const apiKey = keyRef.current?.value.trim() ?? ''
    const secret = secretRef.current?.value.trim() ?? ''
    const passphrase = passphraseRef.current?.value ?? ''
    const local: FieldErrors = {}
    if (selected === '') local.exchange = ['Choose an exchange.']
    if (label.trim() === '') local.label = ['Give this key a name, e.g. “Binance main”.']
    if (apiKey === '') local.api_key = ['Paste the API key from your exchange.']
    if (secret === '') local.secret = ['Paste the API secret that came with the key.']
    if (PASSPHRASE_EXCHANGES.has(selected) && passphrase === '') local.passphrase = ['This exchange’s keys come with a passphrase; enter it.']
    if (Object.keys(local).length > 0) {
      setErrors(local)
      setGeneral(null)
      focusFirst(local)
      return
    }
    submitting.current = true
    setErrors({})
    setGeneral(null)
    const input = { exchange: selected, label: label.trim(), mode, api_key: apiKey, secret, ...(passphrase === '' ? {} : { passphrase }) }
    clearSecrets()
    create.mutate(input, {
      onSuccess: (account) => {
        toast({ id: `account-${account.id}`, variant: 'success', title: 'Exchange key saved', description: `${account.label}: ${account.api_key}, stored encrypted.` })
        setLabel('')
      },
      onError: (error) => {
        if (error instanceof ApiError && error.hasFieldErrors) {
          const known: FieldErrors = {}
          const other: string[] = []
          for (const [name, messages] of Object.entries(error.fieldErrors)) {
            if ((FIELDS as readonly string[]).includes(name)) known[name] = messages
            else other.push(...messages)
          }
          setErrors(known)
          setGeneral([...error.nonFieldErrors, ...other].join(' ') || null)
          focusFirst(known)
        } else {
          const detail = errorMessage(error)
          setGeneral(error instanceof ApiError && error.status === 503 ? `${detail} Nothing was saved.` : detail)
        }
      },
      onSettled: () => {
        submitting.current = false
        // Drop the submitted values (secrets included) from the mutation cache.
        create.reset()
      },
    })
  }

  const errorsOf = (name: Field) => errors[name] ?? []

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate autoComplete="off" aria-labelledby="add-account-title" className="space-y-4">
      <h3 id="add-account-title" className="text-sm font-semibold text-white">
        Add an exchange key
      </h3>
      <p className="text-xs text-slate-400">
        The key is checked with the exchange, then stored encrypted. Use a key without withdrawal permission. The secret never comes back to this browser: after saving, only the last four characters of the key are shown. Inputs are emptied after each attempt.
      </p>
      {general === null ? null : (
        <div role="alert" className="flex items-start gap-2 rounded-lg border border-rose-400/30 bg-rose-400/5 p-3 text-sm text-rose-200">
          <AlertIcon className="mt-0.5 size-4 shrink-0" />
          <p>{general}</p>
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Exchange"
          name="exchange"
          value={selected}
          errors={errorsOf('exchange')}
          onChange={(event) => setExchange(event.target.value)}
          options={choices.length === 0 ? [{ value: '', label: exchanges.isPending ? 'Loading exchanges…' : 'No exchange available' }] : choices.map((item) => ({ value: item.ccxt_id, label: item.name }))}
        />
        <TextField label="Name" name="label" value={label} maxLength={64} errors={errorsOf('label')} onChange={(event) => setLabel(event.target.value)} placeholder="Binance main" />
        <SelectField
          label="Mode"
          name="mode"
          value={mode}
          errors={errorsOf('mode')}
          onChange={(event) => setMode(event.target.value === 'live' ? 'live' : 'testnet')}
          options={[
            { value: 'testnet', label: 'Testnet (paper money)' },
            { value: 'live', label: 'Live (real money)' },
          ]}
          hint={mode === 'live' ? 'Live keys can place real orders once live trading is enabled.' : undefined}
        />
        <TextField label="API key" name="api_key" type="password" autoComplete="off" spellCheck={false} ref={keyRef} errors={errorsOf('api_key')} />
        <TextField label="API secret" name="secret" type="password" autoComplete="off" spellCheck={false} ref={secretRef} errors={errorsOf('secret')} />
        <TextField
          label="Passphrase"
          name="passphrase"
          type="password"
          autoComplete="off"
          spellCheck={false}
          ref={passphraseRef}
          errors={errorsOf('passphrase')}
          hint={PASSPHRASE_EXCHANGES.has(selected) ? 'Required for this exchange' : 'Only some exchanges (e.g. KuCoin, Coinbase) use one'}
        />
      </div>
      <Button type="submit" isLoading={create.isPending}>
        {create.isPending ? 'Checking with the exchange…' : 'Save key'}
      </Button>
    </form>
  )
}
