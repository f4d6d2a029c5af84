import { queryOptions, useQuery } from '@tanstack/react-query'
import { env } from '@/config/env'
import { api } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-keys'
import { healthSchema, type Health } from '@/types/health'

/** The server's health report. A degraded server answers 503 with the same report. */
export function getHealth(signal?: AbortSignal): Promise<Health> {
  return api.get('/api/health/', { schema: healthSchema, acceptStatuses: [503], signal })
}

export function healthQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.health,
    queryFn: ({ signal }) => getHealth(signal),
    refetchInterval: env.healthPollMs,
    staleTime: 0,
  })
}

export function useHealth() {
  return useQuery(healthQueryOptions())
}
