import type { ModelDetail } from '@/features/models/api/types'
import { ReliabilityChart } from '@/features/models/components/reliability-chart'
import { EmptyLine } from '@/components/query-state'
import { formatNumber, formatPercent } from '@/lib/format'

function Stat({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-400">{label}</dt>
      <dd className="font-mono text-slate-100">
        {value}
        {detail === undefined ? null : <span className="ml-1 text-xs text-slate-400">{detail}</span>}
      </dd>
    </div>
  )
}

/** Out-of-sample skill against the baselines, the champion verdict and the reliability diagram. */
export function EvaluationPanel({ model }: { model: ModelDetail }) {
  const evaluation = model.evaluation
  if (evaluation.log_loss === undefined) {
    return <EmptyLine>This model was trained before skill checks were recorded.</EmptyLine>
  }
  const reasons = evaluation.reasons ?? []
  return (
    <div className="space-y-4">
      {evaluation.eligible === true ? (
        <p className="rounded-lg border border-emerald-400/30 bg-emerald-400/5 px-3 py-2 text-sm text-emerald-200">Passed every skill check out of sample.</p>
      ) : (
        <div className="rounded-lg border border-amber-400/30 bg-amber-400/5 px-3 py-2 text-sm text-amber-100">
          <p className="font-medium">Why this model is not champion</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5" aria-label="Why not champion">
            {reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      )}
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" aria-label="Skill against baselines">
        <Stat label="Log loss (prior)" value={formatNumber(evaluation.log_loss, 4)} detail={`(${formatNumber(evaluation.prior_log_loss ?? Number.NaN, 4)})`} />
        <Stat label="Calibration error (ECE)" value={formatNumber(evaluation.ece ?? Number.NaN, 3)} detail={`Brier ${formatNumber(evaluation.brier ?? Number.NaN, 3)}`} />
        {evaluation.net_return === undefined ? null : (
          <>
            <Stat label="Net return (buy & hold)" value={formatPercent(evaluation.net_return, { digits: 1 })} detail={`(${formatPercent(evaluation.buy_hold_return ?? Number.NaN, { digits: 1 })})`} />
            <Stat label="Random entries percentile" value={formatNumber(evaluation.random_percentile ?? Number.NaN, 1)} detail={`of ${evaluation.random_draws ?? 0} draws`} />
            <Stat label="Deflated Sharpe" value={formatNumber(evaluation.deflated_sharpe ?? Number.NaN, 3)} detail={`${evaluation.trials ?? 1} trial(s)`} />
          </>
        )}
        <Stat label="Overfitting probability (PBO)" value={evaluation.pbo === undefined || evaluation.pbo === null ? 'no search' : formatNumber(evaluation.pbo, 2)} />
        <Stat label="Costs" value={`${formatPercent(evaluation.fee_rate ?? Number.NaN, { digits: 2 })} + ${formatNumber(evaluation.slippage_bps ?? Number.NaN, 1)} bp`} />
      </dl>
      {evaluation.reliability === undefined ? null : <ReliabilityChart reliability={evaluation.reliability} />}
    </div>
  )
}
