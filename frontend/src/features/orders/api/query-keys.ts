import type { OrderFilters } from '@/features/orders/api/types'

/** Query keys of the orders feature; order and fill events invalidate `all`. */
export const orderKeys = {
  all: ['orders'] as const,
  list: (filters: OrderFilters) => ['orders', 'list', filters] as const,
  detail: (id: number) => ['orders', 'detail', id] as const,
  paperAccounts: ['paper-accounts'] as const,
}
