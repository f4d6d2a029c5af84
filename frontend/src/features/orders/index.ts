/** The public entry of the orders feature: other features and the app import only from here. */
export { useOrders, usePaperAccounts } from '@/features/orders/api/orders'
export { orderKeys } from '@/features/orders/api/query-keys'
export { ORDER_SIDES } from '@/features/orders/api/types'
export type { Fill, OrderDetail, Order, OrderSide, OrderStatus, PaperAccount } from '@/features/orders/api/types'
export { OrdersTable } from '@/features/orders/components/orders-table'
export { csvCell, downloadText } from '@/features/orders/lib/csv'
export { validateOrdersSearch } from '@/features/orders/lib/search'
export { useOrderEvents } from '@/features/orders/lib/use-order-events'
