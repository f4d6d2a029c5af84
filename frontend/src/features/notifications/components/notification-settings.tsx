import { useRef, useState, type FormEvent } from 'react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { CheckboxField } from '@/components/ui/checkbox-field'
import { SelectField } from '@/components/ui/select-field'
import { TextField } from '@/components/ui/text-field'
import {
  useCreateChannel,
  useDeleteChannel,
  useNotificationChannels,
  usePreferences,
  useTestChannel,
  useUpdateChannel,
  useUpdatePreferences,
} from '@/features/notifications/api/notifications'
import type { NotificationChannelKind } from '@/features/notifications/api/types'
import { ApiError, errorMessage, type FieldErrors } from '@/lib/api-client'
import { toast } from '@/lib/toast-store'

const KIND_LABELS: Record<NotificationChannelKind, string> = {
  webhook: 'Signed webhook',
  apprise: 'Apprise URL (Telegram, Discord, Slack, ntfy, …)',
  email: 'E-mail',
}

function QuietHours() {
  const preferences = usePreferences()
  const update = useUpdatePreferences()
  const [draft, setDraft] = useState<{ start: string; end: string; zone: string } | null>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const current = preferences.data
  const values = draft ?? {
    start: current?.quiet_start?.slice(0, 5) ?? '',
    end: current?.quiet_end?.slice(0, 5) ?? '',
    zone: current?.timezone ?? 'UTC',
  }
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    update.mutate(
      { quiet_start: values.start === '' ? null : values.start, quiet_end: values.end === '' ? null : values.end, timezone: values.zone },
      {
        onSuccess: () => {
          setDraft(null)
          setErrors({})
          toast({ variant: 'success', title: 'Quiet hours saved' })
        },
        onError: (error) => setErrors(error instanceof ApiError ? { ...error.fields, ...(error.field === null ? {} : { [error.field]: [error.message] }) } : {}),
      },
    )
  }
  return (
    <form onSubmit={save} className="space-y-3" aria-labelledby="quiet-title">
      <h3 id="quiet-title" className="text-sm font-semibold text-slate-200">
        Quiet hours
      </h3>
      <p className="text-xs text-slate-400">Nothing is sent to your channels in these hours; the notification centre still lists everything.</p>
      <div className="grid grid-cols-3 gap-3">
        <TextField label="From" type="time" value={values.start} errors={errors.quiet_start} onChange={(event) => setDraft({ ...values, start: event.target.value })} />
        <TextField label="To" type="time" value={values.end} errors={errors.quiet_end} onChange={(event) => setDraft({ ...values, end: event.target.value })} />
        <TextField label="Time zone" value={values.zone} errors={errors.timezone} onChange={(event) => setDraft({ ...values, zone: event.target.value })} />
      </div>
      <Button type="submit" size="sm" variant="secondary" isLoading={update.isPending}>
        Save quiet hours
      </Button>
    </form>
  )
}

