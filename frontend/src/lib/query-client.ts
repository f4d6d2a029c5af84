import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query'
import { ApiError, errorMessage } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-keys'
import { toast } from '@/lib/toast-store'

function shouldRetry(failureCount: number, error: Error): boolean {
  // Client errors (bad input, no session, not found) will not fix themselves.
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false
  return failureCount < 2
}

export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (error instanceof ApiError && error.isAuthError && query.queryKey[0] !== queryKeys.me[0]) {
          // The session may have expired: ask the server, which shows the login page if so.
          void queryClient.invalidateQueries({ queryKey: queryKeys.me })
        }
        if (query.meta?.errorMessage !== undefined) {
          toast({ id: `query-${query.queryHash}`, variant: 'error', title: query.meta.errorMessage, description: errorMessage(error) })
        }
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (mutation.meta?.errorMessage !== undefined) {
          toast({ variant: 'error', title: mutation.meta.errorMessage, description: errorMessage(error) })
        }
      },
    }),
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        staleTime: 10_000,
      },
      mutations: {
        retry: false,
      },
    },
  })
  return queryClient
}
