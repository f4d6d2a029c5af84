import { Badge, type BadgeTone } from '@/components/ui/badge'

const TONES: Record<string, BadgeTone> = { BUY: 'success', SELL: 'danger', HOLD: 'neutral' }

export function ActionBadge({ action }: { action: string }) {
  return (
    <Badge tone={TONES[action] ?? 'neutral'} className="font-semibold">
      {action}
    </Badge>
  )
}
