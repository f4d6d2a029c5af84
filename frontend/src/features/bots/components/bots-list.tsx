import type { Bot } from '@/features/bots/api/types'
import { ModeBadge, StateBadge } from '@/features/bots/components/bot-badges'
import { formatAmount, formatPnl, pnlClass } from '@/features/bots/lib/money'
import { cn } from '@/lib/cn'

/** The user's bots: name, market, mode and state (with the halt reason), equity and P&L. */
export function BotsList({ bots, selectedId, onOpen }: { bots: readonly Bot[]; selectedId: number | null; onOpen: (id: number) => void }) {
  return (
    <ul aria-label="Your bots" className="divide-y divide-white/5">
      {bots.map((bot) => {
        const pnl = bot.position === null ? null : Number(bot.position.realised_pnl) + Number(bot.position.unrealised_pnl)
        return (
          <li key={bot.id}>
            <button
              type="button"
              aria-current={bot.id === selectedId || undefined}
              onClick={() => onOpen(bot.id)}
              className={cn('flex w-full flex-col gap-1 rounded-lg px-2 py-3 text-left hover:bg-white/5', bot.id === selectedId && 'bg-white/5')}
            >
              <span className="flex flex-wrap items-center gap-2">
                <span className="font-medium text-white">
                  <span className="sr-only">Open bot </span>
                  {bot.name}
                </span>
                <ModeBadge mode={bot.mode} />
                <StateBadge state={bot.state} />
              </span>
              <span className="text-xs text-slate-400">
                {bot.symbol} · {bot.exchange} · {bot.timeframe} · equity {bot.equity === null ? '—' : formatAmount(bot.equity)} · P&amp;L{' '}
                <span className={pnlClass(pnl)}>{formatPnl(pnl)}</span>
              </span>
              {bot.state === 'halted' && bot.state_reason !== '' ? <span className="text-xs text-rose-300">Halted: {bot.state_reason}</span> : null}
            </button>
          </li>
        )
      })}
    </ul>
  )
}
