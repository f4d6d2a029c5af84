import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { Button } from '@/components/ui/button'
import { useBot, useBotAction, useBotTicks } from '@/features/bots/api/bots'
import type { Bot, BotAction } from '@/features/bots/api/types'
import { ModeBadge, StateBadge } from '@/features/bots/components/bot-badges'
import { BotForm } from '@/features/bots/components/bot-form'
import { KillBot } from '@/features/bots/components/kill-bot'
import { LiveOptIn } from '@/features/bots/components/live-opt-in'
import { TicksTable } from '@/features/bots/components/ticks-table'
import { formatAmount, formatPnl, pnlClass } from '@/features/bots/lib/money'
import { OrdersTable, useOrders } from '@/features/orders'
import { errorMessage } from '@/lib/api-client'
import { formatDateTime, humanize } from '@/lib/format'
import { toast } from '@/lib/toast-store'

const ACTION_LABELS: Record<BotAction, string> = { start: 'Start', pause: 'Pause', stop: 'Stop' }

function actionsFor(bot: Bot): BotAction[] {
  if (bot.state === 'running') return ['pause', 'stop']
  if (bot.state === 'paused') return ['start', 'stop']
  return ['start']
}

function strategyText(bot: Bot): string {
  if (bot.strategy === 'rule') {
    const params = Object.entries(bot.rule_params)
      .map(([key, value]) => `${key} ${String(value)}`)
      .join(', ')
    return `${humanize(bot.rule_name)}${params === '' ? '' : ` (${params})`}`
  }
  const model = bot.strategy === 'champion' ? 'Champion model' : `Model #${bot.model_version ?? '?'}`
  return `${model}, buy ≥ ${bot.buy_threshold}, sell ≥ ${bot.sell_threshold}`
}

function Stat({ label, value, className }: { label: string; value: string; className?: string }) {
  return (
    <div data-stat={label}>
      <dt className="text-xs text-slate-400">{label}</dt>
      <dd className={`text-sm font-medium tabular-nums ${className ?? 'text-slate-100'}`}>{value}</dd>
    </div>
  )
}

/** One bot: state and its reason, actions, live opt-in, equity, position, decisions and orders. */
export function BotDetail({ id, onClose }: { id: number; onClose: () => void }) {
  const query = useBot(id)
  const ticks = useBotTicks(id)
  const orders = useOrders({ bot: id, limit: 50 })
  const action = useBotAction()
  const navigate = useNavigate()
  const [editing, setEditing] = useState(false)

  if (query.isPending) return <LoadingBlock label="Loading the bot…" />
  if (query.isError) return <ErrorBlock title="Could not load the bot" error={query.error} onRetry={() => void query.refetch()} />
  const bot = query.data
  const position = bot.position
  const run = (which: BotAction) =>
    action.mutate(
      { id: bot.id, action: which },
      {
        onSuccess: (updated) => toast({ id: `bot-${bot.id}`, variant: 'info', title: `${updated.name} is ${updated.state}` }),
        onError: (error) => toast({ id: `bot-${bot.id}`, variant: 'error', title: `Could not ${which} ${bot.name}`, description: errorMessage(error) }),
      },
    )

  return (
    <section aria-label={`Bot ${bot.name}`} className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="flex flex-wrap items-center gap-2 text-lg font-semibold text-white">
            {bot.name} <ModeBadge mode={bot.mode} /> <StateBadge state={bot.state} />
          </h2>
          <p className="text-sm text-slate-400">
            {bot.symbol} · {bot.exchange} · {bot.timeframe} · {strategyText(bot)} · {bot.account.label}
          </p>
          {bot.state_reason === '' ? null : (
            <p className={`mt-1 text-sm ${bot.state === 'halted' ? 'text-rose-300' : 'text-slate-300'}`}>
              {bot.state === 'halted' ? 'Halted: ' : ''}
              {bot.state_reason}
            </p>
          )}
        </div>
        <Button variant="ghost" size="sm" onClick={onClose}>
          Close
        </Button>
      </div>

      <div className="flex flex-wrap items-start gap-2">
        {actionsFor(bot).map((which) => (
          <Button key={which} size="sm" variant={which === 'start' ? 'primary' : 'secondary'} disabled={action.isPending} onClick={() => run(which)}>
            {ACTION_LABELS[which]}
          </Button>
        ))}
        <Button size="sm" variant="secondary" onClick={() => setEditing((value) => !value)}>
          {editing ? 'Cancel editing' : 'Edit'}
        </Button>
        <KillBot bot={bot} />
      </div>

      <LiveOptIn bot={bot} />

      {editing ? <BotForm bot={bot} onDone={() => setEditing(false)} /> : null}

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="Equity" value={bot.equity === null ? '—' : formatAmount(bot.equity)} />
        <Stat label="Capital" value={formatAmount(bot.capital)} />
        <Stat label="Position" value={position === null ? '—' : formatAmount(position.amount, 6)} />
        <Stat label="Entry" value={formatAmount(position?.average_entry ?? null)} />
        <Stat label="Last price" value={formatAmount(position?.last_price ?? null)} />
        <Stat label="Unrealised P&L" value={formatPnl(position?.unrealised_pnl ?? null)} className={pnlClass(position?.unrealised_pnl ?? null)} />
        <Stat label="Realised P&L" value={formatPnl(position?.realised_pnl ?? null)} className={pnlClass(position?.realised_pnl ?? null)} />
        <Stat label="Last decision" value={bot.last_tick_at === null ? 'none yet' : formatDateTime(bot.last_tick_at)} />
      </dl>

      <div>
        <h3 className="mb-2 text-sm font-semibold text-white">Decisions</h3>
        {ticks.isPending ? <LoadingBlock label="Loading decisions…" /> : null}
        {ticks.isError ? <ErrorBlock title="Could not load the decisions" error={ticks.error} onRetry={() => void ticks.refetch()} /> : null}
        {ticks.data === undefined ? null : ticks.data.results.length === 0 ? <EmptyLine>No decision yet: the bot decides when a candle closes.</EmptyLine> : <TicksTable ticks={ticks.data.results} />}
      </div>

      <div>
        <h3 className="mb-2 text-sm font-semibold text-white">Orders</h3>
        {orders.isPending ? <LoadingBlock label="Loading orders…" /> : null}
        {orders.isError ? <ErrorBlock title="Could not load the bot's orders" error={orders.error} onRetry={() => void orders.refetch()} /> : null}
        {orders.data === undefined ? null : orders.data.results.length === 0 ? (
          <EmptyLine>No orders yet.</EmptyLine>
        ) : (
          <OrdersTable label={`Orders of ${bot.name}`} orders={orders.data.results} onOpen={(order) => void navigate({ to: '/orders', search: { order } })} />
        )}
      </div>
    </section>
  )
}
