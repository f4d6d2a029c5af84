import { ScrollArea } from '@/components/ui/scroll-area'
import type { Tick } from '@/features/bots/api/types'
import { formatDateTime, formatNumber, humanize } from '@/lib/format'

const CELL = 'px-2 py-2 align-top'

/** The bot's decisions: candle, outcome, target, every risk check (pass/fail and why), the order. */
export function TicksTable({ ticks }: { ticks: readonly Tick[] }) {
  return (
    <ScrollArea className="overflow-x-auto" label="Decisions table">
      <table className="w-full text-left text-sm" aria-label="Decisions">
        <thead className="text-xs text-slate-400">
          <tr>
            <th scope="col" className={CELL}>Candle</th>
            <th scope="col" className={CELL}>Outcome</th>
            <th scope="col" className={CELL}>Target</th>
            <th scope="col" className={CELL}>Risk checks</th>
            <th scope="col" className={CELL}>Order</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-white/5">
          {ticks.map((tick) => (
            <tr key={tick.id}>
              <td className={`${CELL} whitespace-nowrap`}>{formatDateTime(tick.candle_time)}</td>
              <td className={CELL}>
                <span className="font-medium text-slate-100">{humanize(tick.outcome)}</span>
                {tick.reason === '' ? null : <p className="text-xs text-slate-400">{tick.reason}</p>}
              </td>
              <td className={`${CELL} tabular-nums`}>{tick.target === null ? '—' : formatNumber(tick.target, 2)}</td>
              <td className={CELL}>
                {tick.checks.length === 0 ? (
                  '—'
                ) : (
                  <ul className="space-y-0.5">
                    {tick.checks.map((check) => (
                      <li key={check.name} className={check.passed ? 'text-emerald-300' : 'text-rose-300'}>
                        {check.passed ? 'Pass' : 'Fail'} · {humanize(check.name)}
                        {check.reason === '' ? null : <span className="text-slate-400">: {check.reason}</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td className={`${CELL} whitespace-nowrap`}>
                {tick.order === null ? '—' : `#${tick.order}`}
                {tick.exit_order === null ? null : ` (stop #${tick.exit_order})`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  )
}
