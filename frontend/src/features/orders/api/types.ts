import type { Schemas } from '@/types/api'

/*
 * Orders API payloads, derived from the generated schema (src/types/api.generated.ts), so a
 * backend change that breaks them fails `npm run typecheck`. Decimals are JSON strings and times
 * ISO 8601 with Z, as the contract says.
 */

export const ORDER_STATUSES = [
  'new',
  'submitting',
  'open',
  'partially_filled',
  'filled',
  'canceled',
  'rejected',
  'expired',
  'unknown',
] as const satisfies readonly Schemas['OrderStatusEnum'][]
export type OrderStatus = Schemas['OrderStatusEnum']

/** States an order never leaves. */
export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = ['filled', 'canceled', 'rejected', 'expired']

export const ORDER_SIDES = ['buy', 'sell'] as const satisfies readonly Schemas['SideEnum'][]
export type OrderSide = Schemas['SideEnum']

export const ORDER_TYPES = ['market', 'limit'] as const satisfies readonly Schemas['TypeEnum'][]
export type OrderType = Schemas['TypeEnum']

export type AccountKind = Schemas['TradingModeEnum']

export type OrderAccount = Schemas['OrderAccount']
export type Order = Schemas['Order']
export type OrderEvent = Schemas['OrderEvent']
export type Fill = Schemas['Fill']
export type OrderDetail = Schemas['OrderDetail']
export type PaperAccount = Schemas['PaperAccount']

/** `POST /api/orders/` (`OrderCreateRequest`), with exactly one of `paper_account` and `exchange_account`. */
export type NewOrder = Omit<Schemas['OrderCreateRequest'], 'paper_account' | 'exchange_account' | 'price' | 'client_order_id'> &
  ({ paper_account: number } | { exchange_account: number }) & {
    price?: string
    client_order_id?: string
  }

/** Filters of `GET /api/orders/`. */
export interface OrderFilters {
  status?: OrderStatus
  symbol?: string
  side?: OrderSide
  open?: boolean
  /** Only the orders of this bot. */
  bot?: number
  limit?: number
}
