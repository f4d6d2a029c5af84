import { ScrollArea } from '@/components/ui/scroll-area'
import type { Bot, Position } from '@/features/bots/api/types'
import { formatAmount, formatPnl, pnlClass } from '@/features/bots/lib/money'

const CELL = 'px-2 py-2 whitespace-nowrap'

/** Positions of the user's bots: bot, amount, entry, last price, realised and unrealised P&L. */
export function PositionsTable({ label, positions, bots }: { label: string; positions: readonly Position[]; bots: readonly Bot[] }) {
  const names = new Map(bots.map((bot) => [bot.id, bot]))
  return (
    <ScrollArea className="overflow-x-auto" label={`${label} table`}>
      <table className="w-full text-left text-sm" aria-label={label}>
        <thead className="text-xs text-slate-400">
          <tr>
            <th scope="col" className={CELL}>Bot</th>
            <th scope="col" className={CELL}>Amount</th>
            <th scope="col" className={CELL}>Entry</th>
            <th scope="col" className={CELL}>Last</th>
            <th scope="col" className={CELL}>Unrealised</th>
            <th scope="col" className={CELL}>Realised</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-white/5">
          {positions.map((position) => {
            const bot = names.get(position.bot)
            return (
              <tr key={position.id}>
                <td className={CELL}>{bot === undefined ? `Bot #${position.bot}` : `${bot.name} · ${bot.symbol}`}</td>
                <td className={`${CELL} tabular-nums`}>{formatAmount(position.amount, 6)}</td>
                <td className={`${CELL} tabular-nums`}>{formatAmount(position.average_entry)}</td>
                <td className={`${CELL} tabular-nums`}>{formatAmount(position.last_price)}</td>
                <td className={`${CELL} tabular-nums ${pnlClass(position.unrealised_pnl)}`}>{formatPnl(position.unrealised_pnl)}</td>
                <td className={`${CELL} tabular-nums ${pnlClass(position.realised_pnl)}`}>{formatPnl(position.realised_pnl)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </ScrollArea>
  )
}
