import { Badge } from '@/components/ui/badge'
import type { OrderStatus } from '@/features/orders/api/types'
import { STATUS_LABELS, STATUS_TONES } from '@/features/orders/lib/order-status'

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return (
    <Badge tone={STATUS_TONES[status]} dot>
      {STATUS_LABELS[status]}
    </Badge>
  )
}

export function AccountKindBadge({ kind }: { kind: 'paper' | 'testnet' | 'live' }) {
  return <Badge tone={kind === 'live' ? 'danger' : kind === 'testnet' ? 'warning' : 'neutral'}>{kind === 'paper' ? 'Paper' : kind === 'testnet' ? 'Testnet' : 'Live'}</Badge>
}
