import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { orderKeys } from '@/features/orders/api/query-keys'
import type {
  NewOrder,
  OrderDetail,
  OrderFilters,
  Order,
  PaperAccount,
} from '@/features/orders/api/types'
import { api } from '@/lib/api-client'
import type { Paginated } from '@/types/paginated'

export function orderParams(filters: OrderFilters): URLSearchParams {
  const params = new URLSearchParams()
  if (filters.status !== undefined) params.set('status', filters.status)
  if (filters.symbol !== undefined && filters.symbol !== '') params.set('symbol', filters.symbol)
  if (filters.side !== undefined) params.set('side', filters.side)
  if (filters.open !== undefined) params.set('open', String(filters.open))
  if (filters.bot !== undefined) params.set('bot', String(filters.bot))
  params.set('limit', String(filters.limit ?? 100))
  return params
}

export function getOrders(filters: OrderFilters, signal?: AbortSignal): Promise<Paginated<Order>> {
  return api.get<Paginated<Order>>(`/api/orders/?${orderParams(filters)}`, { signal })
}

export function ordersQueryOptions(filters: OrderFilters) {
  return queryOptions({
    queryKey: orderKeys.list(filters),
    queryFn: ({ signal }) => getOrders(filters, signal),
    placeholderData: keepPreviousData,
    meta: { errorMessage: 'Could not load your orders' },
  })
}

export function useOrders(filters: OrderFilters) {
  return useQuery(ordersQueryOptions(filters))
}

export function getOrder(id: number, signal?: AbortSignal): Promise<OrderDetail> {
  return api.get<OrderDetail>(`/api/orders/${id}/`, { signal })
}

export function useOrder(id: number | null) {
  return useQuery({
    queryKey: orderKeys.detail(id ?? 0),
    queryFn: ({ signal }) => getOrder(id ?? 0, signal),
    enabled: id !== null,
  })
}

export async function getPaperAccounts(signal?: AbortSignal): Promise<PaperAccount[]> {
  const body = await api.get<PaperAccount[] | Paginated<PaperAccount>>('/api/paper-accounts/', { signal })
  return Array.isArray(body) ? body : body.results
}

export function usePaperAccounts() {
  return useQuery({
    queryKey: orderKeys.paperAccounts,
    queryFn: ({ signal }) => getPaperAccounts(signal),
    meta: { errorMessage: 'Could not load your paper accounts' },
  })
}

export interface CreateOrderVariables {
  order: NewOrder
  /** Sent as `Idempotency-Key`: a repeat of the same submission returns the same order. */
  idempotencyKey: string
}

export function createOrder({ order, idempotencyKey }: CreateOrderVariables): Promise<Order> {
  return api.post<Order>('/api/orders/', order, { headers: { 'Idempotency-Key': idempotencyKey } })
}

export function useCreateOrder() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: createOrder,
    onSettled: () => queryClient.invalidateQueries({ queryKey: orderKeys.all }),
  })
}

export function cancelOrder(id: number): Promise<Order> {
  return api.post<Order>(`/api/orders/${id}/cancel/`)
}

export function useCancelOrder() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: cancelOrder,
    onSettled: () => queryClient.invalidateQueries({ queryKey: orderKeys.all }),
  })
}
