/*
 * Orders API payloads. These mirror the fixed Orders API contract (docs: contracts, "Orders REST
 * API") because the backend schema does not declare them yet. Replace them with the generated
 * ones (`components['schemas'][...]` from src/types/api.generated.ts) once `npm run api:types`
 * brings them in; the names end in "Record" so they never collide with the schema's own.
 * Decimals are JSON strings and times ISO 8601 with Z, as the contract says.
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
] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** States an order never leaves. */
export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = ['filled', 'canceled', 'rejected', 'expired']

export const ORDER_SIDES = ['buy', 'sell'] as const
export type OrderSide = (typeof ORDER_SIDES)[number]

export const ORDER_TYPES = ['market', 'limit'] as const
export type OrderType = (typeof ORDER_TYPES)[number]

export type AccountKind = 'paper' | 'testnet' | 'live'

export interface OrderAccountRecord {
  kind: AccountKind
  id: number
  label: string
  exchange: string
}

export interface OrderRecord {
  id: number
  client_order_id: string
  exchange_order_id: string | null
  account: OrderAccountRecord
  bot: number | null
  exchange: string
  symbol: string
  side: OrderSide
  type: OrderType
  amount: string
  price: string | null
  filled_amount: string
  average_price: string | null
  fee: string
  fee_currency: string | null
  status: OrderStatus
  reason: string
  created_at: string
  updated_at: string
}

export interface OrderEventRecord {
  id: number
  from_status: OrderStatus | null
  to_status: OrderStatus
  cause: string
  created_at: string
}

export interface FillRecord {
  id: number
  order: number
  trade_id: string
  exchange: string
  symbol: string
  side: OrderSide
  amount: string
  price: string
  fee: string
  fee_currency: string | null
  is_maker: boolean | null
  executed_at: string
}

export interface OrderDetailRecord extends OrderRecord {
  events: OrderEventRecord[]
  fills: FillRecord[]
}

export interface PaperAccountRecord {
  id: number
  label: string
  exchange: string
  quote_currency: string
  balances: Record<string, string>
  created_at: string
}

/** `POST /api/orders/`: exactly one of `paper_account` and `exchange_account`. */
export type OrderCreateRecord = ({ paper_account: number } | { exchange_account: number }) & {
  symbol: string
  side: OrderSide
  type: OrderType
  amount: string
  price?: string
  client_order_id?: string
}

/** Filters of `GET /api/orders/`. */
export interface OrderFilters {
  status?: OrderStatus
  symbol?: string
  side?: OrderSide
  open?: boolean
  limit?: number
}
