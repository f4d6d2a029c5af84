import { useState, type FormEvent } from 'react'
import { Button } from '@/components/ui/button'
import { TextField } from '@/components/ui/text-field'
import { useLiveOptIn } from '@/features/bots/api/bots'
import type { Bot } from '@/features/bots/api/types'
import { ApiError, errorMessage } from '@/lib/api-client'
import { formatDateTime } from '@/lib/format'
import { toast } from '@/lib/toast-store'

/**
 * Live trading for a bot on a live exchange account: the user types the bot's name to opt in
 * (the server checks it again, with LIVE_TRADING_ENABLED and the key's scope). Nothing for other bots.
 */
export function LiveOptIn({ bot }: { bot: Bot }) {
  const optIn = useLiveOptIn()
  const [typed, setTyped] = useState('')
  const [errors, setErrors] = useState<string[]>([])

  if (bot.account.kind !== 'live') return null
  if (bot.live_opt_in) {
    return (
      <p className="rounded-lg border border-rose-400/40 bg-rose-400/5 p-3 text-sm text-rose-200">
        Live trading with real money, opted in {bot.live_opt_in_at === null ? '' : `on ${formatDateTime(bot.live_opt_in_at)}`}.
      </p>
    )
  }
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (typed.trim() !== bot.name) {
      setErrors([`Type ${bot.name} exactly to trade real money with this bot.`])
      return
    }
    setErrors([])
    optIn.mutate(
      { id: bot.id, confirmation: typed.trim() },
      {
        onSuccess: () => {
          setTyped('')
          toast({ id: `bot-${bot.id}`, variant: 'success', title: `${bot.name} may trade live` })
        },
        onError: (error) => setErrors(error instanceof ApiError ? [error.messagesFor('confirmation')[0] ?? error.message] : [errorMessage(error)]),
      },
    )
  }
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Live trading opt-in" className="space-y-3 rounded-lg border border-rose-400/40 bg-rose-400/5 p-3">
      <p className="text-sm text-rose-200">
        <strong>Live account:</strong> this bot will place orders with real money on {bot.exchange}. Type its name to opt in.
      </p>
      <TextField label={`Type ${bot.name} to confirm`} name="confirmation" autoComplete="off" spellCheck={false} value={typed} errors={errors} onChange={(event) => setTyped(event.target.value)} />
      <Button type="submit" variant="danger" size="sm" isLoading={optIn.isPending} disabled={optIn.isPending}>
        Opt in to live trading
      </Button>
    </form>
  )
}
