import { Link } from '@tanstack/react-router'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { Panel } from '@/components/ui/panel'
import { useBots, usePositions } from '@/features/bots/api/bots'
import { PositionsTable } from '@/features/bots/components/positions-table'
import { formatPnl, pnlClass } from '@/features/bots/lib/money'

/** The dashboard's panel: the bots' open positions and their total P&L (live from the stream). */
export function PositionsPanel() {
  const positions = usePositions({ openOnly: true })
  const bots = useBots()
  const rows = positions.data ?? []
  const unrealised = rows.reduce((sum, row) => sum + Number(row.unrealised_pnl), 0)
  const realised = rows.reduce((sum, row) => sum + Number(row.realised_pnl), 0)
  return (
    <Panel className="p-4 sm:p-5" aria-labelledby="positions-title">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="positions-title" className="text-base font-semibold text-white">
          Open positions
        </h2>
        {rows.length === 0 ? null : (
          <p className="text-sm text-slate-300">
            P&amp;L: <span className={pnlClass(unrealised)}>{formatPnl(unrealised)}</span> unrealised, <span className={pnlClass(realised)}>{formatPnl(realised)}</span> realised
          </p>
        )}
      </div>
      {positions.isPending ? <LoadingBlock label="Loading positions…" /> : null}
      {positions.isError ? <ErrorBlock title="Could not load positions" error={positions.error} onRetry={() => void positions.refetch()} /> : null}
      {positions.data === undefined ? null : rows.length === 0 ? (
        <EmptyLine>
          No open positions. <Link to="/bots" className="text-cyan-300 underline">Start a bot</Link> to trade.
        </EmptyLine>
      ) : (
        <PositionsTable label="Open positions" positions={rows} bots={bots.data?.results ?? []} />
      )}
    </Panel>
  )
}
