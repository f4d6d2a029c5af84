import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { useRevokeSignIn, useSignIns, useSignOutEverywhere } from '@/features/settings/api/security'
import { describeUserAgent } from '@/features/settings/lib/user-agent'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/api-client'
import { formatDateTime } from '@/lib/format'
import { toast } from '@/lib/toast-store'
import type { SignIn } from '@/features/settings/api/types'

function signInName(signIn: SignIn): string {
  if (signIn.kind === 'token') return `API token ${signIn.token_hint ?? ''}`.trim()
  return describeUserAgent(signIn.user_agent)
}

function Address({ signIn }: { signIn: SignIn }) {
  const first = signIn.ip_address ?? 'unknown address'
  const last = signIn.last_used_ip
  if (last === null || last === signIn.ip_address) return <>{first}</>
  return (
    <>
      {first}, last from {last}
    </>
  )
}

function SignInRow({ signIn }: { signIn: SignIn }) {
  const revoke = useRevokeSignIn()
  const navigate = useNavigate()
  const [confirming, setConfirming] = useState(false)
  const name = signInName(signIn)
  const onRevoke = () =>
    revoke.mutate(signIn, {
      onSuccess: () => {
        if (signIn.current) {
          void navigate({ to: '/login', replace: true })
          return
        }
        setConfirming(false)
        toast({ variant: 'success', title: 'Sign-in revoked', description: `${name} is signed out; its live updates stop at once.` })
      },
    })
  return (
    <li className="space-y-2 py-3" data-sign-in={signIn.id}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-white">{name}</span>
            <Badge tone={signIn.kind === 'token' ? 'info' : 'neutral'}>{signIn.kind === 'token' ? 'API token' : 'Browser'}</Badge>
            {signIn.current ? (
              <Badge tone="success" dot>
                This browser
              </Badge>
            ) : null}
          </p>
          {signIn.kind === 'session' && signIn.user_agent !== '' ? (
            <p className="mt-0.5 truncate text-xs text-slate-400" title={signIn.user_agent}>
              {signIn.user_agent}
            </p>
          ) : null}
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-xs text-slate-400">
            <dt>Address</dt>
            <dd className="font-mono text-slate-300">
              <Address signIn={signIn} />
            </dd>
            <dt>Signed in</dt>
            <dd className="text-slate-300">{formatDateTime(signIn.created_at)}</dd>
            <dt>Last used</dt>
            <dd className="text-slate-300">{formatDateTime(signIn.last_used_at)}</dd>
          </dl>
        </div>
        {confirming ? null : (
          <Button size="sm" variant="ghost" aria-label={`Revoke ${name}`} onClick={() => setConfirming(true)}>
            Revoke
          </Button>
        )}
      </div>
      {confirming ? (
        <fieldset className="flex flex-wrap items-center gap-3 rounded-lg border border-rose-400/30 bg-rose-400/5 p-3">
          <legend className="sr-only">Confirm revoking {name}</legend>
          <p className="text-sm text-rose-100">
            {signIn.current ? 'This is the browser you are using: revoking it signs you out here.' : `Revoke ${name}? It is signed out at once.`}
          </p>
          <Button size="sm" variant="danger" isLoading={revoke.isPending} onClick={onRevoke}>
            Yes, revoke
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </fieldset>
      ) : null}
      {revoke.isError ? (
        <p role="alert" className="text-sm text-rose-300">
          Could not revoke it: {errorMessage(revoke.error)}
        </p>
      ) : null}
    </li>
  )
}

function SignOutEverywhere() {
  const signOut = useSignOutEverywhere()
  const navigate = useNavigate()
  const [confirming, setConfirming] = useState(false)
  const failure = signOut.isError ? (
    <p role="alert" className="text-sm text-rose-300">
      Could not sign out everywhere: {errorMessage(signOut.error)}
    </p>
  ) : null
  if (!confirming) {
    return (
      <div className="space-y-2">
        <Button size="sm" variant="secondary" onClick={() => setConfirming(true)}>
          Sign out everywhere
        </Button>
        {failure}
      </div>
    )
  }
  return (
    <div className="space-y-2">
      <fieldset className="flex flex-wrap items-center gap-3 rounded-lg border border-rose-400/30 bg-rose-400/5 p-3">
        <legend className="sr-only">Confirm signing out everywhere</legend>
        <p className="text-sm text-rose-100">Sign out every browser and revoke every API token, this browser included?</p>
        <Button
          size="sm"
          variant="danger"
          isLoading={signOut.isPending}
          onClick={() => signOut.mutate(undefined, { onSuccess: () => void navigate({ to: '/login', replace: true }) })}
        >
          Yes, sign out everywhere
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </fieldset>
      {failure}
    </div>
  )
}

/** The user's browser sessions and API tokens, each revocable, and "sign out everywhere". */
export function SignInList() {
  const signIns = useSignIns()
  let body
  if (signIns.isPending) body = <LoadingBlock label="Loading your sessions and tokens…" className="h-24" />
  else if (signIns.isError) body = <ErrorBlock title="Your sessions and tokens could not be loaded" error={signIns.error} onRetry={() => void signIns.refetch()} />
  else if (signIns.data.length === 0) body = <EmptyLine>No open sessions or API tokens.</EmptyLine>
  else
    body = (
      <ul className="divide-y divide-white/10" aria-label="Sessions and tokens">
        {signIns.data.map((signIn) => (
          <SignInRow key={signIn.id} signIn={signIn} />
        ))}
      </ul>
    )
  return (
    <div className="mt-3 space-y-4">
      {body}
      <SignOutEverywhere />
    </div>
  )
}
