import { queryOptions, useQuery } from '@tanstack/react-query'
import { env } from '@/config/env'
import { api } from '@/lib/api-client'
import { healthKeys } from '@/features/health/api/query-keys'
import { healthSchema, type HealthReport } from '@/features/health/api/types'

/** The server's health report. A degraded server answers 503 with the same report. */
export function getHealth(signal?: AbortSignal): Promise<HealthReport> {
  return api.get('/api/health/', { schema: healthSchema, acceptStatuses: [503], signal })
}

export function healthQueryOptions() {
  return queryOptions({
    queryKey: healthKeys.all,
    queryFn: ({ signal }) => getHealth(signal),
    refetchInterval: env.healthPollMs,
    staleTime: 0,
  })
}

export function useHealth() {
  return useQuery(healthQueryOptions())
}
