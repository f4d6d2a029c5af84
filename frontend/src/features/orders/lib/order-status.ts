import type { BadgeTone } from '@/components/ui/badge'
import { ORDER_STATUSES, TERMINAL_ORDER_STATUSES, type OrderStatus } from '@/features/orders/api/types'

export const STATUS_LABELS: Record<OrderStatus, string> = {
  new: 'New',
  submitting: 'Submitting',
  open: 'Open',
  partially_filled: 'Partially filled',
  filled: 'Filled',
  canceled: 'Canceled',
  rejected: 'Rejected',
  expired: 'Expired',
  unknown: 'Unknown',
}

export const STATUS_TONES: Record<OrderStatus, BadgeTone> = {
  new: 'neutral',
  submitting: 'info',
  open: 'info',
  partially_filled: 'warning',
  filled: 'success',
  canceled: 'neutral',
  rejected: 'danger',
  expired: 'neutral',
  unknown: 'warning',
}

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value)
}

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_ORDER_STATUSES.includes(status)
}

/** Orders a user may still cancel: on the book, or not yet sent. */
export function isCancelable(status: OrderStatus): boolean {
  return status === 'new' || status === 'open' || status === 'partially_filled'
}
