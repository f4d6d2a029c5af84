import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ApiError, api } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-keys'
import { userSchema, type LoginInput, type User } from '@/features/auth/api/types'

/** The signed-in user, or null when there is no session (Django answers 401 or 403). */
export async function getMe(signal?: AbortSignal): Promise<User | null> {
  try {
    return await api.get('/api/auth/me/', { schema: userSchema, signal })
  } catch (error) {
    if (error instanceof ApiError && error.isAuthError) return null
    throw error
  }
}

export function meQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 5 * 60_000,
  })
}

export function useMe() {
  return useQuery(meQueryOptions())
}

export function login(input: LoginInput): Promise<User> {
  return api.post('/api/auth/login/', input, { schema: userSchema })
}

export function useLogin() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: login,
    onSuccess: (user) => {
      queryClient.setQueryData(queryKeys.me, user)
    },
  })
}

export async function logout(): Promise<void> {
  await api.post('/api/auth/logout/')
}

export function useLogout() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: logout,
    meta: { errorMessage: 'Could not sign out' },
    onSuccess: () => {
      // Drop everything fetched for this user, then show the login page.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.me[0] })
      queryClient.setQueryData(queryKeys.me, null)
    },
  })
}

