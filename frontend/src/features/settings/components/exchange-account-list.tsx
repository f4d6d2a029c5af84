import { useState } from 'react'
import { useDeleteExchangeAccount, useExchangeAccounts, useTestExchangeAccount } from '@/features/settings/api/exchange-accounts'
import { AlertIcon, CheckCircleIcon } from '@/components/icons'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/api-client'
import { formatDateTime, humanize } from '@/lib/format'
import { toast } from '@/lib/toast-store'
import type { ConnectionReport, ExchangeAccount } from '@/features/settings/api/types'

const FAILURES: Record<string, string> = {
  auth: 'Authentication failed',
  permission: 'Permission refused',
  rate_limited: 'Rate limited',
  exchange_down: 'Exchange unavailable',
  network: 'Network error',
  unknown_exchange: 'Unknown exchange',
  exchange_error: 'Exchange error',
  decryption: 'Stored key unreadable',
  key_scope: 'Key allows too much',
}

async function copyMasked(account: ExchangeAccount): Promise<void> {
  try {
    await navigator.clipboard.writeText(account.api_key)
    toast({ variant: 'success', title: 'Masked key copied', description: `${account.api_key} (only the last four characters are ever shown).` })
  } catch {
    toast({ variant: 'error', title: 'Could not copy', description: 'The browser refused clipboard access. Select the key text and copy it by hand.' })
  }
}

function Permissions({ account }: { account: ExchangeAccount }) {
  const p = account.permissions
  if (!p.known) return <p className="text-xs text-slate-400">The exchange does not report this key’s permissions.</p>
  return (
    <p className="flex flex-wrap gap-1.5 text-xs">
      <Badge tone={p.can_trade ? 'success' : 'neutral'}>{p.can_trade ? 'Can trade' : 'Cannot trade'}</Badge>
      <Badge tone={p.can_withdraw ? 'danger' : 'success'}>{p.can_withdraw ? 'Can withdraw' : 'No withdrawals'}</Badge>
      {p.ip_restricted === null ? null : <Badge tone={p.ip_restricted ? 'success' : 'warning'}>{p.ip_restricted ? 'IP restricted' : 'No IP restriction'}</Badge>}
    </p>
  )
}

function TestResult({ report }: { report: ConnectionReport }) {
  if (report.ok) {
    return (
      <output className="flex items-start gap-2 rounded-lg bg-emerald-400/10 p-3 text-sm text-emerald-200">
        <CheckCircleIcon className="mt-0.5 size-4 shrink-0" />
        <div>
          <p className="font-semibold">Connection works.</p>
          {report.warnings.map((warning) => (
            <p key={warning} className="mt-1 text-amber-200">
              {warning}
            </p>
          ))}
        </div>
      </output>
    )
  }
  return (
    <div role="alert" className="flex items-start gap-2 rounded-lg border border-rose-400/30 bg-rose-400/5 p-3 text-sm text-rose-200">
      <AlertIcon className="mt-0.5 size-4 shrink-0" />
      <div>
        <p className="font-semibold">{FAILURES[report.failure] ?? 'Connection failed'}.</p>
        {report.detail === '' ? null : <p className="mt-1">{report.detail}</p>}
        {report.exchange_message === '' ? null : (
          <p className="mt-1 text-xs text-rose-300">
            The exchange said: <span className="font-mono">{report.exchange_message}</span>
          </p>
        )}
      </div>
    </div>
  )
}

function AccountRow({ account }: { account: ExchangeAccount }) {
  const test = useTestExchangeAccount()
  const remove = useDeleteExchangeAccount()
  const [confirming, setConfirming] = useState(false)
  return (
    <li className="space-y-3 py-4" data-account={account.id}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-white">{account.label}</span>
            <span className="text-sm text-slate-400">{account.exchange}</span>
            <Badge tone={account.mode === 'live' ? 'warning' : 'info'}>{humanize(account.mode)}</Badge>
            <Badge tone={account.status === 'ok' ? 'success' : 'danger'} dot>
              {account.status === 'ok' ? 'Usable' : 'Unusable'}
            </Badge>
          </p>
          <p className="mt-1 flex items-center gap-2 text-sm">
            <span className="text-slate-400">API key</span>
            <code className="rounded bg-white/5 px-1.5 py-0.5 font-mono text-slate-100" data-masked-key>
              {account.api_key}
            </code>
            <button
              type="button"
              className="rounded px-1.5 py-0.5 text-xs text-cyan-300 hover:bg-white/5"
              aria-label={`Copy masked key of ${account.label}`}
              onClick={() => void copyMasked(account)}
            >
              Copy
            </button>
          </p>
          {account.status_message === '' ? null : <p className="mt-1 text-xs text-rose-300">{account.status_message}</p>}
          <p className="mt-1 text-xs text-slate-400">Last checked {formatDateTime(account.permissions.checked_at)}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button size="sm" variant="secondary" isLoading={test.isPending} onClick={() => test.mutate(account.id)}>
            Test connection
          </Button>
          {confirming ? null : (
            <Button size="sm" variant="ghost" onClick={() => setConfirming(true)}>
              Remove
            </Button>
          )}
        </div>
      </div>
      <Permissions account={account} />
      {account.warnings.map((warning) => (
        <p key={warning} className="text-xs text-amber-200">
          {warning}
        </p>
      ))}
      {test.data === undefined ? null : <TestResult report={test.data} />}
      {test.isError ? (
        <p role="alert" className="text-sm text-rose-300">
          The test could not run: {errorMessage(test.error)}
        </p>
      ) : null}
      {confirming ? (
        <fieldset className="flex flex-wrap items-center gap-3 rounded-lg border border-rose-400/30 bg-rose-400/5 p-3">
          <legend className="sr-only">Confirm removing {account.label}</legend>
          <p className="text-sm text-rose-100">Remove “{account.label}”? Its encrypted key is deleted; bots using it stop trading.</p>
          <Button
            size="sm"
            variant="danger"
            isLoading={remove.isPending}
            onClick={() =>
              remove.mutate(account.id, {
                onSuccess: () => toast({ variant: 'success', title: 'Exchange key removed', description: `${account.label} (${account.api_key}) was deleted.` }),
              })
            }
          >
            Yes, remove
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </fieldset>
      ) : null}
    </li>
  )
}

export function ExchangeAccountList() {
  const accounts = useExchangeAccounts()
  if (accounts.isPending) return <LoadingBlock label="Loading your exchange keys…" className="h-24" />
  if (accounts.isError) return <ErrorBlock title="Your exchange keys could not be loaded" error={accounts.error} onRetry={() => void accounts.refetch()} />
  if (accounts.data.length === 0) return <EmptyLine>No exchange keys yet. You only need one to trade; charts, signals and backtests work without.</EmptyLine>
  return (
    <ul className="divide-y divide-white/10" aria-label="Exchange accounts">
      {accounts.data.map((account) => (
        <AccountRow key={account.id} account={account} />
      ))}
    </ul>
  )
}
