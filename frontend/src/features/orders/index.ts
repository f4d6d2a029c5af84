/** The public entry of the orders feature: other features and the app import only from here. */
export { orderKeys } from '@/features/orders/api/query-keys'
export type { Fill, OrderDetail, Order, OrderStatus, PaperAccount } from '@/features/orders/api/types'
export { validateOrdersSearch } from '@/features/orders/lib/search'
export { useOrderEvents } from '@/features/orders/lib/use-order-events'
