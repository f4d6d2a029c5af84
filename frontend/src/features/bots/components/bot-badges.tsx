import { Badge, type BadgeTone } from '@/components/ui/badge'
import type { BotState, TradingMode } from '@/features/bots/api/types'

const MODE: Record<TradingMode, { tone: BadgeTone; label: string }> = {
  paper: { tone: 'info', label: 'Paper' },
  testnet: { tone: 'warning', label: 'Testnet' },
  live: { tone: 'danger', label: 'LIVE' },
}

const STATE: Record<BotState, { tone: BadgeTone; label: string }> = {
  running: { tone: 'success', label: 'Running' },
  paused: { tone: 'warning', label: 'Paused' },
  stopped: { tone: 'neutral', label: 'Stopped' },
  halted: { tone: 'danger', label: 'Halted' },
}

/** Paper, testnet or live: what money the bot trades with. */
export function ModeBadge({ mode }: { mode: TradingMode }) {
  const { tone, label } = MODE[mode]
  return (
    <Badge tone={tone}>
      <span className="sr-only">Mode: </span>
      {label}
    </Badge>
  )
}

export function StateBadge({ state }: { state: BotState }) {
  const { tone, label } = STATE[state]
  return (
    <Badge tone={tone} dot>
      {label}
    </Badge>
  )
}
