import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { exchangeAccountKeys } from '@/features/settings/api/query-keys'
import type { ConnectionReport, ExchangeAccount, ExchangeAccountInput } from '@/features/settings/api/types'
import type { Paginated } from '@/types/paginated'

export async function getExchangeAccounts(signal?: AbortSignal): Promise<ExchangeAccount[]> {
  const page = await api.get<Paginated<ExchangeAccount>>('/api/exchange-accounts/?limit=100', { signal })
  return page.results
}

export function exchangeAccountsQueryOptions() {
  return queryOptions({
    queryKey: exchangeAccountKeys.all,
    queryFn: ({ signal }) => getExchangeAccounts(signal),
    meta: { errorMessage: 'Could not load your exchange accounts' },
  })
}

export function useExchangeAccounts() {
  return useQuery(exchangeAccountsQueryOptions())
}

export function createExchangeAccount(input: ExchangeAccountInput): Promise<ExchangeAccount> {
  return api.post<ExchangeAccount>('/api/exchange-accounts/', input)
}

export function useCreateExchangeAccount() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: createExchangeAccount,
    onSuccess: (account) => {
      queryClient.setQueryData<ExchangeAccount[]>(exchangeAccountKeys.all, (current) => [
        ...(current ?? []).filter((item) => item.id !== account.id),
        account,
      ])
      void queryClient.invalidateQueries({ queryKey: exchangeAccountKeys.all })
    },
  })
}

export async function deleteExchangeAccount(id: number): Promise<void> {
  await api.delete(`/api/exchange-accounts/${id}/`)
}

export function useDeleteExchangeAccount() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: deleteExchangeAccount,
    meta: { errorMessage: 'Could not remove the exchange account' },
    onSuccess: (_result, id) => {
      queryClient.setQueryData<ExchangeAccount[]>(exchangeAccountKeys.all, (current) => (current ?? []).filter((item) => item.id !== id))
    },
  })
}

export function testExchangeAccount(id: number): Promise<ConnectionReport> {
  return api.post<ConnectionReport>(`/api/exchange-accounts/${id}/test/`)
}

export function useTestExchangeAccount() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: testExchangeAccount,
    onSettled: () => {
      // A test updates the stored permissions and may mark the key unusable.
      void queryClient.invalidateQueries({ queryKey: exchangeAccountKeys.all })
    },
  })
}
