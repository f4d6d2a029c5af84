import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-keys'
import { securityKeys } from '@/features/settings/api/query-keys'
import type { SecurityEvent, SignIn } from '@/features/settings/api/types'
import type { Paginated } from '@/types/paginated'

/** How many of the latest security events the Settings page shows. */
export const ACTIVITY_LIMIT = 50

export async function getSignIns(signal?: AbortSignal): Promise<SignIn[]> {
  const page = await api.get<Paginated<SignIn>>('/api/auth/sessions/?limit=100', { signal })
  return page.results
}

export function signInsQueryOptions() {
  return queryOptions({
    queryKey: securityKeys.signIns,
    queryFn: ({ signal }) => getSignIns(signal),
    meta: { errorMessage: 'Could not load your sessions and tokens' },
  })
}

export function useSignIns() {
  return useQuery(signInsQueryOptions())
}

export function getSecurityActivity(signal?: AbortSignal): Promise<Paginated<SecurityEvent>> {
  return api.get<Paginated<SecurityEvent>>(`/api/audit-events/?limit=${ACTIVITY_LIMIT}`, { signal })
}

export function securityActivityQueryOptions() {
  return queryOptions({
    queryKey: securityKeys.activity,
    queryFn: ({ signal }) => getSecurityActivity(signal),
    meta: { errorMessage: 'Could not load your security activity' },
  })
}

export function useSecurityActivity() {
  return useQuery(securityActivityQueryOptions())
}

/** This browser is signed out: forget everything fetched for the user, then the login page shows. */
function forgetUser(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.me[0] })
  queryClient.setQueryData(queryKeys.me, null)
}

export async function revokeSignIn(signIn: SignIn): Promise<void> {
  await api.delete(`/api/auth/sessions/${signIn.id}/`)
}

export function useRevokeSignIn() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: revokeSignIn,
    meta: { errorMessage: 'Could not revoke the sign-in' },
    onSuccess: (_result, signIn) => {
      if (signIn.current) {
        forgetUser(queryClient)
        return
      }
      queryClient.setQueryData<SignIn[]>(securityKeys.signIns, (current) => (current ?? []).filter((item) => item.id !== signIn.id))
      void queryClient.invalidateQueries({ queryKey: securityKeys.activity })
    },
  })
}

export function signOutEverywhere(): Promise<{ revoked: number }> {
  return api.post<{ revoked: number }>('/api/auth/logout-everywhere/')
}

export function useSignOutEverywhere() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: signOutEverywhere,
    meta: { errorMessage: 'Could not sign out everywhere' },
    onSuccess: () => forgetUser(queryClient),
  })
}
