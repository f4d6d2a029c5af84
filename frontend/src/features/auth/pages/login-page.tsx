import { useRef, useState, type FormEvent } from 'react'
import { useLogin } from '@/features/auth/api/auth'
import { AlertIcon, LogoMark } from '@/components/icons'
import { Button } from '@/components/ui/button'
import { TextField } from '@/components/ui/text-field'
import { useDocumentTitle } from '@/hooks/use-document-title'
import { ApiError, errorMessage, type FieldErrors } from '@/lib/api-client'
import { loginInputSchema } from '@/features/auth/api/types'

type LoginField = 'username' | 'password'

function formErrors(error: unknown): { fields: Partial<Record<LoginField, string[]>>; general: string | null } {
  if (!(error instanceof ApiError)) return { fields: {}, general: errorMessage(error) }
  const fields: Partial<Record<LoginField, string[]>> = {}
  const other: string[] = []
  for (const [name, messages] of Object.entries(error.fieldErrors)) {
    if (name === 'username' || name === 'password') fields[name] = messages
    else other.push(...messages)
  }
  const general = [...error.nonFieldErrors, ...(error.detail === null ? [] : [error.detail]), ...other]
  if (general.length === 0 && Object.keys(fields).length === 0) return { fields, general: error.message }
  return { fields, general: general.length > 0 ? general.join(' ') : null }
}

export function LoginPage() {
  useDocumentTitle('Sign in')
  const login = useLogin()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const submitting = useRef(false)
  const usernameRef = useRef<HTMLInputElement>(null)
  const passwordRef = useRef<HTMLInputElement>(null)

  const server = login.isError ? formErrors(login.error) : { fields: {}, general: null }
  const fieldErrors = (name: LoginField): string[] => clientErrors[name] ?? server.fields[name] ?? []

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    // A second click or Enter before the button re-renders as disabled must not send twice.
    if (submitting.current || login.isPending) return

    const parsed = loginInputSchema.safeParse({ username, password })
    if (!parsed.success) {
      const errors: FieldErrors = {}
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0])
        errors[key] = [...(errors[key] ?? []), issue.message]
      }
      setClientErrors(errors)
      login.reset()
      ;(errors.username === undefined ? passwordRef : usernameRef).current?.focus()
      return
    }

    setClientErrors({})
    submitting.current = true
    login.mutate(parsed.data, {
      onError: (error) => {
        if (error instanceof ApiError && error.fieldErrors.username === undefined && error.fieldErrors.password !== undefined) {
          passwordRef.current?.focus()
        } else if (error instanceof ApiError && error.fieldErrors.username !== undefined) {
          usernameRef.current?.focus()
        }
      },
      onSettled: () => {
        submitting.current = false
      },
    })
  }

  const clearFieldError = (name: LoginField) => {
    if (clientErrors[name] !== undefined) {
      setClientErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => key !== name)))
    }
    // Editing after a failed attempt starts over; stale server messages would mislead.
    if (login.isError) login.reset()
  }

  return (
    <div className="relative grid min-h-dvh place-items-center overflow-hidden bg-slate-950 px-4 py-12 text-slate-100">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-0 bg-[radial-gradient(60rem_30rem_at_50%_-10%,rgba(34,211,238,0.16),transparent),radial-gradient(40rem_24rem_at_90%_110%,rgba(52,211,153,0.10),transparent)]"
      />
      <main className="relative w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <LogoMark className="size-12" />
          <p className="mt-4 text-lg font-semibold tracking-tight text-white">Quantum Trader</p>
          <h1 className="mt-1 text-sm text-slate-400">Sign in to your account</h1>
        </div>

        <form
          noValidate
          onSubmit={onSubmit}
          aria-describedby={server.general === null ? undefined : 'login-error'}
          className="rounded-2xl border border-white/10 bg-slate-900/70 p-6 shadow-2xl shadow-black/40 backdrop-blur"
        >
          {server.general === null ? null : (
            <div
              id="login-error"
              role="alert"
              className="mb-5 flex items-start gap-2 rounded-lg border border-rose-400/30 bg-rose-400/10 px-3 py-2.5 text-sm text-rose-200"
            >
              <AlertIcon className="mt-0.5 size-4 shrink-0" />
              <p>{server.general}</p>
            </div>
          )}
          <div className="flex flex-col gap-4">
            <TextField
              ref={usernameRef}
              label="Username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              errors={fieldErrors('username')}
              onChange={(event) => {
                setUsername(event.target.value)
                clearFieldError('username')
              }}
            />
            <TextField
              ref={passwordRef}
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              errors={fieldErrors('password')}
              onChange={(event) => {
                setPassword(event.target.value)
                clearFieldError('password')
              }}
            />
          </div>
          <Button type="submit" size="lg" className="mt-6 w-full" isLoading={login.isPending}>
            {login.isPending ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>

        <p className="mt-8 text-center text-xs text-slate-400">
          Trading cryptocurrencies carries a high level of risk. Nothing here is financial advice.
        </p>
      </main>
    </div>
  )
}
