import { useState } from 'react'
import { useModel, useModels } from '@/features/models/api/models'
import { DemoBadge } from '@/components/demo-badge'
import { PageHeader } from '@/components/page-header'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { Badge, type BadgeTone } from '@/components/ui/badge'
import { Panel } from '@/components/ui/panel'
import { ScrollArea } from '@/components/ui/scroll-area'
import { cn } from '@/lib/cn'
import { formatDate, formatDateTime, formatNumber, formatPercent, humanize } from '@/lib/format'
import { foldColumns, formatFoldValue, modelScope, topImportance } from '@/features/models/lib/model-metrics'
import { asNumberMap, asRecordList } from '@/lib/records'
import type { ModelDetail } from '@/features/models/api/types'
import { EvaluationPanel } from '@/features/models/components/evaluation-panel'
import { TuneForm } from '@/features/models/components/tune-form'

const STATUS_TONES: Record<string, BadgeTone> = { champion: 'success', candidate: 'info', retired: 'neutral' }

function StatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={STATUS_TONES[status] ?? 'neutral'}>
      {status === 'champion' ? '★ ' : ''}
      {humanize(status)}
    </Badge>
  )
}

function ModelDetailView({ model }: { model: ModelDetail }) {
  const folds = asRecordList(model.fold_metrics)
  const columns = foldColumns(model.fold_metrics)
  const importance = topImportance(asNumberMap(model.feature_importance), 15)
  const largest = importance[0]?.[1] ?? 1
  return (
    <div className="space-y-6" data-model-id={model.id}>
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-lg font-semibold text-white">
          Model #{model.id} · {modelScope(model)} · {model.timeframe}
        </h2>
        <StatusBadge status={model.status} />
        <DemoBadge show={model.is_demo} />
      </div>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-400">Skill over prior</dt>
          <dd className="font-mono text-slate-100">{formatNumber(model.summary_score, 4)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-400">Trained on</dt>
          <dd className="text-slate-100">
            {formatDate(model.train_start)} → {formatDate(model.train_end)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-400">Features</dt>
          <dd className="font-mono text-xs break-all text-slate-100">{model.feature_set_version}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-400">Promoted</dt>
          <dd className="text-slate-100">{model.promoted_at === null ? 'never' : formatDateTime(model.promoted_at)}</dd>
        </div>
      </dl>

      <section aria-labelledby="skill-title">
        <h3 id="skill-title" className="mb-2 text-sm font-semibold text-white">
          Skill out of sample
        </h3>
        <EvaluationPanel model={model} />
      </section>

      <section aria-labelledby="folds-title">
        <h3 id="folds-title" className="mb-2 text-sm font-semibold text-white">
          Walk-forward folds
        </h3>
        {folds.length === 0 ? (
          <EmptyLine>This model has no fold metrics.</EmptyLine>
        ) : (
          <ScrollArea className="overflow-x-auto" label="Fold metrics table">
            <table className="w-full text-left text-xs" aria-label="Fold metrics">
              <thead className="text-slate-400">
                <tr className="border-b border-white/10">
                  {columns.map((column) => (
                    <th key={column} scope="col" className="px-2 py-2 font-medium whitespace-nowrap">
                      {humanize(column)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {folds.map((fold, index) => (
                  <tr key={`${String(fold.fold ?? index)}-${String(fold.market ?? '')}`} className="border-b border-white/5">
                    {columns.map((column) => (
                      <td key={column} className="px-2 py-1.5 font-mono whitespace-nowrap text-slate-200">
                        {formatFoldValue(column, fold[column])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )}
        <p className="mt-2 text-xs text-slate-400">
          Skill is the prior's log loss minus the model's on the test window: above 0 means the model beat always guessing the class mix. Each fold's calibration and trading thresholds are fitted before its test window; returns are net of the backtester's default fee and slippage.
        </p>
      </section>

      <section aria-labelledby="importance-title">
        <h3 id="importance-title" className="mb-2 text-sm font-semibold text-white">
          Feature importance (share of total gain)
        </h3>
        {importance.length === 0 ? (
          <EmptyLine>No feature importance was recorded.</EmptyLine>
        ) : (
          <ul className="space-y-1.5" aria-label="Feature importance">
            {importance.map(([name, value]) => (
              <li key={name} className="grid grid-cols-[minmax(0,12rem)_1fr_4rem] items-center gap-2 text-xs">
                <span className="truncate text-slate-300" title={name}>
                  {humanize(name)}
                </span>
                <span className="h-2 overflow-hidden rounded-full bg-white/5" aria-hidden="true">
                  <span className="block h-full rounded-full bg-cyan-400/80" style={{ width: `${(value / largest) * 100}%` }} />
                </span>
                <span className="text-right font-mono text-slate-200">{formatPercent(value, { digits: 1 })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

export function ModelsPage() {
  const models = useModels()
  const [selected, setSelected] = useState<number | null>(null)
  const list = models.data ?? []
  const active = selected ?? list.find((item) => item.status === 'champion')?.id ?? list[0]?.id ?? null
  const detail = useModel(active)

  return (
    <>
      <PageHeader title="Models" description="Every trained model with its walk-forward validation. A model becomes champion only when it beats the class prior, buy-and-hold and random entries out of sample; the champion of each market and timeframe writes the live signals." />
      <div className="grid gap-6 lg:grid-cols-5">
        <Panel className="p-4 lg:col-span-2" aria-labelledby="registry-title">
          <h2 id="registry-title" className="mb-3 text-base font-semibold text-white">
            Registry
          </h2>
          {models.isPending ? (
            <LoadingBlock label="Loading models…" />
          ) : models.isError ? (
            <ErrorBlock title="Models could not be loaded" error={models.error} onRetry={() => void models.refetch()} />
          ) : list.length === 0 ? (
            <EmptyLine>No models are trained yet. Training runs on a schedule once enough candles are stored.</EmptyLine>
          ) : (
            <ul className="space-y-2" aria-label="Models">
              {list.map((item) => (
                <li key={item.id}>
                  <button
                    type="button"
                    aria-pressed={item.id === active}
                    onClick={() => setSelected(item.id)}
                    className={cn(
                      'w-full rounded-xl border px-3 py-2.5 text-left transition-colors',
                      item.id === active ? 'border-cyan-400/40 bg-cyan-400/5' : 'border-white/10 hover:bg-white/5',
                    )}
                  >
                    <span className="flex flex-wrap items-center gap-2">
                      <span className="text-sm font-medium text-white">#{item.id}</span>
                      <span className="text-sm text-slate-300">
                        {modelScope(item)} · {item.timeframe}
                      </span>
                      <StatusBadge status={item.status} />
                      <DemoBadge show={item.is_demo} />
                    </span>
                    <span className="mt-1 block text-xs text-slate-400">
                      Skill {formatNumber(item.summary_score, 4)} · created {formatDate(item.created_at)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel className="p-4 sm:p-5 lg:col-span-3" aria-label="Model details">
          {active === null ? (
            <EmptyLine>Select a model to see its folds and features.</EmptyLine>
          ) : detail.isPending ? (
            <LoadingBlock label="Loading model…" className="h-64" />
          ) : detail.isError ? (
            <ErrorBlock title="This model could not be loaded" error={detail.error} onRetry={() => void detail.refetch()} />
          ) : (
            <ModelDetailView model={detail.data} />
          )}
        </Panel>
      </div>
      <Panel className="mt-6 p-4 sm:p-5" aria-labelledby="tune-title">
        <h2 id="tune-title" className="mb-1 text-base font-semibold text-white">
          Search hyperparameters
        </h2>
        <p className="mb-3 text-xs text-slate-400">
          A seeded Optuna search scored walk-forward on every fold (never one split), kept in the database. The best configuration is trained and judged with its Deflated Sharpe deflated for every trial, and the search's probability of backtest overfitting beside it.
        </p>
        <TuneForm
          key={detail.data?.id ?? 0}
          exchange={detail.data?.markets[0]?.exchange ?? ''}
          symbol={detail.data?.markets[0]?.symbol ?? ''}
          timeframe={detail.data?.timeframe ?? '1h'}
        />
      </Panel>
    </>
  )
}
