import { useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useTuneModel } from '@/features/models/api/models'
import { modelKeys } from '@/features/models/api/query-keys'
import { Button } from '@/components/ui/button'
import { TextField } from '@/components/ui/text-field'
import { useStreamHandler } from '@/hooks/use-stream'
import { ApiError, errorMessage } from '@/lib/api-client'
import { formatNumber } from '@/lib/format'

interface Progress {
  state: string
  done?: number
  total?: number
  best?: number | null
  modelVersion?: number
  status?: string
  reasons?: string[]
  error?: string
}

function readProgress(data: Record<string, unknown>): Progress {
  return {
    state: typeof data.state === 'string' ? data.state : 'running',
    done: typeof data.done === 'number' ? data.done : undefined,
    total: typeof data.total === 'number' ? data.total : undefined,
    best: typeof data.best_score === 'number' ? data.best_score : null,
    modelVersion: typeof data.model_version === 'number' ? data.model_version : undefined,
    status: typeof data.status === 'string' ? data.status : undefined,
    reasons: Array.isArray(data.reasons) ? data.reasons.filter((r): r is string => typeof r === 'string') : undefined,
    error: typeof data.error === 'string' ? data.error : undefined,
  }
}

function ProgressLine({ progress }: { progress: Progress }) {
  if (progress.state === 'done') {
    return (
      <div>
        <p>
          Search done: model #{progress.modelVersion} registered as {progress.status}.
        </p>
        {progress.reasons !== undefined && progress.reasons.length > 0 ? (
          <ul className="mt-1 list-disc pl-5 text-xs text-amber-100">
            {progress.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        ) : null}
      </div>
    )
  }
  if (progress.state === 'failed' || progress.state === 'skipped') return <p className="text-red-300">Search {progress.state}: {progress.error}</p>
  const best = progress.best === null || progress.best === undefined ? 'none yet' : formatNumber(progress.best, 4)
  return (
    <p>
      Trial {progress.done ?? 0} of {progress.total ?? '?'} · best walk-forward score {best}
    </p>
  )
}

/** Start a walk-forward hyperparameter search on the ml queue and follow its progress. */
export function TuneForm({ exchange, symbol, timeframe }: { exchange: string; symbol: string; timeframe: string }) {
  const queryClient = useQueryClient()
  const tune = useTuneModel()
  const [values, setValues] = useState({ exchange, symbol, timeframe, trials: '50', pooledWith: '' })
  const [progress, setProgress] = useState<Progress | null>(null)
  const [queued, setQueued] = useState<{ exchange: string; symbol: string; timeframe: string } | null>(null)

  useStreamHandler('model_tuning', (message) => {
    const data = (typeof message.data === 'object' && message.data !== null ? message.data : {}) as Record<string, unknown>
    if (queued === null || data.symbol !== queued.symbol || data.exchange !== queued.exchange || data.timeframe !== queued.timeframe) return
    const next = readProgress(data)
    setProgress(next)
    if (next.state === 'done') void queryClient.invalidateQueries({ queryKey: modelKeys.all })
  })

  const fieldErrors = tune.error instanceof ApiError ? tune.error.fieldErrors : {}
  const set = (name: keyof typeof values) => (event: { target: { value: string } }) => setValues((current) => ({ ...current, [name]: event.target.value }))

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setProgress(null)
    const pooledWith = values.pooledWith
      .split(',')
      .map((other) => other.trim())
      .filter((other) => other !== '')
    tune.mutate(
      {
        exchange: values.exchange.trim(),
        symbol: values.symbol.trim(),
        timeframe: values.timeframe.trim(),
        trials: Number(values.trials),
        ...(pooledWith.length > 0 ? { pooled_with: pooledWith } : {}),
      },
      { onSuccess: (accepted) => setQueued({ exchange: accepted.exchange, symbol: accepted.symbol, timeframe: accepted.timeframe }) },
    )
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Search hyperparameters">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <TextField label="Exchange" value={values.exchange} onChange={set('exchange')} errors={fieldErrors.exchange} required />
        <TextField label="Symbol" value={values.symbol} onChange={set('symbol')} errors={fieldErrors.symbol} required />
        <TextField label="Timeframe" value={values.timeframe} onChange={set('timeframe')} errors={fieldErrors.timeframe} required />
        <TextField label="Trials" inputMode="numeric" value={values.trials} onChange={set('trials')} errors={fieldErrors.trials} required />
      </div>
      <TextField
        label="Pool with (other symbols, comma-separated: one model over all the markets)"
        value={values.pooledWith}
        onChange={set('pooledWith')}
        errors={fieldErrors.pooled_with}
      />
      <Button type="submit" isLoading={tune.isPending}>
        Start search
      </Button>
      <output aria-live="polite" className="block text-sm text-slate-200">
        {tune.isError && !(tune.error instanceof ApiError && tune.error.hasFieldErrors) ? <p className="text-red-300">{errorMessage(tune.error)}</p> : null}
        {tune.isSuccess ? (
          <p className="text-xs text-slate-400">
            Queued on the {tune.data.queue} queue as study {tune.data.study}; a second search of the same market resumes it.
          </p>
        ) : null}
        {progress === null ? null : <ProgressLine progress={progress} />}
      </output>
    </form>
  )
}