function ChannelForm() {
  const preferences = usePreferences()
  const create = useCreateChannel()
  const [kind, setKind] = useState<NotificationChannelKind>('webhook')
  const [label, setLabel] = useState('')
  const [email, setEmail] = useState('')
  const [events, setEvents] = useState<string[]>(['order.filled', 'order.rejected', 'bot.halted'])
  const [errors, setErrors] = useState<FieldErrors>({})
  const [secret, setSecret] = useState<string | null>(null)
  const urlRef = useRef<HTMLInputElement>(null)

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const url = urlRef.current?.value.trim() ?? ''
    create.mutate(
      { kind, label: label.trim(), events: events as never, ...(kind === 'email' ? { email } : { url }) },
      {
        onSuccess: (channel) => {
          if (urlRef.current !== null) urlRef.current.value = ''
          setLabel('')
          setErrors({})
          setSecret(channel.secret === '' ? null : channel.secret)
          toast({ variant: 'success', title: `Channel ${channel.label} added` })
        },
        onError: (error) => {
          if (urlRef.current !== null) urlRef.current.value = ''
          setErrors(error instanceof ApiError ? { ...error.fields, ...(error.field === null ? {} : { [error.field]: [error.message] }) } : { label: [errorMessage(error)] })
        },
      },
    )
  }
  return (
    <form onSubmit={submit} className="space-y-3" aria-labelledby="add-channel-title">
      <h3 id="add-channel-title" className="text-sm font-semibold text-slate-200">
        Add a channel
      </h3>
      <SelectField
        label="Kind"
        value={kind}
        onChange={(event) => setKind(event.target.value as NotificationChannelKind)}
        options={(Object.keys(KIND_LABELS) as NotificationChannelKind[]).map((value) => ({ value, label: KIND_LABELS[value] }))}
      />
      <TextField label="Label" name="label" value={label} errors={errors.label} onChange={(event) => setLabel(event.target.value)} />
      {kind === 'email' ? (
        <TextField label="E-mail address" name="email" type="email" value={email} errors={errors.email} onChange={(event) => setEmail(event.target.value)} />
      ) : (
        <TextField
          label={kind === 'webhook' ? 'Webhook URL' : 'Apprise URL'}
          name="url"
          type="password"
          autoComplete="off"
          ref={urlRef}
          errors={errors.url}
          hint="Stored encrypted and shown masked afterwards."
        />
      )}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-200">Events sent here</legend>
        {(preferences.data?.event_kinds ?? []).map((item) => (
          <CheckboxField
            key={item.kind}
            label={item.label}
            checked={events.includes(item.kind)}
            onChange={(event) => setEvents((current) => (event.target.checked ? [...current, item.kind] : current.filter((value) => value !== item.kind)))}
          />
        ))}
        {errors.events === undefined ? null : <p className="text-xs text-rose-300">{Object.values(errors).flat()[0]}</p>}
      </fieldset>
      <Button type="submit" size="sm" isLoading={create.isPending}>
        Add channel
      </Button>
      {secret === null ? null : (
        <output className="block rounded-lg bg-amber-400/10 px-3 py-2 text-xs text-amber-100">
          <p className="font-semibold">Signing secret (shown only now):</p>
          <code className="mt-1 block break-all text-amber-50">{secret}</code>
          <p className="mt-1">Check `X-QT-Signature: sha256=HMAC(secret, timestamp + "." + body)` on every request.</p>
        </output>
      )}
    </form>
  )
}

function ChannelList() {
  const channels = useNotificationChannels()
  const update = useUpdateChannel()
  const remove = useDeleteChannel()
  const test = useTestChannel()
  if (channels.isPending) return <p className="text-sm text-slate-400">Loading channels…</p>
  if (channels.data === undefined || channels.data.length === 0) return <p className="text-sm text-slate-400">No channels yet: everything stays in the notification centre.</p>
  return (
    <ul className="divide-y divide-white/10" aria-label="Notification channels">
      {channels.data.map((channel) => (
        <li key={channel.id} className="flex flex-wrap items-center gap-2 py-3">
          <div className="min-w-0 flex-1">
            <p className="text-sm font-medium text-slate-100">
              {channel.label} <span className="text-xs text-slate-400">{channel.kind}</span>
            </p>
            <p className="truncate text-xs text-slate-400">{channel.masked_target}</p>
            {channel.paused ? <p className="text-xs text-amber-300">{channel.paused_reason}</p> : null}
          </div>
          {channel.paused ? <Badge tone="warning">Paused</Badge> : <Badge tone="success">Active</Badge>}
          {channel.paused ? (
            <Button size="sm" variant="secondary" onClick={() => update.mutate({ id: channel.id, changes: { paused: false } })}>
              Resume
            </Button>
          ) : null}
          <Button
            size="sm"
            variant="secondary"
            onClick={() => test.mutate(channel.id, { onSuccess: () => toast({ variant: 'info', title: `Test sent to ${channel.label}` }) })}
          >
            Send a test
          </Button>
          <Button size="sm" variant="ghost" onClick={() => remove.mutate(channel.id)} aria-label={`Remove ${channel.label}`}>
            Remove
          </Button>
        </li>
      ))}
    </ul>
  )
}

/** Notification channels, the events each takes, and quiet hours: kept on the server. */
export function NotificationSettings() {
  return (
    <div className="space-y-6">
      <ChannelList />
      <div className="border-t border-white/10 pt-6">
        <ChannelForm />
      </div>
      <div className="border-t border-white/10 pt-6">
        <QuietHours />
      </div>
    </div>
  )
}
